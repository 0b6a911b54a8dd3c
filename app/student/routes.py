"""Student pages. Routes stay thin: read the request, call a service, render or redirect."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.domain.documents import credit
from app.domain.responses import BadResponse, parse_submission, salvage
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer, render_error
from app.extensions import db
from app.models import Attempt, Document, Lesson, LessonVersion
from app.services import attempts as attempt_service
from app.student import bp
from app.student.present import feedback_questions, quiz_questions, reason_label

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


def get_attempt_or_abort(attempt_id: int) -> Attempt:
    """The attempt ``attempt_id`` if the current user may read it.

    Raises 404 if it does not exist, 403 if it belongs to another student.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id:
        abort(403)
    return attempt


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    return render_template("student/lessons.html", rows=attempt_service.lessons_for(current_user))


def _render_quiz(lesson: Lesson, version: LessonVersion, *, marks: dict[str, Any] | None = None,
                 token: str | None = None, error: str | None = None,
                 status: int = 200) -> ResponseReturnValue:
    content = version.content
    return render_template(
        "student/lesson.html", lesson=lesson, version=version, content=content,
        questions=quiz_questions(content, marks or {}),
        token=token or secrets.token_hex(16), error=error,
    ), status


@bp.get("/lessons/<slug>")
@login_required
def lesson(slug: str) -> ResponseReturnValue:
    lesson = get_lesson_or_404(slug)
    version = attempt_service.lesson_version(lesson)
    if version is None:
        abort(404)
    return _render_quiz(lesson, version)


def _version_from_form(lesson: Lesson) -> LessonVersion | None:
    """The version the student saw (scores follow the text they read), if the form says."""
    raw = request.form.get("version", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 7):
        return None
    return attempt_service.lesson_version(lesson, int(raw))


@bp.post("/lessons/<slug>")
@login_required
def submit(slug: str) -> ResponseReturnValue:
    lesson = get_lesson_or_404(slug)
    version = _version_from_form(lesson)
    if version is None:
        abort(400, description="This lesson form is out of date. Reload the lesson and answer "
                               "again.")
    questions = version.content["questions"]
    texts = attempt_service.excerpt_texts(version.content)
    token = request.form.get("submission", "")
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        marks = salvage(questions, texts, request.form.getlist)
        return _render_quiz(lesson, version, marks=marks, status=400,
                            error="This form is incomplete. Your marks are kept below; "
                                  "please submit again.")
    try:
        responses = parse_submission(questions, texts, list(request.form.keys()),
                                     request.form.getlist, _CONTROL_FIELDS)
    except BadResponse as problem:
        marks = salvage(questions, texts, request.form.getlist)
        return _render_quiz(lesson, version, marks=marks, token=token, error=str(problem),
                            status=400)
    try:
        attempt = attempt_service.submit_attempt(current_user, lesson, version, token, responses)
    except attempt_service.DuplicateSubmission as duplicate:
        return render_template("student/duplicate.html", lesson=lesson,
                               attempt_id=duplicate.attempt_id), 409
    flash(f"Saved: you scored {attempt.score:g} out of {attempt.max_score:g}.", "success")
    return redirect(url_for("student.attempt", attempt_id=attempt.id), code=303)


def render_quiz_after_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """An expired quiz form: show it again with every mark the student made."""
    if not current_user.is_authenticated:
        return render_error(400, "Your session ended. Log in again, then reopen the lesson.")
    lesson = get_lesson_or_404((request.view_args or {}).get("slug", ""))
    version = _version_from_form(lesson) or attempt_service.lesson_version(lesson)
    if version is None:
        abort(404)
    marks = salvage(version.content["questions"],
                    attempt_service.excerpt_texts(version.content), request.form.getlist)
    token = request.form.get("submission", "")
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        token = None
    return _render_quiz(lesson, version, marks=marks, token=token, error=CSRF_EXPIRED_MESSAGE,
                        status=400)


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    attempt = get_attempt_or_abort(attempt_id)
    content = attempt.lesson_version.content
    return render_template(
        "student/attempt.html", attempt=attempt, lesson=attempt.lesson, content=content,
        questions=feedback_questions(content, list(attempt.answers)), reason_label=reason_label,
        visible=attempt.lesson.status == "published",
    )


@bp.get("/results")
@login_required
def results() -> ResponseReturnValue:
    return render_template("student/results.html",
                           attempts=attempt_service.attempts_of(current_user))


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "student.submit", render_quiz_after_csrf_error)


@bp.get("/documents/<slug>")
@login_required
def document(slug: str) -> ResponseReturnValue:
    """A source document in full, exactly as stored, with what is known of its source."""
    document = db.session.scalar(sa.select(Document).where(Document.slug == slug))
    if document is None:
        abort(404)
    return render_template("student/document.html", document=document,
                           credit=credit(document.author, document.outlet))
