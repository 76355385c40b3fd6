"""Vandaag counts at 10,000 clients (issue 17): indexes for a client's journaal by date and
for released reports by kind and moment; the menu count kept on the session

Revision ID: a1b2c3d40028
Revises: a1b2c3d40026
Create Date: 2026-12-03 14:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a1b2c3d40028'
down_revision = 'a1b2c3d40026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_journal_entries_client_id_entry_date', 'journal_entries',
                    ['client_id', 'entry_date'])
    op.drop_index('ix_journal_entries_client_id', table_name='journal_entries')
    op.create_index('ix_documents_kind_released_at', 'documents', ['kind', 'released_at'])
    op.drop_index('ix_documents_kind', table_name='documents')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attention_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attention_counted_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('attention_counted_at')
        batch_op.drop_column('attention_count')
    op.create_index('ix_journal_entries_client_id', 'journal_entries', ['client_id'])
    op.drop_index('ix_journal_entries_client_id_entry_date', table_name='journal_entries')
    op.create_index('ix_documents_kind', 'documents', ['kind'])
    op.drop_index('ix_documents_kind_released_at', table_name='documents')
