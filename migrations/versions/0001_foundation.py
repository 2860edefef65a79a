"""foundation: users and grants, sessions, tokens, audit trail, outbox, plant master data

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:59:35.088625
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_site_id"), ["site_id"], unique=False)
        batch_op.create_index("ix_audit_entry_ts", ["ts"], unique=False)

    op.create_table(
        "auth_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mfa_secret", sa.String(length=64), nullable=True),
        sa.Column("mfa_pending_secret", sa.String(length=64), nullable=True),
        sa.Column("mfa_enabled", sa.Boolean(), nullable=False),
        sa.Column("mfa_last_step", sa.Integer(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_user")),
        sa.UniqueConstraint("username", name=op.f("uq_auth_user_username")),
    )
    op.create_table(
        "event_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_outbox")),
    )
    with op.batch_alter_table("event_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_outbox_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_outbox_topic"), ["topic"], unique=False)

    op.create_table(
        "plant_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["plant_node.id"], name=op.f("fk_plant_node_parent_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_node")),
        sa.UniqueConstraint("parent_id", "code", name=op.f("uq_plant_node_parent_id_code")),
    )
    with op.batch_alter_table("plant_node", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_node_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plant_node_site_id"), ["site_id"], unique=False)

    op.create_table(
        "auth_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_api_token_user_id_auth_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_api_token_token_hash")),
    )
    with op.batch_alter_table("auth_api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "auth_password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_password_history_user_id_auth_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_password_history")),
    )
    with op.batch_alter_table("auth_password_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_password_history_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "auth_role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_auth_role_grant_site_id_plant_node")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_role_grant_user_id_auth_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_role_grant")),
    )
    with op.batch_alter_table("auth_role_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_role_grant_user_id"), ["user_id"], unique=False)

    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_session_user_id_auth_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_delivery",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subscriber", sa.String(length=120), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event_outbox.id"], name=op.f("fk_event_delivery_event_id_event_outbox")
        ),
        sa.PrimaryKeyConstraint("event_id", "subscriber", name=op.f("pk_event_delivery")),
    )
    op.create_table(
        "plant_customer",
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_customer_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_customer")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_customer_site_id_code")),
    )
    with op.batch_alter_table("plant_customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_customer_site_id"), ["site_id"], unique=False)

    op.create_table(
        "plant_equipment",
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("manufacturer", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("serial_no", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"], ["plant_node.id"], name=op.f("fk_plant_equipment_node_id_plant_node")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_equipment_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_equipment")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_equipment_site_id_code")),
    )
    with op.batch_alter_table("plant_equipment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_equipment_site_id"), ["site_id"], unique=False)

    op.create_table(
        "plant_gauge",
        sa.Column("gauge_type", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("range_min", sa.Float(), nullable=True),
        sa.Column("range_max", sa.Float(), nullable=True),
        sa.Column("resolution", sa.Float(), nullable=True),
        sa.Column("calibration_interval_days", sa.Integer(), nullable=False),
        sa.Column("last_calibrated_on", sa.Date(), nullable=True),
        sa.Column("calibration_due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_gauge_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_gauge")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_gauge_site_id_code")),
    )
    with op.batch_alter_table("plant_gauge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_gauge_site_id"), ["site_id"], unique=False)

    op.create_table(
        "plant_item",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_revision", sa.String(length=20), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_item_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_item")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_item_site_id_code")),
    )
    with op.batch_alter_table("plant_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_item_site_id"), ["site_id"], unique=False)

    op.create_table(
        "plant_supplier",
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_supplier_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_supplier")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_supplier_site_id_code")),
    )
    with op.batch_alter_table("plant_supplier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plant_supplier_site_id"), ["site_id"], unique=False)

    op.create_table(
        "plant_characteristic",
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("operation_node_id", sa.Integer(), nullable=True),
        sa.Column("operation", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("nominal", sa.Float(), nullable=True),
        sa.Column("lsl", sa.Float(), nullable=True),
        sa.Column("usl", sa.Float(), nullable=True),
        sa.Column("special_class", sa.String(length=8), nullable=False),
        sa.Column("gauge_type", sa.String(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plant_item.id"], name=op.f("fk_plant_characteristic_item_id_plant_item")
        ),
        sa.ForeignKeyConstraint(
            ["operation_node_id"],
            ["plant_node.id"],
            name=op.f("fk_plant_characteristic_operation_node_id_plant_node"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["plant_node.id"], name=op.f("fk_plant_characteristic_site_id_plant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_characteristic")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_plant_characteristic_site_id_code")),
    )
    with op.batch_alter_table("plant_characteristic", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plant_characteristic_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plant_characteristic_site_id"), ["site_id"], unique=False
        )

    op.create_table(
        "plant_item_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["plant_item.id"], name=op.f("fk_plant_item_revision_item_id_plant_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_item_revision")),
        sa.UniqueConstraint(
            "item_id", "revision", name=op.f("uq_plant_item_revision_item_id_revision")
        ),
    )
    with op.batch_alter_table("plant_item_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plant_item_revision_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "plant_bom_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_revision_id", sa.Integer(), nullable=False),
        sa.Column("component_item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["component_item_id"],
            ["plant_item.id"],
            name=op.f("fk_plant_bom_line_component_item_id_plant_item"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_revision_id"],
            ["plant_item_revision.id"],
            name=op.f("fk_plant_bom_line_parent_revision_id_plant_item_revision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_bom_line")),
        sa.UniqueConstraint(
            "parent_revision_id",
            "component_item_id",
            name=op.f("uq_plant_bom_line_parent_revision_id_component_item_id"),
        ),
    )
    with op.batch_alter_table("plant_bom_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plant_bom_line_component_item_id"), ["component_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plant_bom_line_parent_revision_id"), ["parent_revision_id"], unique=False
        )
    _append_only_triggers()


def _append_only_triggers() -> None:
    """UPDATE and DELETE on audit_entry are rejected by the database itself."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{trigger} BEFORE {trigger.upper()} ON audit_entry "
                "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION qualitas_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION qualitas_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION qualitas_append_only()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS qualitas_append_only()")
    with op.batch_alter_table("plant_bom_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_bom_line_parent_revision_id"))
        batch_op.drop_index(batch_op.f("ix_plant_bom_line_component_item_id"))

    op.drop_table("plant_bom_line")
    with op.batch_alter_table("plant_item_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_item_revision_item_id"))

    op.drop_table("plant_item_revision")
    with op.batch_alter_table("plant_characteristic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_characteristic_site_id"))
        batch_op.drop_index(batch_op.f("ix_plant_characteristic_item_id"))

    op.drop_table("plant_characteristic")
    with op.batch_alter_table("plant_supplier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_supplier_site_id"))

    op.drop_table("plant_supplier")
    with op.batch_alter_table("plant_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_item_site_id"))

    op.drop_table("plant_item")
    with op.batch_alter_table("plant_gauge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_gauge_site_id"))

    op.drop_table("plant_gauge")
    with op.batch_alter_table("plant_equipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_equipment_site_id"))

    op.drop_table("plant_equipment")
    with op.batch_alter_table("plant_customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_customer_site_id"))

    op.drop_table("plant_customer")
    op.drop_table("event_delivery")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_user_id"))

    op.drop_table("auth_session")
    with op.batch_alter_table("auth_role_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_role_grant_user_id"))

    op.drop_table("auth_role_grant")
    with op.batch_alter_table("auth_password_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_password_history_user_id"))

    op.drop_table("auth_password_history")
    with op.batch_alter_table("auth_api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_api_token_user_id"))

    op.drop_table("auth_api_token")
    with op.batch_alter_table("plant_node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plant_node_site_id"))
        batch_op.drop_index(batch_op.f("ix_plant_node_parent_id"))

    op.drop_table("plant_node")
    with op.batch_alter_table("event_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_outbox_topic"))
        batch_op.drop_index(batch_op.f("ix_event_outbox_status"))

    op.drop_table("event_outbox")
    op.drop_table("auth_user")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_ts")
        batch_op.drop_index(batch_op.f("ix_audit_entry_site_id"))
        batch_op.drop_index("ix_audit_entry_entity")

    op.drop_table("audit_entry")
