"""measurement: the subgroup index covers only readings that belong to a subgroup

Individual readings (no subgroup key) are the bulk of streaming data; a partial index spares
their inserts one B-tree and serves every subgroup lookup (which always names the key).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 06:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WHERE = sa.text("subgroup IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_measurement_char_subgroup", table_name="measurement")
    op.create_index(
        "ix_measurement_char_subgroup",
        "measurement",
        ["characteristic_id", "subgroup"],
        postgresql_where=WHERE,
        sqlite_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_measurement_char_subgroup", table_name="measurement")
    op.create_index("ix_measurement_char_subgroup", "measurement", ["characteristic_id", "subgroup"])
