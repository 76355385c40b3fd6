"""letter house style (issue 12)

Revision ID: d5a0c12e0012
Revises: c41d7e2a9b10
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a0c12e0012'
down_revision = 'c41d7e2a9b10'
branch_labels = None
depends_on = None

TEXT_COLUMNS = (('organisation', sa.String(length=120)), ('letterhead', sa.Text()),
                ('team', sa.String(length=120)), ('team_address', sa.Text()),
                ('postal_address', sa.Text()), ('visiting_address', sa.Text()),
                ('phone', sa.String(length=40)), ('email', sa.String(length=254)),
                ('website', sa.String(length=120)), ('signer_name', sa.String(length=120)),
                ('signer_function', sa.String(length=120)), ('objection_address', sa.Text()),
                ('font', sa.String(length=40)))


def upgrade():
    op.create_table(
        'letter_house_style',
        sa.Column('id', sa.Integer(), nullable=False),
        *(sa.Column(name, kind, nullable=False) for name, kind in TEXT_COLUMNS),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_letter_house_style_updated_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_house_style')),
    )
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('postal_address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('salutation', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('partner_contacts', schema=None) as batch_op:
        batch_op.drop_column('salutation')
        batch_op.drop_column('postal_address')
        batch_op.drop_column('department')
    op.drop_table('letter_house_style')
