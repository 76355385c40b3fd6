"""Stand van zaken: read grants and Woo settings (issue 15)

Revision ID: e2a5d4c60021
Revises: d1f4c3b50020
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a5d4c60021'
down_revision = 'd1f4c3b50020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_grants_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_report_grants_granted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_grants')),
    sa.UniqueConstraint('user_id', name=op.f('uq_report_grants_user_id'))
    )


def downgrade():
    op.drop_table('report_grants')
