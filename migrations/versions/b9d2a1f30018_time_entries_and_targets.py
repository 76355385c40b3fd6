"""Hours and targets (issue 15)

Time entries with their change history (nothing is ever removed: a deleted entry keeps who,
when and why), the activity kinds as data (seeded here; the beheerder adds and deactivates
kinds) and the targets per organisation and period.

Revision ID: b9d2a1f30018
Revises: a8c1f0e20017
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9d2a1f30018'
down_revision = 'a8c1f0e20017'
branch_labels = None
depends_on = None


DEFAULT_KINDS = (  # (name, scope): scope says whether a kind is for client time, team time or both
    ('Face-to-face contact', 'client'),
    ('Outreach op de zone', 'beide'),
    ('Telefonisch / digitaal contact', 'client'),
    ('Overleg over de cliënt', 'client'),
    ('Administratie', 'beide'),
    ('Reistijd', 'beide'),
    ('Teamoverleg', 'team'),
    ('Scholing', 'team'),
)


def upgrade():
    op.create_table('hour_activity_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_activity_kinds')),
    sa.UniqueConstraint('name', name=op.f('uq_hour_activity_kinds_name'))
    )
    op.create_table('time_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.String(length=20), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('delete_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('minutes > 0 AND minutes <= 1440', name=op.f('ck_time_entries_minutes_range')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_time_entries_client_id_clients')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_time_entries_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['kind_id'], ['hour_activity_kinds.id'], name=op.f('fk_time_entries_kind_id_hour_activity_kinds')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_time_entries_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_time_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries')),
    sa.UniqueConstraint('ref', name=op.f('uq_time_entries_ref'))
    )
    with op.batch_alter_table('time_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entries_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entries_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entries_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entries_work_date'), ['work_date'], unique=False)
    op.create_table('time_entry_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_time_entry_changes_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['time_entries.id'], name=op.f('fk_time_entry_changes_entry_id_time_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entry_changes'))
    )
    with op.batch_alter_table('time_entry_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entry_changes_entry_id'), ['entry_id'], unique=False)
    op.create_table('hour_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('weekly_hours', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('hours_per_client', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weekly_hours >= 0', name=op.f('ck_hour_targets_weekly_hours_positive')),
    sa.CheckConstraint('hours_per_client >= 0', name=op.f('ck_hour_targets_hours_per_client_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_hour_targets_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_hour_targets_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_targets'))
    )
    with op.batch_alter_table('hour_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hour_targets_organisation_id'), ['organisation_id'], unique=False)
    kinds = sa.table('hour_activity_kinds', sa.column('name', sa.String),
                     sa.column('scope', sa.String), sa.column('position', sa.Integer),
                     sa.column('active', sa.Boolean))
    op.bulk_insert(kinds, [{'name': name, 'scope': scope, 'position': position, 'active': True}
                           for position, (name, scope) in enumerate(DEFAULT_KINDS, 1)])


def downgrade():
    op.drop_table('hour_targets')
    op.drop_table('time_entry_changes')
    op.drop_table('time_entries')
    op.drop_table('hour_activity_kinds')
