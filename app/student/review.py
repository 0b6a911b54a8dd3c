"""Student pages: review of what was missed (see app/services/review.py).

``/review`` lists the set due now; ``/review/<id>`` shows one item as a quiz question (the
quiz page's partials, a plain form post) or, once answered, its feedback (the feedback
page's partials). A student reaches only their own items, of classes with review on;
anything else is a 404, as for an item that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.domain.discernment import technique_label
from app.domain.numbers import points
from app.domain.responses import BadResponse, parse_submission, salvage
from app.domain.review import next_step
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer
from app.models import ReviewItem
from app.security import clock
from app.services import review as review_service
from app.student import bp, unsaved
from app.student.present import feedback_questions, quiz_questions, reason_label, sources

# Form fields that are not answers (the questions partial names itself in "shown").
CONTROL_FIELDS = frozenset({"csrf_token", "shown"})
# A review question has one question: its form never needs more fields than this, and a
# post with more is not kept across a login (see _after_csrf_error).
_MAX_KEPT_FIELDS = 16


def _scope(item_id: int) -> str:
    """The key under which a logged-out student's marks for one item are kept."""
    return f"review:{item_id}"


@bp.app_context_processor
def _review_summary() -> dict[str, Any]:
    # A function: only the pages that show the review entry run its query.
    return {"review_summary": lambda: review_service.student_view(current_user.id)}


def _own_item_or_404(item_id: int) -> ReviewItem:
    item = review_service.item_of_student(item_id, current_user.id)
    if item is None:
        abort(404)
    return item


@bp.get("/review")
@login_required
def review_list() -> ResponseReturnValue:
    view = review_service.student_view(current_user.id)
    if not view.enabled:
        abort(404)
    items = review_service.items_of_student([item.id for item in view.due], current_user.id)
    return render_template("student/review_list.html", view=view, items=items,
                           technique_label=technique_label)


@dataclass(frozen=True, slots=True)
class _Answer:
    """A stored review answer as the feedback partials read an attempt's answer."""

    question_id: str
    kind: str
    verdicts: list[Any]
    points: float
    max_points: float


def _texts(item: ReviewItem) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in item.content["excerpts"]}


def render_item(item: ReviewItem, marks: Mapping[str, Any] | None = None, *,
                error: str | None = None, note: str | None = None,
                status: int = 200) -> ResponseReturnValue:
    """The item's question (with ``marks``), or its feedback once answered."""
    content = item.content
    where = sources(content)
    context: dict[str, Any] = {"item": item, "technique": technique_label(item.technique),
                               "error": error, "note": note, "reason_label": reason_label,
                               "now": clock.now()}
    if item.answered_at is not None:
        (question,) = content["questions"]
        answer = _Answer(question["id"], question["kind"], list(item.verdicts or []),
                         float(item.points or 0), float(item.max_points or 0))
        context.update(feedback=feedback_questions(content, [answer]),
                       next_item=review_service.next_of(item),
                       completed=next_step(item.step, answer.points, answer.max_points) is None)
    else:
        context["questions"] = quiz_questions(content, marks or {}, where=where)
    return render_template("student/review_item.html", **context), status


@bp.get("/review/<int:item_id>")
@login_required
def review_item(item_id: int) -> ResponseReturnValue:
    item = _own_item_or_404(item_id)
    kept = unsaved.take(_scope(item_id))
    if kept is None or item.answered_at is not None:
        return render_item(item)
    # Marks posted after the login had ended, kept in the browser: back in the form, checked
    # against the question like any post (anything that does not fit is dropped).
    fields = kept.marks

    def getlist(key: str) -> list[str]:
        values = fields.get(key)
        return [str(value) for value in values] if isinstance(values, list) else []

    flash("Your marks from before you were logged out are back. Check them and submit.",
          "info")
    return render_item(item, salvage(item.content["questions"], _texts(item), getlist))


def _keep_and_log_in(item_id: int) -> ResponseReturnValue:
    """A review answer posted after the login ended: its marks are kept in the browser for
    the account the session named (:mod:`app.student.unsaved`), and come back in the form
    when that student logs in and the question opens again."""
    answers = [key for key in request.form if key not in CONTROL_FIELDS]
    kept = len(answers) <= _MAX_KEPT_FIELDS and unsaved.keep(
        _scope(item_id), 1, 1, {key: request.form.getlist(key) for key in answers})
    flash("Your session ended, so you were logged out. Log in again: "
          + ("your marks are kept and come back when the question opens."
             if kept else "then answer the review question again."), "info")
    return redirect(url_for("auth.login", next=url_for("student.review_item",
                                                       item_id=item_id)), code=302)


@bp.post("/review/<int:item_id>")
def review_answer(item_id: int) -> ResponseReturnValue:
    if not current_user.is_authenticated:  # not login_required: the marks are kept first
        return _keep_and_log_in(item_id)
    item = _own_item_or_404(item_id)
    if item.answered_at is not None:
        return render_item(item, note="You answered this review question already; this is "
                                      "what was recorded.", status=409)
    questions = item.content["questions"]
    texts = _texts(item)
    try:
        response = parse_submission(questions, texts, list(request.form.keys()),
                                    request.form.getlist, CONTROL_FIELDS)
    except BadResponse as problem:
        return render_item(item, salvage(questions, texts, request.form.getlist),
                           error=str(problem), status=400)
    try:
        answered = review_service.answer(item, response[questions[0]["id"]])
    except review_service.AlreadyAnswered:
        return render_item(_own_item_or_404(item_id), note="You answered this review "
                           "question already; this is what was recorded.", status=409)
    except review_service.NotDue:
        return render_item(item, response, status=409,
                           error="This review question is not due yet. Come back on the "
                                 "day it is due; your marks are still below.")
    flash(f"Saved: you scored {points(answered.item.points or 0)} out of "
          f"{points(answered.item.max_points or 0)}.", "success")
    return redirect(url_for("student.review_item", item_id=item_id), code=303)


def _after_csrf_error(_error: CSRFError) -> ResponseReturnValue:
    """An expired review form: the question again with every mark kept."""
    if not current_user.is_authenticated:
        return _keep_and_log_in((request.view_args or {}).get("item_id", 0))
    item = _own_item_or_404((request.view_args or {}).get("item_id", 0))
    if item.answered_at is not None:
        return render_item(item, status=400)
    marks = salvage(item.content["questions"], _texts(item), request.form.getlist)
    return render_item(item, marks, error=CSRF_EXPIRED_MESSAGE, status=400)


@bp.record_once
def _install_csrf_renderer(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "student.review_answer", _after_csrf_error)
