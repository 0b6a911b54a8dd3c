"""The shelf's reading pages: every card a person may read, and one card in full."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain.card_forms import QUESTIONS, ROLES, paragraphs
from app.services import shelf_view
from app.shelf import bp

# How the shelf groups source cards, in this order.
ROLE_GROUPS = {"person": "People", "outlet": "Outlets", "organisation": "Organisations"}


def may_write() -> bool:
    """Whether the current user may write cards of their own (teachers and admins)."""
    return bool(current_user.has_role("teacher", "admin"))


@bp.get("/shelf")
def index() -> ResponseReturnValue:
    """Every card the user may read: facts, then sources by who they are about."""
    entries = shelf_view.visible_cards(current_user)
    sources = {role: [entry for entry in entries if entry.kind == "source"
                      and entry.role == role] for role in ROLE_GROUPS}
    other = [entry for entry in entries if entry.kind == "source" and entry.role not in ROLES]
    return render_template(
        "shelf/index.html", facts=[entry for entry in entries if entry.kind == "fact"],
        sources=sources, other_sources=other, groups=ROLE_GROUPS, frames_url=url_for("main.frames"),
        may_write=may_write())


@bp.get("/shelf/<card_slug>")
def card(card_slug: str) -> ResponseReturnValue:
    """One card: a fact card's body, facts and sources; a source card's four answers."""
    entry = shelf_view.visible_card(current_user, card_slug)
    if entry is None:
        abort(404, description="There is no card at this address on the shelf, or it is "
                               "not one you can read.")
    return render_template("shelf/card.html", entry=entry, card=entry.card,
                           body=paragraphs(str(entry.card.get("body", ""))),
                           questions=QUESTIONS, paragraphs=paragraphs,
                           role=ROLES.get(entry.role, ""), may_write=may_write())
