"""The lesson editor's key lists, for questions keyed in the lesson (documents without a
reading): mark them on the excerpt, explain each entry, take the lens's suggestions; and
the options and frames of framing and compare questions.

Each change is built by a ``*_change`` function (a step applied to the opened draft,
without saving) and made by the function of the same idea (:func:`mark_key`...), which
saves it through :func:`app.services.authoring.edit`. The question page saves several
steps at once, in one edit (:mod:`app.services.lesson_question_page`): every field of the
page travels with every button, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.domain import key_phrases
from app.domain import suggestions as lens_suggestions
from app.domain.frames import frame_by_id
from app.domain.lens import analyze
from app.domain.lesson_edits import valid_id
from app.models import Lesson
from app.services.authoring import (
    AuthoringError,
    EditConflict,
    MarksReader,
    PartNotFound,
    Workspace,
    edit,
)
from app.services.frames import library_frames

Change = Callable[[Workspace], Any]


def key_list(question: dict[str, Any], name: str) -> key_phrases.KeyList:
    """The key list ``name`` of ``question`` (404 if this kind has none by that name)."""
    found = next((k for k in key_phrases.key_lists(question) if k.name == name), None)
    if found is None:
        raise PartNotFound("This question has no such list of key phrases.")
    return found


def _marked_on(workspace: Workspace, question: dict[str, Any],
               target: key_phrases.KeyList) -> str:
    text = workspace.excerpt_text(key_phrases.key_excerpt(question, target))
    if text is None:
        raise EditConflict("This question's excerpt cannot be found in its document; fix the "
                           "excerpt before marking the key.")
    return text


def marks_change(question_id: str, name: str, read: MarksReader, *,
                 only_if_changed: bool = False) -> Change:
    """Set a key list from the units marked on its excerpt (runs of words become phrases).

    Explanations already written for an unchanged phrase are kept; the step returns the
    phrases that were dropped because they could not be found in the excerpt any more.
    ``only_if_changed``: leave the list alone when the marks are the ones it holds (the
    marks travelled with another button; nothing to drop).
    """
    def change(workspace: Workspace) -> list[str]:
        question = workspace.question(question_id)
        target = key_list(question, name)
        holder = key_phrases.key_holder(question, target)
        entries = [e for e in holder.get(target.field) or [] if isinstance(e, dict)]
        text = _marked_on(workspace, question, target)
        marked = read(text, target.unit)
        if only_if_changed and set(marked) == lens_suggestions.taken_units(text, entries,
                                                                           target.unit):
            return []
        new, lost = key_phrases.rekey(entries, text, marked, target.unit, target.fields)
        if new or target.required:
            holder[target.field] = new
        else:
            holder.pop(target.field, None)
        return lost
    return change


def mark_key(lesson: Lesson, question_id: str, name: str, read: MarksReader) -> list[str]:
    """Save :func:`marks_change`; returns the phrases dropped."""
    return edit(lesson, marks_change(question_id, name, read))


def explanations_change(question_id: str, name: str, phrases: Sequence[str],
                        rows: Sequence[Mapping[str, str]]) -> Change:
    """Set the neutral wording / reason / why of each phrase of a key list.

    ``phrases`` are the phrases the form was drawn for; if the list has changed since
    (marked again in another tab), :class:`EditConflict` is raised.
    """
    def change(workspace: Workspace) -> None:
        question = workspace.question(question_id)
        target = key_list(question, name)
        entries = key_phrases.key_holder(question, target).get(target.field) or []
        current = [str(entry.get("phrase", "")) for entry in entries if isinstance(entry, dict)]
        if current != list(phrases) or len(rows) != len(current):
            raise EditConflict("The marked phrases changed since this form was opened "
                               "(perhaps in another tab). Your explanations were not saved; "
                               "reload the question and enter them again.")
        for entry, row in zip(entries, rows, strict=True):
            for name_ in target.fields:
                entry[name_] = row.get(name_, "").strip()
    return change


def explain_key(lesson: Lesson, question_id: str, name: str, phrases: Sequence[str],
                rows: Sequence[Mapping[str, str]]) -> None:
    """Save :func:`explanations_change` (nothing is saved on a conflict)."""
    edit(lesson, explanations_change(question_id, name, phrases, rows))


def key_suggestions(workspace: Workspace, question: dict[str, Any], target: key_phrases.KeyList,
                    dismissed: Sequence[str] = ()) -> list[lens_suggestions.Suggestion]:
    """The lens's findings offered for key list ``target`` (see app/domain/suggestions.py).

    Nothing for a list the lens does not fill or an excerpt that cannot be found; never a
    finding that touches a phrase or control of this question, or one in ``dismissed``.
    """
    text = workspace.excerpt_text(key_phrases.key_excerpt(question, target))
    if text is None or target.name not in lens_suggestions.OFFERED or target.side is not None:
        return []
    entries = [entry for key in key_phrases.key_lists(question) if key.unit == target.unit
               for entry in key_phrases.key_holder(question, key).get(key.field) or []
               if isinstance(entry, dict)]
    return lens_suggestions.suggest(
        text, analyze(text), target.name, target.unit,
        lens_suggestions.taken_units(text, entries, target.unit), dismissed)


class NeedsNeutral(AuthoringError):
    """A word suggestion accepted without a neutral wording (400; nothing is saved)."""

    def __init__(self, message: str, key_name: str, suggestion_id: str):
        super().__init__(message)
        self.key_name, self.suggestion_id = key_name, suggestion_id


def accept_change(question_id: str, name: str, suggestion_id: str,
                  neutral: str | None = None) -> Change:
    """Add the suggestion ``suggestion_id`` to key list ``name``, explained (``neutral``: the
    teacher's wording, else the lens's); the step returns its phrase.

    :class:`EditConflict` when it is no longer offered (the excerpt or the key changed,
    or it was accepted already in another tab); :class:`NeedsNeutral` when a word
    suggestion would have no neutral wording.
    """
    def change(workspace: Workspace) -> str:
        question = workspace.question(question_id)
        target = key_list(question, name)
        offered = {s.id: s for s in key_suggestions(workspace, question, target)}
        if suggestion_id not in offered:
            raise EditConflict("That suggestion is no longer offered: the excerpt or the key "
                               "changed since the page was opened. Reload the question.")
        text = _marked_on(workspace, question, target)
        try:
            entry = lens_suggestions.accepted_entry(text, offered[suggestion_id], target.unit,
                                                    neutral)
        except lens_suggestions.NeedsNeutral as missing:
            raise NeedsNeutral(str(missing), name, suggestion_id) from missing
        holder = key_phrases.key_holder(question, target)
        entries = [e for e in holder.get(target.field) or [] if isinstance(e, dict)]
        holder[target.field] = lens_suggestions.insert_in_order(entries, entry, text,
                                                                target.unit)
        return str(entry["phrase"])
    return change


def accept_suggestion(lesson: Lesson, question_id: str, name: str, suggestion_id: str,
                      neutral: str | None = None) -> str:
    """Save :func:`accept_change`; returns the phrase added."""
    return edit(lesson, accept_change(question_id, name, suggestion_id, neutral))


def accept_all_change(question_id: str, name: str, dismissed: Sequence[str],
                      neutrals: Mapping[str, str]) -> Change:
    """Add every suggestion offered for key list ``name`` (those not ``dismissed``); the
    step returns :class:`app.domain.suggestions.Accepted` (what was added, what waits for
    a neutral wording)."""
    def change(workspace: Workspace) -> lens_suggestions.Accepted:
        question = workspace.question(question_id)
        target = key_list(question, name)
        offered = key_suggestions(workspace, question, target, dismissed)
        text = _marked_on(workspace, question, target)
        holder = key_phrases.key_holder(question, target)
        entries = [e for e in holder.get(target.field) or [] if isinstance(e, dict)]
        result = lens_suggestions.accept_all(entries, text, offered, target.unit, neutrals)
        if result.added:
            holder[target.field] = result.entries
        return result
    return change


def option_text(option: Mapping[str, Any]) -> str:
    """What an option of a lesson source says: its text, or the name of the vocabulary
    frame it names (``frame: <id>``, as library lessons write it)."""
    if option.get("text"):
        return str(option["text"])
    vocabulary = library_frames()
    found = frame_by_id(vocabulary, str(option.get("frame"))) if vocabulary else None
    return found["name"] if found else str(option.get("frame") or "")


def options_change(question_id: str, rows: Sequence[Mapping[str, str]],
                   correct: Sequence[int]) -> Change:
    """Set a framing or compare question's options from the form's rows.

    Rows with neither text nor feedback are dropped. Each option keeps its id (a new one
    gets the first free letter), so past answers and compare frames still point at it, and
    an option that named its frame by id (``frame: order``) keeps doing so while its text
    is that frame's name. Framing: ``correct`` holds the row of the right option, or the
    rows of the two defensible ones.
    """
    def change(workspace: Workspace) -> None:
        question = workspace.question(question_id)
        kind = question.get("kind")
        if kind not in ("framing", "compare"):
            raise AuthoringError("Only framing and compare questions have options.")
        before = {str(o.get("id")): o for o in question.get("options") or []
                  if isinstance(o, dict)}
        kept = [(number, row) for number, row in enumerate(rows)
                if row.get("text", "").strip() or row.get("feedback", "").strip()]
        taken = {row.get("id") for _, row in kept if valid_id(row.get("id", ""))}
        options, used = [], set()
        for number, row in kept:
            option_id = row.get("id", "")
            if not valid_id(option_id) or option_id in used:
                option_id = next(letter for letter in "abcdefghijklmnopqrstuvwxyz"
                                 if letter not in taken and letter not in used)
            used.add(option_id)
            text = row.get("text", "").strip()
            earlier = before.get(option_id, {})
            option: dict[str, Any] = {"id": option_id}
            if earlier.get("frame") and not earlier.get("text") and \
                    text == option_text(earlier):
                option["frame"] = earlier["frame"]
            else:
                option["text"] = text
            if kind == "framing":
                option["correct"] = number in correct
            option["feedback"] = row.get("feedback", "").strip()
            options.append(option)
        question["options"] = options
    return change


def set_options(lesson: Lesson, question_id: str, rows: Sequence[Mapping[str, str]],
                correct: Sequence[int]) -> None:
    """Save :func:`options_change`."""
    edit(lesson, options_change(question_id, rows, correct))


def sides_change(question_id: str, rows: Sequence[Mapping[str, str]]) -> Change:
    """Set each compare side's frame (an option id) and the reason it is that frame, and
    any second defensible frame with its reason (left out when none is chosen)."""
    def change(workspace: Workspace) -> None:
        question = workspace.question(question_id)
        sides = [s for s in question.get("sides") or [] if isinstance(s, dict)]
        if question.get("kind") != "compare" or len(rows) != len(sides):
            raise EditConflict("The excerpts of this question changed since the form was "
                               "opened; reload it.")
        for side, row in zip(sides, rows, strict=True):
            side["frame"] = row.get("frame", "").strip()
            side["frame_why"] = row.get("frame_why", "").strip()
            also, why = row.get("also_frame", "").strip(), row.get("also_why", "").strip()
            for name, value in (("also_frame", also), ("also_why", why)):
                if value:
                    side[name] = value
                else:
                    side.pop(name, None)
    return change


def set_sides(lesson: Lesson, question_id: str, rows: Sequence[Mapping[str, str]]) -> None:
    """Save :func:`sides_change`."""
    edit(lesson, sides_change(question_id, rows))
