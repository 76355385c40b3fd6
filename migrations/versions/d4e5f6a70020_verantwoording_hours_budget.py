"""Verantwoording: hours, targets, budget, stand van zaken (issue 15)

Revision ID: d4e5f6a70020
Revises: c3d4e5f60019
Create Date: 2026-12-02 11:10:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'd4e5f6a70020'
down_revision = 'c3d4e5f60019'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
