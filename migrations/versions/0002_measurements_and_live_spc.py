"""measurements (partitioned by month on PostgreSQL) and live SPC: limit sets, points, alarms

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:44:39.405267
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _partitioned_measurement()
    else:
        op.create_table(
            "measurement",
            sa.Column(
                "id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                autoincrement=True,
                nullable=False,
            ),
            sa.Column("characteristic_id", sa.Integer(), nullable=False),
            sa.Column("site_id", sa.Integer(), nullable=False),
            sa.Column("value", sa.Float(), nullable=False),
            sa.Column("source_ts", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ingest_ts", sa.DateTime(timezone=True), nullable=False),
            sa.Column("source_id", sa.String(length=120), nullable=False),
            sa.Column("seq", sa.BigInteger(), nullable=False),
            sa.Column("lot", sa.String(length=80), nullable=True),
            sa.Column("unit", sa.String(length=80), nullable=True),
            sa.Column("station_id", sa.Integer(), nullable=True),
            sa.Column("subgroup", sa.String(length=80), nullable=True),
            sa.Column("gauge_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
            sa.UniqueConstraint(
                "source_id", "characteristic_id", "seq", "source_ts", name="uq_measurement_source"
            ),
        )
        with op.batch_alter_table("measurement", schema=None) as batch_op:
            batch_op.create_index(
                "ix_measurement_char_subgroup", ["characteristic_id", "subgroup"], unique=False
            )
            batch_op.create_index(
                "ix_measurement_char_ts", ["characteristic_id", "source_ts"], unique=False
            )

    op.create_table(
        "spc_alarm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("limit_set_id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("statistic", sa.Float(), nullable=False),
        sa.Column("reaction_plan", sa.Text(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spc_alarm")),
    )
    with op.batch_alter_table("spc_alarm", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_spc_alarm_characteristic_id"), ["characteristic_id"], unique=False
        )
        batch_op.create_index("ix_spc_alarm_status", ["site_id", "status"], unique=False)

    op.create_table(
        "spc_point",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("limit_set_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statistic", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("subgroup", sa.String(length=80), nullable=True),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spc_point")),
    )
    with op.batch_alter_table("spc_point", schema=None) as batch_op:
        batch_op.create_index("ix_spc_point_char", ["characteristic_id", "id"], unique=False)

    op.create_table(
        "spc_limit_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("chart", sa.String(length=12), nullable=False),
        sa.Column("subgroup_size", sa.Integer(), nullable=False),
        sa.Column("center", sa.Float(), nullable=False),
        sa.Column("std_dev", sa.Float(), nullable=False),
        sa.Column("nsigmas", sa.Float(), nullable=False),
        sa.Column("sigma_method", sa.String(length=12), nullable=True),
        sa.Column("rule_set", sa.String(length=20), nullable=False),
        sa.Column("run_length", sa.Integer(), nullable=False),
        sa.Column("reaction_plan", sa.Text(), nullable=True),
        sa.Column("phase1", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["plant_characteristic.id"],
            name=op.f("fk_spc_limit_set_characteristic_id_plant_characteristic"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spc_limit_set")),
        sa.UniqueConstraint(
            "characteristic_id",
            "revision",
            name=op.f("uq_spc_limit_set_characteristic_id_revision"),
        ),
    )
    with op.batch_alter_table("spc_limit_set", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_spc_limit_set_characteristic_id"), ["characteristic_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_spc_limit_set_site_id"), ["site_id"], unique=False)


PG_MEASUREMENT = """
CREATE TABLE measurement (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY,
    characteristic_id INTEGER NOT NULL,
    site_id INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source_ts TIMESTAMP WITH TIME ZONE NOT NULL,
    ingest_ts TIMESTAMP WITH TIME ZONE NOT NULL,
    source_id VARCHAR(120) NOT NULL,
    seq BIGINT NOT NULL,
    lot VARCHAR(80),
    unit VARCHAR(80),
    station_id INTEGER,
    subgroup VARCHAR(80),
    gauge_id INTEGER,
    CONSTRAINT pk_measurement PRIMARY KEY (id, source_ts),
    CONSTRAINT uq_measurement_source UNIQUE (source_id, characteristic_id, seq, source_ts)
) PARTITION BY RANGE (source_ts)
"""


def _partitioned_measurement() -> None:
    """Monthly range partitions; the ingest service creates each month's partition on demand."""
    op.execute(PG_MEASUREMENT)
    op.execute("CREATE INDEX ix_measurement_char_ts ON measurement (characteristic_id, source_ts)")
    op.execute(
        "CREATE INDEX ix_measurement_char_subgroup ON measurement (characteristic_id, subgroup)"
    )


def downgrade() -> None:
    with op.batch_alter_table("spc_limit_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spc_limit_set_site_id"))
        batch_op.drop_index(batch_op.f("ix_spc_limit_set_characteristic_id"))

    op.drop_table("spc_limit_set")
    with op.batch_alter_table("spc_point", schema=None) as batch_op:
        batch_op.drop_index("ix_spc_point_char")

    op.drop_table("spc_point")
    with op.batch_alter_table("spc_alarm", schema=None) as batch_op:
        batch_op.drop_index("ix_spc_alarm_status")
        batch_op.drop_index(batch_op.f("ix_spc_alarm_characteristic_id"))

    op.drop_table("spc_alarm")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index("ix_measurement_char_ts")
        batch_op.drop_index("ix_measurement_char_subgroup")

    op.drop_table("measurement")
