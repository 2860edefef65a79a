"""spc: the note given when an alarm is acknowledged; inspection: cleared results

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spc_alarm", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ack_note", sa.Text(), nullable=True))
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cleared", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.drop_column("cleared")
    with op.batch_alter_table("spc_alarm", schema=None) as batch_op:
        batch_op.drop_column("ack_note")
