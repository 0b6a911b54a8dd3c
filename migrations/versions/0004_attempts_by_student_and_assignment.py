"""index attempts by student and assignment

Revision ID: 0004
Revises: 0003

The quiz page and every submission count one student's attempts on one assignment. The
single-column index on user_id is replaced by one on (user_id, assignment_id); user_id
alone stays served by it and by the (user_id, submission_token) unique constraint.
Written by hand to match app/models/attempts.py. Create Date: 2026-11-23 04:00:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_user_id_assignment_id",
                              ["user_id", "assignment_id"], unique=False)
        batch_op.drop_index("ix_attempts_user_id")


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_user_id", ["user_id"], unique=False)
        batch_op.drop_index("ix_attempts_user_id_assignment_id")
