"""Review of what was missed: the missed-technique rule, passage choice on the library's
real readings, and the growing gaps of the schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import review, review_passages
from app.domain.questions import SOURCING_REASONS
from app.domain.readings import compile_reading
from app.domain.scoring import mark_everything, score_question
from app.domain.text import sentences

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def readings(documents, reading_files):
    compiled = [compile_reading(text, path, documents, SOURCING_REASONS)
                for path, text in reading_files]
    return {reading["document"]: reading for reading in compiled}


# --- missed techniques -------------------------------------------------------------------


def test_missed_when_fewer_than_half_of_the_items_are_hit_over_the_attempt():
    answers = [
        {"signal": {"loaded:people": [3, 1], "sourcing:no_source": [2, 1]},
         "noise": {"loaded": [10, 2]}},
        {"signal": {"loaded:people": [1, 0], "loaded:events": [2, 2]}, "noise": {}},
        None,  # a verify or omission answer: no counts
    ]
    # people: 1 of 4 hit (missed); no_source: 1 of 2 (half is not missed); events: 2 of 2.
    assert review.missed_techniques(answers) == ["loaded:people"]
    assert review.signal_totals(answers)["loaded:people"] == (4, 1)


def test_a_technique_without_items_or_without_counts_is_never_missed():
    assert review.missed_techniques([{"signal": {"signals": [0, 0]}, "noise": {}}]) == []
    assert review.missed_techniques([None, {}]) == []


def test_signals_and_uncategorised_loaded_words_are_not_reviewed():
    assert review.reviewable("loaded:people")
    assert review.reviewable("sourcing:vague_attribution")
    assert not review.reviewable("signals")
    assert not review.reviewable("loaded:other")
    assert not review.reviewable("sourcing:made_up")


# --- the schedule ------------------------------------------------------------------------


def test_gaps_grow_after_good_answers_and_end_after_the_last():
    assert review.first_due(T0) == T0 + timedelta(days=1)
    step, steps = 0, []
    while step is not None:
        steps.append(step)
        step = review.next_step(step, 7, 10)  # 70%: good enough
    assert steps == [0, 1, 2, 3]
    assert [review.due_after(T0, s) - T0 for s in steps] == [
        timedelta(days=d) for d in (1, 3, 7, 21)]


def test_a_poor_answer_goes_back_to_the_first_gap():
    assert review.next_step(2, 6.9, 10) == 0
    assert review.next_step(3, 0, 1) == 0
    assert review.next_step(0, 0, 0) == 0  # nothing to score is not remembered


def test_a_set_takes_different_techniques_first_and_at_most_three():
    due = review.Due
    items = [due(1, "loaded:people", T0), due(2, "loaded:people", T0 + timedelta(hours=1)),
             due(3, "loaded:people", T0 + timedelta(hours=2)),
             due(4, "sourcing:no_source", T0 + timedelta(hours=3)),
             due(5, "loaded:events", T0 + timedelta(hours=4)),
             due(6, "loaded:world", T0 + timedelta(days=5))]  # not due yet
    now = T0 + timedelta(days=1)
    assert [item.id for item in review.due_set(items, now)] == [1, 4, 5]
    assert [item.id for item in review.due_set(items[:3], now)] == [1, 2, 3]
    assert review.due_set(items, T0 - timedelta(seconds=1)) == []


def test_the_overview_counts_due_waiting_done_and_the_mean():
    rows = [
        {"technique": "loaded:people", "due_at": T0, "answered_at": T0, "points": 1,
         "max_points": 2},
        {"technique": "loaded:people", "due_at": T0, "answered_at": None, "points": None,
         "max_points": None},
        {"technique": "sourcing:no_source", "due_at": T0 + timedelta(days=3),
         "answered_at": None, "points": None, "max_points": None},
        {"technique": "sourcing:no_source", "due_at": T0, "answered_at": T0, "points": 2,
         "max_points": 2},
    ]
    summary = review.summarize(rows, T0 + timedelta(hours=1))
    assert (summary.due, summary.waiting, summary.done, summary.mean_percent) == (1, 1, 2, 75.0)
    assert summary.techniques == ("loaded:people", "sourcing:no_source")
    assert review.summarize([], T0).mean_percent is None


# --- passages ----------------------------------------------------------------------------


TECHNIQUES = ["loaded:people", "loaded:government", "sourcing:no_source",
              "sourcing:vague_attribution"]


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_every_candidate_is_whole_sentences_with_an_item_and_something_to_leave_alone(
        technique, documents, readings):
    found = list(review_passages.ordered_candidates(technique, documents, readings, {}, "s"))
    assert found
    family, _, detail = technique.partition(":")
    for passage in found:
        text = documents[passage.document]
        starts = {s.start for s in sentences(text)}
        ends = {s.end for s in sentences(text)}
        assert passage.start in starts and passage.end in ends
        assert review_passages.MIN_CHARS <= passage.end - passage.start <= \
            review_passages.MAX_CHARS
        inside = [e for e in readings[passage.document]["entries"]
                  if passage.start <= e["start"] and e["end"] <= passage.end]
        if family == "loaded":
            assert any(e["tier"] == "loaded" and e["about"] == detail for e in inside)
        else:
            assert any(e["tier"] == "gaps" and e["reason"] == detail for e in inside)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_the_question_is_keyed_from_the_reading_and_marking_everything_never_pays(
        technique, documents, readings):
    chosen = review_passages.choose(technique, documents, readings, {}, "student-7")
    assert chosen is not None
    content = chosen.content
    (excerpt,) = content["excerpts"]
    assert (excerpt["document"], excerpt["start"], excerpt["end"]) == (
        chosen.passage.document, chosen.passage.start, chosen.passage.end)
    (question,) = content["questions"]
    texts = {excerpt["id"]: excerpt["text"]}
    family, _, detail = technique.partition(":")
    if family == "loaded":
        assert question["kind"] == "loaded_terms" and question["about"] == [detail]
        assert "the people in the streets" in review_passages.prompt_for("loaded:people")
        assert any(p["about"] == detail for p in question["phrases"])
    else:
        assert question["kind"] == "sourcing"
        assert any(g["reason"] == detail for g in question["gaps"])
    everything = score_question(question, mark_everything(question, texts), texts)
    assert everything.points == 0
    perfect = ({"words": [i for p in question["phrases"] for i in p["words"]]}
               if family == "loaded" else {"sentences": [g["sentence"] for g in question["gaps"]]})
    result = score_question(question, perfect, texts)
    assert result.points == result.max_points > 0


def test_the_same_seed_chooses_the_same_passage_and_seeds_differ(documents, readings):
    def pick(seed):
        chosen = review_passages.choose("loaded:people", documents, readings, {}, seed)
        return (chosen.passage.document, chosen.passage.start)

    assert pick("1:loaded:people:0") == pick("1:loaded:people:0")
    assert len({pick(f"{n}:loaded:people:0") for n in range(8)}) > 1


def test_a_passage_never_overlaps_what_the_student_has_seen(documents, readings):
    seen: dict[str, list[tuple[int, int]]] = {}
    chosen_ranges = []
    while True:
        chosen = review_passages.choose("loaded:people", documents, readings, seen, "x")
        if chosen is None:
            break
        passage = chosen.passage
        assert not review_passages.overlaps(passage.start, passage.end,
                                            seen.get(passage.document, []))
        seen.setdefault(passage.document, []).append((passage.start, passage.end))
        chosen_ranges.append(passage)
        assert len(chosen_ranges) < 100
    # The people of the streets are named in several documents: several passages, then
    # none is left ("no item", not an error).
    assert len(chosen_ranges) >= 3
    assert review_passages.choose("loaded:people", documents, readings, seen, "y") is None


def test_a_seen_range_inside_a_document_excludes_every_passage_touching_it(documents,
                                                                          readings):
    text = documents["quo-vadis-blog"]
    seen = [(0, len(text) // 2)]
    for passage in review_passages.candidates("quo-vadis-blog", text,
                                              readings["quo-vadis-blog"], "loaded:people",
                                              seen):
        assert passage.start >= len(text) // 2


def test_nothing_is_chosen_for_a_technique_that_is_not_reviewable(documents, readings):
    assert review_passages.choose("signals", documents, readings, {}, "s") is None
    assert review_passages.choose("loaded:other", documents, readings, {}, "s") is None


def test_everything_seen_leaves_no_passage(documents, readings):
    seen = {slug: [(0, len(text))] for slug, text in documents.items()}
    assert review_passages.choose("sourcing:no_source", documents, readings, seen, "s") is None
