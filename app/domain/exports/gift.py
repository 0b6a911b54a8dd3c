"""A lesson's frame choices as a Moodle GIFT file, for a course's question bank.

GIFT holds multiple-choice questions with feedback per answer, which is what a frame
choice is: each framing question becomes one question, and each excerpt of a compare
question one question of its own ("excerpt A", "excerpt B"), its frame chosen among the
compare question's options. The frames the key accepts are right answers (``=``; where two
frames are defensible, both are, and either earns full marks, as in the app), every other
option a wrong one (``~``), and each answer carries what the app's feedback page tells a
student who chose it (``#``). The question text holds the prompt, the excerpt and where it
comes from. Marking words or sentences, checking claims against cards and picking facts
have no GIFT form: the file says so in its opening comment lines and leaves them to the
QTI package.

The syntax and its escapes follow Moodle's own GIFT reader and writer
(``question/format/gift/format.php``: ``repchar`` and ``readquestion``) and the format's
documentation, https://docs.moodle.org/en/GIFT_format: questions are separated by a blank
line, ``//`` starts a comment line, ``::name::`` names a question, ``[html]`` sets the text
format (answers and feedback inherit it), and ``\\ ~ = # { } :`` and line breaks are
escaped with a backslash.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from app.domain.exports import LessonExport
from app.domain.exports.rules import choice_feedback

# What GIFT escapes, in Moodle's order (the backslash first, so no escape is escaped).
_ESCAPES = (("\\", "\\\\"), ("#", "\\#"), ("=", "\\="), ("~", "\\~"), ("{", "\\{"),
            ("}", "\\}"), (":", "\\:"), ("\n", "\\n"), ("\r", ""))
_BREAK = re.compile(r"\n[ \t]*\n\s*")


class NoFrameChoices(ValueError):
    """The lesson has no framing or compare question: nothing GIFT can hold (a GIFT file
    without a question is refused by Moodle's import)."""

    def __init__(self) -> None:
        super().__init__("This lesson has no framing or compare question, so there is nothing "
                         "to export as GIFT; its QTI 3 package holds every question.")


KIND_NAMES = {"loaded_terms": "loaded terms", "sourcing": "sourcing", "verify": "check a claim",
              "omission": "left out"}


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped (Moodle's ``repchar``)."""
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _html(text: str) -> str:
    """Plain text as HTML on one line (GIFT's text is ``[html]``), then GIFT-escaped. A
    leading ``%`` is written as an entity so it is never read as an answer's weight."""
    shown = _h(" ".join(text.split()))
    if shown.startswith("%"):
        shown = "&#37;" + shown[1:]
    return escape(shown)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_h(' '.join(chunk.split()))}</p>"
                   for chunk in _BREAK.split(text) if chunk.strip())


def _h(text: str) -> str:
    return html.escape(text, quote=False)


def _stem(export: LessonExport, prompt: str, excerpt_id: str, label: str = "") -> str:
    """The question text: the prompt, the excerpt and where it comes from, in HTML."""
    source = export.sources.get(excerpt_id) or {}
    title = source.get("title") or "an unnamed document"
    credit = source.get("credit") or "author and outlet unknown"
    heading = f"<p><strong>{_h(label)}</strong></p>" if label else ""
    return escape(f"<p>{_h(prompt)}</p>{heading}<blockquote>"
                  f"{_paragraphs(export.texts[excerpt_id])}</blockquote>"
                  f"<p><em>Excerpt of {_h(title)} — {_h(credit)}</em></p>")


def _question(name: str, stem: str, question: Mapping[str, Any],
              side: Mapping[str, Any] | None) -> str:
    lines = [f"::{escape(name)}::[html]{stem}{{"]
    for option in choice_feedback(question, side):
        mark = "=" if option.right else "~"
        lines.append(f"\t{mark}{_html(option.text)}#{_html(option.feedback)}")
    lines.append("}")
    return "\n".join(lines)


def frame_questions(export: LessonExport) -> list[str]:
    """The GIFT questions of the lesson: one per framing question, one per compare
    excerpt, in the lesson's order."""
    found = []
    for number, question in enumerate(export.content["questions"], start=1):
        name = f"{export.slug} {number}. {question['id']}"
        if question["kind"] == "framing":
            found.append(_question(name, _stem(export, question["prompt"],
                                               question["excerpt"]), question, None))
        elif question["kind"] == "compare":
            for side_number, side in enumerate(question["sides"]):
                letter = chr(ord("A") + side_number)
                prompt = (f"Which frame fits excerpt {letter}? (From the lesson's question: "
                          f"{question['prompt']})")
                found.append(_question(f"{name} (excerpt {letter})",
                                       _stem(export, prompt, side["excerpt"],
                                             f"Excerpt {letter}"), question, side))
    return found


def _header(export: LessonExport, written: int) -> list[str]:
    content = export.content
    left = [question for question in content["questions"]
            if question["kind"] not in ("framing", "compare")]
    version = f"version {export.version}" if export.version else "unpublished draft"
    lines = [f"// Framing Lab: {content['title']} (lesson {export.slug}, {version}).",
             "// GIFT for Moodle's question bank: the frame choices of this lesson's framing "
             "and compare questions,",
             f"// {written} multiple-choice question(s), each answer with the feedback the "
             "app gives.",
             "// Compare questions also ask students to mark words; that part is not here."]
    if left:
        kinds = sorted({KIND_NAMES.get(q["kind"], q["kind"]) for q in left})
        lines.append(f"// Not in this file: {len(left)} question(s) ({', '.join(kinds)}) that "
                     "GIFT cannot express (marking words or sentences,")
        lines.append("// choosing cards or facts with partial credit and penalties). The "
                     "lesson's QTI 3 package has every question.")
    return [" ".join(line.split()) for line in lines]


def gift_text(export: LessonExport) -> str:
    """The lesson's frame choices as a GIFT file (UTF-8 text, the same for the same input).

    Comment lines at the top say what the file holds and which questions it leaves out.
    Raises :class:`NoFrameChoices` when the lesson has no question GIFT can hold.
    """
    questions = frame_questions(export)
    if not questions:
        raise NoFrameChoices
    blocks = ["\n".join(_header(export, len(questions))), *questions]
    return "\n\n".join(blocks) + "\n"
