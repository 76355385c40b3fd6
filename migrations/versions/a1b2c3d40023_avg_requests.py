"""AVG requests register (issue 14)

Revision ID: a1b2c3d40023
Revises: f3b6e5d70022
Create Date: 2026-12-02 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40023'
down_revision = 'f3b6e5d70022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('avg_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('client_number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('received_via', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('extended_until', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('casemanager_id', sa.Integer(), nullable=True),
    sa.Column('casemanager_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
    sa.ForeignKeyConstraint(['casemanager_id'], ['users.id']),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('avg_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_avg_requests_client_id'), ['client_id'])
        batch_op.create_index(batch_op.f('ix_avg_requests_client_number'), ['client_number'])
        batch_op.create_index(batch_op.f('ix_avg_requests_deadline'), ['deadline'])
        batch_op.create_index(batch_op.f('ix_avg_requests_status'), ['status'])


def downgrade():
    op.drop_table('avg_requests')
