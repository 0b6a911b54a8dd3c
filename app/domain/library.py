"""The whole library: every card, reading and lesson checked together, and the catalogue.

Checking the library compiles each shelf card (``lessons/shelf/``), each reading (one per
document) and each lesson against the documents, the readings and the cards, then looks
across lessons for what no single file can show: duplicate slugs, and any passage of a
document keyed two ways.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.frames import compile_frames
from app.domain.lessons import (
    KINDS,
    LEVELS,
    SOURCING_REASONS,
    LessonInvalid,
    LessonIssue,
    compile_lesson,
)
from app.domain.readings import compile_reading, keyed_per_thousand_words
from app.domain.shelf import CARD_KINDS, compile_card
from app.domain.text import sentences, words
from app.domain.textinput import shorten


@dataclass(slots=True)
class LibraryReport:
    """The result of checking every lesson file: compiled lessons, problems, and counts."""

    lessons: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    issues: list[LessonIssue] = field(default_factory=list)
    files: int = 0
    # document slug -> compiled reading, and the balance line of each reading
    readings: dict[str, dict[str, Any]] = field(default_factory=dict)
    balance: dict[str, dict[str, float]] = field(default_factory=dict)
    # card id -> compiled shelf card, and the file each came from
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    card_paths: dict[str, str] = field(default_factory=dict)
    # the frame vocabulary (lessons/frames.yaml), compiled; None when not given or invalid
    frames: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.issues

    def summary(self) -> dict[str, Any]:
        """Counts a teacher or CI can read: lessons, questions per kind, documents cited."""
        kinds: Counter[str] = Counter({kind: 0 for kind in KINDS})
        documents: Counter[str] = Counter()
        levels: Counter[str] = Counter()
        per_document: dict[str, Counter[str]] = {}
        single: Counter[str] = Counter()
        cross: list[str] = []
        for lesson in self.lessons.values():
            levels[lesson["level"]] += 1
            cited = {excerpt["document"] for excerpt in lesson["excerpts"]}
            for document in cited:
                documents[document] += 1
            focus = _focus(lesson)
            if focus is None:
                cross.append(lesson["slug"])
            else:
                single[focus] += 1
            for question in lesson["questions"]:
                kinds[question["kind"]] += 1
                for document in _documents_of(question, lesson):
                    per_document.setdefault(document, Counter())[question["kind"]] += 1
        return {
            "files": self.files,
            "lessons": len(self.lessons),
            "questions": sum(kinds.values()),
            "questions_per_kind": dict(kinds),
            "levels": dict(levels),
            "documents_cited": dict(sorted(documents.items())),
            "questions_per_document": {doc: dict(count) for doc, count in
                                       sorted(per_document.items())},
            "lessons_focused_on_document": dict(sorted(single.items())),
            "cross_document_lessons": sorted(cross),
            "controls": _control_counts(self.lessons.values()),
            "readings": sorted(self.readings),
            "cards_per_kind": {kind: sum(card["kind"] == kind for card in self.cards.values())
                               for kind in CARD_KINDS},
            "balance_per_1000_words": self.balance,
            "frames": _frames_used(self.frames, self.lessons.values()),
            "problems": len(self.issues),
        }


def _frames_used(vocabulary: Mapping[str, Any] | None,
                 lessons: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Frame id -> how many framing questions and compare sides accept it as right."""
    used = Counter({frame["id"]: 0 for frame in (vocabulary or {}).get("frames", [])})
    for lesson in lessons:
        for question in lesson["questions"]:
            by_id = {option["id"]: option for option in question.get("options") or []}
            if question["kind"] == "framing":
                right = [option for option in by_id.values() if option["correct"]]
            elif question["kind"] == "compare":
                right = [by_id[side[key]] for side in question["sides"]
                         for key in ("frame", "also_frame") if side.get(key) in by_id]
            else:
                continue
            used.update(option["frame"] for option in right if option.get("frame"))
    return dict(used)


def _focus(lesson: Mapping[str, Any]) -> str | None:
    """The one document a lesson studies, or None for a cross-document lesson.

    A lesson focuses on a document when every question other than ``compare`` works on
    excerpts of that document; a compare question may bring in a contrasting excerpt.
    """
    focused = {document for question in lesson["questions"] if question["kind"] != "compare"
               for document in _documents_of(question, lesson)}
    return next(iter(focused)) if len(focused) == 1 else None


def _control_counts(lessons: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many loaded_terms questions have neutral controls, and how many controls."""
    questions = [q for lesson in lessons for q in lesson["questions"]
                 if q["kind"] == "loaded_terms"]
    return {"loaded_terms_questions": len(questions),
            "with_controls": sum(1 for q in questions if q.get("controls")),
            "controls": sum(len(q.get("controls", [])) for q in questions)}


def _documents_of(question: Mapping[str, Any], lesson: Mapping[str, Any]) -> set[str]:
    by_id = {excerpt["id"]: excerpt["document"] for excerpt in lesson["excerpts"]}
    if question["kind"] == "compare":
        return {by_id[side["excerpt"]] for side in question["sides"]}
    return {by_id[question["excerpt"]]}


def check_library(files: Iterable[tuple[str, str]], documents: Mapping[str, str],
                  reading_files: Iterable[tuple[str, str]] = (),
                  needs_reading: Iterable[str] = (),
                  card_files: Iterable[tuple[str, str]] = (), *,
                  frames: tuple[str, str] | None = None) -> LibraryReport:
    """Compile every card, every reading and every ``(path, text)`` lesson file, and look
    across them.

    ``frames`` is the frame vocabulary file ``(path, text)``: when given, every option of a
    framing or compare question must be one of its frames (:mod:`app.domain.frames`).

    Problems reported: any problem of a file (a lesson citing a card no card file holds is
    one); duplicate slugs; two readings of one document; a document of ``needs_reading``
    (the library's own) without a reading; and any passage of a document that two
    questions key two ways, naming both.
    """
    report = LibraryReport()
    _check_cards(report, card_files)
    _check_readings(report, reading_files, documents, needs_reading)
    if frames is not None:
        try:
            report.frames = compile_frames(frames[1], frames[0], documents)
        except LessonInvalid as invalid:
            report.issues.extend(invalid.issues)
    for path, text in files:
        report.files += 1
        try:
            lesson = compile_lesson(text, path, documents, report.readings, report.cards,
                                    frames=report.frames, frames_only=frames is not None)
        except LessonInvalid as invalid:
            report.issues.extend(invalid.issues)
            continue
        slug = lesson["slug"]
        if slug in report.lessons:
            line = _slug_line(text)
            report.issues.append(LessonIssue(
                path, line, f"duplicate slug '{slug}': {report.paths[slug]} uses it already"))
            continue
        report.lessons[slug] = lesson
        report.paths[slug] = path
    report.issues.extend(conflicts(report.lessons, report.paths))
    return report


def _check_cards(report: LibraryReport, card_files: Iterable[tuple[str, str]]) -> None:
    for path, text in card_files:
        try:
            card = compile_card(text, path)
        except LessonInvalid as invalid:
            report.issues.extend(invalid.issues)
            continue
        if card["id"] in report.cards:  # only from two folders: a card's id is its file name
            report.issues.append(LessonIssue(
                path, 1, f"the card id '{card['id']}' is used by {report.card_paths[card['id']]}"
                         " already"))
            continue
        report.cards[card["id"]] = card
        report.card_paths[card["id"]] = path


def _check_readings(report: LibraryReport, reading_files: Iterable[tuple[str, str]],
                    documents: Mapping[str, str], needs_reading: Iterable[str]) -> None:
    paths: dict[str, str] = {}
    for path, text in reading_files:
        try:
            reading = compile_reading(text, path, documents, SOURCING_REASONS)
        except LessonInvalid as invalid:
            report.issues.extend(invalid.issues)
            continue
        document = reading["document"]
        if document in paths:
            report.issues.append(LessonIssue(
                path, 1, f"'{document}' already has a reading ({paths[document]}); a document "
                         "has exactly one"))
            continue
        stem = path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != document:
            report.issues.append(LessonIssue(
                path, 1, f"the reading of '{document}' must be named {document}.yaml"))
        paths[document] = path
        report.readings[document] = reading
        report.balance[document] = keyed_per_thousand_words(
            reading, len(words(documents[document])))
    for document in sorted(set(needs_reading) - set(report.readings)):
        report.issues.append(LessonIssue(
            f"lessons/readings/{document}.yaml", 1,
            f"the library document '{document}' has no reading; every document has one"))


# --- one judgement per passage ----------------------------------------------------------------

_WORD_VERDICTS = {"phrases": "loaded", "terms": "loaded", "controls": "neutral",
                  "debatable": "debatable", "signals": "a frame signal"}


def _judgements(lesson: Mapping[str, Any]) -> Iterable[tuple[str, str, int, str, str, str]]:
    """Every judgement a lesson's keys make, placed in its document.

    Yields ``(document, unit, start, text, verdict, question id)`` where ``unit`` is
    ``word`` or ``sentence`` and ``start`` is its offset in the document.
    """
    excerpts = {excerpt["id"]: excerpt for excerpt in lesson["excerpts"]}
    for question in lesson["questions"]:
        if question["kind"] == "compare":
            if question.get("mark") == "stand_ins":
                continue  # stand-ins are sourcing judgements, placed by the sourcing key
            parts = [(side, excerpts[side["excerpt"]]) for side in question["sides"]]
        else:
            parts = [(question, excerpts[question["excerpt"]])]
        for part, excerpt in parts:
            spans = words(excerpt["text"])
            base = excerpt["start"]
            if question["kind"] == "sourcing":
                units = sentences(excerpt["text"])
                for name, verdict in (("gaps", "a sourcing gap"), ("controls", "sourced"),
                                      ("debatable", "a debatable gap")):
                    for item in part.get(name) or []:
                        unit = units[item["sentence"]]
                        yield (excerpt["document"], "sentence", base + unit.start, unit.text,
                               verdict, question["id"])
                continue
            for name, verdict in _WORD_VERDICTS.items():
                if question["kind"] == "framing" and name != "signals":
                    continue
                for item in part.get(name) or []:
                    for index in item["words"]:
                        yield (excerpt["document"], "word", base + spans[index].start,
                               spans[index].text, verdict, question["id"])


def conflicts(lessons: Mapping[str, Mapping[str, Any]],
              paths: Mapping[str, str]) -> list[LessonIssue]:
    """Every passage two questions key two ways, one problem per pair of places.

    Signals may coincide with loaded words (a frame is often carried by loaded words);
    every other pair of different verdicts on the same word or sentence is a conflict.
    """
    seen: dict[tuple[str, str, int], tuple[str, str, str]] = {}
    reported: set[tuple[str, str, str, str]] = set()
    issues: list[LessonIssue] = []
    for slug, lesson in lessons.items():
        for document, unit, start, text, verdict, qid in _judgements(lesson):
            first = seen.setdefault((document, unit, start), (verdict, slug, qid))
            if first[0] == verdict or "a frame signal" in (first[0], verdict):
                continue
            pair = (first[1], first[2], slug, qid)
            if pair in reported:
                continue
            reported.add(pair)
            issues.append(LessonIssue(
                paths[slug], 1,
                f"question '{qid}' keys the {unit} \"{shorten(text, 60)}\" of '{document}' "
                f"{verdict}, but "
                f"question '{first[2]}' of {paths[first[1]]} keys it {first[0]}; judge each "
                "passage once (in the document's reading)"))
    return issues


def _slug_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("slug:"):
            return number
    return 1


CATALOGUE_START = "<!-- catalogue:start (generated by `flask lessons catalogue --write`) -->"
CATALOGUE_END = "<!-- catalogue:end -->"


def render_catalogue(lessons: Mapping[str, Mapping[str, Any]]) -> str:
    """The lesson catalogue as Markdown: every lesson by level, with goals and coverage.

    Generated from the compiled lessons so it cannot drift from the files; a test checks
    that ``lessons/README.md`` holds the current rendering.
    """
    lines = [CATALOGUE_START, ""]
    for level in LEVELS:
        chosen = sorted((lesson for lesson in lessons.values() if lesson["level"] == level),
                        key=lambda lesson: lesson["title"].lower())
        if not chosen:
            continue
        lines += [f"### {level.capitalize()}", ""]
        for lesson in chosen:
            kinds = Counter(question["kind"] for question in lesson["questions"])
            documents = sorted({excerpt["document"] for excerpt in lesson["excerpts"]})
            minutes = f", about {lesson['minutes']} min" if lesson.get("minutes") else ""
            lines.append(f"**{lesson['title']}** (`{lesson['slug']}`{minutes})  ")
            lines.append("Questions: " + ", ".join(
                f"{kinds[kind]} {kind}" for kind in KINDS if kinds[kind]) + "  ")
            lines.append("Documents: " + ", ".join(f"`{doc}`" for doc in documents))
            lines += [f"- {goal}" for goal in lesson.get("goals", [])]
            lines.append("")
    lines.append(CATALOGUE_END)
    return "\n".join(lines)


def replace_catalogue(readme: str, catalogue: str) -> str:
    """``readme`` with its catalogue section replaced (appended if it has none)."""
    if CATALOGUE_START in readme and CATALOGUE_END in readme:
        before = readme.split(CATALOGUE_START)[0]
        after = readme.split(CATALOGUE_END, 1)[1]
        return before + catalogue + after
    return readme.rstrip("\n") + "\n\n## Catalogue\n\n" + catalogue + "\n"
