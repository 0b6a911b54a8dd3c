"""Writing GIFT: escapes, HTML text, answer weights and one question block.

The syntax and its escapes follow Moodle's own GIFT reader and writer
(``question/format/gift/format.php``: ``repchar`` and ``readquestion``) and the format's
documentation, https://docs.moodle.org/en/GIFT_format: questions are separated by a blank
line, ``//`` starts a comment line, ``::name::`` names a question, ``[html]`` sets the text
format (answers and feedback inherit it), ``\\ ~ = # { } :`` and line breaks are escaped
with a backslash, ``~%50%`` gives an answer a weight (a question whose answers have no
``=`` lets a student choose several) and ``####`` starts the general feedback.

Moodle accepts only the grades of its own list as weights (``question_bank``'s fraction
options in ``question/engine/bank.php``: p/q for q up to 6, tenths, 1/q for q up to 10,
1/20, and their negatives); an import with any other weight fails. :func:`percent` says
whether a share is one of them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.exports import LessonExport

# What GIFT escapes, in Moodle's order (the backslash first, so no escape is escaped).
_ESCAPES = (("\\", "\\\\"), ("#", "\\#"), ("=", "\\="), ("~", "\\~"), ("{", "\\{"),
            ("}", "\\}"), (":", "\\:"), ("\n", "\\n"), ("\r", ""))
_BREAK = re.compile(r"\n[ \t]*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # not white space
# What a source card says about who is behind it, labelled as the quiz labels it.
_ASPECTS = (("who", "Who is it?"), ("pays", "Who pays?"), ("wants", "What do they want?"),
            ("record", "What record can be checked?"))


def _moodle_grades() -> tuple[float, ...]:
    shares = ({p / q for q in range(1, 7) for p in range(q + 1)}
              | {p / 10 for p in range(11)} | {1 / q for q in range(1, 11)} | {1 / 20})
    return tuple(sorted(shares | {-share for share in shares}))


MOODLE_GRADES = _moodle_grades()


def percent(share: float) -> str | None:
    """``share`` (of the question's mark, -1 to 1) as a GIFT weight ("33.33333"), or None
    when Moodle has no such grade (it compares to 0.00001, as ``match_grade_options``)."""
    if not any(abs(share - grade) < 1e-5 for grade in MOODLE_GRADES):
        return None
    shown = f"{share * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if shown in ("", "-0") else shown


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped (Moodle's ``repchar``)."""
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def one_line(text: str) -> str:
    """``text`` on one line: runs of white space one space, control characters (which HTML
    does not allow) dropped."""
    return " ".join(_CONTROL.sub("", text).split())


def h(text: str) -> str:
    """Plain text as HTML on one line (GIFT's text is ``[html]``)."""
    return html.escape(one_line(text), quote=False)


def inline(text: str) -> str:
    """Plain text as HTML on one line, GIFT-escaped, for an answer or its feedback. A
    leading ``%`` or ``[`` is written as an entity, so it is never read as a weight or a
    text format."""
    shown = h(text)
    if shown[:1] == "%":
        shown = "&#37;" + shown[1:]
    elif shown[:1] == "[":
        shown = "&#91;" + shown[1:]
    return escape(shown)


def paragraphs(text: str) -> str:
    """Plain text cut at blank lines into HTML paragraphs."""
    return "".join(f"<p>{h(chunk)}</p>" for chunk in _BREAK.split(text) if one_line(chunk))


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: its text and feedback (plain text), and either ``right`` (a question
    with one answer to choose: ``=`` or ``~``) or a ``weight`` (a question where several
    may be chosen: ``~%weight%``, see :func:`percent`)."""

    text: str
    feedback: str
    right: bool = False
    weight: str | None = None


def write_question(name: str, stem: str, answers: Sequence[Answer], general: str = "") -> str:
    """One GIFT question: its name, its text (HTML), its answers, and the general feedback
    Moodle shows once it is answered (HTML; none when empty)."""
    lines = [f"::{escape(name)}::[html]{escape(stem)}{{"]
    for answer in answers:
        if answer.weight is not None:
            mark = f"~%{answer.weight}%"
        else:
            mark = "=" if answer.right else "~"
        # an answer needs a text (Moodle and gift-pegjs refuse an empty one)
        shown = inline(answer.text) or "(no text)"
        lines.append(f"\t{mark}{shown}#{inline(answer.feedback)}")
    if general:
        lines.append(f"\t####{escape(general)}")
    lines.append("}")
    return "\n".join(lines)


def excerpt(export: LessonExport, excerpt_id: str, label: str = "",
            claim: Mapping[str, Any] | None = None) -> str:
    """An excerpt in a question's text (HTML): its label, its paragraphs (a verify
    question's claim in bold) and where it comes from, as the quiz credits it."""
    text = export.texts[excerpt_id]
    start, end = int((claim or {}).get("start", 0)), int((claim or {}).get("end", 0))
    if claim and 0 <= start < end <= len(text):
        # private-use marks around the claim survive the paragraphs, then become <strong>
        text = f"{text[:start]}\ue000{text[start:end]}\ue001{text[end:]}"
    body = paragraphs(text).replace("\ue000", "<strong>").replace("\ue001", "</strong>")
    source = export.sources.get(excerpt_id) or {}
    title = source.get("title") or "an unnamed document"
    credit = source.get("credit") or "author and outlet unknown"
    heading = f"<p><strong>{h(label)}</strong></p>" if label else ""
    return (f"{heading}<blockquote>{body}</blockquote>"
            f"<p><em>Excerpt of {h(title)} — {h(credit)}</em></p>")


def card(found: Mapping[str, Any], card_id: str) -> str:
    """A shelf card as the quiz lets a student read it (HTML): title, summary, body, who is
    behind it (a source card), dated facts and the published sources it rests on."""
    parts = [f"<p><strong>{h(str(found.get('title') or '')) or h(card_id)}</strong></p>"]
    if found.get("summary"):
        parts.append(f"<p>{h(str(found['summary']))}</p>")
    parts.append(paragraphs(str(found.get("body") or "")))
    aspects = [f"<li>{h(label)} {h(str(found[key]))}</li>" for key, label in _ASPECTS
               if found.get(key)]
    facts = [f"<li>{h(str(fact['date'])) + ': ' if fact.get('date') else ''}"
             f"{h(str(fact.get('text') or ''))}</li>" for fact in found.get("facts") or []]
    sources = [f"<li>{h(_citation(source))}</li>" for source in found.get("sources") or []]
    for heading, rows in (("", aspects), ("Facts:", facts), ("Sources:", sources)):
        if rows:
            parts.append((f"<p>{heading}</p>" if heading else "") + f"<ul>{''.join(rows)}</ul>")
    return f"<div>{''.join(parts)}</div>"


def cards(found: Mapping[str, Mapping[str, Any]], card_ids: Iterable[str], heading: str) -> str:
    """Several cards under a heading (HTML)."""
    shown = "".join(card(found.get(card_id) or {}, card_id) for card_id in card_ids)
    return f"<p><strong>{h(heading)}</strong></p>{shown}"


def _citation(source: Mapping[str, Any]) -> str:
    return ", ".join(str(source[name]) for name in ("title", "publisher", "date", "url")
                     if source.get(name))
