"""inspection: control-plan lines, inspection lots and results, ISO 2859-1 switching state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:55:11.618103
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_switching",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_switching")),
        sa.UniqueConstraint(
            "supplier_id", "item_id", name=op.f("uq_inspection_switching_supplier_id_item_id")
        ),
    )
    op.create_table(
        "inspection_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_number", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("supplier_lot", sa.String(length=80), nullable=True),
        sa.Column("work_order", sa.String(length=80), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("aql", sa.Float(), nullable=True),
        sa.Column("inspection_level", sa.String(length=4), nullable=False),
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("sampling", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("recommendation", sa.String(length=16), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plant_item.id"], name=op.f("fk_inspection_lot_item_id_plant_item")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["plant_node.id"], name=op.f("fk_inspection_lot_node_id_plant_node")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["plant_supplier.id"],
            name=op.f("fk_inspection_lot_supplier_id_plant_supplier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_lot")),
    )
    with op.batch_alter_table("inspection_lot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_lot_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspection_lot_lot_number"), ["lot_number"], unique=False
        )
        batch_op.create_index("ix_inspection_lot_site_status", ["site_id", "status"], unique=False)

    op.create_table(
        "inspection_control_plan_line",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("operation_node_id", sa.Integer(), nullable=True),
        sa.Column("operation", sa.String(length=40), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=120), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=True),
        sa.Column("gauge_type", sa.String(length=60), nullable=True),
        sa.Column("gauge_id", sa.Integer(), nullable=True),
        sa.Column("aql", sa.Float(), nullable=True),
        sa.Column("inspection_level", sa.String(length=4), nullable=False),
        sa.Column("reaction_plan", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["plant_characteristic.id"],
            name=op.f("fk_inspection_control_plan_line_characteristic_id_plant_characteristic"),
        ),
        sa.ForeignKeyConstraint(
            ["gauge_id"],
            ["plant_gauge.id"],
            name=op.f("fk_inspection_control_plan_line_gauge_id_plant_gauge"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plant_item.id"],
            name=op.f("fk_inspection_control_plan_line_item_id_plant_item"),
        ),
        sa.ForeignKeyConstraint(
            ["operation_node_id"],
            ["plant_node.id"],
            name=op.f("fk_inspection_control_plan_line_operation_node_id_plant_node"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["plant_node.id"],
            name=op.f("fk_inspection_control_plan_line_site_id_plant_node"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_control_plan_line")),
        sa.UniqueConstraint(
            "site_id", "code", name=op.f("uq_inspection_control_plan_line_site_id_code")
        ),
    )
    with op.batch_alter_table("inspection_control_plan_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_control_plan_line_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspection_control_plan_line_site_id"), ["site_id"], unique=False
        )

    op.create_table(
        "inspection_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("sample_index", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=80), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("defects", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("gauge_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["inspection_lot.id"],
            name=op.f("fk_inspection_result_lot_id_inspection_lot"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_result")),
        sa.UniqueConstraint(
            "lot_id",
            "characteristic_id",
            "sample_index",
            name=op.f("uq_inspection_result_lot_id_characteristic_id_sample_index"),
        ),
    )
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_result_lot_id"), ["lot_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_result_lot_id"))

    op.drop_table("inspection_result")
    with op.batch_alter_table("inspection_control_plan_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_control_plan_line_site_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_control_plan_line_item_id"))

    op.drop_table("inspection_control_plan_line")
    with op.batch_alter_table("inspection_lot", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_lot_site_status")
        batch_op.drop_index(batch_op.f("ix_inspection_lot_lot_number"))
        batch_op.drop_index(batch_op.f("ix_inspection_lot_item_id"))

    op.drop_table("inspection_lot")
    op.drop_table("inspection_switching")
