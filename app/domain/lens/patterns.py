"""Word patterns and the matcher that finds them in a list of :class:`Token`.

A pattern is a short sequence of positions; each position is a set of accepted words
(lower case) and may be optional. Patterns are indexed by the words they can start with,
so matching a text is one dictionary look-up per word plus a check of the few candidates
found, never a scan of the whole lexicon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.lens.tokens import Token

NAME = "<name>"      # in unless_previous / unless_next: a capitalised word
NUMBER = "<number>"  # in unless_previous / unless_next: a figure such as 12 or 5,500


@dataclass(frozen=True, slots=True)
class Rule:
    """What a match means: its category, suggestion, reason and the context that cancels it.

    ``reason`` may contain ``{text}``, replaced by the matched words. ``where`` names the
    data file and line the rule came from, for anyone asking "why was this flagged?".
    ``pos`` and ``base`` (the word that inflects, as written in the data) let the
    suggestion follow the form found: "thugs" → "attackers".
    """

    category: str
    suggestion: str
    reason: str
    where: str
    unless_previous: frozenset[str] = frozenset()
    unless_next: frozenset[str] = frozenset()
    lowercase: bool = False
    pos: str = "phrase"
    base: str = ""


@dataclass(frozen=True, slots=True)
class Pattern:
    """Positions to match in order; ``optional[i]`` marks a position that may be absent."""

    positions: tuple[frozenset[str], ...]
    optional: tuple[bool, ...]
    rule: Rule

    def first_words(self) -> set[str]:
        """Every word a match of this pattern can start with."""
        words: set[str] = set()
        for position, optional in zip(self.positions, self.optional, strict=True):
            words |= position
            if not optional:
                break
        return words


def _accepts(position: frozenset[str], token: Token) -> bool:
    return token.key in position or token.bare in position


def _longest(pattern: Pattern, tokens: list[Token], index: int, start: int,
             began: bool = False) -> int:
    """End (exclusive token index) of the longest match of ``pattern[index:]`` at ``start``.

    Returns -1 when there is none. ``began`` says whether a word has matched already:
    words after the first must follow it with only white space between them (which also
    keeps a match inside one sentence).
    """
    if index == len(pattern.positions):
        return start if began else -1
    best = -1
    if start < len(tokens):
        token = tokens[start]
        if (not began or token.clean_gap) and _accepts(pattern.positions[index], token):
            best = _longest(pattern, tokens, index + 1, start + 1, True)
    if pattern.optional[index]:
        best = max(best, _longest(pattern, tokens, index + 1, start, began))
    return best


def _neighbour_is(words: frozenset[str], token: Token | None) -> bool:
    if token is None or not words:
        return False
    if token.key in words or token.bare in words:
        return True
    if NAME in words and token.capitalized and not token.first_in_sentence:
        return True
    return NUMBER in words and token.is_number


@dataclass(slots=True)
class PatternSet:
    """Patterns indexed by their possible first words; finds the longest match at a word."""

    index: dict[str, list[Pattern]] = field(default_factory=dict)
    count: int = 0

    def add(self, pattern: Pattern) -> None:
        """Index ``pattern`` under every word it can start with (file order = priority)."""
        for word in pattern.first_words():
            self.index.setdefault(word, []).append(pattern)
        self.count += 1

    def extend(self, patterns: Iterable[Pattern]) -> None:
        """Add several patterns in order."""
        for pattern in patterns:
            self.add(pattern)

    def match_at(self, tokens: list[Token], start: int) -> tuple[int, Rule] | None:
        """The longest match starting at ``tokens[start]`` whose context allows it.

        Returns ``(end, rule)`` with ``end`` an exclusive token index, or ``None``.
        """
        token = tokens[start]
        candidates = self.index.get(token.key)
        if token.bare != token.key:
            extra = self.index.get(token.bare)
            if extra:
                candidates = (candidates or []) + extra
        if not candidates:
            return None
        best: tuple[int, Rule] | None = None
        for pattern in candidates:
            end = _longest(pattern, tokens, 0, start)
            if end <= start or (best is not None and end <= best[0]):
                continue
            if self._allowed(pattern.rule, tokens, start, end):
                best = (end, pattern.rule)
        return best

    @staticmethod
    def _allowed(rule: Rule, tokens: list[Token], start: int, end: int) -> bool:
        first = tokens[start]
        if rule.lowercase and first.capitalized and not first.first_in_sentence:
            return False
        sentence = first.sentence
        previous = tokens[start - 1] if start > 0 else None
        if previous is not None and previous.sentence != sentence:
            previous = None
        following = tokens[end] if end < len(tokens) else None
        if following is not None and following.sentence != sentence:
            following = None
        return not (_neighbour_is(rule.unless_previous, previous)
                    or _neighbour_is(rule.unless_next, following))

    def find_all(self, tokens: list[Token]) -> list[tuple[int, int, Rule]]:
        """Leftmost-longest, non-overlapping matches over the whole token list."""
        matches: list[tuple[int, int, Rule]] = []
        position = 0
        while position < len(tokens):
            found = self.match_at(tokens, position)
            if found is None:
                position += 1
                continue
            end, rule = found
            matches.append((position, end, rule))
            position = end
        return matches
