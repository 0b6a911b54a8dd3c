"""Teacher routes: the language lens's suggestions in the question editor.

Accept adds a suggestion to the key with its neutral wording (the lens's, or the one the
teacher typed beside it; a word suggestion with neither is refused, review bug 6); Accept
all adds every suggestion that has one. Both are edits of the draft under the lesson's
optimistic lock. Dismiss and "show again" change the teacher's own dismissals, kept
server-side (app/services/dismissals.py), never in the session cookie.

The buttons sit in the question page's one form, so whatever else was typed on the page
travels with them and is saved first (:mod:`app.teacher.authoring_page`). A button is
``name="accept" value="<id>"`` (or dismiss, accept_all, restore); the older fields
``action`` and ``suggestion`` are still read.
"""

from __future__ import annotations

from flask import abort, flash, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.suggestions import Accepted
from app.services import dismissals
from app.services import lesson_keys as key_lists
from app.teacher import bp
from app.teacher.authoring_page import (
    Saved,
    _key_list_or_404,
    lost_phrases,
    read_page,
    save_page,
)
from app.teacher.authoring_questions import _back_to_question
from app.teacher.stale import lesson_to_change

ACTIONS = ("accept", "dismiss", "restore", "accept_all")


def _chosen() -> tuple[str, str]:
    """(action, suggestion id) from the pressed button, or from the older fields."""
    for action in ACTIONS:
        if action in request.form:
            return action, request.form.get(action, "")
    return request.form.get("action", ""), request.form.get("suggestion", "")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/suggestions/<name>")
def question_suggestion(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    """Accept one or all of a key list's suggestions, dismiss one, or show them again."""
    lesson = lesson_to_change(lesson_id)
    action, chosen = _chosen()
    if action not in ACTIONS or (action in ("accept", "dismiss") and not chosen):
        abort(400, description="Choose Accept or Dismiss on one of the suggestions.")
    _key_list_or_404(lesson, question_id, name)
    page = read_page(lesson, question_id, f"suggestions:{name}")
    then = None
    if action == "accept":
        typed = page.neutrals.get(name, {})
        then = key_lists.accept_change(question_id, name, chosen, typed.get(chosen))
    elif action == "accept_all":
        dismissed = dismissals.dismissed(current_user.id, lesson.id, question_id, name)
        then = key_lists.accept_all_change(question_id, name, dismissed,
                                           page.neutrals.get(name, {}))
    outcome = save_page(lesson, question_id, page, then)
    if not isinstance(outcome, Saved):
        return outcome
    results, done = outcome.results, outcome.done
    lost = lost_phrases(page, results)
    if lost:
        flash("Removed because they are no longer in the excerpt: "
              + "; ".join(f"“{phrase}”" for phrase in lost), "info")
    if action == "accept":
        flash(f"Added “{done}” to the key with its neutral wording and why; edit them below "
              "if they need changing.", "success")
        return _back_to_question(lesson, question_id, f"suggestions-{name}")
    if isinstance(done, Accepted):
        _flash_accepted(done)
        return _back_to_question(lesson, question_id, f"suggestions-{name}")
    if action == "restore":
        dismissals.restore(current_user.id, lesson.id, question_id, name)
        flash("Dismissed suggestions are shown again.", "success")
    else:
        try:
            dismissals.dismiss(current_user.id, lesson.id, question_id, name, chosen)
        except dismissals.BadDismissal as problem:
            abort(400, description=str(problem))
        flash("Suggestion dismissed.", "success")
    return _back_to_question(lesson, question_id, f"suggestions-{name}")


def _flash_accepted(done: Accepted) -> None:
    if done.added:
        flash(f"Added {len(done.added)} suggestion{'s' if len(done.added) != 1 else ''} to the "
              "key: " + ", ".join(f"“{phrase}”" for phrase in done.added) + ".", "success")
    if done.waiting:
        flash(", ".join(f"“{phrase}”" for phrase in done.waiting)
              + (" still needs" if len(done.waiting) == 1 else " still need")
              + " a neutral wording: write one beside it, then accept it.", "info")
    if not done.added and not done.waiting:
        flash("No suggestion was left to add.", "info")
