"""learning measures: discernment, confidence, growth studies, review

Revision ID: 0010
Revises: 0009

- attempt_answers.detection: signal-detection counts of a marking answer (hits, false
  alarms per technique), stored at scoring; attempt_answers.confidence: 1-4 or NULL.
- assignments.ask_confidence: ask "How sure are you?" under each question.
- classes.review_enabled: review sets of what was missed, per class.
- growth_studies: a pre-test/post-test pairing (optional delayed test, comparison class).
- review_items: one review question per student, passage and step of its schedule.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite changes a table with a check constraint or a dropped column by copying it,
    # which reflects the tables its foreign keys reach and would lose the expression index
    # on classes (batch mode cannot reflect it): take it off first and put it back after
    # (as 0008 does).
    op.drop_index("uq_classes_teacher_id_active_name", table_name="classes")
    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('technique', sa.String(length=48), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('passage_start', sa.Integer(), nullable=False),
    sa.Column('passage_end', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('step', sa.Integer(), server_default='0', nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response', sa.JSON(), nullable=True),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('max_points', sa.Double(), nullable=True),
    sa.Column('verdicts', sa.JSON(), nullable=True),
    sa.CheckConstraint('passage_end > passage_start', name=op.f('ck_review_items_passage')),
    sa.CheckConstraint('step >= 0', name=op.f('ck_review_items_step')),
    sa.ForeignKeyConstraint(['classroom_id'], ['classes.id'], name=op.f('fk_review_items_classroom_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_review_items_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_review_items_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_items_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_items_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_review_items_student_id_due_at', ['student_id', 'due_at'], unique=False)

    op.create_table('growth_studies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('pre_assignment_id', sa.Integer(), nullable=False),
    sa.Column('post_assignment_id', sa.Integer(), nullable=False),
    sa.Column('delayed_assignment_id', sa.Integer(), nullable=True),
    sa.Column('comparison_classroom_id', sa.Integer(), nullable=True),
    sa.Column('comparison_pre_assignment_id', sa.Integer(), nullable=True),
    sa.Column('comparison_post_assignment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edit_version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('pre_assignment_id <> post_assignment_id', name=op.f('ck_growth_studies_pre_not_post')),
    sa.ForeignKeyConstraint(['classroom_id'], ['classes.id'], name=op.f('fk_growth_studies_classroom_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['comparison_classroom_id'], ['classes.id'], name=op.f('fk_growth_studies_comparison_classroom_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comparison_post_assignment_id'], ['assignments.id'], name=op.f('fk_growth_studies_comparison_post_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comparison_pre_assignment_id'], ['assignments.id'], name=op.f('fk_growth_studies_comparison_pre_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delayed_assignment_id'], ['assignments.id'], name=op.f('fk_growth_studies_delayed_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_assignment_id'], ['assignments.id'], name=op.f('fk_growth_studies_post_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pre_assignment_id'], ['assignments.id'], name=op.f('fk_growth_studies_pre_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_growth_studies'))
    )
    with op.batch_alter_table('growth_studies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_growth_studies_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_growth_studies_post_assignment_id'), ['post_assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_growth_studies_pre_assignment_id'), ['pre_assignment_id'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ask_confidence', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detection', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('confidence', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_attempt_answers_confidence'), 'confidence IS NULL OR confidence BETWEEN 1 AND 4')

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index("uq_classes_teacher_id_active_name", "classes",
                    ["teacher_id", sa.text("lower(name)")], unique=True,
                    sqlite_where=sa.text("NOT archived"),
                    postgresql_where=sa.text("NOT archived"))



def downgrade():
    # SQLite changes a table with a check constraint or a dropped column by copying it,
    # which reflects the tables its foreign keys reach and would lose the expression index
    # on classes (batch mode cannot reflect it): take it off first and put it back after
    # (as 0008 does).
    op.drop_index("uq_classes_teacher_id_active_name", table_name="classes")
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_column('review_enabled')

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attempt_answers_confidence'), type_='check')
        batch_op.drop_column('confidence')
        batch_op.drop_column('detection')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('ask_confidence')

    with op.batch_alter_table('growth_studies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_growth_studies_pre_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_growth_studies_post_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_growth_studies_classroom_id'))

    op.drop_table('growth_studies')
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_index('ix_review_items_student_id_due_at')
        batch_op.drop_index(batch_op.f('ix_review_items_document_id'))
        batch_op.drop_index(batch_op.f('ix_review_items_classroom_id'))

    op.drop_table('review_items')
    op.create_index("uq_classes_teacher_id_active_name", "classes",
                    ["teacher_id", sa.text("lower(name)")], unique=True,
                    sqlite_where=sa.text("NOT archived"),
                    postgresql_where=sa.text("NOT archived"))
