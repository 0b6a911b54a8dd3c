"""The lesson editor's questions: add, change, move and remove them, narrow their key.

Each function loads the lesson's draft (:func:`app.services.authoring.edit`), applies one
pure function of :mod:`app.domain.lesson_edits` to its source, and saves and commits the
draft. A question on an excerpt whose document has a reading takes its key from the
reading (the teacher's own, else the library's), so adding one is a single step; the
question page shows that key as it resolves (:func:`reading_keys`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from app.domain import keys, lesson_edits
from app.domain.lesson_edits import excerpts_used
from app.models import Lesson
from app.services.authoring import AuthoringError, PartNotFound, Workspace, edit
from app.services.readings import readings_for

SourceChange = Callable[[dict[str, Any]], dict[str, Any]]
T = TypeVar("T")


def _step(change: SourceChange) -> Callable[[Workspace], None]:
    """``change(source)`` as a step on the opened draft; the domain's refusals become the
    editor's."""
    def run(workspace: Workspace) -> None:
        try:
            workspace.source = change(workspace.source)
        except lesson_edits.QuestionMissing as missing:
            raise PartNotFound(str(missing)) from missing
        except lesson_edits.EditRefused as refused:
            raise AuthoringError(str(refused)) from refused
    return run


def _apply(lesson: Lesson, change: SourceChange) -> None:
    """Save ``change(source)`` as the draft."""
    edit(lesson, _step(change))


def read_excerpts(source: Mapping[str, Any], readings: Mapping[str, Any]) -> set[str]:
    """The ids of a lesson source's excerpts whose document has a reading in ``readings``."""
    return {str(e.get("id")) for e in source.get("excerpts") or []
            if isinstance(e, dict) and str(e.get("document")) in readings}


def add_question(lesson: Lesson, kind: str, excerpt_ids: Sequence[str]) -> str:
    """Add a question of ``kind`` on the chosen excerpt(s); returns its id. On an excerpt
    with a reading a loaded-terms or sourcing question is complete at once."""
    added: dict[str, str] = {}
    readings = readings_for(lesson.owner_id)

    def change(source: dict[str, Any]) -> dict[str, Any]:
        changed, added["id"] = lesson_edits.add_question(source, kind, excerpt_ids,
                                                         read_excerpts(source, readings))
        return changed
    _apply(lesson, change)
    return added["id"]


def settings_change(question_id: str, *, prompt: str,
                    excerpt_ids: Sequence[str]) -> Callable[[Workspace], None]:
    """Set a question's prompt (blank: the default for its kind) and excerpt(s)."""
    def change(workspace: Workspace) -> None:
        question = workspace.question(question_id)
        try:
            refs = lesson_edits.chosen_excerpts(workspace.source, str(question.get("kind")),
                                                excerpt_ids)
        except lesson_edits.EditRefused as refused:
            raise AuthoringError(str(refused)) from refused
        if prompt.strip():
            question["prompt"] = prompt.strip()
        else:
            question.pop("prompt", None)
        if question.get("kind") == "compare":
            sides = [s for s in question.get("sides") or [] if isinstance(s, dict)]
            while len(sides) < len(refs):
                sides.append({"excerpt": "", "frame": "", "frame_why": "", "terms": []})
            for side, ref in zip(sides, refs, strict=False):
                side["excerpt"] = ref
            question["sides"] = sides
        else:
            question["excerpt"] = refs[0]
    return change


def update_question(lesson: Lesson, question_id: str, *, prompt: str,
                    excerpt_ids: Sequence[str]) -> None:
    """Save :func:`settings_change`."""
    edit(lesson, settings_change(question_id, prompt=prompt, excerpt_ids=excerpt_ids))


def delete_question(lesson: Lesson, question_id: str) -> None:
    """Remove a question from the draft."""
    _apply(lesson, lambda source: lesson_edits.remove_question(source, question_id))


def move_question(lesson: Lesson, question_id: str, offset: int) -> None:
    """Move a question up (-1) or down (+1) in the lesson."""
    _apply(lesson, lambda source: lesson_edits.move_question(source, question_id, offset))


def narrow_change(question_id: str, about: Sequence[str],
                  mark: str | None) -> Callable[[Workspace], None]:
    """Narrow a question's reading key to the categories ``about`` and, for a compare
    question, choose what its sides mark (``mark``: loaded or stand_ins)."""
    def change(source: dict[str, Any]) -> dict[str, Any]:
        if mark is not None:
            source = lesson_edits.set_mark(source, question_id, mark)
        if mark != "stand_ins":
            source = lesson_edits.set_about(source, question_id, about)
        return source
    return _step(change)


def narrow(lesson: Lesson, question_id: str, about: Sequence[str], mark: str | None) -> None:
    """Save :func:`narrow_change`."""
    edit(lesson, narrow_change(question_id, about, mark))


def reading_keys(workspace: Workspace, question: Mapping[str, Any],
                 readings: Mapping[str, Any] | None = None) -> list[dict[str, Any]] | None:
    """The key each excerpt of ``question`` takes from its reading, as the compiler
    resolves it (``{"excerpt", "document", "reading", "key" | "problem"}`` per excerpt);
    None for a question whose key is not taken from a reading (framing, or an excerpt
    whose document has none)."""
    kind = question.get("kind")
    if kind not in lesson_edits.KEYED_BY_READING:
        return None
    readings = readings_for(workspace.lesson.owner_id) if readings is None else readings
    about = question.get("about")
    about = [about] if isinstance(about, str) else list(about or [])
    result = []
    for ref in excerpts_used(question):
        excerpt = workspace.excerpt(ref)
        slug = str(excerpt.get("document")) if excerpt else ""
        reading = readings.get(slug)
        if reading is None:
            return None
        quote = workspace.quote(excerpt)
        view: dict[str, Any] = {"excerpt": str(ref), "document": slug, "reading": reading}
        if quote is None:
            view["problem"] = "This excerpt cannot be found in its document."
            result.append(view)
            continue
        placed = {"id": str(ref), "document": slug, "start": quote.start, "end": quote.end,
                  "text": quote.text}
        try:
            if kind == "sourcing":
                view["key"] = keys.sentence_key(reading, placed)
            elif question.get("mark") == "stand_ins":
                view["key"] = keys.stand_in_key(reading, placed)
            else:
                view["key"] = keys.word_key(reading, placed, about)
        except keys.KeyProblem as problem:
            view["problem"] = str(problem)
        result.append(view)
    return result


def save_together(lesson: Lesson, steps: Sequence[Callable[[Workspace], Any]],
                  then: Callable[[Workspace], T] | None = None) -> tuple[list[Any], T | None]:
    """Apply ``steps`` (what the question page sent, in order) and then the step of the
    button pressed, as ONE edit: all are saved, or, when one refuses, none. When they
    change nothing, nothing is written (no draft is made of a published lesson).

    Returns what each step returned and what ``then`` returned (None without it).
    """
    def change(workspace: Workspace) -> tuple[list[Any], T | None]:
        results = [step(workspace) for step in steps]
        return results, (then(workspace) if then is not None else None)
    return edit(lesson, change, if_changed=True)
