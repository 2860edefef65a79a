"""Traceability benchmark: a deterministic synthetic genealogy, its ground truth, and the timing
of Qualitas' genealogy engine against per-level ORM walks and networkx on the same data."""
