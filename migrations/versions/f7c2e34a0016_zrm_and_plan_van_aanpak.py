"""ZRM 2017 assessments and plan van aanpak (issue 16)

ZRM versions, domains and levels are data: this revision seeds the ZRM 2017 (13 domains in
the instrument's order, five levels); a later edition is a new version row with its own
domains and levels, and assessments keep the version they were scored with.

Revision ID: f7c2e34a0016
Revises: e6b1d23f0013
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7c2e34a0016'
down_revision = 'e6b1d23f0013'
branch_labels = None
depends_on = None

ZRM_2017_DOMAINS = (
    "Financiën", "Werk & Opleiding", "Tijdsbesteding", "Huisvesting", "Huiselijke relaties",
    "Geestelijke gezondheid", "Lichamelijke gezondheid", "Middelengebruik", "Basale ADL",
    "Instrumentele ADL", "Sociaal netwerk", "Maatschappelijke participatie", "Justitie",
)
ZRM_2017_LEVELS = ("acuut probleem", "niet zelfredzaam", "beperkt zelfredzaam",
                   "voldoende zelfredzaam", "volledig zelfredzaam")


def seed_zrm_2017(bind) -> None:
    """Insert the ZRM 2017 (version 1) with its domains and levels."""
    versions = sa.table('zrm_versions', sa.column('id', sa.Integer), sa.column('code', sa.String),
                        sa.column('name', sa.String), sa.column('current', sa.Boolean))
    domains = sa.table('zrm_domains', sa.column('version_id', sa.Integer),
                       sa.column('position', sa.Integer), sa.column('name', sa.String))
    levels = sa.table('zrm_levels', sa.column('version_id', sa.Integer),
                      sa.column('score', sa.Integer), sa.column('label', sa.String))
    bind.execute(versions.insert().values(id=1, code='ZRM 2017',
                                          name='Zelfredzaamheid-Matrix 2017', current=True))
    bind.execute(domains.insert(), [{'version_id': 1, 'position': position, 'name': name}
                                    for position, name in enumerate(ZRM_2017_DOMAINS, 1)])
    bind.execute(levels.insert(), [{'version_id': 1, 'score': score, 'label': label}
                                   for score, label in enumerate(ZRM_2017_LEVELS, 1)])
    if bind.dialect.name == 'postgresql':  # explicit id: move the sequence past it
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('zrm_versions', 'id'), "
                             "(SELECT max(id) FROM zrm_versions))"))


def upgrade():
    op.create_table('zrm_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zrm_versions')),
    sa.UniqueConstraint('code', name=op.f('uq_zrm_versions_code'))
    )
    op.create_table('zrm_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['zrm_versions.id'], name=op.f('fk_zrm_domains_version_id_zrm_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zrm_domains')),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_zrm_domains_version_id'))
    )
    op.create_table('zrm_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['zrm_versions.id'], name=op.f('fk_zrm_levels_version_id_zrm_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zrm_levels')),
    sa.UniqueConstraint('version_id', 'score', name=op.f('uq_zrm_levels_version_id'))
    )
    op.create_table('zrm_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=16), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('information_on', sa.Date(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=False),
    sa.Column('client_took_part', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_zrm_assessments_assessed_by_id_users')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_zrm_assessments_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['zrm_versions.id'], name=op.f('fk_zrm_assessments_version_id_zrm_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zrm_assessments')),
    sa.UniqueConstraint('ref', name=op.f('uq_zrm_assessments_ref'))
    )
    with op.batch_alter_table('zrm_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zrm_assessments_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_zrm_assessments_assessed_on'), ['assessed_on'], unique=False)

    op.create_table('zrm_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('not_scored_reason', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['zrm_assessments.id'], name=op.f('fk_zrm_scores_assessment_id_zrm_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['domain_id'], ['zrm_domains.id'], name=op.f('fk_zrm_scores_domain_id_zrm_domains')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zrm_scores')),
    sa.UniqueConstraint('assessment_id', 'domain_id', name=op.f('uq_zrm_scores_assessment_id'))
    )
    with op.batch_alter_table('zrm_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zrm_scores_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['users.id'], name=op.f('fk_plan_versions_agreed_by_id_users')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_plan_versions_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_versions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('client_id', 'number', name=op.f('uq_plan_versions_client_id'))
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_client_id'), ['client_id'], unique=False)

    op.create_table('plan_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('own_words', sa.Text(), nullable=False),
    sa.Column('team_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['domain_id'], ['zrm_domains.id'], name=op.f('fk_plan_goals_domain_id_zrm_domains')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_goals_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goals'))
    )
    with op.batch_alter_table('plan_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goals_version_id'), ['version_id'], unique=False)

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('owner_organisation_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['plan_goals.id'], name=op.f('fk_plan_actions_goal_id_plan_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_plan_actions_owner_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_plan_actions_owner_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions'))
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_goal_id'), ['goal_id'], unique=False)

    op.create_table('plan_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['plan_actions.id'], name=op.f('fk_plan_evaluations_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_plan_evaluations_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_evaluations'))
    )
    with op.batch_alter_table('plan_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_evaluations_action_id'), ['action_id'], unique=False)

    seed_zrm_2017(op.get_bind())


def downgrade():
    with op.batch_alter_table('plan_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_evaluations_action_id'))
    op.drop_table('plan_evaluations')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actions_goal_id'))
    op.drop_table('plan_actions')
    with op.batch_alter_table('plan_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goals_version_id'))
    op.drop_table('plan_goals')
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_client_id'))
    op.drop_table('plan_versions')
    with op.batch_alter_table('zrm_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zrm_scores_assessment_id'))
    op.drop_table('zrm_scores')
    with op.batch_alter_table('zrm_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zrm_assessments_assessed_on'))
        batch_op.drop_index(batch_op.f('ix_zrm_assessments_client_id'))
    op.drop_table('zrm_assessments')
    op.drop_table('zrm_levels')
    op.drop_table('zrm_domains')
    op.drop_table('zrm_versions')
