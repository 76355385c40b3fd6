"""Retention run: destruction lists with their items, and audit checkpoints (issue 14)

Revision ID: a1b2c3d40025
Revises: a1b2c3d40024
Create Date: 2026-12-03 07:00:00

Old audit events may now be destroyed, but only those a checkpoint covers: the append-only
trigger lets a DELETE through for events at or below the newest checkpoint's sequence number
and refuses every other change, as before. Checkpoints themselves are append-only.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40025'
down_revision = 'a1b2c3d40024'
branch_labels = None
depends_on = None

COVERED = "OLD.seq <= COALESCE((SELECT max(seq) FROM audit_checkpoints), 0)"

SQLITE_UP = [
    "DROP TRIGGER audit_events_no_delete",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       WHEN NOT ({COVERED})
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
       BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END""",
    """CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
       BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER audit_checkpoints_no_update",
    "DROP TRIGGER audit_checkpoints_no_delete",
    "DROP TRIGGER audit_events_no_delete",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
POSTGRESQL_UP = [
    f"""CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND {COVERED} THEN RETURN OLD; END IF;
         RAISE EXCEPTION 'audit_events is append-only';
       END; $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_checkpoints is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
       FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()""",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_checkpoints_no_change ON audit_checkpoints",
    "DROP FUNCTION audit_checkpoints_append_only()",
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql""",
]


def upgrade():
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('destroyed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('seq')
    )
    op.create_table('destruction_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('executed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('executed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['executed_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month')
    )
    op.create_table('destruction_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('root_table', sa.String(length=40), nullable=False),
    sa.Column('root_id', sa.Integer(), nullable=False),
    sa.Column('client_number', sa.String(length=20), nullable=True),
    sa.Column('due_since', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('destruction_record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['list_id'], ['destruction_lists.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['destruction_record_id'], ['destruction_records.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_destruction_items_list_id', 'destruction_items', ['list_id'])
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_UP if dialect == "postgresql" else SQLITE_UP:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_DOWN if dialect == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
    op.drop_index('ix_destruction_items_list_id', table_name='destruction_items')
    op.drop_table('destruction_items')
    op.drop_table('destruction_lists')
    op.drop_table('audit_checkpoints')
