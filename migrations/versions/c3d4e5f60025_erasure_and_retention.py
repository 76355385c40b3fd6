"""Erasure, destruction lists, legal holds, audit checkpoints (issue 14)

Revision ID: c3d4e5f60025
Revises: b2c3d4e50024
Create Date: 2026-12-02 19:25:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c3d4e5f60025'
down_revision = 'b2c3d4e50024'
branch_labels = None
depends_on = None


def upgrade():
    pass  # PLACEHOLDER: filled by its owner


def downgrade():
    pass  # PLACEHOLDER: filled by its owner
