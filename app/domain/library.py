"""The whole library: every lesson and reading checked together, and the catalogue.

Checking the library compiles each reading (one per document) and each lesson against the
documents and the readings, then looks across lessons for what no single file can show:
duplicate slugs, and any passage of a document keyed two ways.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.lessons import KINDS, LEVELS, LessonInvalid, LessonIssue, compile_lesson


@dataclass(slots=True)
class LibraryReport:
    """The result of checking every lesson file: compiled lessons, problems, and counts."""

    lessons: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    issues: list[LessonIssue] = field(default_factory=list)
    files: int = 0

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
            "problems": len(self.issues),
        }


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


def check_library(files: Iterable[tuple[str, str]], documents: Mapping[str, str]) -> LibraryReport:
    """Compile every ``(path, text)`` lesson file; report problems and duplicate slugs."""
    report = LibraryReport()
    for path, text in files:
        report.files += 1
        try:
            lesson = compile_lesson(text, path, documents)
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
    return report


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
