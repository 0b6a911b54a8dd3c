"""The language lens: find loaded terms, vague or missing attribution, hedges and intensifiers.

Pure Python (no Flask, no database). Everything the lens knows lives in data files under
``data/`` (documented in ``data/README.md``), so a teacher or developer can read why a
word is flagged and extend the lists without touching code.

>>> [(f.text, f.kind, f.category) for f in analyze("Thugs stormed the building, critics say.")]
[('Thugs', 'loaded', 'label'), ('critics say', 'attribution', 'vague_attribution')]
"""

from __future__ import annotations

from functools import lru_cache

from app.domain.lens.detectors import detect_attribution, detect_hedges, detect_loaded
from app.domain.lens.findings import KINDS, Finding
from app.domain.lens.lexicon import DATA_DIR, Category, Lexicon, LexiconError, load_lexicon
from app.domain.lens.tokens import tokenize

__all__ = ["DATA_DIR", "KINDS", "Category", "Finding", "Lexicon", "LexiconError", "analyze",
           "default_lexicon", "load_lexicon"]

_KIND_ORDER = {kind: order for order, kind in enumerate(KINDS)}


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon in the package's ``data/`` folder, loaded once per process."""
    return load_lexicon(DATA_DIR)


def analyze(text: str, lexicon: Lexicon | None = None) -> list[Finding]:
    """Every finding in ``text``, ordered by position (then kind).

    Offsets are Python ``str`` offsets into ``text`` as given, so for every finding
    ``finding.text == text[finding.start:finding.end]``, whatever the script, quotes or
    spaces. Findings of different kinds may overlap ("reportedly" inside a passive);
    findings of one detector never do.
    """
    lexicon = lexicon or default_lexicon()
    tokens = tokenize(text)
    if not tokens:
        return []
    findings = (detect_loaded(text, tokens, lexicon) + detect_attribution(text, tokens, lexicon)
                + detect_hedges(text, tokens, lexicon))
    unique = {(f.start, f.end, f.kind, f.category): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.start, _KIND_ORDER[f.kind], f.end))
