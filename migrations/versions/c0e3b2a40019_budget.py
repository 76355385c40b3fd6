"""Subsidies, budget posts and budget entries (issue 15)

Budget posts are data: this revision seeds the six posts of the Stapteam's begroting; a new
post is a row added by the beheerder (or a later data revision), not a code change. The code
of a seeded post is what the portal relies on ("flexbudget": where flexbudget trajecten
count); the label is what people read and may be reworded.

Revision ID: c0e3b2a40019
Revises: b9d2a1f30018
Create Date: 2026-12-02 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0e3b2a40019'
down_revision = 'b9d2a1f30018'
branch_labels = None
depends_on = None

BUDGET_POSTS = (
    ('casemanagement', 'Casemanagement'),
    ('flexbudget', 'Flexbudget/doorbraakbudget'),
    ('time-out', 'Time-out voorziening'),
    ('instroomwoning', 'Instroomwoning'),
    ('activiteiten', 'Activiteiten'),
    ('overig', 'Overig'),
)


def seed_budget_posts(bind) -> None:
    """Insert the six posts of the begroting in their reporting order."""
    posts = sa.table('budget_posts', sa.column('code', sa.String), sa.column('label', sa.String),
                     sa.column('position', sa.Integer), sa.column('active', sa.Boolean))
    bind.execute(posts.insert(), [{'code': code, 'label': label, 'position': position * 10,
                                   'active': True}
                                  for position, (code, label) in enumerate(BUDGET_POSTS, 1)])


def _money():
    return sa.Numeric(precision=12, scale=2)


def upgrade():
    op.create_table('budget_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_posts')),
    sa.UniqueConstraint('code', name=op.f('uq_budget_posts_code')),
    sa.UniqueConstraint('label', name=op.f('uq_budget_posts_label'))
    )
    op.create_table('subsidies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('funder', sa.String(length=160), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_subsidies_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidies'))
    )
    op.create_table('subsidy_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subsidy_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('amount', _money(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['budget_posts.id'], name=op.f('fk_subsidy_lines_post_id_budget_posts')),
    sa.ForeignKeyConstraint(['subsidy_id'], ['subsidies.id'], name=op.f('fk_subsidy_lines_subsidy_id_subsidies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_lines')),
    sa.UniqueConstraint('subsidy_id', 'post_id', name=op.f('uq_subsidy_lines_subsidy_id'))
    )
    with op.batch_alter_table('subsidy_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subsidy_lines_subsidy_id'), ['subsidy_id'], unique=False)

    op.create_table('budget_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subsidy_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('amount', _money(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removal_reason', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['budget_posts.id'], name=op.f('fk_budget_entries_post_id_budget_posts')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_budget_entries_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_budget_entries_removed_by_id_users')),
    sa.ForeignKeyConstraint(['subsidy_id'], ['subsidies.id'], name=op.f('fk_budget_entries_subsidy_id_subsidies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_entries'))
    )
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_entries_subsidy_id'), ['subsidy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_entries_invoice_date'), ['invoice_date'], unique=False)

    op.create_table('budget_entry_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('amount', _money(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_budget_entry_revisions_changed_by_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['budget_entries.id'], name=op.f('fk_budget_entry_revisions_entry_id_budget_entries')),
    sa.ForeignKeyConstraint(['post_id'], ['budget_posts.id'], name=op.f('fk_budget_entry_revisions_post_id_budget_posts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_entry_revisions')),
    sa.UniqueConstraint('entry_id', 'version', name=op.f('uq_budget_entry_revisions_entry_id'))
    )
    with op.batch_alter_table('budget_entry_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_entry_revisions_entry_id'), ['entry_id'], unique=False)

    seed_budget_posts(op.get_bind())


def downgrade():
    with op.batch_alter_table('budget_entry_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_entry_revisions_entry_id'))
    op.drop_table('budget_entry_revisions')
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_entries_invoice_date'))
        batch_op.drop_index(batch_op.f('ix_budget_entries_subsidy_id'))
    op.drop_table('budget_entries')
    with op.batch_alter_table('subsidy_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subsidy_lines_subsidy_id'))
    op.drop_table('subsidy_lines')
    op.drop_table('subsidies')
    op.drop_table('budget_posts')
