"""Class results: the gradebook, the score distribution and item analysis.

Pure functions over plain values (scores, timestamps, stored verdicts, compiled lesson
content); the services in :mod:`app.services.results` load the rows and the teacher pages
render what comes out. One module per idea, all importable from here:

* :mod:`app.domain.gradebook`: one grade per student per assignment, sorting, averages,
  and the score distribution;
* :mod:`app.domain.item_statistics`: which attempt counts, and Moodle's facility and
  discrimination indices per question;
* :mod:`app.domain.class_marks`: the share who found each key item, the neutral words
  marked most, and the answers left out of both because they marked everything;
* :mod:`app.domain.check_shares`: on the verify and omission questions, the share choosing
  each verdict and picking each card or fact;
* :mod:`app.domain.frame_choices`: which frame the students chose, per framing question
  and compare excerpt, beside the frames the key accepts;
* :mod:`app.domain.response_words`: stored responses in words, for the CSV.

Grades always come from :mod:`app.domain.grading`, so the gradebook, the student's own list
and these statistics apply one rule.
"""

from __future__ import annotations

from app.domain.check_shares import (
    CHECK_KINDS,
    CheckQuestion,
    PickShare,
    VerdictShare,
    check_questions,
)
from app.domain.class_marks import (
    KEY_VERDICTS,
    MARKED_EVERYTHING_SHARE,
    MarkedEverything,
    PhraseShare,
    WrongWord,
    excerpt_of,
    marked_everything,
    phrase_shares,
    wrong_words,
)
from app.domain.frame_choices import ChoiceCount, FrameChoices, frame_choices
from app.domain.gradebook import (
    STUDENTS_PER_PAGE,
    Band,
    Cell,
    Column,
    Row,
    build_gradebook,
    column_averages,
    gradebook_cell,
    parse_sort,
    score_distribution,
    sort_gradebook,
)
from app.domain.item_statistics import (
    MOODLE_STATISTICS_DOC,
    ItemStatistics,
    ScoredAnswer,
    Submission,
    counting_attempt,
    discrimination_index,
    facility_index,
    item_analysis,
)
from app.domain.response_words import picks, response_text

__all__ = [
    "CHECK_KINDS", "CheckQuestion", "PickShare", "VerdictShare", "check_questions", "picks",
    "KEY_VERDICTS", "MARKED_EVERYTHING_SHARE", "MOODLE_STATISTICS_DOC", "STUDENTS_PER_PAGE",
    "Band", "Cell", "ChoiceCount", "Column", "FrameChoices", "ItemStatistics",
    "MarkedEverything", "PhraseShare", "Row", "ScoredAnswer", "Submission", "WrongWord",
    "build_gradebook", "column_averages", "counting_attempt", "discrimination_index",
    "excerpt_of", "facility_index", "frame_choices", "gradebook_cell", "item_analysis",
    "marked_everything", "parse_sort", "phrase_shares", "response_text", "score_distribution",
    "sort_gradebook", "wrong_words",
]
