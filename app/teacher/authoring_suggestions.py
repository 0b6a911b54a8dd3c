"""Teacher routes: the language lens's suggestions in the question editor.

Accept adds a suggestion to the key (an edit of the draft, under the lesson's optimistic
lock); Dismiss and "show again" change the teacher's own dismissals, kept server-side
(app/services/dismissals.py), never in the session cookie.
"""

from __future__ import annotations

from flask import abort, flash, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.services import authoring as service
from app.services import dismissals
from app.services import lesson_keys as key_lists
from app.teacher import bp
from app.teacher.authoring import _refused
from app.teacher.authoring_questions import _back_to_question
from app.teacher.stale import lesson_to_change

ACTIONS = ("accept", "dismiss", "restore")


@bp.post("/lessons/<int:lesson_id>/questions/<question_id>/suggestions/<name>")
def question_suggestion(lesson_id: int, question_id: str, name: str) -> ResponseReturnValue:
    """Accept a lens suggestion into the key, dismiss it, or show the dismissed ones again."""
    lesson = lesson_to_change(lesson_id)
    action, chosen = request.form.get("action", ""), request.form.get("suggestion", "")
    if action not in ACTIONS or (action != "restore" and not chosen):
        abort(400, description="Choose Accept or Dismiss on one of the suggestions.")
    if action == "accept":
        with _refused():
            phrase = key_lists.accept_suggestion(lesson, question_id, name, chosen)
        flash(f"Added “{phrase}” to the key with the suggested explanation; edit it below "
              "if it needs changing.", "success")
        return _back_to_question(lesson, question_id, f"rows-{name}")
    with _refused():  # 404 for a question or key list this lesson does not have
        key_lists.key_list(service.open_workspace(lesson, compile=False)
                         .question(question_id), name)
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
