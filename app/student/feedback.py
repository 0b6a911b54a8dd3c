"""Student pages: the feedback on one of their own attempts, and the list of them (results).

What the feedback shows follows the assignment's rule on answers
(:func:`app.services.assignments.answers_hidden_note`): while answers are withheld, no part
of the key reaches the page.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from app.domain import calibration
from app.domain.calibration import RatedAnswer
from app.domain.discernment_report import student_words
from app.extensions import db
from app.models import Assignment, Attempt
from app.services import adjustments, student_results
from app.services import assignments as assignment_service
from app.services import discernment as discernment_service
from app.student import bp
from app.student.access import again_choices, retry_url
from app.student.present import feedback_questions, reason_label
from app.student.present_contests import with_contests


def get_attempt_or_abort(attempt_id: int) -> Attempt:
    """The attempt ``attempt_id`` if the current user may read it.

    Raises 404 if it does not exist, 403 if it belongs to another student.
    """
    attempt = db.session.execute(
        sa.select(Attempt).where(Attempt.id == attempt_id)
        # The feedback page reads all of these: one statement (the student's few contests
        # joined in), plus one for the answers.
        .options(joinedload(Attempt.lesson), joinedload(Attempt.lesson_version),
                 joinedload(Attempt.assignment).joinedload(Assignment.classroom),
                 joinedload(Attempt.contests), selectinload(Attempt.answers))
    ).unique().scalar_one_or_none()
    if attempt is None:
        abort(404)
    if attempt.user_id != current_user.id:
        abort(403)
    return attempt


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> ResponseReturnValue:
    return feedback_page(get_attempt_or_abort(attempt_id))


def feedback_page(attempt: Attempt, failed: dict[str, Any] | None = None,
                  status: int = 200) -> ResponseReturnValue:
    """The feedback on the student's own ``attempt``; ``failed``: a contest form refused."""
    content = attempt.lesson_version.content
    # Feedback timing: until the assignment allows it, nothing of the key reaches the page.
    # The teacher's extension (the student's own due date) and grade, in one query.
    change = adjustments.of_attempt(attempt)
    hidden_note = assignment_service.answers_hidden_note(attempt,
                                                         extended_to=change.extended_to)
    questions = [] if hidden_note else with_contests(
        attempt, feedback_questions(content, list(attempt.answers)), failed)
    again_url = retry_url(attempt.lesson, attempt.assignment)
    # Scores by rating say how well the student did: hidden with the answers.
    sure_note = None if hidden_note else calibration.student_note(
        RatedAnswer(attempt.user_id, answer.question_id, answer.confidence, answer.points,
                    answer.max_points) for answer in attempt.answers if answer.confidence)
    return render_template(
        "student/attempt.html", attempt=attempt, lesson=attempt.lesson, content=content,
        questions=questions, reason_label=reason_label, hidden_note=hidden_note,
        retry_url=again_url, again=again_choices(attempt, again_url),
        override=change.override, sure_note=sure_note,
        discernment=None if hidden_note else student_words(
            discernment_service.attempt_counts(attempt)),
    ), status


@bp.get("/results")
@login_required
def results() -> ResponseReturnValue:
    results = student_results.results_of(current_user)
    # Only attempts whose answers the student may see count: the counts say how many
    # items there were, which a withheld key keeps to itself.
    shown = discernment_service.visible_attempts(current_user,
                                                 [*results.assigned, *results.practice])
    return render_template("student/results.html", results=results,
                           discernment=student_words(discernment_service.own_counts(shown)))
