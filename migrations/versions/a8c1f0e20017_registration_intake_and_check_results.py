"""Registration intake and stored check results (issue 13)

The contact person's intake: a woman applies in person, her dossier is found or created, an ID
document is seen and a reason recorded. Every client that already has a registration gets an
intake made from her first request, so the contact person keeps what she could see before.
The results of the nightly storage and audit-chain checks are kept for Vandaag.

Revision ID: a8c1f0e20017
Revises: f7c2e34a0016
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c1f0e20017'
down_revision = 'f7c2e34a0016'
branch_labels = None
depends_on = None


BACKFILL_REASON = "Aanvraag van vóór de intakestap"


def upgrade():
    op.create_table(
        'registration_intakes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('applied_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('id_check_document', sa.String(length=60), nullable=False),
        sa.Column('id_check_date', sa.Date(), nullable=False),
        sa.Column('created_dossier', sa.Boolean(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('registration_id'),
    )
    op.create_index('ix_registration_intakes_client_id', 'registration_intakes', ['client_id'])
    op.execute(sa.text(
        "INSERT INTO registration_intakes (client_id, applied_on, reason, id_check_document, "
        "id_check_date, created_dossier, registration_id, recorded_by_id, recorded_at) "
        "SELECT r.client_id, r.requested_on, :reason, "
        "COALESCE(r.id_check_document, 'niet vastgelegd'), "
        "COALESCE(r.id_check_date, r.requested_on), false, r.id, r.id_check_by_id, r.created_at "
        "FROM registrations r WHERE r.id = (SELECT MIN(f.id) FROM registrations f "
        "WHERE f.client_id = r.client_id)").bindparams(reason=BACKFILL_REASON))
    op.create_table(
        'check_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('checked', sa.Integer(), nullable=False),
        sa.Column('problems', sa.Integer(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_check_runs_kind', 'check_runs', ['kind'])


def downgrade():
    op.drop_index('ix_check_runs_kind', table_name='check_runs')
    op.drop_table('check_runs')
    op.drop_index('ix_registration_intakes_client_id', table_name='registration_intakes')
    op.drop_table('registration_intakes')
