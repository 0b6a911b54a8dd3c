"""Forms for one student on one assignment: a later due date, and a grade of the teacher's."""

from __future__ import annotations

from typing import Any, Final

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, Length, ValidationError

from app.domain.assignment_rules import RuleProblem, parse_percent
from app.domain.timezones import DEFAULT_ZONE
from app.forms import Form
from app.services.adjustments import MAX_COMMENT
from app.teacher.forms_classes import DUE_FORMAT_HELP, LOCAL_FORMATS, ZonedForm

PERCENT_LENGTH: Final = 8


class ExtensionForm(ZonedForm):
    """A later due date for one student, typed on the class's clock."""

    due_at = DateTimeLocalField(
        "New due date", format=LOCAL_FORMATS,
        invalid_value_message=f"Enter the new due date as a date and a time, {DUE_FORMAT_HELP}.",
        validators=[InputRequired("Enter the new due date and time.")])
    submit = SubmitField("Give this due date")

    def __init__(self, *args: Any, zone: str = DEFAULT_ZONE, **kwargs: Any) -> None:
        super().__init__(*args, zone=zone, **kwargs)
        self.due_at.label.text = f"New due date (in {zone} time)"
        self.due_at.description = (
            "Later than the class's due date. Until then this student's work is on time, "
            "and answers shown “after the due date” wait for this date, for them only.")
        self.due_utc = None

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        self.due_utc = self.utc(field)


def _percent(_form: Form, field: StringField) -> None:
    try:
        parse_percent(field.data)
    except RuleProblem as problem:
        raise ValidationError(str(problem)) from problem


class OverrideForm(Form):
    """The teacher's grade for one student, with a comment the student reads."""

    percent = StringField(
        "Grade (%)", validators=[_percent],
        description="From 0 to 100, one decimal at most. It replaces the computed grade in "
                    "the gradebook, the export and the student's page; the computed one "
                    "stays beside it.",
        render_kw={"inputmode": "decimal", "maxlength": PERCENT_LENGTH, "autocomplete": "off",
                   "size": PERCENT_LENGTH})
    comment = TextAreaField(
        "Comment to the student",
        description=f"Optional, up to {MAX_COMMENT} characters. The student sees it with the "
                    "grade.",
        validators=[Length(max=MAX_COMMENT,
                           message=f"The comment can be at most {MAX_COMMENT} characters "
                                   "long.")],
        render_kw={"maxlength": MAX_COMMENT, "rows": 4})
    submit = SubmitField("Save this grade")

    def value(self) -> float:
        """The validated grade."""
        return parse_percent(self.percent.data)
