"""Plan van aanpak as a client letter (issue 16)

Revision ID: c3d4e5f60019
Revises: b2c3d4e50018
Create Date: 2026-12-02 11:10:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c3d4e5f60019'
down_revision = 'b2c3d4e50018'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
