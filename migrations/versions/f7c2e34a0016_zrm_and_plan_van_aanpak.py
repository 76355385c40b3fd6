"""ZRM 2017 assessments and plan van aanpak (issue 16)

Revision ID: f7c2e34a0016
Revises: e6b1d23f0013
Create Date: 2026-12-02 06:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'f7c2e34a0016'
down_revision = 'e6b1d23f0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
