"""Worked examples: a lesson's ``examples`` shown answered, with the key's reasons, before
the first question. Nothing about them is scored or stored.

Each example is answered the way the key answers it (:func:`app.domain.answers.
perfect_response`) and scored by the quiz's own scorers, so the page shows exactly the
feedback a student who found everything would see: the same explanations, the same
debatable items, the same cards. A version's examples never change (an edit makes a new
version), so their markup is rendered once per version and process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import render_template
from markupsafe import Markup

from app.caching import kept
from app.domain.answers import perfect_response
from app.domain.scoring import score_question
from app.student.present import feedback_questions, reason_label


class _Answer:
    """What the feedback views read from an answer: its question, kind, points, verdicts."""

    __slots__ = ("kind", "max_points", "points", "question_id", "verdicts")

    def __init__(self, question: Mapping[str, Any], texts: Mapping[str, str]) -> None:
        result = score_question(question, perfect_response(question), texts)
        self.question_id, self.kind = question["id"], question["kind"]
        self.points, self.max_points = result.points, result.max_points
        self.verdicts = result.verdicts


def example_views(content: Mapping[str, Any], **where: Any) -> list[dict[str, Any]]:
    """One feedback view per worked example of ``content`` (none: [])."""
    examples = content.get("examples") or []
    if not examples:
        return []
    shown = {**content, "questions": examples}
    texts = {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}
    return feedback_questions(shown, [_Answer(question, texts) for question in examples],
                              **where)


def examples_html(content: Mapping[str, Any], cache_key: tuple[Any, ...] | None = None,
                  **where: Any) -> Markup:
    """The worked-examples section of a quiz page ('' for a lesson without examples)."""
    if not content.get("examples"):
        return Markup("")

    def render() -> Markup:
        # Markup only wraps what an autoescaping template produced: nothing raw goes in.
        return Markup(render_template(  # nosec B704
            "student/_examples.html", examples=example_views(content, **where),
            reason_label=reason_label))

    if cache_key is None:
        return render()
    return kept("worked_examples", 64).get(cache_key, render)
