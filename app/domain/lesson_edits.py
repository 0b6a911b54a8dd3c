"""The lesson editor's changes to questions, as pure functions over a lesson source dict.

A lesson source is the plain dict a lesson file reads as
(:func:`app.domain.lesson_files.parse_source`). Each function here returns a changed copy and
never touches its argument; :class:`EditRefused` (or :class:`QuestionMissing`) says why a
change cannot be made, in words for the teacher. A question on an excerpt whose document
has a reading carries no key of its own: it takes its key from the reading, narrowed by
category (``about``), and a compare question chooses what its sides mark (``mark``).
New parts get their ids here too (:func:`next_id`, :func:`valid_id`), and a new question
starts as :func:`new_question`'s empty shell.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from app.domain.keys import MARKS
from app.domain.lessons import KINDS
from app.domain.readings import CATEGORIES

Source = Mapping[str, Any]
# The kinds whose key a reading gives; framing keeps its options and signals.
KEYED_BY_READING = ("loaded_terms", "sourcing", "compare")


class EditRefused(ValueError):
    """A change the editor cannot make; the message is for the teacher."""


class QuestionMissing(EditRefused):
    """The question named is not in the lesson (deleted in another tab, or never there)."""


# --- ids and new questions ---------------------------------------------------------------

_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def valid_id(value: Any) -> bool:
    """True for an id the lesson format accepts (lower-case letters, digits, '-', '_')."""
    return isinstance(value, str) and bool(_ID.match(value))


def next_id(prefix: str, taken: Iterable[Any]) -> str:
    """The first of ``prefix1``, ``prefix2``, ... that is not in ``taken``."""
    used = set(taken)
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def new_question(kind: str, question_id: str, excerpt_ids: Sequence[str]) -> dict[str, Any]:
    """An empty question of ``kind`` on the given excerpt(s), ready to be keyed.

    It does not compile yet (no key, no options): the editor shows what is missing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    question: dict[str, Any] = {"id": question_id, "kind": kind}
    if kind == "compare":
        question["options"] = []
        question["sides"] = [{"excerpt": ref, "frame": "", "frame_why": "", "terms": []}
                             for ref in excerpt_ids]
        return question
    question["excerpt"] = excerpt_ids[0]
    if kind == "verify":
        question.update(claim="", verdict="", why="", cards=[])
    else:
        question[{"loaded_terms": "phrases", "framing": "options", "sourcing": "gaps",
                  "omission": "facts"}[kind]] = []
    return question


# --- changes to questions -----------------------------------------------------------------

def _questions(source: Source) -> list[dict[str, Any]]:
    return [q for q in source.get("questions") or [] if isinstance(q, dict)]


def _excerpt_ids(source: Source) -> list[str]:
    return [str(e.get("id")) for e in source.get("excerpts") or [] if isinstance(e, dict)]


def _find(source: dict[str, Any], question_id: str) -> dict[str, Any]:
    found = next((q for q in _questions(source) if str(q.get("id")) == question_id), None)
    if found is None:
        raise QuestionMissing("There is no such question in this lesson (it may have been "
                              "deleted in another tab).")
    return found


def excerpts_used(question: Mapping[str, Any]) -> list[Any]:
    """The excerpt id(s) a question is asked on (a compare question's sides, in order)."""
    if question.get("kind") == "compare":
        return [side.get("excerpt") for side in question.get("sides") or []
                if isinstance(side, dict)]
    return [question.get("excerpt")]


def chosen_excerpts(source: Source, kind: str, excerpt_ids: Sequence[str]) -> list[str]:
    """The excerpt ids a question of ``kind`` is to use, checked: one (two different ones
    for compare), each in the lesson."""
    wanted = [ref for ref in excerpt_ids if ref]
    needed = 2 if kind == "compare" else 1
    if len(wanted) < needed:
        raise EditRefused("A compare question needs two excerpts." if needed == 2 else
                          "Choose the excerpt this question is about.")
    wanted = wanted[:needed]
    if len(set(wanted)) != len(wanted):
        raise EditRefused("Choose two different excerpts to compare.")
    known = _excerpt_ids(source)
    for ref in wanted:
        if ref not in known:
            raise EditRefused(f"There is no excerpt '{ref}' in this lesson.")
    return wanted


def add_question(source: Source, kind: str, excerpt_ids: Sequence[str],
                 with_reading: Collection[str] = ()) -> tuple[dict[str, Any], str]:
    """A copy of ``source`` with a new question of ``kind`` on the chosen excerpt(s), and
    the new question's id.

    ``with_reading`` holds the ids of the lesson's excerpts whose document has a reading:
    a loaded-terms, sourcing or compare question on those is given no key lists (its key
    comes from the reading, so it is complete at once; a compare question still needs its
    frames). Elsewhere the question gets empty key lists for the teacher to mark.
    """
    if kind not in KINDS:
        raise EditRefused(f"Unknown question kind '{kind}'.")
    refs = chosen_excerpts(source, kind, excerpt_ids)
    changed = copy.deepcopy(dict(source))
    question_id = next_id("q", [q.get("id") for q in _questions(changed)])
    question = new_question(kind, question_id, refs)
    if kind in KEYED_BY_READING and all(ref in with_reading for ref in refs):
        question.pop("phrases", None)
        question.pop("gaps", None)
        for side in question.get("sides") or []:
            side.pop("terms", None)
    questions = changed.get("questions")
    if not isinstance(questions, list):
        questions = changed["questions"] = []
    questions.append(question)
    return changed, question_id


def remove_question(source: Source, question_id: str) -> dict[str, Any]:
    """A copy of ``source`` without question ``question_id``."""
    changed = copy.deepcopy(dict(source))
    changed["questions"].remove(_find(changed, question_id))
    return changed


def move_question(source: Source, question_id: str, offset: int) -> dict[str, Any]:
    """A copy of ``source`` with the question moved up (-1) or down (+1)."""
    changed = copy.deepcopy(dict(source))
    questions = changed["questions"]
    position = questions.index(_find(changed, question_id))
    target = max(0, min(len(questions) - 1, position + offset))
    questions.insert(target, questions.pop(position))
    return changed


def set_about(source: Source, question_id: str, about: Sequence[str]) -> dict[str, Any]:
    """A copy of ``source`` in which a loaded-terms or compare question asks only about
    the words for ``about`` (categories of the reading); none: every loaded word."""
    changed = copy.deepcopy(dict(source))
    question = _find(changed, question_id)
    if question.get("kind") not in ("loaded_terms", "compare"):
        raise EditRefused("Only loaded-terms and compare questions narrow their key by "
                          "what the words name.")
    unknown = [name for name in about if name not in CATEGORIES]
    if unknown:
        raise EditRefused(f"Unknown category '{unknown[0]}' (expected one of: "
                          f"{', '.join(CATEGORIES)}).")
    names = list(dict.fromkeys(about))
    if not names or set(names) == set(CATEGORIES):
        question.pop("about", None)
    else:
        question["about"] = [name for name in CATEGORIES if name in names]
    return changed


def set_mark(source: Source, question_id: str, mark: str) -> dict[str, Any]:
    """A copy of ``source`` in which a compare question's sides mark ``mark``: the
    reading's loaded words (the default) or the words standing in for a source."""
    changed = copy.deepcopy(dict(source))
    question = _find(changed, question_id)
    if question.get("kind") != "compare":
        raise EditRefused("Only compare questions choose what their sides mark.")
    if mark not in MARKS:
        raise EditRefused(f"'mark' is one of: {', '.join(MARKS)}.")
    if mark == "loaded":
        question.pop("mark", None)
    else:
        question["mark"] = mark
        question.pop("about", None)  # stand-ins are sourcing gaps: no category
    return changed
