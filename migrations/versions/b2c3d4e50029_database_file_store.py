"""The database file store (issue 17): encrypted files as a header row and chunk rows, so app
hosts need no shared disk

Revision ID: b2c3d4e50029
Revises: a1b2c3d40028
Create Date: 2026-12-03 18:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2c3d4e50029'
down_revision = 'a1b2c3d40028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'file_blobs',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('header', sa.LargeBinary(), nullable=False),
        sa.Column('chunk_count', sa.Integer(), nullable=False),
        sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_file_blobs')),
    )
    op.create_table(
        'file_chunks',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('index', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['key'], ['file_blobs.key'],
                                name=op.f('fk_file_chunks_key_file_blobs'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', 'index', name=op.f('pk_file_chunks')),
    )


def downgrade():
    op.drop_table('file_chunks')
    op.drop_table('file_blobs')
