"""Letters: attachment library, template languages, proposed field lists (issue 12)

Revision ID: b2c3d4e50018
Revises: a1b2c3d40017
Create Date: 2026-12-02 11:10:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'b2c3d4e50018'
down_revision = 'a1b2c3d40017'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
