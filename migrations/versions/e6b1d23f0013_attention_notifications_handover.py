"""attention, notifications and handover (issue 13)

Revision ID: e6b1d23f0013
Revises: d5a0c12e0012
Create Date: 2026-12-02 06:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'e6b1d23f0013'
down_revision = 'd5a0c12e0012'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
