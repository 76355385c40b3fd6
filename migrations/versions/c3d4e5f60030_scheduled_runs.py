"""Scheduled jobs run once across hosts (issue 17): each job's moment is claimed in the
database before it runs

Revision ID: c3d4e5f60030
Revises: b2c3d4e50029
Create Date: 2026-12-03 18:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d4e5f60030'
down_revision = 'b2c3d4e50029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduled_runs',
        sa.Column('job', sa.String(length=120), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('job', 'due_at', name=op.f('pk_scheduled_runs')),
    )


def downgrade():
    op.drop_table('scheduled_runs')
