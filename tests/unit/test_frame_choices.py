"""Item analysis of frame choices: what each student chose, beside the frames the key accepts."""

from __future__ import annotations

from app.domain.analysis import Submission, frame_choices
from app.domain.scoring import score_compare, score_framing
from tests.unit.stored_answers import Answer

TEXT = "The riots subsided and the reforms went on."
FRAMING = {
    "id": "f", "kind": "framing", "excerpt": "x", "signals": [],
    "options": [
        {"id": "a", "text": "Order under threat", "correct": True, "feedback": "order"},
        {"id": "b", "text": "Democratic reform", "correct": True, "feedback": "reform"},
        {"id": "c", "text": "Economic grievance", "correct": False, "feedback": "no"},
    ],
}
COMPARE = {
    "id": "c", "kind": "compare",
    "options": [{"id": "order", "text": "Order under threat", "feedback": ""},
                {"id": "reform", "text": "Democratic reform", "feedback": ""},
                {"id": "people", "text": "People against the regime", "feedback": ""}],
    "sides": [{"excerpt": "x", "frame": "reform", "frame_why": "the reforms went on",
               "terms": []},
              {"excerpt": "x", "frame": "order", "frame_why": "the riots subsided",
               "also_frame": "people", "also_why": "riots, from above", "terms": []}],
}
CONTENT = {"excerpts": [{"id": "x", "text": TEXT}], "questions": [FRAMING, COMPARE]}


def submission(student: str, frame: str | None, sides: tuple[str | None, str | None]):
    framing = score_framing(FRAMING, {"choice": frame, "words": []}, {"x": TEXT})
    compare = score_compare(COMPARE, {"sides": [{"choice": side, "words": []}
                                                for side in sides]}, {"x": TEXT})
    return Submission(student, [
        Answer("f", framing.points, framing.max_points, "framing", framing.verdicts),
        Answer("c", compare.points, compare.max_points, "compare", compare.verdicts)],
        CONTENT)


def test_the_choices_are_counted_with_every_accepted_frame_marked():
    found = frame_choices([submission("ana", "a", ("reform", "order")),
                           submission("ben", "b", ("order", "people")),
                           submission("cem", None, ("reform", "people"))])
    framing, side_a, side_b = found
    assert (framing.question_id, framing.side, framing.students, framing.right) == ("f", None, 3, 2)
    assert [(c.text, c.accepted, c.students) for c in framing.counts] == [
        ("Order under threat", True, 1), ("Democratic reform", True, 1),
        ("Economic grievance", False, 0), ("No frame chosen", False, 1)]
    assert (side_a.side, side_a.right) == (0, 2)
    assert [(c.option_id, c.accepted, c.students) for c in side_a.counts] == [
        ("order", False, 1), ("reform", True, 2), ("people", False, 0)]
    # The second excerpt accepts two frames: all three students chose one of them.
    assert (side_b.side, side_b.right) == (1, 3)
    assert [(c.option_id, c.accepted) for c in side_b.counts] == [
        ("order", True), ("reform", False), ("people", True)]


def test_a_verdict_stored_before_two_frames_were_possible_counts_its_one_right_frame():
    old = submission("ana", "c", ("reform", "order"))
    for answer in old.answers:
        for verdict in answer.verdicts:
            verdict.pop("accepted", None)
    [framing, *_] = frame_choices([old])
    assert [(c.option_id, c.accepted) for c in framing.counts] == [
        ("a", True), ("b", False), ("c", False)]
