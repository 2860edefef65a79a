"""Inspection: plans, sampling and results."""
