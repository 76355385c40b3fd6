"""Attention: registration intake by the registration contact person (issue 13)

Revision ID: a1b2c3d40017
Revises: f7c2e34a0016
Create Date: 2026-12-02 11:10:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40017'
down_revision = 'f7c2e34a0016'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
