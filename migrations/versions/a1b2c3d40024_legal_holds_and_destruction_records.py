"""Legal holds and destruction records (issue 14, erasure)

Revision ID: a1b2c3d40024
Revises: a1b2c3d40023
Create Date: 2026-12-03 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40024'
down_revision = 'a1b2c3d40023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('placed_by_id', sa.Integer(), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placed_by_id'], ['users.id']),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_legal_holds_client_id', 'legal_holds', ['client_id'])
    op.create_table('destruction_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.String(length=20), nullable=False),
    sa.Column('client_number', sa.String(length=20), nullable=True),
    sa.Column('avg_request_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('file_hashes', sa.JSON(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('destroyed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['avg_request_id'], ['avg_requests.id']),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_destruction_records_client_number', 'destruction_records',
                    ['client_number'])


def downgrade():
    op.drop_index('ix_destruction_records_client_number', table_name='destruction_records')
    op.drop_table('destruction_records')
    op.drop_index('ix_legal_holds_client_id', table_name='legal_holds')
    op.drop_table('legal_holds')
