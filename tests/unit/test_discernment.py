"""Discernment (signal detection) from marking answers: counts, correction, d′ and c.

Hand computations (z from a normal table, four decimals):
* 3 of 4 found, 1 of 9 wrongly marked: H = 3.5/5 = 0.70, z = 0.5244; F = 1.5/10 = 0.15,
  z = -1.0364; d′ = 1.5608; c = -(0.5244 - 1.0364)/2 = 0.2560.
* 4 of 4 found, none of 9 marked (rates 1 and 0): H = 4.5/5 = 0.90, z = 1.2816;
  F = 0.5/10 = 0.05, z = -1.6449; d′ = 2.9264; c = 0.1817.
"""

from __future__ import annotations

import pytest

from app.domain.discernment import (
    add_counts,
    by_family,
    by_technique,
    corrected_rate,
    describe,
    detection_counts,
    measure,
    overall,
    technique_label,
)

TEXT = ("Crowds gathered. The mob attacked the akimat, officials said. "
        "Some observers say bandits came.")
# words: 0 Crowds 1 gathered 2 The 3 mob 4 attacked 5 the 6 akimat 7 officials 8 said
#        9 Some 10 observers 11 say 12 bandits 13 came
EXCERPTS = {"e": TEXT}
LOADED = {
    "id": "q", "kind": "loaded_terms", "excerpt": "e",
    "phrases": [{"text": "mob", "words": [3], "about": "people"},
                {"text": "bandits", "words": [12], "about": "people"},
                {"text": "attacked", "words": [4], "about": "events"}],
    "controls": [{"text": "Crowds gathered", "words": [0, 1], "why": "Plain."}],
    "debatable": [{"text": "akimat", "words": [6], "for": "", "against": ""}],
}
SOURCING = {
    "id": "s", "kind": "sourcing", "excerpt": "e",
    "gaps": [{"sentence": 2, "reason": "vague_attribution"}],
    "controls": [{"sentence": 1, "why": "Officials."}],
}


def test_rates_of_zero_and_one_take_the_log_linear_correction() -> None:
    assert corrected_rate(0, 9) == pytest.approx(0.05)
    assert corrected_rate(4, 4) == pytest.approx(0.9)
    perfect = measure(4, 4, 0, 9)
    assert perfect.hit_rate == 1.0 and perfect.false_alarm_rate == 0.0
    assert perfect.d_prime == pytest.approx(2.9264, abs=1e-4)
    assert perfect.criterion == pytest.approx(0.1817, abs=1e-4)


def test_d_prime_and_criterion_match_the_hand_computation() -> None:
    found = measure(3, 4, 1, 9)
    assert found.d_prime == pytest.approx(1.5608, abs=1e-4)
    assert found.criterion == pytest.approx(0.2560, abs=1e-4)
    assert measure(0, 4, 9, 9).d_prime == pytest.approx(-2.9264, abs=1e-4)


def test_no_items_gives_no_measure_and_impossible_counts_are_refused() -> None:
    assert measure(0, 0, 1, 5) is None
    assert measure(1, 2, 0, 0) is None
    with pytest.raises(ValueError):
        measure(3, 2, 0, 5)


def test_loaded_terms_counts_phrases_controls_and_other_words() -> None:
    # Marks "mob" (hit), "Crowds" (the control: one false alarm) and "came" (a plain word).
    counts = detection_counts(LOADED, {"words": [3, 0, 13]}, EXCERPTS)
    assert counts["signal"] == {"loaded:people": [2, 1], "loaded:events": [1, 0]}
    # Noise: the control (1 item) + words not judged: The, the, officials, said, Some,
    # observers, say, came = 8 (akimat is debatable: neither) -> 9 items, 2 marked.
    assert counts["noise"] == {"loaded": [9, 2]}


def test_debatable_marks_and_a_bridging_word_are_not_false_alarms() -> None:
    # "akimat" is debatable; "attacked" joins... build a bridge: mob(3) attacked(4) are
    # both keyed, so mark 3,4 and the debatable 6 and the word 5 between 4 and 6.
    counts = detection_counts(LOADED, {"words": [3, 4, 5, 6]}, EXCERPTS)
    assert counts["noise"] == {"loaded": [9, 0]}
    assert counts["signal"]["loaded:events"] == [1, 1]


def test_sourcing_counts_sentences() -> None:
    counts = detection_counts(SOURCING, {"sentences": [1, 2]}, EXCERPTS)
    assert counts == {"signal": {"sourcing:vague_attribution": [1, 1]},
                      "noise": {"sourcing": [2, 1]}}


def test_framing_counts_signals_and_choice_only_kinds_count_nothing() -> None:
    framing = {"id": "f", "kind": "framing", "excerpt": "e", "options": [],
               "signals": [{"text": "mob attacked", "words": [3, 4]}]}
    counts = detection_counts(framing, {"choice": "a", "words": [4, 9]}, EXCERPTS)
    assert counts == {"signal": {"signals": [1, 1]}, "noise": {"signals": [12, 1]}}
    assert detection_counts({**framing, "signals": []}, {"choice": "a"}, EXCERPTS) is None
    assert detection_counts({"id": "v", "kind": "verify"}, {}, EXCERPTS) is None


def test_compare_counts_every_side() -> None:
    compare = {"id": "c", "kind": "compare", "options": [],
               "sides": [{"excerpt": "e", "terms": [{"text": "mob", "words": [3],
                                                      "about": "people"}]},
                         {"excerpt": "e", "terms": [{"text": "bandits", "words": [12],
                                                      "about": "people"}]}]}
    counts = detection_counts(compare, {"sides": [{"words": [3]}, {"words": [0]}]}, EXCERPTS)
    assert counts["signal"] == {"loaded:people": [2, 1]}
    assert counts["noise"] == {"loaded": [26, 1]}


def test_words_standing_in_for_a_source_are_their_own_family() -> None:
    compare = {"id": "c", "kind": "compare", "mark": "stand_ins", "options": [],
               "sides": [{"excerpt": "e", "terms": [{"text": "Some observers say",
                                                      "words": [9, 10, 11],
                                                      "reason": "vague_attribution"}]}]}
    counts = detection_counts(compare, {"sides": [{"words": [10, 3]}]}, EXCERPTS)
    assert counts == {"signal": {"stand_ins": [1, 1]}, "noise": {"stand_ins": [11, 1]}}
    assert technique_label("stand_ins") == "Words standing in for a source"


def test_counts_add_up_and_measure_by_technique_family_and_overall() -> None:
    one = detection_counts(LOADED, {"words": [3, 12, 4]}, EXCERPTS)
    two = detection_counts(SOURCING, {"sentences": [0]}, EXCERPTS)
    total = add_counts(one, two, None)
    assert total["signal"]["loaded:people"] == [2, 2]
    techniques = by_technique(total)
    assert list(techniques) == ["loaded:people", "loaded:events", "sourcing:vague_attribution"]
    assert techniques["sourcing:vague_attribution"].false_alarm_rate == 0.5
    assert set(by_family(total)) == {"loaded", "sourcing"}
    every = overall(total)
    assert (every.hits, every.signal, every.false_alarms, every.noise) == (3, 4, 1, 11)
    assert overall(None) is None and by_technique({}) == {}


def test_labels_and_words_for_students() -> None:
    assert technique_label("loaded:people") == "Loaded words for the people in the streets"
    assert technique_label("sourcing:vague_attribution") == "Sourcing: vague attribution"
    assert technique_label("signals") == "Framing signals"
    free = describe(measure(9, 10, 30, 100))
    assert free.startswith("You find most") and "many words" in free
    careful = describe(measure(3, 10, 0, 100))
    assert "miss most" in careful and "rarely mark anything the key does not count" in careful
    assert "too careful" in careful
    blind = describe(measure(5, 10, 50, 100))
    assert "do not yet separate what the key counts from the rest" in blind
    for sentence in (free, careful, blind, describe(measure(9, 10, 1, 100))):
        assert "neutral" not in sentence  # only the key's controls are ever called neutral


def test_every_shipped_marking_question_counts_a_perfect_answer_as_all_hits(
        shipped_library) -> None:
    """On the whole library: a perfect answer finds every signal item and marks no noise;
    marking everything finds every signal item and marks every noise item except the
    single words the scorer lets bridge two judged phrases (they cost nothing)."""
    from app.domain.answers import perfect_response
    from app.domain.scoring import BRIDGE, mark_everything, score_question

    counted = 0
    for lesson in shipped_library.lessons.values():
        excerpts = {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}
        for question in lesson["questions"]:
            counts = detection_counts(question, perfect_response(question), excerpts)
            if counts is None:
                assert question["kind"] in {"verify", "omission", "framing"}
                continue
            counted += 1
            every = overall(counts)
            assert every.hits == every.signal and every.false_alarms == 0, question["id"]
            marked = mark_everything(question, excerpts)
            everything = overall(detection_counts(question, marked, excerpts))
            bridges = sum(1 for verdict in score_question(question, marked, excerpts).verdicts
                          if verdict.get("why") == BRIDGE)
            assert everything.hits == everything.signal, question["id"]
            assert everything.false_alarms == everything.noise - bridges, question["id"]
    assert counted >= 60
