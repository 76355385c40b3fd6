"""The menu's unread notifications kept on the session with the Vandaag count (issue 17):
both are counted in one statement and kept for a short while

Revision ID: d4e5f6a70031
Revises: c3d4e5f60030
Create Date: 2026-12-04 01:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e5f6a70031'
down_revision = 'c3d4e5f60030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unread_count', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('unread_count')
