"""Excerpts as verbatim quotes of a document, cut by sentence range and found again.

:func:`quote_for` cuts a verbatim excerpt from a document by sentence range (what the
sentence checkboxes submit), and :func:`quote_in_context` finds a stored quote again, with
the text around it for the editor to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.domain.key_phrases import locate
from app.domain.text import Span, find_all, sentences, words_in


@dataclass(frozen=True, slots=True)
class Quote:
    """An excerpt cut from a document, with where it sits and the text around it.

    ``text`` is the document's exact text; ``quote`` is what the lesson file stores (the
    same, minus spaces at the ends of lines, which the matcher ignores). ``first`` and
    ``last`` are sentence indices of the document; ``before``/``after`` hold up to a few
    sentences of context for display.
    """

    text: str
    quote: str
    start: int
    end: int
    first: int
    last: int
    occurrence: int | None
    before: str
    after: str


_CONTEXT_SENTENCES = 2


def stored_quote(text: str) -> str:
    """The quote a lesson file stores for ``text``: the same, minus spaces at the ends of
    lines (the matcher ignores them)."""
    return re.sub(r"[ \t]+\n", "\n", text)


def quote_for(document_text: str, first_sentence: int, last_sentence: int) -> Quote:
    """The verbatim excerpt running from one sentence of a document to another.

    Sentence indices are those of :func:`app.domain.text.sentences` (what the sentence
    checkboxes submit). ``occurrence`` is set when the same text occurs more than once in
    the document. Raises ``ValueError`` for indices out of range or in the wrong order.
    """
    spans = sentences(document_text)
    if not 0 <= first_sentence <= last_sentence < len(spans):
        raise ValueError("choose a first and a last sentence of the document, in order")
    start, end = spans[first_sentence].start, spans[last_sentence].end
    matches = find_all(document_text, document_text[start:end], whole_words=False)
    occurrence = None
    if len(matches) > 1:
        occurrence = next(number for number, match in enumerate(matches, start=1)
                          if match.start == start)
    return _quote(document_text, spans, start, end, occurrence)


def _quote(document_text: str, spans: list[Span], start: int, end: int,
           occurrence: int | None) -> Quote:
    inside = words_in(spans, start, end)
    first, last = inside[0], inside[-1]
    before_start = spans[max(0, first - _CONTEXT_SENTENCES)].start
    after_end = spans[min(len(spans) - 1, last + _CONTEXT_SENTENCES)].end
    text = document_text[start:end]
    return Quote(text=text, quote=stored_quote(text), start=start, end=end, first=first,
                 last=last, occurrence=occurrence, before=document_text[before_start:start],
                 after=document_text[end:max(end, after_end)])


def quote_in_context(document_text: str, quote: Any, occurrence: Any = None) -> Quote | None:
    """Find a stored excerpt quote in its document, as the compiler does, with context.

    None when the quote is not (unambiguously) in the document. Results are cached: the
    editor asks for the same excerpts on every page, and documents are long.
    """
    if not isinstance(quote, str) or not (occurrence is None or isinstance(occurrence, int)):
        return None
    return _quote_in_context(document_text, quote, occurrence)


@lru_cache(maxsize=256)
def _quote_in_context(document_text: str, quote: str, occurrence: int | None) -> Quote | None:
    span = locate(document_text, quote, occurrence, whole_words=False)
    if span is None:
        return None
    spans = sentences(document_text)
    if not words_in(spans, span.start, span.end):
        return None
    return _quote(document_text, spans, span.start, span.end,
                  occurrence if isinstance(occurrence, int) else None)

