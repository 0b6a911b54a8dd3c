"""Readings: one set of judgements per document, and the keys questions take from them."""

from __future__ import annotations

import pytest

from app.domain.lessons import SOURCING_REASONS, LessonInvalid, compile_lesson
from app.domain.library import check_library
from app.domain.readings import compile_reading
from app.domain.scoring import NOT_IN_KEY, score_question
from app.domain.text import sentences, words

READING = """\
document: astana-times-babich
notes: A small reading for tests.
loaded:
  - phrase: gangs
    about: people
    neutral: groups
    why: Brands the people as criminals.
  - phrase: terrorists
    in: presumably foreign-trained terrorists
    about: people
    neutral: attackers
    why: The gravest label, with no evidence.
  - phrase: kind, democratically-minded
    about: government
    neutral: (leave it out)
    why: Praise offered as reputation.
debatable:
  - phrase: presumably foreign-trained
    about: people
    for: An insinuation of foreign plotting, hedged so it cannot be held to account.
    against: '"Presumably" marks it as a guess, which the reader can weigh.'
neutral:
  - phrase: initially peaceful demonstrations
    why: The neutral word for people gathering to protest.
signals:
  - phrase: The year was full of dangers
    why: Opens on danger, so what follows reads as a threat met.
gaps:
  - phrase: some observers say
    reason: vague_attribution
    why: Nobody is named.
sourced:
  - phrase: Tokayev said in June
    why: A named speaker and a month.
"""

EXCERPT = (
    "The year was full of dangers, and they let themselves be felt in the first days of "
    "2022, when gangs of presumably foreign-trained terrorists quickly transformed initially "
    "peaceful demonstrations into dangerous mob attacks. Government buildings in several "
    "important cities were attacked and partially destroyed, hundreds of people were killed. "
    "This was the first challenge of the year for Kazakhstan’s President Kassym-Jomart "
    "Tokayev. The President had the reputation of a kind, democratically-minded person."
)

LESSON = f"""\
slug: reading-test
title: Reading test
summary: Keys from a reading.
level: intro
excerpts:
  - id: opening
    document: astana-times-babich
    quote: >-
      {EXCERPT}
questions:
  - id: loaded
    kind: loaded_terms
    excerpt: opening
"""


@pytest.fixture
def reading(documents):
    return compile_reading(READING, "lessons/readings/astana-times-babich.yaml", documents,
                           SOURCING_REASONS)


def reading_problems(text: str, documents) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_reading(text, "lessons/readings/x.yaml", documents, SOURCING_REASONS)
    return [str(issue) for issue in raised.value.issues]


def lesson_problems(text: str, documents, reading) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, "lessons/x.yaml", documents,
                       {"astana-times-babich": reading})
    return [str(issue) for issue in raised.value.issues]


def word_index(text: str, word: str, nth: int = 0) -> int:
    return [i for i, span in enumerate(words(text)) if span.text == word][nth]


def test_a_reading_places_every_entry_in_the_document(reading, documents):
    document = documents["astana-times-babich"]
    tiers = {entry["text"]: entry["tier"] for entry in reading["entries"]}
    assert tiers["gangs"] == "loaded" and tiers["presumably foreign-trained"] == "debatable"
    for entry in reading["entries"]:
        assert document[entry["start"]:entry["end"]] == entry["text"]
    gap = next(entry for entry in reading["entries"] if entry["tier"] == "gaps")
    assert "some observers say" in document[gap["sentence_start"]:gap["sentence_end"]]


@pytest.mark.parametrize(("change", "expected"), [
    (("phrase: gangs", "phrase: gangz"), ':4: "gangz" is not in the document'),
    (("about: government", "about: regime"), ":14: unknown category 'regime'"),
    (("reason: vague_attribution", "reason: vague"), ":30: unknown reason 'vague'"),
    (("    neutral: groups\n", ""), ":4: \"gangs\" needs 'neutral'"),
    (("in: presumably foreign-trained terrorists", "in: the"),
     "'in' must quote a passage that appears exactly once"),
    (("phrase: initially peaceful demonstrations", "phrase: peaceful"),
     "ambiguous"),
    (("phrase: The year was full of dangers", "phrase: gangs of"), "overlaps \"gangs\""),
    (("phrase: Tokayev said in June", "phrase: some observers"), "already judged a sourcing gap"),
    (("document: astana-times-babich", "document: astana"), ":1: unknown document 'astana'"),
    (("loaded:", "louded:"), "unknown field 'louded'"),
])
def test_reading_problems_name_their_line(documents, change, expected):
    old, new = change
    assert old in READING
    messages = reading_problems(READING.replace(old, new, 1), documents)
    assert any(expected in message for message in messages), messages
    assert all(message.startswith("lessons/readings/x.yaml:") for message in messages)


def test_a_question_takes_its_key_from_the_reading(documents, reading):
    lesson = compile_lesson(LESSON, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    assert [p["text"] for p in question["phrases"]] == [
        "gangs", "terrorists", "kind, democratically-minded"]
    assert [c["text"] for c in question["controls"]] == ["initially peaceful demonstrations"]
    assert [d["text"] for d in question["debatable"]] == ["presumably foreign-trained"]
    assert [a["text"] for a in question["asides"]] == ["The year was full of dangers"]
    text = lesson["excerpts"][0]["text"]
    assert [words(text)[i].text for i in question["phrases"][0]["words"]] == ["gangs"]


def test_narrowing_by_category_never_penalises_a_loaded_word(documents, reading):
    narrowed = LESSON + "    about: people\n"
    lesson = compile_lesson(narrowed, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    assert [p["text"] for p in question["phrases"]] == ["gangs", "terrorists"]
    text = lesson["excerpts"][0]["text"]
    marks = [word_index(text, "kind"), word_index(text, "gangs")]
    result = score_question(question, {"words": marks}, {"opening": text})
    assert result.points == 1.0 and result.max_points == 2.0
    aside = next(v for v in result.verdicts if v["type"] == "aside")
    assert aside["penalty"] == 0 and "asks only about the people in the streets" in aside["why"]


def test_debatable_words_neither_earn_nor_cost_and_show_both_cases(documents, reading):
    lesson = compile_lesson(LESSON, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    text = lesson["excerpts"][0]["text"]
    presumably = word_index(text, "presumably")
    for marks in ([], [presumably, presumably + 1]):
        result = score_question(question, {"words": marks}, {"opening": text})
        assert result.points == 0.0
        [debatable] = [v for v in result.verdicts if v["type"] == "debatable"]
        assert "insinuation" in debatable["for"] and "guess" in debatable["against"]
        assert not [v for v in result.verdicts if v["type"] == "wrong"]


def test_a_wrong_mark_is_told_the_control_or_that_it_is_not_in_the_key(documents, reading):
    lesson = compile_lesson(LESSON, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    text = lesson["excerpts"][0]["text"]
    marks = [word_index(text, "demonstrations"), word_index(text, "buildings")]
    result = score_question(question, {"words": marks}, {"opening": text})
    wrong = {v["text"]: v["why"] for v in result.verdicts if v["type"] == "wrong"}
    assert wrong["demonstrations"] == "The neutral word for people gathering to protest."
    assert wrong["buildings"] == NOT_IN_KEY
    assert "neutral" not in NOT_IN_KEY.split(".")[0]
    assert "does not make these words neutral" in NOT_IN_KEY
    assert result.points == 0.0


def test_a_question_may_not_contradict_its_reading(documents, reading):
    contradicting = LESSON + """\
    controls:
      - phrase: gangs
        why: Just a word for groups.
"""
    [message] = lesson_problems(contradicting, documents, reading)
    assert message.startswith("lessons/x.yaml:")
    assert '"gangs" is keyed neutral (not loaded) here' in message
    assert "lessons/readings/astana-times-babich.yaml:4" in message  # both places named


def test_a_key_the_reading_does_not_hold_is_refused(documents, reading):
    extra = LESSON + """\
    phrases:
      - phrase: hundreds
        neutral: many
        why: A number.
"""
    [message] = lesson_problems(extra, documents, reading)
    assert "does not judge it so" in message and "add it there" in message


def test_a_question_that_agrees_with_its_reading_compiles(documents, reading):
    agreeing = LESSON + """\
    phrases:
      - phrase: gangs
        neutral: groups
        why: Brands the people as criminals.
"""
    assert compile_lesson(agreeing, "lessons/x.yaml", documents,
                          {"astana-times-babich": reading})["questions"]


def test_an_excerpt_cutting_a_judged_phrase_is_refused(documents, reading):
    cut = LESSON.replace("The President had the reputation of a kind, democratically-minded "
                         "person.", "The President had the reputation of a kind,")
    messages = lesson_problems(cut, documents, reading)
    assert any("ends inside \"kind, democratically-minded\"" in m for m in messages), messages


def test_sourcing_takes_gaps_and_sourced_sentences_from_the_reading(documents, reading):
    quote = ("“This shows how responsible we are dealing with this tragic past. We want to "
             "make sure there will be no repetition of the tragic January in our history,” "
             "Tokayev said in June.\n\n      However, the most important step towards more "
             "democratic reforms was made in June, when the country held a referendum on "
             "constitutional changes, which, some observers say, introduced “a new form of "
             "republic” in Kazakhstan.")
    lesson_text = LESSON.replace(EXCERPT, quote).replace(
        "kind: loaded_terms", "kind: sourcing")
    lesson = compile_lesson(lesson_text, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    text = lesson["excerpts"][0]["text"]
    spans = sentences(text)
    [gap] = question["gaps"]
    assert "some observers say" in spans[gap["sentence"]].text
    [control] = question["controls"]
    result = score_question(question, {"sentences": [control["sentence"]]}, {"opening": text})
    wrong = next(v for v in result.verdicts if v["type"] == "wrong")
    assert wrong["why"] == "A named speaker and a month."


def test_the_library_check_names_both_places_of_a_conflicting_key(documents):
    first = LESSON.replace("slug: reading-test", "slug: first") + """\
    phrases:
      - phrase: gangs
        neutral: groups
        why: Brands them.
"""
    second = LESSON.replace("slug: reading-test", "slug: second") + """\
    phrases:
      - phrase: terrorists
        neutral: attackers
        why: The gravest label.
    controls:
      - phrase: gangs
        why: Just groups.
"""
    report = check_library([("lessons/first.yaml", first), ("lessons/second.yaml", second)],
                           documents)
    [issue] = report.issues
    assert issue.path == "lessons/second.yaml"
    assert "\"gangs\"" in issue.message and "lessons/first.yaml" in issue.message
    assert "neutral" in issue.message and "loaded" in issue.message


def test_the_library_check_wants_one_reading_per_library_document(documents):
    reading_file = ("lessons/readings/astana-times-babich.yaml", READING)
    report = check_library([], documents, [reading_file, reading_file],
                           ["astana-times-babich", "quo-vadis-blog"])
    messages = [str(issue) for issue in report.issues]
    assert any("already has a reading" in m for m in messages)
    assert any("'quo-vadis-blog' has no reading" in m for m in messages)
    assert report.balance["astana-times-babich"]["loaded"] > 0


def test_a_word_marked_only_to_join_two_judged_phrases_costs_nothing(documents, reading):
    lesson = compile_lesson(LESSON, "lessons/x.yaml", documents,
                            {"astana-times-babich": reading})
    [question] = lesson["questions"]
    text = lesson["excerpts"][0]["text"]
    gangs = word_index(text, "gangs")
    run = list(range(gangs, gangs + 5))  # gangs of presumably foreign-trained terrorists
    assert [words(text)[i].text for i in run][-1] == "terrorists"
    result = score_question(question, {"words": run}, {"opening": text})
    assert result.points == 2.0
    assert not [v for v in result.verdicts if v["type"] == "wrong"]
    [joining] = [v for v in result.verdicts if v["type"] == "aside"]
    assert joining["text"] == "of" and joining["penalty"] == 0
    # ...but a word that joins nothing the key judges still costs
    lonely = score_question(question, {"words": [gangs, gangs + 1]}, {"opening": text})
    assert lonely.points == 0.5


def test_an_entry_inside_a_long_judged_phrase_is_refused_even_past_a_shorter_one(documents):
    """A long phrase, a short one inside it, then another inside it: both are overlaps."""
    text = READING.replace("neutral:\n  - phrase: initially peaceful demonstrations", (
        "neutral:\n  - phrase: quickly transformed initially peaceful demonstrations into\n"
        "    why: A long one.\n  - phrase: initially\n    why: Inside it.\n"
        "  - phrase: demonstrations\n    in: peaceful demonstrations into dangerous\n"
        "    why: Also inside it, after the short one.\n"
        "  - phrase: initially peaceful demonstrations"), 1)
    messages = reading_problems(text, documents)
    overlapping = [m for m in messages if "overlaps" in m]
    assert any('"initially"' in m for m in overlapping), messages
    assert any('"demonstrations"' in m and "quickly transformed" in m for m in overlapping)


def test_narrowing_a_question_whose_document_has_no_reading_is_refused(documents):
    narrowed = LESSON + "    about: people\n    phrases:\n      - phrase: gangs\n" \
        "        neutral: groups\n        why: Brands them.\n"
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(narrowed, "lessons/x.yaml", documents)  # no readings given
    [message] = [str(issue) for issue in raised.value.issues]
    assert "'about' in question 'loaded' narrows a key taken from a reading" in message
