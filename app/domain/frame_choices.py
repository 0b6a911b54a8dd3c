"""Item analysis of frame choices: which frame each student chose, per framing question and
per compare excerpt, beside the frames the key accepts.

Facility says how many got the frame right; this says what the others chose instead, and
whether a second defensible frame draws as many students as the first. Read from the stored
``choice`` verdicts (:func:`app.domain.scoring.accepted_frames` put every accepted frame in
them; verdicts stored before that name one, ``correct``), with option names from the lesson
content of each attempt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.item_statistics import Submission


@dataclass(frozen=True, slots=True)
class ChoiceCount:
    """How many students chose one option (``option_id`` None: no frame chosen)."""

    option_id: str | None
    text: str
    accepted: bool
    students: int


@dataclass(frozen=True, slots=True)
class FrameChoices:
    """The choices made on one framing question, or one excerpt of a compare question."""

    question_id: str
    side: int | None
    students: int
    counts: list[ChoiceCount]

    @property
    def right(self) -> int:
        """How many chose a frame the key accepts."""
        return sum(count.students for count in self.counts if count.accepted)


def _options(content: Mapping[str, Any], question_id: str) -> list[Mapping[str, Any]]:
    question = next((q for q in content.get("questions", []) if q["id"] == question_id), {})
    return list(question.get("options") or [])


def frame_choices(submissions: Sequence[Submission]) -> list[FrameChoices]:
    """Per framing question and compare excerpt, every option with the students who chose
    it (the accepted ones marked), in lesson order; "no frame chosen" last when anyone left
    it blank. Options no one chose are listed too, with 0."""
    tally: dict[tuple[str, int | None], dict[str, Any]] = {}
    for submission in submissions:
        for answer in submission.answers:
            for verdict in answer.verdicts:
                if verdict.get("type") != "choice":
                    continue
                key = (answer.question_id, verdict.get("side"))
                entry = tally.setdefault(key, {"students": 0, "chosen": {}, "texts": {},
                                               "accepted": set(), "order": []})
                for option in _options(submission.content, answer.question_id):
                    if option["id"] not in entry["texts"]:
                        entry["order"].append(option["id"])
                    entry["texts"][option["id"]] = option["text"]
                accepted = [frame["id"] for frame in verdict.get("accepted") or []]
                entry["accepted"].update(accepted or [verdict.get("correct")])
                entry["students"] += 1
                chosen = verdict.get("chosen")
                entry["chosen"][chosen] = entry["chosen"].get(chosen, 0) + 1
                if chosen is not None and chosen not in entry["texts"]:
                    entry["order"].append(chosen)
                    entry["texts"][chosen] = verdict.get("chosen_text") or chosen
    result = []
    for (question_id, side), entry in tally.items():
        counts = [ChoiceCount(option_id, entry["texts"][option_id],
                              option_id in entry["accepted"],
                              entry["chosen"].get(option_id, 0))
                  for option_id in entry["order"]]
        if entry["chosen"].get(None):
            counts.append(ChoiceCount(None, "No frame chosen", False, entry["chosen"][None]))
        result.append(FrameChoices(question_id, side, entry["students"], counts))
    return result
