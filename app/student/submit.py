"""Submitting a quiz: scored and stored as one attempt, never by accident, never lost.

A submission with unanswered questions is not stored until the student confirms it (the
form's ``confirm`` field): they get the list of what is missing, with "go back" and
"submit anyway". An expired form keeps its marks (and saves them as the draft); a form
posted after the login ended keeps them until the student logs in again
(:mod:`app.student.unsaved`).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.domain import confidence
from app.domain.numbers import points
from app.domain.progress import (
    BadStep,
    layout_of,
    shown_questions,
    target_step,
    unanswered,
)
from app.domain.responses import BadResponse, parse_submission, salvage
from app.domain.textinput import parse_id
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer
from app.extensions import db
from app.lti import sending
from app.models import Assignment, Lesson, LessonVersion
from app.services import attempts as attempt_service
from app.services import drafts
from app.student import bp, unsaved
from app.student.access import (
    account_gone,
    get_assignment_or_abort,
    get_lesson_or_404,
    render_closed,
    retry_url,
)
from app.student.quiz import (
    Progress,
    QuizVersion,
    Taking,
    assignment_page,
    render_quiz,
    render_review,
)

# Form fields that are not answers.
CONTROL_FIELDS = frozenset({"csrf_token", "submission", "version", "confirm", "shown", "step",
                            "go", "layout"})
# The value of ``confirm`` that stores a submission with unanswered questions.
CONFIRM_UNANSWERED = "unanswered"


def version_from_form(lesson: Lesson) -> LessonVersion | None:
    """The version the student saw (scores follow the text they read), if the form says."""
    number = parse_id(request.form.get("version", ""))
    return None if number is None else attempt_service.lesson_version(lesson, number)


@bp.post("/lessons/<slug>")
def submit(slug: str) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return logged_out_post(attempt_service.visible_lesson(slug), None)
    return take(Taking(get_lesson_or_404(slug)))


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
def assignment(assignment_id: int) -> ResponseReturnValue:
    if request.method == "GET":
        return login_required(assignment_page)(assignment_id)
    if not current_user.is_authenticated:
        found = db.session.get(Assignment, assignment_id)
        return logged_out_post(None if found is None else found.lesson, found)
    taken = get_assignment_or_abort(assignment_id)
    return take(Taking(taken.lesson, taken))


def reshow(taking: Taking, version: QuizVersion, marks: dict[str, Any], *, error: str,
           token: str | None = None, status: int = 400) -> ResponseReturnValue:
    """The form again with every valid mark kept: the review step (one question at a time)
    or the whole lesson."""
    step = None if layout_of(current_user.quiz_layout) == "all" else \
        len(version.content["questions"]) + 1
    return render_quiz(taking, version, Progress(marks, step), token=token, error=error,
                       status=status)


def take(taking: Taking) -> ResponseReturnValue:
    """Score and store a submitted quiz form; any problem re-shows it with the marks kept."""
    lesson, assignment = taking.lesson, taking.assignment
    version = version_from_form(lesson)  # type: ignore[arg-type]
    if version is None:
        abort(400, description="This lesson form is out of date. Reload the lesson and answer "
                               "again.")
    questions = version.content["questions"]
    texts = attempt_service.excerpt_texts(version.content)
    token = request.form.get("submission", "")
    asks = taking.asks_confidence
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        return reshow(taking, version, salvage(questions, texts, request.form.getlist, asks),
                      error="This form is incomplete. Your marks are kept below; please "
                            "submit again.")
    try:
        responses = parse_submission(questions, texts, list(request.form.keys()),
                                     request.form.getlist, CONTROL_FIELDS, asks)
    except BadResponse as problem:
        return reshow(taking, version, salvage(questions, texts, request.form.getlist, asks),
                      token=token, error=str(problem))
    missing = unanswered(questions, responses)
    if missing and request.form.get("confirm") != CONFIRM_UNANSWERED:
        return _confirm(taking, version, responses, token, missing[0].number)
    answers, ratings = confidence.split(responses)
    try:
        attempt = attempt_service.submit_attempt(current_user, lesson, version, token,
                                                 answers, assignment=assignment,
                                                 confidence=ratings if asks else None)
    except attempt_service.DuplicateSubmission as duplicate:
        return render_template("student/duplicate.html", lesson=lesson,
                               attempt_id=duplicate.attempt_id,
                               from_marks=version.number == lesson.version,
                               retry_url=retry_url(lesson, assignment)), 409
    except attempt_service.AttemptRefused as refused:
        return render_closed(assignment, str(refused), 409)
    except attempt_service.StudentGone:
        return account_gone()
    if assignment is not None:
        sending.send_after_response(assignment_id=assignment.id)  # the LMS's gradebook
    flash(f"Saved: you scored {points(attempt.score)} out of {points(attempt.max_score)}.",
          "success")
    return redirect(url_for("student.attempt", attempt_id=attempt.id), code=303)


def _confirm(taking: Taking, version: QuizVersion, responses: dict[str, Any], token: str,
             first_missing: int) -> ResponseReturnValue:
    """Nothing stored yet: the marks become the draft (so "go back" finds them) and the
    student sees what is unanswered, with "submit anyway"."""
    ids = [question["id"] for question in version.content["questions"]]
    try:
        drafts.save(taking.where(version.id), responses, ids, first_missing - 1)
    except drafts.NotSaved:
        pass  # the page below still carries every mark
    return render_review(taking, version, responses, token=token, confirming=True)


# --- forms that expired, or were posted after the login ended ----------------------------


def posted_marks(version: QuizVersion, asks_confidence: bool = False) -> tuple[
        dict[str, Any], list[str]]:
    """Every valid mark (and rating, if asked) of the posted form, for the questions it
    showed (all of them when the form does not say: a whole-page or review form), and
    those question ids."""
    questions = version.content["questions"]
    marks = salvage(questions, attempt_service.excerpt_texts(version.content),
                    request.form.getlist, asks_confidence)
    try:
        shown = shown_questions(questions, request.form.getlist("shown"))
    except BadStep:
        shown = []
    if not request.form.getlist("shown"):
        shown = [question["id"] for question in questions]
    return {qid: marks[qid] for qid in shown}, shown


def posted_step(count: int) -> int:
    """The step a posted form was leading to (its button), else the one it was on."""
    current = parse_id(request.form.get("step", "")) or 1
    try:
        return target_step(request.form.get("go") or "stay", min(current, count + 1), count)
    except BadStep:
        return min(current, count + 1)


def logged_out_post(lesson: Lesson | None, assignment: Assignment | None) -> ResponseReturnValue:
    """A quiz form posted after the login ended: keep its marks for when the student logs
    in again, and send them to log in (the same answer whether or not the quiz exists)."""
    kept = False
    next_url = url_for("student.lessons")
    if lesson is not None:
        taking = Taking(lesson, assignment)
        version = version_from_form(lesson) or attempt_service.lesson_version(lesson)
        if version is not None:
            marks, _ = posted_marks(version, taking.asks_confidence)
            step = posted_step(len(version.content["questions"]))
            kept = unsaved.keep(taking.scope, version.number, step, marks)
            next_url = taking.page_url(str(step) if step <= len(
                version.content["questions"]) else "review")
    if request.headers.get("X-Requested-With") == "fetch":
        return {"saved": False, "error": "You were logged out. Log in again in a new tab; "
                                         "your marks stay on this page."}, 401
    flash("Your session ended, so you were logged out. " + (
        "Your last marks are kept: log in again and they will be back on the lesson."
        if kept else "Log in again: the answers saved before are kept."), "info")
    return redirect(url_for("auth.login", next=next_url), code=302)


def render_quiz_after_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """An expired quiz form: show it again with every mark, saved as the draft too."""
    view_args = request.view_args or {}
    if not current_user.is_authenticated:
        if request.endpoint == "student.submit":
            return logged_out_post(attempt_service.visible_lesson(view_args.get("slug", "")),
                                   None)
        found = db.session.get(Assignment, view_args.get("assignment_id", 0))
        return logged_out_post(None if found is None else found.lesson, found)
    if request.endpoint == "student.assignment":
        assignment = get_assignment_or_abort(view_args.get("assignment_id", 0))
        taking = Taking(assignment.lesson, assignment)
    else:
        taking = Taking(get_lesson_or_404(view_args.get("slug", "")))
    version = version_from_form(taking.lesson) or attempt_service.lesson_version(
        taking.lesson)  # type: ignore[arg-type]
    if version is None:
        abort(404)
    marks, shown = posted_marks(version, taking.asks_confidence)
    if unsaved.from_this_site():  # our own page: its marks are the student's own
        try:
            drafts.save(taking.where(version.id), marks, shown,
                        posted_step(len(version.content["questions"])) - 1)
        except drafts.NotSaved:
            pass
    token = request.form.get("submission", "")
    if not attempt_service.SUBMISSION_TOKEN.match(token):
        token = None
    return reshow(taking, version, marks, token=token, error=CSRF_EXPIRED_MESSAGE)


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "student.submit", render_quiz_after_csrf_error)
    register_csrf_error_renderer(state.app, "student.assignment", render_quiz_after_csrf_error)
