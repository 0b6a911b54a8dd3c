"""Student route: "I disagree" with one item of the feedback on an own attempt.

The form is on the feedback page (``student/_contest.html``); the contest is recorded by
:mod:`app.services.contests`, and the student comes back to the same question with a
note that it was sent. A refused reason shows the page again (400) with what was typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.services import contests as contest_service
from app.student import bp
from app.student.feedback import feedback_page, get_attempt_or_abort
from app.student.forms import ContestForm


@bp.post("/attempts/<int:attempt_id>/contests")
@login_required
def contest(attempt_id: int) -> ResponseReturnValue:
    """404: no such attempt, or no such item in it; 403: another student's attempt, or
    feedback not shown yet; 400: no reason, or a reason too long; 429: too many sent."""
    attempt = get_attempt_or_abort(attempt_id)
    form = ContestForm()
    if not form.validate_on_submit():
        if form.question.errors or form.place.errors:
            abort(400, description="This form is incomplete; reload the feedback page.")
        errors = [error for field in (form.reason, form.csrf_token) for error in field.errors]
        return feedback_page(attempt, {"question": form.question.data,
                                       "place": form.place.data,
                                       "reason": form.reason.data or "", "errors": errors}, 400)
    try:
        contest_service.send(current_user, attempt, form.question.data, form.place.data,
                             form.reason.data.strip())
    except contest_service.ContestRefused as refused:
        abort(refused.status, description=refused.message)
    flash(contest_service.SENT_MESSAGE, "success")
    return redirect(url_for("student.attempt", attempt_id=attempt.id,
                            _anchor=f"fb-{form.question.data}"), code=303)
