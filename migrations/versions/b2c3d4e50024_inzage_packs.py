"""Inzage packs (issue 14)

Revision ID: b2c3d4e50024
Revises: a1b2c3d40023
Create Date: 2026-12-02 19:25:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'b2c3d4e50024'
down_revision = 'a1b2c3d40023'
branch_labels = None
depends_on = None


def upgrade():
    pass  # PLACEHOLDER: filled by its owner


def downgrade():
    pass  # PLACEHOLDER: filled by its owner
