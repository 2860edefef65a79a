"""Audit trail: append-only, hash-linked entries (and, later, the Merkle log and signatures)."""
