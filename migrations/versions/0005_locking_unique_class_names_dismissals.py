"""optimistic locking, one active class name per teacher, dismissed suggestions

Revision ID: 0005
Revises: 0004

- lessons, classes, assignments: ``edit_version`` (SQLAlchemy's version_id_col), so two
  read-modify-write edits of one row cannot both commit. Existing rows start at 1.
- classes: a partial unique index on (teacher_id, lower(name)) for active classes: the
  one-active-name rule held by the database instead of a check-then-insert. An existing
  duplicate would make the index fail, so duplicates of an active name are first given a
  numbered suffix ("10B (2)"), oldest kept as is.
- suggestion_dismissals: the lens suggestions a teacher dismissed, formerly kept in the
  session cookie.

Written by hand to match app/models. Create Date: 2026-12-03 17:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LOCKED = ("lessons", "classes", "assignments")


def _rename_duplicate_active_classes():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, teacher_id, name FROM classes WHERE NOT archived ORDER BY id")).fetchall()
    seen: set[tuple[int, str]] = set()
    taken = {(row.teacher_id, row.name.lower()) for row in rows}
    for row in rows:
        key = (row.teacher_id, row.name.lower())
        if key not in seen:
            seen.add(key)
            continue
        number = 2
        while True:
            suffix = f" ({number})"
            name = row.name[:120 - len(suffix)] + suffix
            if (row.teacher_id, name.lower()) not in taken:
                break
            number += 1
        taken.add((row.teacher_id, name.lower()))
        seen.add((row.teacher_id, name.lower()))
        connection.execute(sa.text("UPDATE classes SET name = :name WHERE id = :id"),
                           {"name": name, "id": row.id})


def upgrade():
    for table in LOCKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("edit_version", sa.Integer(), server_default="1",
                                          nullable=False))

    _rename_duplicate_active_classes()
    op.create_index("uq_classes_teacher_id_active_name", "classes",
                    ["teacher_id", sa.text("lower(name)")], unique=True,
                    sqlite_where=sa.text("NOT archived"),
                    postgresql_where=sa.text("NOT archived"))

    op.create_table(
        "suggestion_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("key_name", sa.String(length=32), nullable=False),
        sa.Column("suggestion", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lesson_id"], ["lessons.id"],
                                name=op.f("fk_suggestion_dismissals_lesson_id_lessons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_suggestion_dismissals_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_dismissals")),
        sa.UniqueConstraint("user_id", "lesson_id", "question_id", "key_name", "suggestion",
                            name="uq_suggestion_dismissals_key"),
    )
    with op.batch_alter_table("suggestion_dismissals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_dismissals_lesson_id"), ["lesson_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("suggestion_dismissals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_dismissals_lesson_id"))
    op.drop_table("suggestion_dismissals")
    op.drop_index("uq_classes_teacher_id_active_name", table_name="classes")
    for table in reversed(LOCKED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("edit_version")
