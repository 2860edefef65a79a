"""traceability: EPCIS event store, query index, lineage graph, holds and recalls; item GTIN

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 07:50:00.365373
"""

from alembic import op
import sqlalchemy as sa

import qualitas.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trace_capture',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('received_at', qualitas.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('context', sa.JSON(), nullable=True),
    sa.Column('header', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_capture'))
    )
    op.create_table('trace_edge',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('src', sa.BigInteger(), nullable=False),
    sa.Column('dst', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.SmallInteger(), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('until_ms', sa.BigInteger(), nullable=True),
    sa.Column('event_pk', sa.BigInteger(), nullable=False),
    sa.Column('src_qty', sa.Float(), nullable=True),
    sa.Column('dst_qty', sa.Float(), nullable=True),
    sa.Column('uom', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_edge'))
    )
    with op.batch_alter_table('trace_edge', schema=None) as batch_op:
        batch_op.create_index('ix_trace_edge_dst', ['dst', 'at_ms'], unique=False)
        batch_op.create_index('ix_trace_edge_src', ['src', 'at_ms'], unique=False)

    op.create_table('trace_event_attr',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_pk', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=300), nullable=True),
    sa.Column('value', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_event_attr'))
    )
    with op.batch_alter_table('trace_event_attr', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trace_event_attr_event_pk'), ['event_pk'], unique=False)
        batch_op.create_index('ix_trace_event_attr_value', ['kind', 'value'], unique=False)

    op.create_table('trace_event_object',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_pk', sa.BigInteger(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('is_class', sa.Boolean(), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=True),
    sa.Column('uom', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_event_object'))
    )
    with op.batch_alter_table('trace_event_object', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trace_event_object_event_pk'), ['event_pk'], unique=False)
        batch_op.create_index('ix_trace_event_object_key', ['key', 'role'], unique=False)

    op.create_table('trace_node',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('product', sa.String(length=120), nullable=True),
    sa.Column('lot', sa.String(length=120), nullable=True),
    sa.Column('serial', sa.String(length=120), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('hold', sa.String(length=40), nullable=True),
    sa.Column('first_ms', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_node')),
    sa.UniqueConstraint('key', name=op.f('uq_trace_node_key'))
    )
    with op.batch_alter_table('trace_node', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trace_node_label'), ['label'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_node_lot'), ['lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_node_product'), ['product'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_node_serial'), ['serial'], unique=False)

    op.create_table('trace_recall',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('drill', sa.Boolean(), nullable=False),
    sa.Column('suspect', sa.JSON(), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=True),
    sa.Column('answer_ms', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', qualitas.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('scoped_at', qualitas.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', qualitas.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_recall')),
    sa.UniqueConstraint('code', name=op.f('uq_trace_recall_code'))
    )
    op.create_table('trace_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('hash_id', sa.String(length=120), nullable=False),
    sa.Column('declaration', sa.Boolean(), nullable=False),
    sa.Column('event_id', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=24), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=True),
    sa.Column('event_time', qualitas.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tz_offset', sa.String(length=6), nullable=False),
    sa.Column('record_time', qualitas.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('biz_step', sa.String(length=300), nullable=True),
    sa.Column('disposition', sa.String(length=300), nullable=True),
    sa.Column('read_point', sa.String(length=300), nullable=True),
    sa.Column('biz_location', sa.String(length=300), nullable=True),
    sa.Column('transformation_id', sa.String(length=300), nullable=True),
    sa.Column('declared_erroneous_at', qualitas.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('origin', sa.String(length=8), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('capture_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['capture_id'], ['trace_capture.id'], name=op.f('fk_trace_event_capture_id_trace_capture')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_event')),
    sa.UniqueConstraint('hash_id', 'declaration', name=op.f('uq_trace_event_hash_id_declaration'))
    )
    with op.batch_alter_table('trace_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trace_event_biz_location'), ['biz_location'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_biz_step'), ['biz_step'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_disposition'), ['disposition'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_read_point'), ['read_point'], unique=False)
        batch_op.create_index('ix_trace_event_record_time', ['record_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_site_id'), ['site_id'], unique=False)
        batch_op.create_index('ix_trace_event_time', ['event_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_event_transformation_id'), ['transformation_id'], unique=False)

    op.create_table('trace_hold',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('node_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recall_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('disposition', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('placed_by', sa.String(length=64), nullable=False),
    sa.Column('placed_at', qualitas.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event_pk', sa.BigInteger(), nullable=True),
    sa.Column('released_by', sa.String(length=64), nullable=True),
    sa.Column('released_at', qualitas.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['node_id'], ['trace_node.id'], name=op.f('fk_trace_hold_node_id_trace_node')),
    sa.ForeignKeyConstraint(['recall_id'], ['trace_recall.id'], name=op.f('fk_trace_hold_recall_id_trace_recall')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_hold'))
    )
    with op.batch_alter_table('trace_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trace_hold_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trace_hold_recall_id'), ['recall_id'], unique=False)

    for column in ("lot", "unit"):
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_measurement_{column}", "measurement", [column],
                        postgresql_where=where, sqlite_where=where)
    with op.batch_alter_table('plant_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gtin', sa.String(length=14), nullable=True))
        batch_op.create_index(batch_op.f('ix_plant_item_gtin'), ['gtin'], unique=False)



def downgrade() -> None:
    for column in ("lot", "unit"):
        op.drop_index(f"ix_measurement_{column}", table_name="measurement")
    with op.batch_alter_table('plant_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plant_item_gtin'))
        batch_op.drop_column('gtin')

    with op.batch_alter_table('trace_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trace_hold_recall_id'))
        batch_op.drop_index(batch_op.f('ix_trace_hold_node_id'))

    op.drop_table('trace_hold')
    with op.batch_alter_table('trace_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trace_event_transformation_id'))
        batch_op.drop_index('ix_trace_event_time')
        batch_op.drop_index(batch_op.f('ix_trace_event_site_id'))
        batch_op.drop_index('ix_trace_event_record_time')
        batch_op.drop_index(batch_op.f('ix_trace_event_read_point'))
        batch_op.drop_index(batch_op.f('ix_trace_event_event_id'))
        batch_op.drop_index(batch_op.f('ix_trace_event_disposition'))
        batch_op.drop_index(batch_op.f('ix_trace_event_biz_step'))
        batch_op.drop_index(batch_op.f('ix_trace_event_biz_location'))

    op.drop_table('trace_event')
    op.drop_table('trace_recall')
    with op.batch_alter_table('trace_node', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trace_node_serial'))
        batch_op.drop_index(batch_op.f('ix_trace_node_product'))
        batch_op.drop_index(batch_op.f('ix_trace_node_lot'))
        batch_op.drop_index(batch_op.f('ix_trace_node_label'))

    op.drop_table('trace_node')
    with op.batch_alter_table('trace_event_object', schema=None) as batch_op:
        batch_op.drop_index('ix_trace_event_object_key')
        batch_op.drop_index(batch_op.f('ix_trace_event_object_event_pk'))

    op.drop_table('trace_event_object')
    with op.batch_alter_table('trace_event_attr', schema=None) as batch_op:
        batch_op.drop_index('ix_trace_event_attr_value')
        batch_op.drop_index(batch_op.f('ix_trace_event_attr_event_pk'))

    op.drop_table('trace_event_attr')
    with op.batch_alter_table('trace_edge', schema=None) as batch_op:
        batch_op.drop_index('ix_trace_edge_src')
        batch_op.drop_index('ix_trace_edge_dst')

    op.drop_table('trace_edge')
    op.drop_table('trace_capture')
