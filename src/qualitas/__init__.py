"""Qualitas: an open-source, data-driven quality management system for manufacturers."""

__version__ = "0.1.0"
