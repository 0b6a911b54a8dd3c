"""Teacher route: *Assign* from the lesson library goes straight to a form with that lesson.

``/teach/assign?lesson=<slug>``: with one active class, on to that class's new-assignment
form with the lesson chosen; with several, a short page to pick the class (a GET form:
``&class=<id>`` continues); with none, a page that says to create one first. The lesson
is checked like any other (404 missing, 403 another teacher's, 409 not published);
without one, the teacher is sent to the lessons page to choose.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.errors import render_error
from app.extensions import db
from app.models import Lesson
from app.services import classes as class_service
from app.teacher import bp
from app.teacher.access import get_class_or_abort, get_readable_lesson_or_abort
from app.urlinput import query_id

MAX_SLUG = 200


def _lesson_from_query() -> Lesson:
    slug = request.args.get("lesson", "").strip()
    if not slug:  # no lesson named: choose one on the lessons page
        abort(redirect(url_for("teacher.lessons"), code=303))
    lesson_id = None if len(slug) > MAX_SLUG else db.session.scalar(
        sa.select(Lesson.id).where(Lesson.slug == slug))
    if lesson_id is None:
        abort(404, description="There is no lesson at that address. Choose one from your "
                               "lessons page.")
    return get_readable_lesson_or_abort(lesson_id)


@bp.get("/assign")
def assign_lesson() -> ResponseReturnValue:
    lesson = _lesson_from_query()
    if lesson.status != "published":
        return render_error(409, f"“{lesson.title}” is not published yet, so it cannot be "
                                 "assigned. Publish it first.")
    chosen = query_id("class")
    if chosen is not None:
        classroom = get_class_or_abort(chosen)
        if classroom.archived:
            return render_error(409, f"“{classroom.name}” is archived: nothing can be "
                                     "assigned to it. Choose an active class.")
        return redirect(url_for("teacher.assignment_new", class_id=classroom.id,
                                lesson=lesson.id), code=303)
    active = [classroom for classroom, _ in class_service.classes_with_counts(current_user.id)
              if not classroom.archived]
    if len(active) == 1:
        return redirect(url_for("teacher.assignment_new", class_id=active[0].id,
                                lesson=lesson.id), code=303)
    return render_template("teacher/classes/assign_choose.html", lesson=lesson,
                           classes=active)
