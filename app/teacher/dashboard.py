"""Teacher routes: the dashboard (my classes, my lessons, recent submissions)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.models import Assignment, Attempt, Classroom, Lesson, User
from app.services.classes import classes_with_counts
from app.teacher import bp

RECENT = 15


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    lessons = db.session.scalars(
        sa.select(Lesson).where(Lesson.owner_id == current_user.id,
                                Lesson.status != "archived")
        .order_by(Lesson.updated_at.desc())).all()
    # Rows: (Attempt, username, lesson title, class name, class id).
    recent = db.session.execute(
        sa.select(Attempt, User.username, Lesson.title, Classroom.name, Classroom.id)
        .join(Assignment, Attempt.assignment_id == Assignment.id)
        .join(Classroom, Assignment.classroom_id == Classroom.id)
        .join(User, Attempt.user_id == User.id)
        .join(Lesson, Attempt.lesson_id == Lesson.id)
        .where(Classroom.teacher_id == current_user.id)
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(RECENT)).all()
    return render_template("teacher/dashboard.html",
                           classes=classes_with_counts(current_user.id), lessons=lessons,
                           recent=recent)
