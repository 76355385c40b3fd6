"""letter house style (issue 12)

Revision ID: d5a0c12e0012
Revises: c41d7e2a9b10
Create Date: 2026-12-02 06:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'd5a0c12e0012'
down_revision = 'c41d7e2a9b10'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
