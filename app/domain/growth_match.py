"""Are a pre-test and a post-test matched? Plain warnings where they are uneven.

A change from one test to another means something only if the two tests are about as hard
and ask about the same things. :func:`match_report` compares two compiled lessons (what
lesson versions store) and returns one plain sentence per unevenness; an empty list
means the tests are matched:

* the lesson's level differs (intro, core, challenge);
* they ask different kinds of questions, or a different number of a kind;
* the items to find differ by more than :data:`TOLERANCE` in a technique family (loaded
  language, sourcing gaps, framing signals), counted as discernment counts them
  (:func:`app.domain.discernment.detection_counts` of an empty answer);
* the maximum points differ by more than :data:`TOLERANCE`;
* the post-test quotes the same passages (or parts of them) as the pre-test: a test on
  the very passages students practised measures memory, not skill.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from app.domain.discernment import FAMILIES, add_counts, detection_counts, family
from app.domain.scoring import score_question

# Relative difference (of the larger) above which two counts are called uneven.
TOLERANCE = 0.25
KIND_NAMES: dict[str, str] = {
    "loaded_terms": "loaded-language",
    "framing": "framing",
    "sourcing": "sourcing",
    "compare": "compare",
    "verify": "check-a-claim",
    "omission": "left-out",
}

Content = Mapping[str, Any]


def _texts(content: Content) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in content.get("excerpts", [])}


def kind_counts(content: Content) -> Counter[str]:
    """How many questions of each kind the test asks."""
    return Counter(question["kind"] for question in content.get("questions", []))


def max_points(content: Content) -> float:
    """The test's maximum score (every question scored against an empty answer)."""
    texts = _texts(content)
    return sum(score_question(question, {}, texts).max_points
               for question in content.get("questions", []))


def items_to_find(content: Content) -> dict[str, int]:
    """Signal items (key phrases, gaps, signals) per technique family."""
    texts = _texts(content)
    counts = add_counts(*(detection_counts(question, {}, texts)
                          for question in content.get("questions", [])))
    found: Counter[str] = Counter()
    for technique, (items, _) in counts["signal"].items():
        found[family(technique)] += items
    return dict(found)


def uneven(a: float, b: float, tolerance: float = TOLERANCE) -> bool:
    """Whether ``a`` and ``b`` differ by more than ``tolerance`` of the larger."""
    larger = max(abs(a), abs(b))
    return larger > 0 and abs(a - b) / larger > tolerance


def _kinds_text(counts: Counter[str]) -> str:
    if not counts:
        return "no questions"
    return ", ".join(f"{n} {KIND_NAMES.get(kind, kind)}" for kind, n in sorted(counts.items()))


def _number(value: float) -> str:
    return f"{value:g}"


def shared_passages(pre: Content, post: Content) -> int:
    """How many of the post-test's passages overlap a passage of the pre-test (same
    document, overlapping characters)."""
    earlier = [(e.get("document"), e.get("start"), e.get("end"))
               for e in pre.get("excerpts", [])]
    shared = 0
    for excerpt in post.get("excerpts", []):
        document, start, end = excerpt.get("document"), excerpt.get("start"), excerpt.get("end")
        if None in (document, start, end):
            continue
        if any(document == d and s is not None and e is not None and start < e and s < end
               for d, s, e in earlier):
            shared += 1
    return shared


def match_report(pre_content: Content, post_content: Content) -> list[str]:
    """Plain warnings about how the two tests differ; empty when they are matched."""
    warnings: list[str] = []
    pre_level, post_level = pre_content.get("level"), post_content.get("level")
    if pre_level != post_level:
        warnings.append(f"The lessons are of different levels: the pre-test is “{pre_level}”, "
                        f"the post-test “{post_level}”. A harder post-test hides growth; an "
                        "easier one makes it look bigger than it is.")
    pre_kinds, post_kinds = kind_counts(pre_content), kind_counts(post_content)
    if pre_kinds != post_kinds:
        warnings.append("The tests ask different questions: the pre-test has "
                        f"{_kinds_text(pre_kinds)}; the post-test has "
                        f"{_kinds_text(post_kinds)}.")
    pre_items, post_items = items_to_find(pre_content), items_to_find(post_content)
    for name, label in FAMILIES.items():
        before, after = pre_items.get(name, 0), post_items.get(name, 0)
        if uneven(before, after):
            warnings.append(f"{label}: the pre-test asks students to find {before} "
                            f"item{'' if before == 1 else 's'}, the post-test {after}. "
                            "Discernment on this technique rests on unequal evidence.")
    pre_max, post_max = max_points(pre_content), max_points(post_content)
    if uneven(pre_max, post_max):
        warnings.append(f"The maximum scores differ: {_number(pre_max)} points on the "
                        f"pre-test, {_number(post_max)} on the post-test. Percentages of "
                        "tests of such different length are not equally precise.")
    shared = shared_passages(pre_content, post_content)
    if shared:
        passages = "passage" if shared == 1 else "passages"
        warnings.append(f"The post-test reuses {shared} {passages} of the pre-test (the same "
                        "text, or part of it). A post-test on the very same passages measures "
                        "memory, not skill: choose a lesson on other passages.")
    return warnings
