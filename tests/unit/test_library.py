"""The starter library: every file valid, and coverage a teacher can rely on (issue 3).

If a lesson is removed or breaks and coverage drops below these numbers, this fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.lessons import KINDS
from app.domain.library import CATALOGUE_START, check_library, render_catalogue
from app.domain.scoring import accepted_frames

ROOT = Path(__file__).resolve().parents[2]
MIN_QUESTIONS = 60
MIN_PER_KIND = 10
MIN_CROSS_DOCUMENT = 3


@pytest.fixture(scope="module")
def shipped(shipped_library):
    """The shipped library checked with its readings (every document must have one) and
    its shelf cards."""
    return shipped_library


def test_every_lesson_file_is_valid_and_the_library_is_large_enough(shipped):
    summary = shipped.summary()
    assert summary["questions"] >= MIN_QUESTIONS
    for kind in KINDS:
        # Leaving the page is newer than the rest: at least six questions of each kind.
        minimum = 6 if kind in ("verify", "omission") else MIN_PER_KIND
        assert summary["questions_per_kind"][kind] >= minimum, kind
    assert summary["cards_per_kind"]["fact"] >= 10
    assert summary["cards_per_kind"]["source"] >= 20


def test_every_document_has_its_own_lesson_and_there_are_cross_document_lessons(
        shipped, documents):
    summary = shipped.summary()
    assert set(summary["lessons_focused_on_document"]) == set(documents)
    assert len(summary["cross_document_lessons"]) >= MIN_CROSS_DOCUMENT


def test_every_lesson_has_a_level_time_and_goals(shipped):
    for lesson in shipped.lessons.values():
        assert lesson["level"] in ("intro", "core", "challenge")
        assert lesson["minutes"], lesson["slug"]
        assert lesson["goals"], lesson["slug"]


def test_every_loaded_phrase_has_a_neutral_alternative_and_a_reason(shipped):
    for lesson in shipped.lessons.values():
        for question in lesson["questions"]:
            phrases = list(question.get("phrases", []))
            phrases += [term for side in question.get("sides", []) for term in side["terms"]]
            for phrase in phrases:
                assert phrase["neutral"] and phrase["why"], (lesson["slug"], phrase["text"])


def test_every_loaded_terms_question_has_neutral_controls(shipped):
    controls = shipped.summary()["controls"]
    assert controls["with_controls"] == controls["loaded_terms_questions"]


def test_sourcing_gaps_of_several_kinds_are_covered(shipped):
    """Students meet every kind of gap a sentence can have. (Who published a page is not a
    sentence's gap: by the readings' house rule 3, bios, credits and footers are asked about
    by "who is behind it?" questions, so ``no_disclosure`` is not required here.)"""
    reasons = {gap["reason"] for lesson in shipped.lessons.values()
               for question in lesson["questions"] for gap in question.get("gaps", [])}
    assert {"vague_attribution", "unnamed_group", "presumption", "allegedly", "no_source",
            "agentless"} <= reasons


def test_the_catalogue_in_the_readme_is_current(shipped):
    readme = (ROOT / "lessons" / "README.md").read_text(encoding="utf-8")
    assert CATALOGUE_START in readme, "run: flask lessons catalogue --write"
    expected = render_catalogue(shipped.lessons)
    assert expected in readme, "the catalogue is stale: run flask lessons catalogue --write"


def test_every_framing_and_compare_option_is_a_frame_of_the_vocabulary(shipped, vocabulary):
    """One defined frame vocabulary (lessons/frames.yaml): every option is one of its
    frames, and every frame is the right answer somewhere."""
    names = {frame["id"]: frame["name"] for frame in vocabulary["frames"]}
    for lesson in shipped.lessons.values():
        for question in lesson["questions"]:
            for option in question.get("options") or []:
                assert names.get(option.get("frame")) == option["text"], (
                    lesson["slug"], question["id"], option["text"])
    unused = [frame for frame, count in shipped.summary()["frames"].items() if not count]
    assert not unused, f"never the right answer: {unused}"


def test_the_readme_lists_the_frames_of_the_vocabulary(vocabulary):
    readme = (ROOT / "lessons" / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Frames\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    listed = [(row.split("|")[1].strip(), row.split("|")[2].strip(" `")) for row in rows[2:]]
    assert listed == [(frame["name"], frame["id"]) for frame in vocabulary["frames"]]


def test_the_same_passage_has_the_same_frames_in_every_lesson(shipped):
    """A passage (document and exact excerpt) keyed in two questions gets the same frame,
    or the same two defensible frames, in both."""
    frames: dict[tuple[str, str], set[frozenset[str]]] = {}
    for lesson in shipped.lessons.values():
        excerpts = {excerpt["id"]: excerpt for excerpt in lesson["excerpts"]}
        for question in lesson["questions"]:
            if question["kind"] == "framing":
                keyed = [(question["excerpt"], accepted_frames(question))]
            elif question["kind"] == "compare":
                keyed = [(side["excerpt"], accepted_frames(question, side))
                         for side in question["sides"]]
            else:
                continue
            for ref, accepted in keyed:
                excerpt = excerpts[ref]
                passage = (excerpt["document"], " ".join(excerpt["text"].split()))
                frames.setdefault(passage, set()).add(
                    frozenset(frame["text"] for frame in accepted))
    twice = {passage: found for passage, found in frames.items() if len(found) > 1}
    assert not twice, twice


def test_the_check_compiles_the_cards_first_and_counts_them(documents, reading_files):
    data = ROOT / "tests" / "data"
    cards = [(f"lessons/shelf/{path.name}", path.read_text(encoding="utf-8"))
             for path in sorted((data / "shelf").glob("*.yaml"))]
    lesson = ("lessons/checking-example.yaml",
              (data / "checking-example.yaml").read_text(encoding="utf-8"))
    report = check_library([lesson], documents, reading_files, (), cards)
    assert report.ok, "\n".join(map(str, report.issues))
    summary = report.summary()
    assert summary["cards_per_kind"] == {"fact": 2, "source": 1}
    assert (summary["questions_per_kind"]["verify"],
            summary["questions_per_kind"]["omission"]) == (1, 1)
    assert set(report.lessons["checking-example"]["cards"]) == set(report.cards)

    renamed = [("lessons/shelf/csto.yaml", cards[0][1]), *cards[1:]]
    report = check_library([lesson], documents, reading_files, (), renamed)
    messages = [str(issue) for issue in report.issues]
    assert messages[0].startswith("lessons/shelf/csto.yaml:2: the card's id "
                                  "'example-csto-treaty' must be its file name")
    assert all(message.startswith("lessons/checking-example.yaml:") and
               "no card 'example-csto-treaty' on the shelf" in message
               for message in messages[1:]) and len(messages) == 3
