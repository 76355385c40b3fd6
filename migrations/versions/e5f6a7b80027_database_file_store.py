"""File store in the database (issue 17)

Revision ID: e5f6a7b80027
Revises: d4e5f6a70026
Create Date: 2026-12-02 19:25:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'e5f6a7b80027'
down_revision = 'd4e5f6a70026'
branch_labels = None
depends_on = None


def upgrade():
    pass  # PLACEHOLDER: filled by its owner


def downgrade():
    pass  # PLACEHOLDER: filled by its owner
