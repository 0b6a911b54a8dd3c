"""Words of a text as the lens sees them: offsets, a lookup key, and their sentence.

Words and sentences are exactly :func:`app.domain.text.words` and
:func:`app.domain.text.sentences`, so a finding covers whole markable words, the units
students tick, and "in the same sentence" means what it means in a sourcing question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.text import sentences, words

# Typography folded for lookups only; offsets always point into the original text.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(slots=True)
class Token:
    """One word: its offsets, text, lookup key and place in its sentence.

    ``key`` is the lower-cased word with curly apostrophes and hyphen variants folded;
    ``bare`` is the key without a possessive ending ("regime’s" → "regime").
    ``clean_gap`` is true when only white space separates it from the previous word, so
    a multi-word phrase never matches across punctuation.
    """

    start: int
    end: int
    text: str
    key: str
    bare: str
    sentence: int
    first_in_sentence: bool
    clean_gap: bool

    @property
    def capitalized(self) -> bool:
        """Starts with an upper-case letter."""
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        """A figure such as 12, 5,500 or 1.9, but not a year (1900–2099)."""
        if not _NUMBER.fullmatch(self.text):
            return False
        return not (len(self.text) == 4 and self.text[:2] in ("19", "20"))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: the students' sentences, :func:`sentences`."""
    return [(span.start, span.end) for span in sentences(text)]


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects, each tagged with its sentence number."""
    bounds = sentence_bounds(text)
    tokens: list[Token] = []
    sentence = -1
    sentence_end = -1
    bound_iter = iter(bounds)
    previous_end = 0
    for span in words(text):
        first = False
        while span.start >= sentence_end:
            next_bound = next(bound_iter, None)
            if next_bound is None:
                sentence_end = len(text) + 1
                break
            sentence += 1
            sentence_end = next_bound[1]
            first = True
        key = span.text.lower()
        if not key.isascii():
            key = key.translate(_FOLD)
        bare = key[:-2] if key.endswith("'s") and len(key) > 2 else key
        gap = text[previous_end:span.start]
        tokens.append(Token(span.start, span.end, span.text, key, bare, sentence, first,
                            not gap.strip() and not first))
        previous_end = span.end
    return tokens
