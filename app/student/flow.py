"""Saving progress: every Back, Next and jump, the page's own saves, start over, try again.

``POST .../progress`` stores the marks of the questions a page showed and goes where its
button says (303 to ``?q=…``), or, from the page's script (``X-Requested-With: fetch``),
answers in JSON with a fresh CSRF token. It also switches the layout (one question at a
time, or all on one page), keeping the marks.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf

from app.domain.progress import (
    LAYOUTS,
    BadStep,
    answered_count,
    known_marks,
    layout_of,
    merge,
    parse_step,
    shown_questions,
    step_name,
    target_step,
    unanswered,
)
from app.domain.responses import BadResponse, field_names, parse_response, salvage
from app.domain.textinput import parse_id
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer
from app.extensions import db
from app.models import Assignment
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.services import drafts
from app.student import bp, unsaved
from app.student.access import (
    again_choices,
    authorized,
    get_assignment_or_abort,
    get_lesson_or_404,
    retry_url,
)
from app.student.feedback import get_attempt_or_abort
from app.student.quiz import Progress, QuizVersion, Taking, render_quiz
from app.student.submit import CONTROL_FIELDS, logged_out_post, posted_marks, version_from_form


def _fetched() -> bool:
    """Whether the page's script sent this (it wants JSON, not a page)."""
    return request.headers.get("X-Requested-With") == "fetch"


@bp.post("/lessons/<slug>/progress")
def save_lesson(slug: str) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return logged_out_post(attempt_service.visible_lesson(slug), None)
    return save(Taking(get_lesson_or_404(slug)))


@bp.post("/assignments/<int:assignment_id>/progress")
def save_assignment(assignment_id: int) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        found = db.session.get(Assignment, assignment_id)
        return logged_out_post(None if found is None else found.lesson, found)
    # As the quiz page reads it (plain values): a class saves every question of a lesson.
    view = authorized(assignment_service.quiz_view(assignment_id, current_user.id))
    return save(Taking(view.assignment.lesson, view.assignment),
                attempt_service.version_snapshot(view.version_id, view.content_hash))


def _refused(taking: Taking, version: QuizVersion | None, message: str,
             step: int | None = None, marks: dict[str, Any] | None = None,
             status: int = 400) -> ResponseReturnValue:
    """A save that cannot be stored: JSON for the script, else the page with the marks."""
    if _fetched() or version is None:
        if not _fetched():
            abort(status, description=message)
        return {"saved": False, "error": message}, status
    shown = list(marks or {})
    return render_quiz(taking, version,
                       Progress(with_draft(taking, version, marks or {}, shown), step),
                       error=message, status=status)


def save(taking: Taking, current: QuizVersion | None = None) -> ResponseReturnValue:
    """Store the posted marks as the draft, then go where the pressed button leads.

    ``current``: the lesson's current version, if the caller has read it already.
    """
    number = parse_id(request.form.get("version", ""))
    if current is not None and number == current.number:
        version: QuizVersion | None = current
    else:
        version = None if number is None else attempt_service.version_by_number(
            taking.lesson.id, number)
    if version is None:
        return _refused(taking, None, "This lesson form is out of date. Reload the lesson: "
                                      "the answers saved before are kept.")
    questions = version.content["questions"]
    count = len(questions)
    texts = attempt_service.excerpt_texts(version.content)
    try:
        shown = shown_questions(questions, request.form.getlist("shown"))
        current = parse_step(request.form.get("step"), count) or 1
        target = target_step(request.form.get("go") or "stay", current, count)
    except BadStep as problem:
        return _refused(taking, None, str(problem))
    by_id = {question["id"]: question for question in questions}
    asks = taking.asks_confidence
    allowed = CONTROL_FIELDS.union(*(field_names(by_id[qid], asks) for qid in shown))
    if any(key not in allowed for key in request.form.keys()):
        return _refused(taking, version, "This page sent answers for a question it did not "
                                         "show. Reload the lesson and try again.", current)
    try:
        marks = {qid: parse_response(by_id[qid], texts, request.form.getlist, asks)
                 for qid in shown}
    except BadResponse as problem:
        kept = salvage(questions, texts, request.form.getlist, asks)
        return _refused(taking, version, str(problem), current,
                        {qid: kept[qid] for qid in shown})
    layout = request.form.get("layout")
    if layout is not None:
        if layout not in LAYOUTS:
            return _refused(taking, version, "That page layout does not exist.", current, marks)
        current_user.quiz_layout = layout  # stored with the draft, below
    # Read before the commit below expires the loaded rows (each would be read again).
    whole_page = layout_of(current_user.quiz_layout) == "all"
    anchor = f"q-{shown[0]}" if len(shown) == 1 else None
    next_url = taking.page_url(anchor=anchor) if whole_page else taking.page_url(
        step_name(target, count))
    try:
        saved = drafts.save(taking.where(version.id), marks, shown, target - 1)
    except drafts.NotSaved:
        return _refused(taking, version, "Your answers could not be saved: the lesson changed "
                                         "meanwhile. Reload it.", current, marks, 409)
    if _fetched():
        return {"saved": True, "answered": answered_count(questions, saved), "count": count,
                "csrf": generate_csrf()}
    if whole_page:
        if layout is None:
            flash("Saved. You can close this page and finish later, on this or another "
                  "device.", "success")
        return redirect(next_url, code=303)
    if layout == "one":  # from the whole page: start where something is missing
        missing = unanswered(questions, saved)
        next_url = taking.page_url(step_name(missing[0].number if missing else 1, count))
    return redirect(next_url, code=303)


@bp.post("/lessons/<slug>/progress/discard")
@login_required
def discard_lesson(slug: str) -> ResponseReturnValue:
    return _discard(Taking(get_lesson_or_404(slug)))


@bp.post("/assignments/<int:assignment_id>/progress/discard")
@login_required
def discard_assignment(assignment_id: int) -> ResponseReturnValue:
    taken = get_assignment_or_abort(assignment_id)
    return _discard(Taking(taken.lesson, taken))


def _discard(taking: Taking) -> ResponseReturnValue:
    """"Start over": the saved answers are deleted; the quiz opens at question 1."""
    if drafts.discard(current_user.id, taking.scope):
        flash("Your saved answers were cleared. You are starting again from question 1.",
              "info")
    return redirect(taking.page_url("1"), code=303)


# --- try again ----------------------------------------------------------------------------


@bp.post("/attempts/<int:attempt_id>/again")
@login_required
def again(attempt_id: int) -> ResponseReturnValue:
    """Try again, blank (``start=blank``) or from this attempt's marks (``start=mine``).

    Starting from one's own marks reveals nothing of the key, so it is offered whatever
    the assignment's feedback setting; it needs another attempt to be allowed.
    """
    attempt = get_attempt_or_abort(attempt_id)
    choices = again_choices(attempt, retry_url(attempt.lesson, attempt.assignment))
    if choices is None:
        abort(409, description="You cannot take this lesson again: no more attempts are "
                               "allowed, or it is no longer open to you.")
    taking = Taking(attempt.lesson, attempt.assignment)
    start = request.form.get("start")
    if start == "blank":
        drafts.discard(current_user.id, taking.scope)
        flash("A fresh start: nothing is marked yet.", "info")
    elif start == "mine":
        if not choices["from_marks"]:
            abort(409, description="This lesson has changed since that attempt, so your "
                                   "marks no longer fit its text. Start blank instead.")
        questions = attempt.lesson_version.content["questions"]
        marks = known_marks(questions, {answer.question_id: answer.response
                                        for answer in attempt.answers})
        drafts.replace(taking.where(attempt.lesson_version_id), marks)
        flash("Your answers from that attempt are filled in. Change what you want, then "
              "submit: it counts as a new attempt.", "info")
    else:
        abort(400, description="Choose to start blank or from your answers.")
    return redirect(taking.page_url("1"), code=303)


# --- an expired page ----------------------------------------------------------------------


def _save_after_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """A save whose form expired. The script gets a fresh token to retry with; a button
    press gets its page again with the marks (saved too, when the post came from our own
    page); a logged-out student keeps them until they log in again."""
    view_args = request.view_args or {}
    if not current_user.is_authenticated:
        found = (db.session.get(Assignment, view_args.get("assignment_id", 0))
                 if "assignment_id" in view_args else None)
        lesson = (found.lesson if found is not None else
                  attempt_service.visible_lesson(view_args.get("slug", "")))
        return logged_out_post(lesson, found)
    if _fetched():
        return {"saved": False, "retry": True, "csrf": generate_csrf(),
                "error": "This page had expired; saving again."}, 400
    if "assignment_id" in view_args:
        taken = get_assignment_or_abort(view_args["assignment_id"])
        taking = Taking(taken.lesson, taken)
    else:
        taking = Taking(get_lesson_or_404(view_args.get("slug", "")))
    version = version_from_form(taking.lesson) or attempt_service.lesson_version(
        taking.lesson)  # type: ignore[arg-type]
    if version is None:
        abort(404)
    marks, shown = posted_marks(version, taking.asks_confidence)
    count = len(version.content["questions"])
    current = min(parse_step_or_one(request.form.get("step"), count), count + 1)
    if unsaved.from_this_site():
        try:
            drafts.save(taking.where(version.id), marks, shown, current - 1)
        except drafts.NotSaved:
            pass
    return render_quiz(taking, version, Progress(with_draft(taking, version, marks, shown),
                                                 current),
                       error=CSRF_EXPIRED_MESSAGE, status=400)


def with_draft(taking: Taking, version: QuizVersion, marks: dict[str, Any],
               shown: list[str]) -> dict[str, Any]:
    """The draft's marks (on this version) with the posted ones of ``shown`` over them:
    what a re-shown step lists as answered."""
    draft = drafts.find(current_user.id, taking.scope)
    saved = draft.marks if draft is not None and draft.version_id == version.id else {}
    return merge(saved, marks, shown)


def parse_step_or_one(raw: str | None, count: int) -> int:
    try:
        return parse_step(raw, count) or 1
    except BadStep:
        return 1


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    for endpoint in ("student.save_lesson", "student.save_assignment"):
        register_csrf_error_renderer(state.app, endpoint, _save_after_csrf_error)
