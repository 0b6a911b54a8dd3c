"""Build what the quiz and feedback templates show from a compiled lesson.

Nothing here decides a score; it arranges the lesson, the student's marks and the stored
verdicts into plain structures the Jinja templates can loop over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from app.domain import confidence
from app.domain.documents import credit, genre_label
from app.domain.lessons import SOURCING_REASONS
from app.domain.progress import EarlierUse, excerpt_uses
from app.domain.scoring import RULES, score_question
from app.domain.source_links import Behind, behind
from app.domain.text import pieces, runs_by_state
from app.extensions import db
from app.models import Document
from app.services import shelf_view
from app.student import present_checking

KIND_LABELS = {"loaded_terms": "Loaded terms", "framing": "Framing", "sourcing": "Sourcing",
               "compare": "Compare", "verify": "Check a claim", "omission": "Left out"}
# Kinds that pick a verdict, cards or facts rather than mark the excerpt's words.
CHECKING = ("verify", "omission")


def sources(content: Mapping[str, Any],
            documents: Mapping[str, Document] | None = None,
            library_cards: list[Mapping[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Excerpt id -> where it comes from (document title and credit line) and who is
    behind it (the document's genre, the source cards of its author, its outlet and those
    the excerpt names: :func:`app.domain.source_links.behind`).

    ``documents`` (slug -> Document) and ``library_cards`` (the library's source cards)
    spare their query when the caller has loaded them, e.g. for many attempts on one page.
    """
    if documents is None:
        slugs = {excerpt["document"] for excerpt in content["excerpts"]}
        documents = {doc.slug: doc for doc in db.session.scalars(
            sa.select(Document).where(Document.slug.in_(slugs)))}
    if library_cards is None:
        library_cards = shelf_view.library_source_cards()
    cards = shelf_view.with_carried(library_cards, content)
    result = {}
    for excerpt in content["excerpts"]:
        doc = documents.get(excerpt["document"])
        result[excerpt["id"]] = {
            "slug": excerpt["document"],
            "title": doc.title if doc else excerpt["document"],
            "credit": credit(doc.author, doc.outlet) if doc else "Author and outlet unknown",
            "behind": behind(excerpt["text"], doc.author, doc.outlet, cards,
                             genre=genre_label(doc.genre), title=doc.title) if doc else Behind(),
        }
    return result


def display_order(question_id: str, options: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Options in a fixed order that does not depend on how the author listed them.

    Authors tend to write the right answer first; a stable hash order hides that, and is
    the same on every render (a re-shown form keeps its layout) and for every student.
    """
    return sorted(options, key=lambda option: hashlib.sha256(
        f"{question_id}:{option['id']}".encode()).hexdigest())


def markable_view(prefix: str, text: str, unit: str, checked: set[int],
                  dom: str | None = None) -> dict[str, Any]:
    """An excerpt cut into checkboxes named ``prefix``.w (words) or ``prefix``.s (sentences).

    ``dom`` starts the checkboxes' element ids (default: from ``prefix``). A quiz passes a
    short one: a ten-question page has about a thousand checkboxes, and every byte of
    their ids is sent to every student.
    """
    field = f"{prefix}.{'w' if unit == 'word' else 's'}"
    return {
        "field": field,
        "dom": (dom or prefix.replace(".", "-")) + ("-w" if unit == "word" else "-s"),
        "unit": unit,
        "any_checked": bool(checked),
        "pieces": [(piece.text, piece.index, piece.index in checked)
                   for piece in pieces(text, unit)],
    }


def quiz_questions(content: Mapping[str, Any], marks: Mapping[str, Mapping[str, Any]], *,
                   only: int | None = None, whole_page: bool = True,
                   where: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One entry per question with its excerpt cut into checkboxes, marks pre-ticked.

    ``only``: the 0-based index of the one question a step shows. On a ``whole_page``, an
    excerpt an earlier question already printed is not printed again in full: a question
    that marks it gets its checkboxes in a collapsed part (``again``), one that only reads
    it is pointed back to it (``see``). ``where``: :func:`sources`, if the caller has them.
    """
    texts = {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}
    where = where if where is not None else sources(content)
    questions = content["questions"]
    repeats = excerpt_uses(questions) if whole_page and only is None else {}
    views = []
    for number, question in enumerate(questions, start=1):
        if only is not None and number - 1 != only:
            continue
        views.append(_quiz_question(number, question, marks.get(question["id"], {}), texts,
                                    where, repeats, content))
    return views


def _quiz_question(number: int, question: Mapping[str, Any], mark: Mapping[str, Any],
                   texts: Mapping[str, str], where: Mapping[str, Any],
                   repeats: Mapping[tuple[str, int | None], EarlierUse],
                   content: Mapping[str, Any]) -> dict[str, Any]:
    qid = question["id"]
    kind = question["kind"]
    view: dict[str, Any] = {"id": qid, "number": number, "kind": kind,
                            "label": KIND_LABELS[kind], "prompt": question["prompt"],
                            "rule": RULES[kind], "confidence": confidence.rating(mark)}
    if kind == "compare":
        sides = list(mark.get("sides", []))
        view["sides"] = []
        for side_number, side in enumerate(question["sides"]):
            answer = sides[side_number] if side_number < len(sides) else {}
            earlier = repeats.get((qid, side_number))
            view["sides"].append({
                "letter": chr(ord("A") + side_number),
                "source": where[side["excerpt"]],
                "choice_field": f"{qid}.{side_number}.choice",
                "chosen": answer.get("choice"),
                "again": earlier,
                "marker": markable_view(f"{qid}.{side_number}", texts[side["excerpt"]],
                                        "word", set(answer.get("words", [])),
                                        dom=f"q{number}-{side_number}"),
            })
        view["options"] = display_order(qid, question["options"])
        return view
    earlier = repeats.get((qid, None))
    view["source"] = where[question["excerpt"]]
    view["text"] = texts[question["excerpt"]]
    if kind in CHECKING:
        # Printed above: a claim opens a copy with the claim in its place; facts point up.
        view["again" if kind == "verify" else "see"] = earlier
        return present_checking.quiz_view(view, question, mark, content, view["text"], number)
    if kind == "sourcing":
        view["marker"] = markable_view(qid, view["text"], "sentence",
                                       set(mark.get("sentences", [])), dom=f"q{number}")
    elif kind == "loaded_terms" or question.get("signals"):
        view["marker"] = markable_view(qid, view["text"], "word",
                                       set(mark.get("words", [])), dom=f"q{number}")
    if earlier is not None:
        # Printed above: a question that marks it opens a copy; one that reads it points up.
        view["again" if "marker" in view else "see"] = earlier
    if kind == "framing":
        view["options"] = display_order(qid, question["options"])
        view["choice_field"] = f"{qid}.choice"
        view["chosen"] = mark.get("choice")
        if question.get("signals"):
            # What the instruction says the parts are worth comes from the scorer itself.
            total = score_question(question, {}, texts).max_points
            frame = score_question({**question, "signals": None}, {}, texts).max_points
            view["points"] = {"total": total, "frame": frame, "signals": total - frame}
    return view


def _states(verdicts: list[Mapping[str, Any]], key: str) -> dict[int, str]:
    """Unit index -> found / missed / wrong / debatable / aside, from a question's verdicts."""
    states: dict[int, str] = {}
    for verdict in verdicts:
        kind = verdict["type"]
        if kind == "choice":
            continue
        units = verdict.get(key) if key == "words" else [verdict["sentence"]]
        if units is None:
            continue
        marked = set(verdict.get("marked", units if kind in ("found", "wrong") else []))
        for unit in units:
            if kind in ("wrong", "debatable", "aside"):
                states[unit] = kind
            elif key == "words":
                states[unit] = "found" if unit in marked else "missed"
            else:
                states[unit] = "found" if kind == "found" else "missed"
    return states


def feedback_questions(content: Mapping[str, Any], answers: list[Any],
                       documents: Mapping[str, Document] | None = None,
                       library_cards: list[Mapping[str, Any]] | None = None
                       ) -> list[dict[str, Any]]:
    """One entry per answered question: points, highlighted excerpt and grouped verdicts.

    ``documents``, ``library_cards``: see :func:`sources`.
    """
    texts = {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}
    where = sources(content, documents, library_cards)
    questions = {question["id"]: question for question in content["questions"]}
    views = []
    for number, answer in enumerate(answers, start=1):
        question = questions.get(answer.question_id)
        if question is None:
            continue
        verdicts = list(answer.verdicts)
        view: dict[str, Any] = {
            "number": number, "id": answer.question_id, "kind": answer.kind,
            "label": KIND_LABELS[answer.kind], "prompt": question["prompt"],
            "points": answer.points, "max_points": answer.max_points,
            "rule": RULES[answer.kind],
            "confidence": confidence.label(getattr(answer, "confidence", None)),
        }
        if answer.kind == "compare":
            view["sides"] = []
            for side_number, side in enumerate(question["sides"]):
                mine = [v for v in verdicts if v.get("side") == side_number]
                view["sides"].append({
                    "letter": chr(ord("A") + side_number),
                    "source": where[side["excerpt"]],
                    "choice": next((v for v in mine if v["type"] == "choice"), None),
                    "runs": runs_by_state(texts[side["excerpt"]], _states(mine, "words")),
                    "groups": _groups(mine),
                })
        elif answer.kind in CHECKING:
            view["source"] = where[question["excerpt"]]
            present_checking.feedback_view(view, question, verdicts, content,
                                           texts[question["excerpt"]])
        else:
            unit = "sentence" if answer.kind == "sourcing" else "word"
            key = "sentences" if unit == "sentence" else "words"
            view["source"] = where[question["excerpt"]]
            view["runs"] = runs_by_state(texts[question["excerpt"]], _states(verdicts, key), unit)
            view["choice"] = next((v for v in verdicts if v["type"] == "choice"), None)
            view["groups"] = _groups(verdicts)
        views.append(view)
    return views


def _groups(verdicts: list[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    groups: dict[str, list[Mapping[str, Any]]] = {"found": [], "partial": [], "missed": [],
                                                   "wrong": [], "aside": [], "debatable": []}
    for verdict in verdicts:
        if verdict["type"] in groups:
            groups[verdict["type"]].append(verdict)
    return groups


def reason_label(reason: str) -> str:
    """Readable label of a sourcing-gap reason code."""
    return SOURCING_REASONS.get(reason, reason)
