"""The key a QTI item shows after an attempt: the teacher's key page in a modal feedback.

It reads :class:`app.domain.answer_keys.KeyedQuestion`, the arrangement the answer key
page renders, so the export explains every item the way the app does: each key phrase with
its neutral wording and why, each control and why marking it costs, debatable items with
the case for and against, the asides, the frame(s) with their evidence, the claim's
verdict and the cards that decide it, the facts left out, and the sources each cites.
QTI has no place for the quiz's per-mark verdicts ("you marked a control: ..."), so the
student reads the whole key instead.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 (builds XML only)
from collections.abc import Mapping
from typing import Any

from app.domain.answer_keys import KeyedExcerpt, KeyedQuestion, KeyItem
from app.domain.exports.qti_scoring import KEY_FEEDBACK
from app.domain.exports.qti_xml import el, number

GROUP_LABELS = {
    "keyed": {"loaded_terms": "Loaded words and phrases", "sourcing": "Sourcing gaps",
              "compare": "The words asked for"},
    "signals": "Phrases that signal the frame",
    "controls": "Controls (marking them costs)",
    "debatable": "Debatable (never earn or cost)",
    "asides": "Asides (neither earn nor cost here)",
}


def _label(group: str, kind: str) -> str:
    label = GROUP_LABELS[group]
    return label if isinstance(label, str) else label.get(kind, "In the key")


def _item(entry: KeyItem) -> ET.Element:
    told = []
    if entry.category:
        told.append(f"({entry.category})")
    if entry.neutral:
        told.append(f"Neutral wording: {entry.neutral}.")
    if entry.why:
        told.append(entry.why)
    if entry.case_for:
        told.append(f"The case for: {entry.case_for}")
    if entry.case_against:
        told.append(f"The case against: {entry.case_against}")
    if entry.worth:
        told.append(f"[{entry.worth}]")
    if entry.sources:
        told.append("Sources: " + "; ".join(entry.sources))
    return el("li", {}, el("strong", {}, entry.text), " " + " ".join(told) if told else "")


def _excerpt(kind: str, excerpt: KeyedExcerpt) -> list[ET.Element]:
    found: list[ET.Element] = []
    if excerpt.letter:
        found.append(el("p", {}, el("strong", {}, f"Excerpt {excerpt.letter}")))
    for frame in excerpt.frames:
        found.append(el("p", {}, "The frame: ", el("strong", {}, frame["text"]),
                        f" — {frame['why']}" if frame.get("why") else ""))
    for group, entries in excerpt.items.items():
        found += [el("p", {}, _label(group, kind)), el("ul", {}, *(_item(e) for e in entries))]
    return found


def _check(check: Mapping[str, Any]) -> list[ET.Element]:
    found: list[ET.Element] = []
    if check.get("verdict_label"):
        found.append(el("p", {}, "The verdict: ", el("strong", {}, check["verdict_label"]),
                        f" — {check['why']}" if check.get("why") else ""))
    elif check.get("why"):
        found.append(el("p", {}, check["why"]))
    for _, heading, entries in check.get("groups") or []:
        rows = []
        for entry in entries:
            shown = entry.get("text") or entry["title"]
            rows.append(el("li", {}, el("strong", {}, shown),
                           f" ({entry['title']})" if entry.get("text") else "",
                           f" {entry['why']} [{entry['worth']}]"))
        found += [el("p", {}, heading), el("ul", {}, *rows)]
    return found


def key_feedback(keyed: KeyedQuestion) -> ET.Element:
    """The modal feedback holding the question's key (shown once the item is scored)."""
    content: list[ET.Element] = [el("p", {}, el("strong", {}, "The key"),
                                    f" (at most {number(keyed.max_points)} points)")]
    if keyed.check is not None:
        content += _check(keyed.check)
    else:
        for excerpt in keyed.excerpts:
            content += _excerpt(keyed.kind, excerpt)
    return el("qti-modal-feedback", {"outcome-identifier": "FEEDBACK",
                                     "identifier": KEY_FEEDBACK, "show-hide": "show"},
              el("qti-content-body", {}, *content))
