"""The compare view: a GET form of checkboxes, and the chosen texts lined up.

Everything is read-only, so it is all GET: the choices live in the query string
(``?item=d:<slug>&item=x:<lesson>:<excerpt>``), a comparison can be bookmarked or shared,
and the page works without JavaScript. The alignment itself is pure domain code
(:mod:`app.domain.compare`); this module only fetches, validates and renders.
"""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.compare import bp
from app.compare.sources import choices_for, get_sources_or_abort
from app.domain.compare import align, highlight
from app.domain.lens import analyze, default_lexicon

FEWEST, MOST = 2, 5


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """Choose 2–5 texts; once chosen, show the naming table and each text highlighted."""
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
    lexicon = default_lexicon()
    texts = [{"source": source,
              "segments": highlight(source.text, analyze(source.text, lexicon))}
             for source in sources]
    used = sorted({segment.finding.category for text in texts for segment in text["segments"]
                   if segment.finding is not None})
    return render_template("compare/index.html", sources=sources, texts=texts,
                           rows=align([source.text for source in sources]),
                           legend=[(category, lexicon.category_name(category))
                                   for category in used],
                           category_name=lexicon.category_name, **page)
