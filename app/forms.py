"""The base of every form: the text-input rule is wired into WTForms here, once.

Every form in the app derives from :class:`Form` (a ``FlaskForm``) and every sub-form used
in a ``FormField`` from :class:`SubForm`, so a new form follows the rule without asking
(tests/web/test_text_input.py fails for a form that does not). When a field is bound:

* a field that takes typed or chosen text gets :class:`TextRule` first among its
  validators: a control character or a lone surrogate in what was sent is refused with a
  message saying which and where, and the rest of its checks do not run (so nothing, not
  even a uniqueness query, sends it to the database). The form is shown again with the
  text as typed, so the person can fix it;
* a text field without a maximum length gets a default one (see ``DEFAULT_MAX_*``), so
  no text reaches the database unbounded; fields stored in a column set their own,
  derived from the column with :func:`column_length`.

A JSON body (the site's forms never send one; scripts may) is read as the same text
fields a form sends: values that are not text are left out, instead of reaching
validators that expect a string, and a lone surrogate is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import Length, StopValidation

from app.domain.textinput import control_character_problem, displayable

# For text fields that set no maximum of their own (a login name, a hidden phrase).
DEFAULT_MAX_SINGLE_LINE: Final = 1_000
DEFAULT_MAX_MULTILINE: Final = 10_000

# Fields whose input is not text a person typed or chose: files, buttons, checkboxes, the
# CSRF token (checked on its own), and containers (their own fields follow the rule).
_NOT_TEXT: Final = (FileField, MultipleFileField, SubmitField, BooleanField, CSRFTokenField,
                    FormField, FieldList)


def column_length(column: Any) -> int:
    """The declared length of a ``String(n)`` column, e.g. ``column_length(Lesson.title)``."""
    length = column.type.length
    if not isinstance(length, int):
        raise TypeError(f"{column} has no declared length")
    return length


def is_text_field(field: Field) -> bool:
    """Whether the text rule applies to ``field`` (anything a visitor types or picks)."""
    return not isinstance(field, _NOT_TEXT)


def is_multiline(field: Field) -> bool:
    """Textareas hold tabs and line breaks; so may hidden fields, which echo stored text,
    and passwords, which are never stored or shown: an account registered with a pasted
    tab in its password must still be able to log in."""
    return isinstance(field, TextAreaField | HiddenField | PasswordField)


def max_length(field: Field) -> int | None:
    """The largest number of characters ``field`` accepts (None: not a free-text field)."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


class TextRule:
    """Refuse a control character or lone surrogate in a field's text.

    Checks the text as the form will use it (after filters such as trimming, which may
    already have removed a stray tab), or what was sent when the field turns it into
    something else (a number, a date). Raises ``StopValidation``: a refused text goes to
    no other check, none of which need see a NUL (a uniqueness check would send it to
    the database).
    """

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, _form: PlainForm, field: Field) -> None:
        texts = ([field.data] if isinstance(field.data, str)
                 else [raw for raw in field.raw_data or () if isinstance(raw, str)])
        for text in texts:
            problem = control_character_problem(text, multiline=self.multiline)
            if problem:
                if isinstance(field.data, str):
                    # Shown again as typed, except what no page can hold.
                    field.data = displayable(field.data)
                raise StopValidation(problem)


def apply_text_rule(field: Field) -> Field:
    """Give a freshly bound ``field`` the rule and, if it has none, a maximum length."""
    if not is_text_field(field):
        return field
    multiline = is_multiline(field)
    validators = list(field.validators)
    if isinstance(field, StringField) and max_length(field) is None:
        limit = DEFAULT_MAX_MULTILINE if multiline else DEFAULT_MAX_SINGLE_LINE
        validators.append(Length(max=limit, message=f"Keep this under {limit:,} characters."))
    field.validators = [TextRule(multiline=multiline), *validators]
    return field


def _text_pairs(body: Any) -> Iterator[tuple[str, str]]:
    """The text values of a JSON object as form pairs (a list gives repeated values).

    A lone surrogate (JSON can escape one; a form body cannot carry one) is refused with
    a 400: it is not text, and no page could show it again, not even an error page.
    """
    if not isinstance(body, dict):
        return
    for name, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                if displayable(name) != name or displayable(item) != item:
                    abort(400, description="What you sent is not valid text (it holds an "
                                           "unpaired surrogate).")
                yield name, item


class TextRuleMeta:
    """WTForms ``Meta`` hooks shared by :class:`Form` and :class:`SubForm`."""

    def bind_field(self, form: PlainForm, unbound_field: Any, options: dict[str, Any]) -> Field:
        return apply_text_rule(super().bind_field(form, unbound_field, options))  # type: ignore[misc]

    def wrap_formdata(self, form: PlainForm, formdata: Any) -> Any:
        # FlaskForm reads the request when formdata is its own "not given" marker (neither
        # None nor a MultiDict); a JSON body is then read here, as text only.
        reads_request = formdata is not None and not hasattr(formdata, "getlist")
        if (reads_request and request.method in ("POST", "PUT", "PATCH", "DELETE")
                and not request.form and not request.files and request.is_json):
            return ImmutableMultiDict(list(_text_pairs(request.get_json(silent=True))))
        return super().wrap_formdata(form, formdata)  # type: ignore[misc]


class Form(FlaskForm):
    """Base of every form in the app (CSRF from FlaskForm, the text rule from here)."""

    class Meta(TextRuleMeta):
        pass


class SubForm(PlainForm):
    """Base of every form used inside a ``FormField`` (rows of options, sides, key rows)."""

    class Meta(TextRuleMeta):
        pass


def leaf_fields(form: PlainForm) -> Iterable[Field]:
    """Every field of ``form``, those of its sub-forms and list entries included."""
    for field in form:
        if isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from leaf_fields(entry.form)
                else:
                    yield entry
        else:
            yield field
