"""Teachers write their own shelf cards in the browser (logic in app/services/shelf_cards.py).

Only teachers and admins write cards (403 for a student). A card is changed or deleted
only by its owner: another teacher's card is a 404, as a card that does not exist (its
address is not theirs to know); a library card is a 403 (it changes only through its
file). A form with problems is shown again with everything typed and each problem at its
field (400); a form drawn before another change of the card is the stale-edit page (409).
"Add rows" posts the form too, and shows it again with more blank rows, saving nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.domain.card_forms import form_data
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer, render_error
from app.models import ShelfCard
from app.services import shelf_cards
from app.shelf import bp
from app.shelf.forms import CardForm, problem_summary, show_problems
from app.teacher.stale import seen_version


def _writer_only() -> None:
    if not current_user.has_role("teacher", "admin"):
        abort(403, description="Only teachers write cards for the shelf.")


def own_card_or_abort(card_slug: str) -> ShelfCard:
    """The current teacher's own card ``card_slug``.

    403 for a student, or for a library card (it changes only through its file); 404 when
    the teacher has no card at that address (another teacher's included).
    """
    _writer_only()
    row = shelf_cards.own_card(current_user.id, card_slug)
    if row is None:
        if shelf_cards.in_library(card_slug):
            abort(403, description="This is one of the library's cards: it changes only "
                                   "through its file. Write a card of your own instead.")
        abort(404, description="You have no card at this address.")
    return row


def _render_form(form: CardForm, row: ShelfCard | None, *, version: int | None = None,
                 problems: Mapping[str, list[str]] | None = None, error: str | None = None,
                 status: int = 200) -> ResponseReturnValue:
    left = show_problems(form, problems or {})
    if problems and error is None:
        error = "The card was not saved. Fix what is marked below, then save it again."
    if not problems and form.errors and error is None:
        error = "The card was not saved. Fix what is marked below, then save it again."
    return render_template(
        "shelf/edit.html", form=form, row=row, left=left, error=error,
        summary=problem_summary(form, left),
        version=version if version is not None else (row.edit_version if row else None),
        action=(url_for("shelf.card_edit", card_slug=row.slug) if row
                else url_for("shelf.card_new"))), status


def _posted(form: CardForm, row: ShelfCard | None,
            save: Callable[[], ShelfCard]) -> ResponseReturnValue:
    """The POST of the new-card or edit form: more rows, or a save."""
    version = seen_version()
    if request.form.get("action") == "rows":
        form.add_rows()
        return _render_form(form, row, version=version)
    if not form.validate():
        return _render_form(form, row, version=version, status=400)
    try:
        saved = save()
    except shelf_cards.CardRefused as refused:
        return _render_form(form, row, version=version, problems=refused.problems,
                            status=refused.status)
    flash("Card saved on the shelf." if row is None else "Card saved.", "success")
    return redirect(url_for("shelf.card", card_slug=saved.slug), code=303)


@bp.route("/shelf/new", methods=["GET", "POST"])
def card_new() -> ResponseReturnValue:
    _writer_only()
    form = CardForm()
    if request.method == "GET":
        form.add_spare_rows()
        return _render_form(form, None)
    return _posted(form, None, lambda: shelf_cards.create_card(current_user,
                                                               form.fields_typed()))


@bp.route("/shelf/<card_slug>/edit", methods=["GET", "POST"])
def card_edit(card_slug: str) -> ResponseReturnValue:
    row = own_card_or_abort(card_slug)
    if request.method == "GET":
        form = CardForm(data=form_data(row.content))
        form.add_spare_rows()
        return _render_form(form, row)
    form = CardForm()
    return _posted(form, row, lambda: shelf_cards.change_card(row, seen_version(),
                                                              form.fields_typed()))


@bp.route("/shelf/<card_slug>/delete", methods=["GET", "POST"])
def card_delete(card_slug: str) -> ResponseReturnValue:
    """GET: what deleting the card does, and a button; POST: delete it."""
    row = own_card_or_abort(card_slug)
    if request.method == "GET":
        return render_template("shelf/delete.html", row=row,
                               lessons=shelf_cards.lessons_using(current_user.id, row.slug))
    shelf_cards.delete_card(row, seen_version())
    flash(f"The card “{row.title}” was deleted. Lessons already published keep their copy "
          "of it.", "success")
    return redirect(url_for("shelf.index"), code=303)


# --- expired forms: shown again with what was typed ------------------------------------

def _expired(render: Callable[[], ResponseReturnValue]) -> Callable[[CSRFError],
                                                                    ResponseReturnValue]:
    """A CSRF failure renderer: the form again with the teacher's entries (it runs before
    the blueprint's checks, so it checks the login and role itself, and never raises)."""
    def renderer(_error: CSRFError) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return render_error(400, "Your session ended. Log in again, then reopen the page.")
        try:
            _writer_only()
            return render()
        except HTTPException as error:
            return render_error(error.code or 400)
    return renderer


def _new_expired() -> ResponseReturnValue:
    return _render_form(CardForm(), None, error=CSRF_EXPIRED_MESSAGE, status=400)


def _edit_expired() -> ResponseReturnValue:
    row = own_card_or_abort(str((request.view_args or {}).get("card_slug", "")))
    return _render_form(CardForm(), row, version=seen_version(), error=CSRF_EXPIRED_MESSAGE,
                        status=400)


@bp.record_once
def _install_csrf_renderers(state: BlueprintSetupState) -> None:
    for endpoint, render in (("shelf.card_new", _new_expired),
                             ("shelf.card_edit", _edit_expired)):
        register_csrf_error_renderer(state.app, endpoint, _expired(render))
