"""lens suggestions dismissed in the reading editor

Revision ID: 0007
Revises: 0006

- reading_suggestion_dismissals: a teacher's dismissed lens suggestions for one document
  in the reading editor (as suggestion_dismissals does per question key list).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reading_suggestion_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('suggestion', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_reading_suggestion_dismissals_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reading_suggestion_dismissals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_suggestion_dismissals')),
    sa.UniqueConstraint('user_id', 'document_id', 'suggestion', name='uq_reading_suggestion_dismissals_key')
    )
    with op.batch_alter_table('reading_suggestion_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_suggestion_dismissals_document_id'), ['document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reading_suggestion_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_suggestion_dismissals_document_id'))
    op.drop_table('reading_suggestion_dismissals')
