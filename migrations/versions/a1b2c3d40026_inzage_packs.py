"""Inzage packs with their passages and documents (issue 14)

Revision ID: a1b2c3d40026
Revises: a1b2c3d40025
Create Date: 2026-12-03 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40026'
down_revision = 'a1b2c3d40025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inzage_packs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('avg_request_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('storage_key', sa.String(length=64), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['avg_request_id'], ['avg_requests.id']),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('storage_key')
    )
    op.create_index('ix_inzage_packs_avg_request_id', 'inzage_packs', ['avg_request_id'])
    op.create_index('ix_inzage_packs_client_id', 'inzage_packs', ['client_id'])
    op.create_table('inzage_passages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('redact', sa.Boolean(), nullable=False),
    sa.Column('concerns', sa.String(length=400), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['inzage_packs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_inzage_passages_pack_id', 'inzage_passages', ['pack_id'])
    op.create_table('inzage_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('include', sa.Boolean(), nullable=False),
    sa.Column('needs_author', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_answer', sa.String(length=20), nullable=True),
    sa.Column('author_note', sa.Text(), nullable=True),
    sa.Column('author_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pack_id'], ['inzage_packs.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_inzage_documents_pack_id', 'inzage_documents', ['pack_id'])
    op.create_index('ix_inzage_documents_document_id', 'inzage_documents', ['document_id'])


def downgrade():
    op.drop_table('inzage_documents')
    op.drop_table('inzage_passages')
    op.drop_table('inzage_packs')
