"""Documents: current-version reference for search (issue 17)

Revision ID: d4e5f6a70026
Revises: c3d4e5f60025
Create Date: 2026-12-02 19:25:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'd4e5f6a70026'
down_revision = 'c3d4e5f60025'
branch_labels = None
depends_on = None


def upgrade():
    pass  # PLACEHOLDER: filled by its owner


def downgrade():
    pass  # PLACEHOLDER: filled by its owner
