"""Student pages. Routes stay thin: read the request, call a service, render or redirect.

The feedback on an attempt and the list of a student's attempts are in
:mod:`app.student.feedback`; "I disagree" is in :mod:`app.student.contests`.
"""

from __future__ import annotations

import secrets
from typing import Any, cast

import sqlalchemy as sa
from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from app.caching import kept
from app.domain.documents import credit
from app.domain.grading import GRADING_LABELS
from app.domain.responses import BadResponse, parse_submission, salvage
from app.domain.textinput import parse_id
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer, render_error
from app.extensions import db
from app.models import Assignment, Document, Enrollment, Lesson, LessonVersion
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.services.assignments import AssignmentFacts, LessonFacts
from app.student import bp, quizpage
from app.student.present import quiz_questions

# A lesson version as the quiz page reads it: the row, or its per-process snapshot.
QuizVersion = LessonVersion | attempt_service.VersionSnapshot
# An assignment as a page shows it: mapped, or read as plain values for the quiz page.
AnyAssignment = Assignment | AssignmentFacts

# Form fields that are not answers.
_CONTROL_FIELDS = frozenset({"csrf_token", "submission", "version"})


def get_lesson_or_404(slug: str) -> Lesson:
    """The published lesson ``slug``.

    Raises 404 if there is no such lesson, or it is a draft or archived: a student may not
    open or submit it, and we do not reveal that it exists.
    """
    lesson = attempt_service.visible_lesson(slug)
    if lesson is None:
        abort(404)
    return lesson


def _authorized(view: assignment_service.StudentView | None) -> assignment_service.StudentView:
    """``view`` if the current user may take its assignment.

    Raises 404 if there is no such assignment or its lesson is not published; 403 if the
    user is not in its class (never joined, or removed) or the class is archived.
    """
    if view is None or view.assignment.lesson.status != "published":
        abort(404)
    if not view.enrolled:
        if not attempt_service.account_exists(current_user.id):
            # Deleted (and so taken off the roster) after this request loaded its user.
            abort(_account_gone())
        abort(403, description="This assignment is for a class you are not in. If your "
                               "teacher gave you a class code, join the class first.")
    if view.assignment.classroom.archived:
        abort(403, description="This class is archived: its assignments are closed.")
    return view


def get_assignment_or_abort(assignment_id: int) -> Assignment:
    """The assignment ``assignment_id`` (mapped, to submit to) if the current user may
    take it; 404 / 403 as :func:`_authorized` says."""
    view = _authorized(assignment_service.student_view(assignment_id, current_user.id))
    return cast(Assignment, view.assignment)


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    return render_template("student/lessons.html", rows=attempt_service.lessons_for(current_user),
                           assignments=assignment_service.for_student(current_user),
                           grading_labels=GRADING_LABELS)


def _render_quiz(lesson: Lesson | LessonFacts, version: QuizVersion, *,
                 marks: dict[str, Any] | None = None, token: str | None = None,
                 error: str | None = None, assignment: AnyAssignment | None = None,
                 banner: dict[str, Any] | None = None, status: int = 200) -> ResponseReturnValue:
    content = version.content
    if assignment is None:
        action, banner = url_for("student.submit", slug=lesson.slug), None
    else:
        action = url_for("student.assignment", assignment_id=assignment.id)
        banner = banner or _banner(assignment)
    token = token or secrets.token_hex(16)

    def render(**values: Any) -> str:
        context = {"lesson": lesson, "version": version, "content": content,
                   "questions_html": _questions_html(version, marks or {}), "token": token,
                   "error": error, "action": action, "banner": banner, **values}
        return render_template("student/lesson.html", **context)

    if not isinstance(assignment, AssignmentFacts) or banner is None or marks or error \
            or "_flashes" in session:
        return render(), status
    # A blank assignment page: the same for every student with this key (quizpage.py).
    key = (version.id, version.content_hash, assignment, banner["used"],
           banner["permission"], current_user.role)
    return quizpage.page(key, render, username=current_user.username,
                         role=current_user.role, token=token), status


def _questions_html(version: QuizVersion, marks: dict[str, Any]) -> Markup:
    """The quiz form's questions: an excerpt cut into hundreds of checkboxes.

    Without marks the markup is the same for every student, and a version's content
    never changes (an edit makes a new version), so it is rendered once per version, app
    and process, keyed by the version's id and content hash; a form re-shown with the
    student's marks is rendered afresh. The template escapes everything it outputs.
    """
    def render() -> Markup:
        # Markup only wraps what an autoescaping template produced: nothing raw goes in.
        return Markup(render_template("student/_questions.html",  # nosec B704
                                      questions=quiz_questions(version.content, marks)))

    if marks:
        return render()
    blank = kept("blank_questions", 64).get((version.id, version.content_hash), render)
    return cast(Markup, blank)


def _banner(assignment: AnyAssignment, used: int | None = None) -> dict[str, Any]:
    """What the quiz page says about the assignment: class, due date, attempts left.

    ``used`` is the student's attempts so far, counted here unless the caller has it.
    """
    if used is None:
        used = assignment_service.attempts_used(current_user.id, assignment.id)
    return {"assignment": assignment, "classroom": assignment.classroom, "used": used,
            "permission": assignment_service.permission_now(assignment, used)}


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    lesson, version = attempt_service.visible_lesson_snapshot(slug) or (None, None)
    if lesson is None or version is None:
        abort(404)
    return _render_quiz(lesson, version)


def _version_from_form(lesson: Lesson) -> LessonVersion | None:
    """The version the student saw (scores follow the text they read), if the form says."""
    number = parse_id(request.form.get("version", ""))
    return None if number is None else attempt_service.lesson_version(lesson, number)


@bp.post("/lessons/<slug>")
@login_required
def submit(slug: str) -> ResponseReturnValue:
    return _take(get_lesson_or_404(slug))


def _take(lesson: Lesson, assignment: Assignment | None = None) -> ResponseReturnValue:
    """Score and store a submitted quiz form; any problem re-shows it with the marks kept."""
    version = _version_from_form(lesson)
    if version is None:
        abort(400, description="This lesson form is out of date. Reload the lesson and answer "
                               "again.")
    questions = version.content["questions"]
    texts = attempt_service.excerpt_texts(version.content)
    token = request.form.get("submission", "")
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        marks = salvage(questions, texts, request.form.getlist)
        return _render_quiz(lesson, version, marks=marks, assignment=assignment, status=400,
                            error="This form is incomplete. Your marks are kept below; "
                                  "please submit again.")
    try:
        responses = parse_submission(questions, texts, list(request.form.keys()),
                                     request.form.getlist, _CONTROL_FIELDS)
    except BadResponse as problem:
        marks = salvage(questions, texts, request.form.getlist)
        return _render_quiz(lesson, version, marks=marks, token=token, error=str(problem),
                            assignment=assignment, status=400)
    try:
        attempt = attempt_service.submit_attempt(current_user, lesson, version, token, responses,
                                                 assignment=assignment)
    except attempt_service.DuplicateSubmission as duplicate:
        return render_template("student/duplicate.html", lesson=lesson,
                               attempt_id=duplicate.attempt_id,
                               retry_url=retry_url(lesson, assignment)), 409
    except attempt_service.AttemptRefused as refused:
        return _render_closed(assignment, str(refused), 409)
    except attempt_service.StudentGone:
        return _account_gone()
    flash(f"Saved: you scored {attempt.score:g} out of {attempt.max_score:g}.", "success")
    return redirect(url_for("student.attempt", attempt_id=attempt.id), code=303)


def _account_gone() -> ResponseReturnValue:
    """The account was deleted while this answer was being saved: nothing was stored.

    The page must not read ``current_user`` again (its row is gone), so the login is
    forgotten and the browser sent to the login page with the reason.
    """
    session.clear()
    flash("Your account was deleted while you were submitting, so this answer was not "
          "saved. Ask your teacher if this is a mistake.", "error")
    return redirect(url_for("auth.login"), code=303)


def render_quiz_after_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """An expired quiz form: show it again with every mark the student made."""
    if not current_user.is_authenticated:
        return render_error(400, "Your session ended. Log in again, then reopen the lesson.")
    view_args = request.view_args or {}
    assignment = None
    if request.endpoint == "student.assignment":
        assignment = get_assignment_or_abort(view_args.get("assignment_id", 0))
        lesson = assignment.lesson
    else:
        lesson = get_lesson_or_404(view_args.get("slug", ""))
    version = _version_from_form(lesson) or attempt_service.lesson_version(lesson)
    if version is None:
        abort(404)
    marks = salvage(version.content["questions"],
                    attempt_service.excerpt_texts(version.content), request.form.getlist)
    token = request.form.get("submission", "")
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        token = None
    return _render_quiz(lesson, version, marks=marks, token=token, error=CSRF_EXPIRED_MESSAGE,
                        assignment=assignment, status=400)


# --- classes and assignments ------------------------------------------------------------


# Joining a class (by code, link or QR code) is in app/student/joining.py.


def _render_closed(assignment: AnyAssignment | None, reason: str,
                   status: int) -> ResponseReturnValue:
    """No more attempts (limit reached, or late work refused): say so and where to go."""
    if assignment is None:  # only assignments have rules that refuse an attempt
        abort(409, description=reason)
    mine = attempt_service.attempts_of(current_user, assignment_id=assignment.id)
    return render_template("student/assignment_closed.html", assignment=assignment,
                           lesson=assignment.lesson, classroom=assignment.classroom,
                           reason=reason, attempts=mine), status


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@login_required
def assignment(assignment_id: int) -> ResponseReturnValue:
    if request.method == "POST":
        taken = get_assignment_or_abort(assignment_id)
        return _take(taken.lesson, taken)
    # The page a class opens at once: one statement, plain values, a cached version.
    view = _authorized(assignment_service.quiz_view(assignment_id, current_user.id))
    shown = view.assignment
    banner = _banner(shown, view.used)
    if not banner["permission"].allowed:
        return _render_closed(shown, banner["permission"].reason, 200)
    version = attempt_service.version_snapshot(view.version_id, view.content_hash)
    if version is None:
        abort(404)
    return _render_quiz(shown.lesson, version, assignment=shown, banner=banner)


def retry_url(lesson: Lesson, assignment: Assignment | None) -> str | None:
    """Where "try again" goes: the assignment if it is still open, else the library."""
    if assignment is not None:
        if assignment_service.student_may_open(assignment, current_user.id) and _banner(
                assignment)["permission"].allowed:
            return url_for("student.assignment", assignment_id=assignment.id)
        return None
    if attempt_service.visible_lesson(lesson.slug) is not None:
        return url_for("student.lesson", slug=lesson.slug)
    return None


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "student.submit", render_quiz_after_csrf_error)
    register_csrf_error_renderer(state.app, "student.assignment", render_quiz_after_csrf_error)


def get_document_or_abort(slug: str) -> Document:
    """The document ``slug`` if the current user may read it.

    Library documents are for everyone. A document a teacher pasted in is for that
    teacher, admins, and students of a class that has an assignment citing it. Anyone
    else gets 404, as for a document that does not exist (its slug is not a secret
    worth confirming).
    """
    document = db.session.scalar(sa.select(Document).where(Document.slug == slug))
    if document is None:
        abort(404)
    if document.owner_id is None or document.owner_id == current_user.id \
            or current_user.has_role("admin"):
        return document
    assigned = db.session.scalars(
        sa.select(LessonVersion.content)
        .join(Lesson, sa.and_(Lesson.id == LessonVersion.lesson_id,
                              LessonVersion.number == Lesson.version))
        .join(Assignment, Assignment.lesson_id == Lesson.id)
        .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
        .where(Enrollment.student_id == current_user.id,
               Lesson.owner_id == document.owner_id))
    if any(excerpt["document"] == slug for content in assigned
           for excerpt in content["excerpts"]):
        return document
    abort(404)


@bp.get("/documents/<slug>")
@login_required
def document(slug: str) -> ResponseReturnValue:
    """A source document in full, exactly as stored, with what is known of its source."""
    document = get_document_or_abort(slug)
    return render_template("student/document.html", document=document,
                           credit=credit(document.author, document.outlet))
