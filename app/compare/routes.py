"""The compare view: a GET form of checkboxes, and the chosen texts lined up.

Everything is read-only, so it is all GET: the choices live in the query string
(``?item=d:<slug>&item=x:<lesson>:<excerpt>``), a comparison can be bookmarked or shared,
and the page works without JavaScript. The alignment itself is pure domain code
(:mod:`app.domain.compare`); this module only fetches, validates and renders.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.caching import kept
from app.compare import bp
from app.compare.sources import Source, choices_for, get_sources_or_abort
from app.compare.visibility import withheld_for
from app.domain.compare import Segment, align, highlight
from app.domain.lens import analyze, default_lexicon

FEWEST, MOST = 2, 5
# The lens and the alignment take time in proportion to the text (about 5 ms per 1,000
# characters on one core, page included). 100,000 characters in all (a dozen long newspaper
# articles; the longest library document has 8,000) keeps one comparison near half a
# second, however long the documents a teacher has pasted.
MOST_CHARACTERS = 100_000


def _highlighted(text: str) -> list[Any]:
    """The text cut into segments with the lens's findings, worked out once per process."""
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return kept("compare.highlighted", 64).get(
        key, lambda: highlight(text, analyze(text, default_lexicon())))


def _too_long(sources: list[Source]) -> str | None:
    total = sum(len(source.text) for source in sources)
    if total <= MOST_CHARACTERS:
        return None
    lengths = "; ".join(f"{source.title}: {len(source.text):,}" for source in sources)
    return (f"These texts are too long to compare at once: {total:,} characters in all, and "
            f"the limit is {MOST_CHARACTERS:,} ({lengths}). Compare fewer or shorter texts, "
            "or excerpts of them.")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """Choose 2–5 texts; once chosen, show the naming table and each text highlighted
    (for a student, only the texts whose lessons' feedback they may already read)."""
    choices = choices_for(current_user)
    values = request.args.getlist("item")
    # ``with`` pre-ticks a text (a link from a document's page) without comparing yet.
    checked = set(values or request.args.getlist("with"))
    page = {"choices": choices, "checked": checked, "fewest": FEWEST, "most": MOST}
    if not values:
        return render_template("compare/index.html", **page)
    sources = get_sources_or_abort(choices, values)
    if not FEWEST <= len(sources) <= MOST:
        error = (f"Choose at least {FEWEST} different texts to compare; you chose "
                 f"{len(sources)}." if len(sources) < FEWEST else
                 f"Choose at most {MOST} texts to compare; you chose {len(sources)}.")
        return render_template("compare/index.html", error=error, **page), 400
    error = _too_long(sources)
    if error:
        return render_template("compare/index.html", error=error, **page), 400
    return render_template("compare/index.html", **_comparison(sources), **page)


def _comparison(sources: list[Source]) -> dict[str, Any]:
    """The texts lined up, each highlighted unless withheld from this visitor, and the
    naming table over the texts they may see."""
    lexicon = default_lexicon()
    # Decided for this visitor on every request: the cache below holds only the segmenting.
    withheld = withheld_for(current_user, {source.document_slug for source in sources})
    texts = [{"source": source, "withheld": withheld.get(source.document_slug),
              "segments": ([Segment(source.text)] if source.document_slug in withheld
                           else _highlighted(source.text))}
             for source in sources]
    used = sorted({segment.finding.category for text in texts for segment in text["segments"]
                   if segment.finding is not None})
    # A withheld text's naming words are never worked out, so they cannot reach the page.
    shown = [source.text if source.document_slug not in withheld else "" for source in sources]
    return {"sources": sources, "texts": texts, "rows": align(shown) if any(shown) else [],
            "legend": [(category, lexicon.category_name(category)) for category in used],
            "category_name": lexicon.category_name}
