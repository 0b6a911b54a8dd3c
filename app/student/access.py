"""Who may take which lesson or assignment, and what the quiz pages say about the rules.

Every student page that opens, saves or submits a quiz goes through these: a library
lesson must be published; an assignment must be for a class the student is in.
"""

from __future__ import annotations

from typing import Any, cast

from flask import abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.models import Assignment, Attempt, Lesson
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.services.assignments import AssignmentFacts

# An assignment as a page shows it: mapped, or read as plain values for the quiz page.
AnyAssignment = Assignment | AssignmentFacts


def get_lesson_or_404(slug: str) -> Lesson:
    """The published lesson ``slug``.

    Raises 404 if there is no such lesson, or it is a draft or archived: a student may not
    open or submit it, and we do not reveal that it exists.
    """
    lesson = attempt_service.visible_lesson(slug)
    if lesson is None:
        abort(404)
    return lesson


def authorized(view: assignment_service.StudentView | None) -> assignment_service.StudentView:
    """``view`` if the current user may take its assignment.

    Raises 404 if there is no such assignment or its lesson is not published; 403 if the
    user is not in its class (never joined, or removed) or the class is archived.
    """
    if view is None or view.assignment.lesson.status != "published":
        abort(404)
    if not view.enrolled:
        if not attempt_service.account_exists(current_user.id):
            # Deleted (and so taken off the roster) after this request loaded its user.
            abort(account_gone())
        abort(403, description="This assignment is for a class you are not in. If your "
                               "teacher gave you a class code, join the class first.")
    if view.assignment.classroom.archived:
        abort(403, description="This class is archived: its assignments are closed.")
    not_open = assignment_service.not_open_reason(view.assignment)
    if not_open is not None:  # listed before its "available from" date, not opened
        abort(403, description=not_open)
    return view


def get_assignment_or_abort(assignment_id: int) -> Assignment:
    """The assignment ``assignment_id`` (mapped, to submit to) if the current user may
    take it; 404 / 403 as :func:`authorized` says."""
    view = authorized(assignment_service.student_view(assignment_id, current_user.id))
    return cast(Assignment, view.assignment)


def account_gone() -> ResponseReturnValue:
    """The account was deleted while this answer was being saved: nothing was stored.

    The page must not read ``current_user`` again (its row is gone), so the login is
    forgotten and the browser sent to the login page with the reason.
    """
    session.clear()
    flash("Your account was deleted while you were submitting, so this answer was not "
          "saved. Ask your teacher if this is a mistake.", "error")
    return redirect(url_for("auth.login"), code=303)


def banner(assignment: AnyAssignment, used: int | None = None) -> dict[str, Any]:
    """What the quiz page says about the assignment: class, due date, attempts left.

    ``used`` is the student's attempts so far, counted here unless the caller has it.
    """
    if used is None:
        used = assignment_service.attempts_used(current_user.id, assignment.id)
    due = assignment_service.student_due_at(assignment, current_user.id)  # theirs
    return {"assignment": assignment, "classroom": assignment.classroom, "used": used,
            "due_at": due,
            "permission": assignment_service.permission_now(assignment, used, due_at=due)}


def render_closed(assignment: AnyAssignment | None, reason: str,
                  status: int) -> ResponseReturnValue:
    """No more attempts (limit reached, or late work refused): say so and where to go."""
    if assignment is None:  # only assignments have rules that refuse an attempt
        abort(409, description=reason)
    mine = attempt_service.attempts_of(current_user, assignment_id=assignment.id)
    return render_template("student/assignment_closed.html", assignment=assignment,
                           lesson=assignment.lesson, classroom=assignment.classroom,
                           reason=reason, attempts=mine,
                           due_at=assignment_service.student_due_at(assignment, current_user.id)
                           ), status


def retry_url(lesson: Lesson, assignment: Assignment | None) -> str | None:
    """Where "try again" goes: the assignment if it is still open, else the library."""
    if assignment is not None:
        if assignment_service.student_may_open(assignment, current_user.id) and banner(
                assignment)["permission"].allowed:
            return url_for("student.assignment", assignment_id=assignment.id)
        return None
    if attempt_service.visible_lesson(lesson.slug) is not None:
        return url_for("student.lesson", slug=lesson.slug)
    return None


def again_choices(attempt: Attempt, url: str | None) -> dict[str, Any] | None:
    """What "try again" may offer after ``attempt`` (``url``: its :func:`retry_url`): None
    when no new attempt is allowed; else whether it may start from this attempt's marks
    (only on the lesson's current version: marks are positions in its excerpts)."""
    if url is None:
        return None
    return {"attempt_id": attempt.id,
            "from_marks": attempt.lesson_version.number == attempt.lesson.version}
