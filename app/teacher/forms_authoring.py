"""Forms for writing lessons in the browser. Every form carries a CSRF token.

Marks on an excerpt are not WTForms fields: they are the same checkboxes students use
(``<name>.w`` / ``<name>.s``), read with :func:`app.domain.responses.parse_response`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.domain.lessons import LEVELS, SOURCING_REASONS
from app.forms import Form, SubForm, column_length
from app.models import Document, Lesson
from app.student.present import KIND_LABELS

OPTION_ROWS = 5
LONG_TEXT = 4000
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# What the columns hold: a longer value is refused by the form, never cut or lost.
LESSON_TITLE = column_length(Lesson.title)
LESSON_SLUG = column_length(Lesson.slug)
DOCUMENT_TITLE = column_length(Document.title)
DOCUMENT_AUTHOR = column_length(Document.author)
DOCUMENT_OUTLET = column_length(Document.outlet)


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def text_rows(rows: FieldList) -> list[dict[str, str]]:
    """The rows of a list of sub-forms as plain text (a field left out reads as "")."""
    return [{name: value or "" for name, value in entry.data.items()} for entry in rows]


class LessonForm(Form):
    """A lesson's title, summary, level, time and goals."""

    title = StringField("Title", validators=[
        DataRequired("Give the lesson a title."),
        Length(max=LESSON_TITLE,
               message=f"Keep the title to {LESSON_TITLE} characters or fewer.")])
    summary = TextAreaField(
        "Summary", description="One or two sentences, shown in the lesson list.",
        validators=[DataRequired("Write a short summary."),
                    Length(max=LONG_TEXT, message="Keep the summary shorter.")],
        render_kw={"rows": 3})
    level = SelectField("Level", choices=choices((level, level.title()) for level in LEVELS))
    minutes = IntegerField(
        "Minutes (optional)", description="About how long the lesson takes, 1 to 600.",
        validators=[Optional(), NumberRange(1, 600, "Give a number of minutes from 1 to 600.")])
    goals = TextAreaField(
        "Learning goals (optional)", description="One goal per line.",
        validators=[Length(max=LONG_TEXT, message="Keep the goals shorter.")],
        render_kw={"rows": 3})
    submit = SubmitField("Save lesson details")

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in (self.goals.data or "").splitlines() if line.strip()]


class DocumentForm(Form):
    """A new source article, pasted in with what is known of its source."""

    title = StringField("Title", description="The headline, as the article gives it.",
                        validators=[DataRequired("Give the document's title."),
                                    Length(max=DOCUMENT_TITLE,
                                           message=f"Keep the title to {DOCUMENT_TITLE} "
                                                   "characters or fewer.")])
    author = StringField("Author", description="Only if the text says; otherwise leave "
                                               "blank (stored as “unknown”).",
                         validators=[Length(max=DOCUMENT_AUTHOR)])
    outlet = StringField("Outlet", description="The publication, only if the text says.",
                         validators=[Length(max=DOCUMENT_OUTLET)])
    publisher_note = TextAreaField(
        "What the page says about its source", description="Byline, footer or author bio: "
        "what a reader can learn about who is speaking.",
        validators=[Length(max=LONG_TEXT)], render_kw={"rows": 3})
    text = TextAreaField(
        "Text", description="Paste the whole article. It is stored exactly as pasted, "
        "except that Windows line endings (CRLF) become plain line breaks (LF). Excerpts "
        "must quote it word for word.",
        validators=[DataRequired("Paste the article's text."),
                    Length(max=200_000, message="That text is too long for one document.")],
        render_kw={"rows": 16})
    submit = SubmitField("Add document")


class ImportForm(Form):
    """A lesson file, uploaded or pasted."""

    file = FileField("Lesson file", description="A lesson file downloaded from Framing Lab "
                     "(its name ends in “yaml”).",
                     validators=[FileAllowed(["yaml", "yml"], "Upload a lesson file: its name "
                                                              "ends in “yaml” or “yml”.")])
    text = TextAreaField("…or paste the lesson file's text", validators=[Length(max=500_000)],
                         render_kw={"rows": 14, "spellcheck": "false"})
    new_slug = StringField(
        "Import under this slug instead", description="Lower-case letters, digits and "
        "hyphens. Only the file's slug line changes.",
        validators=[Optional(), Regexp(SLUG_PATTERN, message="Use lower-case letters, digits "
                                                              "and single hyphens."),
                    Length(max=LESSON_SLUG)])
    submit = SubmitField("Import")

    def validate_text(self, field: TextAreaField) -> None:
        if not self.file.data and not (field.data or "").strip():
            raise ValidationError("Choose a file to upload or paste the lesson file's text.")


def _excerpt_choices(excerpts: list[tuple[str, str]], blank: str | None) -> list[SelectChoice]:
    return choices(([("", blank)] if blank else []) + excerpts)


class QuestionNewForm(Form):
    """A new question: its kind and the excerpt(s) it is about."""

    kind = SelectField("Kind", choices=choices(KIND_LABELS.items()))
    # Excerpt choices are checked by the service against the draft as it is when saving.
    excerpt = SelectField("Excerpt", choices=[], validate_choice=False)
    second_excerpt = SelectField("Second excerpt (compare only)", choices=[],
                                 validate_choice=False)
    submit = SubmitField("Add question")

    def set_excerpts(self, excerpts: list[tuple[str, str]]) -> None:
        self.excerpt.choices = _excerpt_choices(excerpts, None)
        self.second_excerpt.choices = _excerpt_choices(excerpts, "None")


class QuestionForm(Form):
    """A question's prompt and excerpt(s)."""

    prompt = TextAreaField("Prompt", description="Leave blank for the standard prompt of "
                                                 "this kind.",
                           validators=[Length(max=LONG_TEXT)], render_kw={"rows": 2})
    excerpt = SelectField("Excerpt", choices=[], validate_choice=False)
    second_excerpt = SelectField("Second excerpt", choices=[], validate_choice=False)
    submit = SubmitField("Save question")

    def set_excerpts(self, excerpts: list[tuple[str, str]], compare: bool) -> None:
        self.excerpt.choices = _excerpt_choices(excerpts, None)
        self.second_excerpt.choices = _excerpt_choices(excerpts, None if compare else "None")


class OptionRow(SubForm):
    """One option: its stable id, text (a frame's name, picked from the library's list or
    typed) and feedback."""

    id = HiddenField()
    text = StringField("Option", validators=[Length(max=300)],
                       render_kw={"list": "frame-names", "autocomplete": "off"})
    feedback = TextAreaField("Feedback", validators=[Length(max=LONG_TEXT)],
                             render_kw={"rows": 2})


class OptionsForm(Form):
    """Three to five options; for framing, which one is right (or the two that are both
    defensible)."""

    options = FieldList(FormField(OptionRow), min_entries=OPTION_ROWS, max_entries=OPTION_ROWS)
    correct = SelectMultipleField("Right answer", choices=choices(
        (str(n), str(n + 1)) for n in range(OPTION_ROWS)), validate_choice=False)
    submit = SubmitField("Save options")

    def validate_correct(self, field: SelectMultipleField) -> None:
        rows = {str(n) for n in range(OPTION_ROWS)}
        if any(value not in rows for value in field.data or []):
            raise ValidationError("Choose the right answer among the options.")
        if len(set(field.data or [])) > 2:
            raise ValidationError("Mark one right answer, or two when both frames are "
                                  "defensible; not more.")

    def rows(self) -> list[dict[str, str]]:
        return text_rows(self.options)

    def correct_rows(self) -> list[int]:
        return sorted({int(value) for value in self.correct.data or []})


class SideRow(SubForm):
    """A compare side's frame and why, and optionally a second defensible frame and why."""

    frame = SelectField("Frame", choices=[])
    frame_why = TextAreaField("Why this frame", validators=[Length(max=LONG_TEXT)],
                              render_kw={"rows": 2})
    # Not sent by an older form: None, like "None" (the compiler checks the id).
    also_frame = SelectField("Also defensible (optional)", choices=[], validate_choice=False,
                             description="A second frame the excerpt supports as well; "
                                         "choosing either earns the point.")
    also_why = TextAreaField("Why that frame too", validators=[Length(max=LONG_TEXT)],
                             render_kw={"rows": 2})


class SidesForm(Form):
    """The frame of each excerpt of a compare question."""

    sides = FieldList(FormField(SideRow))
    submit = SubmitField("Save frames")

    def set_options(self, options: list[tuple[str, str]]) -> None:
        for entry in self.sides:
            entry.form.frame.choices = choices([("", "Not chosen yet"), *options])
            entry.form.also_frame.choices = choices([("", "None"), *options])

    def rows(self) -> list[dict[str, str]]:
        return text_rows(self.sides)


_ROW_FIELDS: dict[str, Any] = {
    "neutral": lambda: StringField("Neutral wording", validators=[Length(max=300)]),
    "reason": lambda: SelectField("Reason", choices=choices([("", "Choose a reason"),
                                                             *SOURCING_REASONS.items()])),
    "why": lambda: TextAreaField("Why", validators=[Length(max=LONG_TEXT)],
                                 render_kw={"rows": 2}),
}


@cache
def key_rows_form(fields: tuple[str, ...]) -> type[Form]:
    """A form with one row per key phrase and the given explanation ``fields``.

    Each row also carries its phrase (hidden), so a form drawn for an older key is refused
    rather than saved against the wrong phrases.
    """
    row = type("KeyRow", (SubForm,), {"phrase": HiddenField(),
                                   **{name: _ROW_FIELDS[name]() for name in fields}})
    return type("KeyRowsForm", (Form,), {"rows": FieldList(FormField(row)),
                                              "submit": SubmitField("Save explanations")})


class RegradeForm(Form):
    """Apply the regrade that was shown (pinned by its fingerprint)."""

    fingerprint = HiddenField(validators=[DataRequired()])
    submit = SubmitField("Apply the new scores")
