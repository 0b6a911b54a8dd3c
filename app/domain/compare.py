"""Line documents up by how they name the same actors and events.

Pure Python (no Flask, no database). The naming groups (the people in the streets, the
authorities, the security forces, the events, the outcome) and their terms live in
``lens/data/naming.yaml`` so that anyone can read and extend them; this module inflects
the terms, finds them in each text with exact ``str`` offsets and counts the words each
text uses.

>>> table = align(["Bandits attacked the city.", "Protesters marched in the city."])
>>> [(row.group.id, [cell.counts for cell in row.cells]) for row in table if row.found]
[('people', [[('Bandits', 1)], [('Protesters', 1)]])]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.domain.lens.findings import Finding
from app.domain.lens.lexicon import DATA_DIR, LexiconError, read_data_file
from app.domain.lens.morphology import inflections
from app.domain.lens.tokens import Token, tokenize

NAMING_FILE = DATA_DIR / "naming.yaml"
_TERM_KINDS = {"nouns": "noun", "verbs": "verb", "phrases": "phrase"}


@dataclass(frozen=True, slots=True)
class NamingGroup:
    """One actor or kind of event, and every word sequence that names it (lower case)."""

    id: str
    label: str
    sequences: frozenset[tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place where a text names a group: ``text == analysed_text[start:end]``."""

    group: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cell:
    """How one document names one group: its occurrences, and each wording with its count.

    ``counts`` lists the wordings as they appear (case kept, first spelling seen),
    most frequent first, then in order of first appearance.
    """

    occurrences: tuple[Occurrence, ...]
    counts: list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Row:
    """One group across all the documents, one cell per document in the order given."""

    group: NamingGroup
    cells: list[Cell]

    @property
    def found(self) -> bool:
        """True when at least one document names this group."""
        return any(cell.occurrences for cell in self.cells)


def _fold(word: str) -> str:
    return word.lower().replace("’", "'")


def load_groups(path: Path = NAMING_FILE) -> tuple[NamingGroup, ...]:
    """Read the naming groups from ``path``; raise :class:`LexiconError` if malformed."""
    data = read_data_file(path)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not groups:
        raise LexiconError(f"{path}: expected a non-empty list under `groups:`")
    result = []
    for number, entry in enumerate(groups, 1):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("label"):
            raise LexiconError(f"{path}: group {number} needs an `id` and a `label`")
        sequences: set[tuple[str, ...]] = set()
        for key, pos in _TERM_KINDS.items():
            terms = entry.get(key) or []
            if not isinstance(terms, list):
                raise LexiconError(f"{path}: group {entry['id']}: `{key}` must be a list")
            for term in terms:
                words = _fold(str(term)).split()
                if not words:
                    raise LexiconError(f"{path}: group {entry['id']}: empty term in `{key}`")
                sequences.update(inflections(" ".join(words), pos))
        result.append(NamingGroup(str(entry["id"]), str(entry["label"]),
                                  frozenset(sequences)))
    return tuple(result)


@lru_cache(maxsize=1)
def default_groups() -> tuple[NamingGroup, ...]:
    """The groups in the package's ``naming.yaml``, loaded once per process."""
    return load_groups()


def _matches_at(tokens: list[Token], index: int, sequence: tuple[str, ...]) -> bool:
    if index + len(sequence) > len(tokens):
        return False
    for offset, word in enumerate(sequence):
        token = tokens[index + offset]
        if offset and not token.clean_gap:
            return False  # a phrase never runs across punctuation
        last = offset == len(sequence) - 1
        if _fold(token.key) != word and not (last and _fold(token.bare) == word):
            return False
    return True


def find_names(text: str, groups: Sequence[NamingGroup] | None = None) -> list[Occurrence]:
    """Every naming of every group in ``text``, in text order, never overlapping.

    At each word the longest matching term of any group wins ("security forces" is one
    occurrence, not "forces" as well); a possessive counts ("regime’s" names the regime).
    """
    groups = default_groups() if groups is None else groups
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for group in groups:
        for sequence in group.sequences:
            by_first.setdefault(sequence[0], []).append((sequence, group.id))
    for candidates in by_first.values():
        candidates.sort(key=lambda item: -len(item[0]))
    tokens = tokenize(text)
    found: list[Occurrence] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        candidates = by_first.get(_fold(token.key), []) + by_first.get(_fold(token.bare), [])
        best = max((item for item in candidates if _matches_at(tokens, index, item[0])),
                   key=lambda item: len(item[0]), default=None)
        if best is None:
            index += 1
            continue
        sequence, group_id = best
        last = tokens[index + len(sequence) - 1]
        found.append(Occurrence(group_id, token.start, last.end, text[token.start:last.end]))
        index += len(sequence)
    return found


def _cell(occurrences: list[Occurrence]) -> Cell:
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for occurrence in occurrences:
        key = _fold(occurrence.text)
        spelling.setdefault(key, occurrence.text)
        order.setdefault(key, len(order))
        counts[key] += 1
    ranked = sorted(counts, key=lambda key: (-counts[key], order[key]))
    return Cell(tuple(occurrences), [(spelling[key], counts[key]) for key in ranked])


def align(texts: Sequence[str], groups: Sequence[NamingGroup] | None = None) -> list[Row]:
    """One :class:`Row` per naming group, each with one :class:`Cell` per text given.

    Rows keep the order of the data file; a row nobody names is kept (``found`` False)
    so a view can say so.
    """
    groups = default_groups() if groups is None else groups
    names = [find_names(text, groups) for text in texts]
    return [Row(group, [_cell([o for o in found if o.group == group.id]) for found in names])
            for group in groups]


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text to show, with the lens finding it highlights (or None)."""

    text: str
    finding: Finding | None = None


def highlight(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Cut ``text`` into plain and highlighted segments that join back into ``text``.

    Findings may overlap (a hedge inside an agentless passive); where they do, the one that
    starts first wins (the longer at the same start, then ``loaded`` before other kinds),
    and the findings it overlaps are left out rather than nested.
    """
    rank = {"loaded": 0, "attribution": 1, "hedge": 2}
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), rank.get(f.kind, 3)))
    segments: list[Segment] = []
    position = 0
    for finding in ordered:
        if finding.start < position or finding.end <= finding.start:
            continue
        if finding.start > position:
            segments.append(Segment(text[position:finding.start]))
        segments.append(Segment(text[finding.start:finding.end], finding))
        position = finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def withheld_documents(
        lessons: Sequence[tuple[str, Iterable[str], str | None]],
) -> dict[str, list[tuple[str, str]]]:
    """Which documents' highlights to withhold, and the lessons that stand in the way.

    ``lessons`` are the lessons a student can take, each as ``(title, documents it quotes,
    why its feedback is not yet theirs to read, or None when it is)``. A document is
    withheld while any lesson quoting it has a reason: its highlights would show that
    lesson's key early. Each withheld document maps to ``(title, why)`` in the order given.

    >>> withheld_documents([("A", ["d1"], None), ("B", ["d1", "d2"], "not done")])
    {'d1': [('B', 'not done')], 'd2': [('B', 'not done')]}
    """
    withheld: dict[str, list[tuple[str, str]]] = {}
    for title, documents, why in lessons:
        if why is None:
            continue
        for document in documents:
            withheld.setdefault(document, []).append((title, why))
    return withheld
