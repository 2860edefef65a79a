"""Measurements: idempotent bulk ingest of characteristic readings (JSON, CSV, PostgreSQL COPY)."""
