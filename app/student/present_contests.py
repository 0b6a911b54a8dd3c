"""The "I disagree" controls of the feedback page, added to the verdicts it shows.

Next to every wrong mark, missed item and partly found item, the page offers a contest
form (``student/_contest.html``). This adds to each such verdict (a copy: stored verdicts
are never changed) what its form needs: the question, the item's place, and the
student's contest of it so far (or the reason they just typed, with the problem).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.models import CONTESTED_VERDICTS, Attempt
from app.services import contests as contest_service


def with_contests(attempt: Attempt, questions: list[dict[str, Any]],
                  failed: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """``questions`` (from :func:`app.student.present.feedback_questions`) with a
    ``contest`` entry on each contestable verdict. ``failed``: the form just refused
    (``question``, ``place``, ``reason`` typed, ``errors``), shown open again."""
    content = attempt.lesson_version.content
    sent = contest_service.contests_of_attempt(attempt)
    for question in questions:
        for part in question.get("sides") or [question]:
            groups = part.get("groups") or {}
            for name in CONTESTED_VERDICTS:
                groups[name] = [_with_contest(attempt, content, question["id"], verdict, sent,
                                              failed) for verdict in groups.get(name, [])]
    return questions


def _with_contest(attempt: Attempt, content: Mapping[str, Any], question_id: str,
                  verdict: Mapping[str, Any], sent: Mapping[tuple[str, int, int], Any],
                  failed: Mapping[str, Any] | None) -> Mapping[str, Any]:
    target = contest_service.target_of(content, question_id, verdict)
    if target is None:
        return verdict
    place = contest_service.unit_key(verdict)
    contest = sent.get((question_id, target.start, target.end))
    control: dict[str, Any] = {
        "attempt_id": attempt.id, "question": question_id, "place": place,
        "dom": f"contest-{question_id}-{place}".replace(":", "-").replace(".", "-"),
        "reason": contest.reason if contest else "", "status": contest.status if contest else None,
        "errors": [], "open": False,
    }
    if failed and failed.get("question") == question_id and failed.get("place") == place:
        control.update(reason=failed.get("reason", ""), errors=list(failed.get("errors", [])),
                       open=True)
    return {**verdict, "contest": control}
