"""One QTI 3.0 assessment item per question: what the student reads and answers.

Word and sentence questions (loaded terms, sourcing, a framing question's signals, each
excerpt of a compare question) put their excerpt inside a ``qti-hottext-interaction``
where every word, or every sentence, is one ``qti-hottext``: exactly the units the quiz's
checkboxes are (:func:`app.domain.text.pieces`), numbered as the key numbers them. Frame,
verdict, card and fact choices are ``qti-choice-interaction``s, each option with the
feedback the app gives for it (``qti-feedback-inline``). Every excerpt is followed by the
document it comes from and its credit, as under the quiz's excerpts; a verify question
carries the shelf cards it offers, with their sources. The scoring rule is stated as the
quiz states it, and after an attempt the whole key is shown (``qti-modal-feedback``),
arranged by :func:`app.domain.answer_keys.answer_key` like the teacher's key page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 (builds XML only)
from collections.abc import Mapping
from typing import Any

from app.domain.answer_keys import KeyedQuestion
from app.domain.exports import LessonExport
from app.domain.exports.qti_keys import key_feedback
from app.domain.exports.qti_scoring import (
    feedback_outcome,
    option_id,
    outcome_declarations,
    response_declaration,
    response_processing,
    unit_id,
)
from app.domain.exports.qti_xml import ASI_NS, ASI_XSD, XML_LANG, XSI, add, document, el, ident
from app.domain.exports.rules import Part, choice_feedback, parts, verdict_options
from app.domain.scoring import RULES
from app.domain.text import pieces

_BREAK = re.compile(r"\n[ \t]*\n\s*")  # a blank line: a new paragraph
PROMPTS = {
    "WORDS": "Mark words in the excerpt.",
    "SENTENCES": "Select sentences in the excerpt.",
    "SIGNALS": "Optional: mark the phrases that signal the frame.",
    "FRAME": "Choose the frame.",
    "VERDICT": "Do the cards support the claim, contradict it, or leave it undecided?",
    "CARDS": "Pick the card or cards that decide the claim.",
    "FACTS": "Pick each fact the excerpt leaves out that a reader needs.",
}


def item_identifier(slug: str, question_id: str) -> str:
    """The item's identifier (an NCName, the same in every export of the lesson)."""
    return ident("framinglab.", f"{slug}.{question_id}")


def _paragraphs(*tokens: ET.Element | str) -> list[ET.Element]:
    """Paragraphs (``p``) of text and inline elements, a new one at each blank line."""
    found = [el("p")]
    for token in tokens:
        if isinstance(token, str):
            for number, chunk in enumerate(_BREAK.split(token)):
                if number:
                    found.append(el("p"))
                add(found[-1], chunk)
        else:
            found[-1].append(token)
    return [p for p in found if len(p) or (p.text or "").strip()]


def _source(export: LessonExport, excerpt_id: str) -> ET.Element:
    source = export.sources.get(excerpt_id) or {}
    return el("p", {"class": "framinglab-source"}, "Excerpt of ",
              el("em", {}, source.get("title") or "an unnamed document"),
              f" — {source.get('credit') or 'author and outlet unknown'}")


def _hottexts(part: Part, text: str, prompt: str) -> ET.Element:
    unit = part.scoring.unit  # type: ignore[union-attr]
    tokens = [piece.text if piece.index is None else
              el("qti-hottext", {"identifier": unit_id(part, piece.index)}, piece.text)
              for piece in pieces(text, unit)]
    return el("qti-hottext-interaction", {"response-identifier": part.name,
                                          "max-choices": "0", "min-choices": "0"},
              el("qti-prompt", {}, prompt), *_paragraphs(*tokens))


def _choices(part: Part, prompt: str, options: list[tuple[str, list[Any], str]], *,
             shuffle: bool) -> ET.Element:
    """A choice interaction; ``options`` are ``(raw id, content, feedback)``."""
    multiple = bool(getattr(part.scoring, "multiple", False))
    interaction = el("qti-choice-interaction", {
        "response-identifier": part.name, "shuffle": "true" if shuffle else "false",
        "max-choices": "0" if multiple else "1", "min-choices": "0"},
        el("qti-prompt", {}, prompt))
    for raw, content, feedback in options:
        identifier = option_id(part, raw)
        choice = el("qti-simple-choice", {"identifier": identifier}, *content)
        if feedback:
            add(choice, " ", el("qti-feedback-inline", {
                "outcome-identifier": feedback_outcome(part), "identifier": identifier,
                "show-hide": "show"}, feedback))
        interaction.append(choice)
    return interaction


def _frames(part: Part, question: Mapping[str, Any], side: Mapping[str, Any] | None,
            prompt: str) -> ET.Element:
    told = choice_feedback(question, side)
    return _choices(part, prompt, [(option.option_id, [option.text], option.feedback)
                                   for option in told], shuffle=True)


def _card_block(card: Mapping[str, Any]) -> ET.Element:
    """A shelf card as the student reads it: title, summary, body, facts, sources."""
    block = el("div", {"class": "framinglab-card"},
               el("p", {}, el("strong", {}, card.get("title") or card.get("id", ""))))
    if card.get("summary"):
        block.append(el("p", {}, card["summary"]))
    for paragraph in _paragraphs(card.get("body") or ""):
        block.append(paragraph)
    facts = [el("li", {}, f"{fact['date']}: " if fact.get("date") else "", fact["text"])
             for fact in card.get("facts") or []]
    if facts:
        block.append(el("ul", {}, *facts))
    block.extend(_cited(card))
    return block


def _cited(card: Mapping[str, Any]) -> list[ET.Element]:
    """The published sources a card rests on: title, publisher, date and address."""
    rows = []
    for source in card.get("sources") or []:
        line = ", ".join(str(source.get(name)) for name in ("title", "publisher", "date")
                         if source.get(name))
        link = el("a", {"href": source["url"]}, source["url"]) if source.get("url") else None
        rows.append(el("li", {}, line, ", " if line and link is not None else "", link))
    if not rows:
        return []
    return [el("p", {}, "Sources:"), el("ul", {}, *rows)]


def _claimed(text: str, claim: Mapping[str, Any]) -> list[ET.Element]:
    start, end = int(claim.get("start", 0)), int(claim.get("end", 0))
    if not 0 <= start < end <= len(text):
        return _paragraphs(text)
    return _paragraphs(text[:start], el("strong", {"class": "framinglab-claim"},
                                        text[start:end]), text[end:])


def _body(export: LessonExport, question: Mapping[str, Any],
          found: list[Part]) -> list[ET.Element]:
    """The item body after the prompt: excerpts, cards and interactions in quiz order."""
    texts, kind = export.texts, question["kind"]
    by_name = {part.name: part for part in found}
    cards = export.content.get("cards") or {}
    body: list[ET.Element] = []
    if kind in ("loaded_terms", "sourcing"):
        part = found[0]
        body += [_hottexts(part, texts[question["excerpt"]], PROMPTS[part.name]),
                 _source(export, question["excerpt"])]
    elif kind == "framing":
        ref = question["excerpt"]
        if "SIGNALS" in by_name:
            body.append(_hottexts(by_name["SIGNALS"], texts[ref], PROMPTS["SIGNALS"]))
        else:
            body.append(el("div", {"class": "framinglab-excerpt"}, *_paragraphs(texts[ref])))
        body += [_source(export, ref), _frames(by_name["FRAME"], question, None,
                                               PROMPTS["FRAME"])]
    elif kind == "compare":
        for number, side in enumerate(question["sides"], start=1):
            letter = chr(ord("A") + number - 1)
            body += [el("p", {}, el("strong", {}, f"Excerpt {letter}")),
                     _hottexts(by_name[f"TERMS_{number}"], texts[side["excerpt"]],
                               f"Excerpt {letter}: mark words in it."),
                     _source(export, side["excerpt"]),
                     _frames(by_name[f"FRAME_{number}"], question, side,
                             f"The frame of excerpt {letter}.")]
    elif kind == "verify":
        ref = question["excerpt"]
        body += [el("div", {"class": "framinglab-excerpt"},
                    *_claimed(texts[ref], question.get("claim") or {})),
                 _source(export, ref),
                 el("p", {}, "The claim: ", el("strong", {}, question["claim"]["text"])),
                 el("div", {"class": "framinglab-cards"},
                    *(_card_block(cards.get(card["id"]) or {"id": card["id"]})
                      for card in question["cards"])),
                 _choices(by_name["VERDICT"], PROMPTS["VERDICT"],
                          [(verdict, [label], "") for verdict, label in verdict_options()],
                          shuffle=False),
                 _choices(by_name["CARDS"], PROMPTS["CARDS"], [
                     (card["id"], [(cards.get(card["id"]) or {}).get("title") or card["id"]],
                      card["why"]) for card in question["cards"]], shuffle=False)]
    elif kind == "omission":
        ref = question["excerpt"]
        options = []
        for fact in question["facts"]:
            card = cards.get(fact["card"]) or {}
            found_fact = next((f for f in card.get("facts") or [] if f["id"] == fact["fact"]),
                              {})
            dated = f"{found_fact['date']}: " if found_fact.get("date") else ""
            options.append((fact["ref"], [dated + str(found_fact.get("text") or fact["ref"]),
                                          f" (card: {card.get('title') or fact['card']})"],
                            fact["why"]))
        used = dict.fromkeys(fact["card"] for fact in question["facts"])
        body += [el("div", {"class": "framinglab-excerpt"}, *_paragraphs(texts[ref])),
                 _source(export, ref),
                 _choices(by_name["FACTS"], PROMPTS["FACTS"], options, shuffle=False),
                 el("div", {"class": "framinglab-cards"}, *(
                     _card_block(cards.get(card_id) or {"id": card_id}) for card_id in used))]
    return body


def item(export: LessonExport, question: Mapping[str, Any], number: int,
         keyed: KeyedQuestion) -> tuple[str, bytes]:
    """The item of question ``number`` (from 1): its identifier and its XML."""
    found = parts(question, export.texts)
    identifier = item_identifier(export.slug, question["id"])
    root = el("qti-assessment-item", {
        "xmlns": ASI_NS, f"{XSI}schemaLocation": f"{ASI_NS} {ASI_XSD}",
        "identifier": identifier, "title": f"{export.content['title']}: question {number}",
        "adaptive": "false", "time-dependent": "false", XML_LANG: "en"})
    for part in found:
        root.append(response_declaration(part))
    root.extend(outcome_declarations(found, keyed.max_points))
    root.append(el("qti-item-body", {},
                   el("p", {"class": "framinglab-prompt"}, el("strong", {}, question["prompt"])),
                   el("p", {"class": "framinglab-rule"},
                      "How this question is scored: ", RULES[question["kind"]]),
                   *_body(export, question, found)))
    root.append(response_processing(found))
    root.append(key_feedback(keyed))
    return identifier, document(root)
