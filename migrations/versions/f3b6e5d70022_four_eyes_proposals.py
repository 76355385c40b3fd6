"""Four eyes on powers that open dossiers: proposals and enrolment links (issue 14)

Revision ID: f3b6e5d70022
Revises: e2a5d4c60021
Create Date: 2026-12-02 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b6e5d70022'
down_revision = 'e2a5d4c60021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('power_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.JSON(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_power_proposals_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_power_proposals_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_power_proposals_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_proposals'))
    )
    with op.batch_alter_table('power_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_power_proposals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_power_proposals_user_id'), ['user_id'], unique=False)

    op.create_table('enrolment_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enrolment_links_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_enrolment_links_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_enrolment_links_token_hash'))
    )
    with op.batch_alter_table('enrolment_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_links_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolment_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_links_user_id'))
    op.drop_table('enrolment_links')
    with op.batch_alter_table('power_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_power_proposals_user_id'))
        batch_op.drop_index(batch_op.f('ix_power_proposals_status'))
    op.drop_table('power_proposals')
