"""Teacher routes: the reading editor (logic in app/services/reading_editor.py).

A teacher opens any document they may quote (the library's, or one they pasted; another
teacher's pasted document is a 404). They change only their own reading of it: for a
library document, "Copy the library's reading to edit" makes their copy first. Routes read
plain values from the form (indices, a judgement, its fields) and pass them on; every
form carries the reading's ``edit_version`` (a form drawn before another change is a 409
page). A refused change shows the page again with its messages and what was typed (400).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain import reading_editor as edits
from app.domain.issue_places import plain
from app.domain.lens import default_lexicon
from app.domain.lessons import SOURCING_REASONS
from app.domain.reading_edits import JUDGEMENTS, judgements_for, tier_fields
from app.domain.readings import CATEGORIES, TIER_NAMES, TIERS
from app.domain.responses import BadResponse, parse_response
from app.domain.suggestions import in_context
from app.domain.textinput import control_character_problem
from app.models import Document
from app.services import dismissals
from app.services import reading_editor as service
from app.services.authoring import document_for
from app.student.present import markable_view
from app.teacher import bp
from app.teacher.stale import seen_version

FIELDS = ("about", "neutral", "why", "reason", "for", "against")
MAX_FIELD = 2000
UNITS = ("word", "sentence")


def _document(document_slug: str) -> Document:
    document = document_for(current_user.id, document_slug)
    if document is None:
        abort(404, description="That document does not exist, or is not one you can read.")
    return document


def _fields(form: Mapping[str, str], prefix: str = "") -> dict[str, str]:
    """The judgement's fields as typed (400 for a control character or a very long one)."""
    values = {}
    for name in FIELDS:
        value = form.get(f"{prefix}{name}", "")
        problem = control_character_problem(value, multiline=True)
        if problem or len(value) > MAX_FIELD:
            abort(400, description=f"The field '{name}' "
                  + (problem or f"is longer than {MAX_FIELD} characters") + ".")
        values[name] = value.strip()
    return values


def _marked(text: str, unit: str) -> list[int]:
    """The word or sentence checkboxes ticked on the document, read as the quiz reads them."""
    kind = "sourcing" if unit == "sentence" else "loaded_terms"
    try:
        response = parse_response({"id": "span", "kind": kind, "excerpt": "x"}, {"x": text},
                                  request.form.getlist)
    except BadResponse as problem:
        abort(400, description=str(problem))
    return list(response["sentences" if unit == "sentence" else "words"])


def _render(document: Document, *, error: str | None = None, issues: list[Any] | None = None,
            posted: dict[str, Any] | None = None, status: int = 200) -> ResponseReturnValue:
    desk = service.open_desk(current_user, document)
    posted = posted or {}
    markers = {unit: markable_view("span", document.text, unit,
                                   set(posted.get("marked", ())) if posted.get("unit") == unit
                                   else set(), dom=f"r{unit[0]}")
               for unit in UNITS}
    offered = service.suggestions(current_user, desk) if desk.own else None
    return render_template(
        "teacher/readings/edit.html", desk=desk, document=document, markers=markers,
        judgements={unit: judgements_for(unit) for unit in UNITS}, labels=JUDGEMENTS,
        tier_names=TIER_NAMES, tiers=TIERS, tier_fields=tier_fields, categories=CATEGORIES,
        reasons=SOURCING_REASONS, offered=offered, posted=posted, error=error,
        # In words, with no line of the reading's file (issue 13: no file lines in pages).
        problems=[{"message": plain(issue.message)} for issue in issues or []],
        context_of=lambda suggestion: in_context(document.text, suggestion),
        note=service.lessons_note(desk),
        dismissed=service.dismissed_count(current_user, document) if desk.own else 0,
        category_name=default_lexicon().category_name), status


def _back(document: Document, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("teacher.reading_edit", document_slug=document.slug)
                    + (f"#{anchor}" if anchor else ""), code=303)


def _save(document: Document, apply: service.Change, posted: dict[str, Any],
          message: str | Callable[[], str], anchor: str = "") -> ResponseReturnValue:
    try:
        service.change(current_user, document, seen_version(), apply)
    except service.ReadingRefused as refused:
        return _render(document, error=refused.message, issues=refused.issues, posted=posted,
                       status=refused.status)
    flash(message if isinstance(message, str) else message(), "success")
    return _back(document, anchor)


@bp.get("/readings/<document_slug>")
def reading_edit(document_slug: str) -> ResponseReturnValue:
    return _render(_document(document_slug))


@bp.post("/readings/<document_slug>/start")
def reading_start(document_slug: str) -> ResponseReturnValue:
    """Copy the library's reading (or start an empty one) as the teacher's own."""
    document = _document(document_slug)
    service.start_own(current_user, document)
    flash("This reading is now yours to edit. " + service.lessons_note(
        service.open_desk(current_user, document)), "success")
    return _back(document)


@bp.post("/readings/<document_slug>/judge/<unit>")
def reading_judge(document_slug: str, unit: str) -> ResponseReturnValue:
    """Judge the marked words (one phrase) or each selected sentence."""
    document = _document(document_slug)
    if unit not in UNITS:
        abort(404)
    tier, fields = request.form.get("judgement", ""), _fields(request.form)
    if tier not in judgements_for(unit):
        abort(400, description="Choose a judgement for the marked "
                               f"{'words' if unit == 'word' else 'sentences'}.")
    marked = _marked(document.text, unit)
    posted = {"unit": unit, "marked": marked, "judgement": tier, "fields": fields}

    def apply(source: dict[str, Any], compiled: Mapping[str, Any]) -> dict[str, Any]:
        return edits.judge(source, compiled, document.text, unit, marked, tier, fields)
    return _save(document, apply, posted, "Saved in your reading.", f"tier-{tier}")


@bp.post("/readings/<document_slug>/entries/<tier>/<int:position>")
def reading_entry(document_slug: str, tier: str, position: int) -> ResponseReturnValue:
    """Change the fields of one entry, or remove it (``action=remove``)."""
    document = _document(document_slug)
    if tier not in TIERS:
        abort(404)
    action = request.form.get("action", "save")
    if action not in ("save", "remove"):
        abort(400, description="Choose Save or Remove.")
    fields = _fields(request.form)
    posted = {"entry": (tier, position), "fields": fields}

    def apply(source: dict[str, Any], _compiled: Mapping[str, Any]) -> dict[str, Any]:
        if action == "remove":
            return edits.remove_entry(source, tier, position)
        return edits.edit_entry(source, tier, position, fields)
    message = "Entry removed from your reading." if action == "remove" else "Entry saved."
    return _save(document, apply, posted, message, f"tier-{tier}")


@bp.post("/readings/<document_slug>/suggestions")
def reading_suggestion(document_slug: str) -> ResponseReturnValue:
    """Accept a lens suggestion (or all of a category), dismiss one, or show them again."""
    document = _document(document_slug)
    action, chosen = request.form.get("action", ""), request.form.get("suggestion", "")
    category = request.form.get("category", "")
    if action not in ("accept", "accept_all", "dismiss", "restore") \
            or (action in ("accept", "dismiss") and not chosen) \
            or (action == "accept_all" and not category):
        abort(400, description="Choose Accept or Dismiss on one of the suggestions.")
    fields = _fields(request.form)
    posted = {"suggestion": chosen, "category": category, "fields": fields}
    if action in ("dismiss", "restore"):
        desk = service.open_desk(current_user, document)
        if not desk.own:
            abort(409, description="Copy the reading to edit it first.")
        if action == "restore":
            dismissals.restore_in_reading(current_user.id, document.id)
            flash("Dismissed suggestions are shown again.", "success")
        else:
            try:
                dismissals.dismiss_in_reading(current_user.id, document.id, chosen)
            except dismissals.BadDismissal as problem:
                abort(400, description=str(problem))
            flash("Suggestion dismissed.", "success")
        return _back(document, "suggestions")
    offered = service.offered_now(current_user, document)
    outcome: dict[str, edits.AcceptedAll] = {}

    def apply(source: dict[str, Any], _compiled: Mapping[str, Any]) -> dict[str, Any]:
        if action == "accept":
            return edits.accept_suggestion(source, document.text, offered, chosen, fields)
        outcome["all"] = edits.accept_category(source, document.text, offered, category,
                                               fields["about"])
        return outcome["all"].reading
    def message() -> str:
        if action == "accept":
            return "Suggestion accepted into your reading."
        done = outcome["all"]
        text = f"{len(done.accepted)} suggestion{'s' if len(done.accepted) != 1 else ''} accepted."
        if done.asks:
            text += (" The lens has no neutral wording for "
                     + "; ".join(f"“{phrase}”" for phrase in done.asks)
                     + ": accept each of them with your own wording.")
        return text
    return _save(document, apply, posted, message, "suggestions")
