"""shelf cards and document genre

Revision ID: 0009
Revises: 0008

- shelf_cards: the reference shelf's fact and source cards, the library's (no owner, synced
  from lessons/shelf/) and each teacher's own.
- documents.genre: news report, opinion, advocacy, analysis or event write-up.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shelf_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edit_version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('fact', 'source')", name=op.f('ck_shelf_cards_kind')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_shelf_cards_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shelf_cards')),
    sa.UniqueConstraint('owner_id', 'slug', name='uq_shelf_cards_owner_id_slug')
    )
    with op.batch_alter_table('shelf_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shelf_cards_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('uq_shelf_cards_library_slug', ['slug'], unique=True, sqlite_where=sa.text('owner_id IS NULL'), postgresql_where=sa.text('owner_id IS NULL'))

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('genre', sa.String(length=32), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('genre')

    with op.batch_alter_table('shelf_cards', schema=None) as batch_op:
        batch_op.drop_index('uq_shelf_cards_library_slug', sqlite_where=sa.text('owner_id IS NULL'), postgresql_where=sa.text('owner_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_shelf_cards_owner_id'))

    op.drop_table('shelf_cards')
