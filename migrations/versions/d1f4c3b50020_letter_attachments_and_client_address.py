"""Letter attachments, client address and aanhef (issue 12)

Revision ID: d1f4c3b50020
Revises: c0e3b2a40019
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1f4c3b50020'
down_revision = 'c0e3b2a40019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letter_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('filename', sa.String(length=160), nullable=False),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'],
                                name=op.f('fk_letter_attachments_uploaded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_attachments')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_letter_attachments_storage_key')),
    )
    op.create_table(
        'letter_attachment_links',
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['letter_id'], ['letters.id'],
                                name=op.f('fk_letter_attachment_links_letter_id_letters'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['attachment_id'], ['letter_attachments.id'],
            name=op.f('fk_letter_attachment_links_attachment_id_letter_attachments')),
        sa.PrimaryKeyConstraint('letter_id', 'attachment_id',
                                name=op.f('pk_letter_attachment_links')),
    )
    with op.batch_alter_table('letter_attachment_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_attachment_links_attachment_id'),
                              ['attachment_id'], unique=False)
    op.create_table(
        'letter_template_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('session_hash', sa.String(length=64), nullable=False),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template_uploads')),
        sa.UniqueConstraint('token', name=op.f('uq_letter_template_uploads_token')),
        sa.UniqueConstraint('storage_key',
                            name=op.f('uq_letter_template_uploads_storage_key')),
    )
    with op.batch_alter_table('letter_template_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_template_uploads_session_hash'),
                              ['session_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_template_uploads_created_at'),
                              ['created_at'], unique=False)
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('builtin_version', sa.Integer(), nullable=True))
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letters_to', sa.String(length=10), nullable=False,
                                      server_default='team'))
        batch_op.add_column(sa.Column('postal_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('salutation', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('salutation')
        batch_op.drop_column('postal_address')
        batch_op.drop_column('letters_to')
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.drop_column('builtin_version')
    with op.batch_alter_table('letter_template_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_template_uploads_created_at'))
        batch_op.drop_index(batch_op.f('ix_letter_template_uploads_session_hash'))
    op.drop_table('letter_template_uploads')
    with op.batch_alter_table('letter_attachment_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_attachment_links_attachment_id'))
    op.drop_table('letter_attachment_links')
    op.drop_table('letter_attachments')
