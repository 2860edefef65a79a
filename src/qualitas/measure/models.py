"""The measurement table.

On PostgreSQL the table is range-partitioned by month of ``source_ts`` (migration 0002 creates
it by hand, with the primary key ``(id, source_ts)`` that partitioning requires); monthly
partitions are created on demand by the ingest service. The idempotency key
``(source_id, characteristic_id, seq, source_ts)`` includes the partition key, so a replayed
reading (same source, characteristic, sequence number and source time) is ignored on both
backends.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Float, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from qualitas.db import Base, BigId, UTCDateTime, utcnow


class Measurement(Base):
    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint(
            "source_id", "characteristic_id", "seq", "source_ts", name="uq_measurement_source"
        ),
        Index("ix_measurement_char_ts", "characteristic_id", "source_ts"),
        Index(  # partial: individual readings (most of them) carry no subgroup key
            "ix_measurement_char_subgroup",
            "characteristic_id",
            "subgroup",
            postgresql_where=text("subgroup IS NOT NULL"),
            sqlite_where=text("subgroup IS NOT NULL"),
        ),
        Index(  # device history records read the readings of one lot or one serial
            "ix_measurement_lot",
            "lot",
            postgresql_where=text("lot IS NOT NULL"),
            sqlite_where=text("lot IS NOT NULL"),
        ),
        Index(
            "ix_measurement_unit",
            "unit",
            postgresql_where=text("unit IS NOT NULL"),
            sqlite_where=text("unit IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    characteristic_id: Mapped[int] = mapped_column(Integer)
    site_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source_ts: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ingest_ts: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    source_id: Mapped[str] = mapped_column(String(120))
    seq: Mapped[int] = mapped_column(BigInteger)
    lot: Mapped[str | None] = mapped_column(String(80))
    unit: Mapped[str | None] = mapped_column(String(80))
    station_id: Mapped[int | None] = mapped_column(Integer)
    subgroup: Mapped[str | None] = mapped_column(String(80))
    gauge_id: Mapped[int | None] = mapped_column(Integer)
