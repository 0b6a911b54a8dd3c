"""A lesson as a Moodle GIFT file, for a course's question bank.

Every question kind that GIFT can hold honestly is there, in the lesson's order
(docs/exports.md says what each becomes and what is lost):

* frame choices (framing; each excerpt of a compare question) and a verify question's
  verdict are multiple choice, and a verify question's cards and an omission question's
  facts multiple answer, weighted as the app scores them (:mod:`.gift_choices`);
* marking words or sentences (loaded terms, sourcing, each compare excerpt's words) is
  adapted: a multiple-answer choice among the key's phrases and controls
  (:mod:`.gift_marking`), whose scores are not comparable with the app's.

What is left out, and why, is in the file's opening ``//`` comment lines (which Moodle
skips): a framing question's signal phrases (the key names no controls for them, so a list
would hold only right answers) and any part whose shares Moodle's grades cannot give.
Escapes and weights: :mod:`.gift_text`.
"""

from __future__ import annotations

from app.domain.answer_keys import answer_key
from app.domain.checking import CONTROL_CARD_PENALTY
from app.domain.exports import LessonExport
from app.domain.exports.gift_choices import (
    Written,
    frame_question,
    omission_questions,
    verify_questions,
)
from app.domain.exports.gift_marking import marking_questions
from app.domain.exports.gift_text import escape

__all__ = ["KIND_NAMES", "NothingForGift", "escape", "gift_questions", "gift_text"]

KIND_NAMES = {"loaded_terms": "loaded terms", "sourcing": "sourcing", "verify": "check a claim",
              "omission": "left out", "framing": "framing", "compare": "compare"}


class NothingForGift(ValueError):
    """No question of the lesson has a GIFT form (a GIFT file without a question is
    refused by Moodle's import)."""

    def __init__(self) -> None:
        super().__init__("No question of this lesson can be written as GIFT; its QTI 3 "
                         "package holds every question.")


def gift_questions(export: LessonExport) -> Written:
    """The lesson's GIFT questions, in its order, and what was left out with why."""
    written = Written()
    keyed = answer_key(export.content, export.sources)
    for number, (question, key) in enumerate(zip(export.content["questions"], keyed,
                                                 strict=True), start=1):
        kind = question["kind"]
        name = f"{export.slug} {number}. {question['id']}"
        found = Written()
        if kind == "framing":
            found.questions.append(frame_question(export, name, question))
            if question.get("signals"):
                found.left_out.append(f"{name}: marking the phrases that signal the frame "
                                      "(the key names no controls for them, so a list would "
                                      "hold only right answers)")
        elif kind == "compare":
            for side_number, side in enumerate(question["sides"]):
                letter = chr(ord("A") + side_number)
                found.questions.append(frame_question(export, f"{name} (excerpt {letter})",
                                                      question, side, letter))
                _add(found, marking_questions(export, name, question, side,
                                              key.excerpts[side_number], letter))
        elif kind in ("loaded_terms", "sourcing"):
            found = marking_questions(export, name, question, question, key.excerpts[0])
        elif kind == "verify":
            found = verify_questions(export, name, question)
        elif kind == "omission":
            found = omission_questions(export, name, question)
        else:
            found.left_out.append(f"{name}: a kind of question GIFT has no form for")
        _add(written, found)
    return written


def _add(into: Written, found: Written) -> None:
    into.questions.extend(found.questions)
    into.left_out.extend(found.left_out)


def _header(export: LessonExport, written: Written) -> list[str]:
    content = export.content
    kinds = {question["kind"] for question in content["questions"]}
    version = f"version {export.version}" if export.version else "unpublished draft"
    lines = [f"// Framing Lab: {content['title']} (lesson {export.slug}, {version}).",
             f"// GIFT for Moodle's question bank: {len(written.questions)} question(s) from "
             f"the lesson's {len(content['questions'])}. What each kind becomes "
             "(docs/exports.md says more):"]
    if kinds & {"framing", "compare"}:
        lines.append("// - A frame choice (framing; each excerpt of a compare question): "
                     "multiple choice, each answer with the feedback Framing Lab gives; "
                     "where two frames are defensible, both are right.")
    if "verify" in kinds:
        lines.append("// - Check a claim: the verdict as multiple choice; the cards that "
                     "decide it as multiple answer, weighted as Framing Lab scores them (a "
                     "deciding card its share of the mark, another card "
                     f"-{CONTROL_CARD_PENALTY:.0%}, never below 0).")
    if "omission" in kinds:
        lines.append("// - Left out: the facts as multiple answer, weighted as Framing Lab "
                     "scores them (a fact left out earns its share of the mark, any other "
                     "fact costs; each question's text says how much; never below 0).")
    if kinds & {"loaded_terms", "sourcing", "compare"}:
        lines.append("// - Marking words or sentences (loaded terms, sourcing, a compare "
                     "question's words): AN ADAPTATION. GIFT cannot show a passage to "
                     "mark, so the question quotes the excerpt and lists the key's phrases "
                     "(or sentences) and its controls, each with the key's why; debatable "
                     "items and asides, which score nothing either way, are not offered.")
        lines.append("//   Choosing among listed phrases is easier than finding them in "
                     "free text, so Moodle scores are not comparable with Framing Lab's.")
    if written.left_out:
        lines.append(f"// Not in this file ({len(written.left_out)}):")
        lines.extend(f"// - {note}." for note in written.left_out)
    lines.append("// Worked examples, confidence ratings and assignments are not part of a "
                 "GIFT file; the lesson's QTI 3 package keeps every question as scored.")
    return [" ".join(line.split()) for line in lines]


def gift_text(export: LessonExport) -> str:
    """The lesson as a GIFT file (UTF-8 text, the same for the same input).

    Comment lines at the top say what the file holds and what it leaves out. Raises
    :class:`NothingForGift` when no question of the lesson has a GIFT form.
    """
    written = gift_questions(export)
    if not written.questions:
        raise NothingForGift
    blocks = ["\n".join(_header(export, written)), *written.questions]
    return "\n\n".join(blocks) + "\n"
