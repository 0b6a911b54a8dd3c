"""Forms for classes and assignments. What they accept matches the model's constraints."""

from __future__ import annotations

from datetime import UTC
from typing import Any, Final

from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.domain.grading import GRADING_LABELS
from app.domain.textinput import database_id
from app.forms import Form, column_length
from app.models import Classroom, utcnow
from app.services.assignments import Rules

MAX_NAME_LENGTH: Final = column_length(Classroom.name)
MAX_ATTEMPTS_CHOICE: Final = 20
FEEDBACK_LABELS: Final = {
    "immediately": "Immediately, after each attempt",
    "after_due": "After the due date",
    "never": "Never (students see only their score)",
}
LATE_LABELS: Final = {
    "accept": "Accept it, flagged as late",
    "refuse": "Refuse it after the due date",
}
DUE_FORMAT_HELP: Final = "like 2026-03-01 14:30"


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _attempts_choice(value: Any) -> str:
    # The model says None for unlimited; the select's value for it is "".
    return "" if value is None else str(value)


def _tidy_name(value: Any) -> Any:
    # Trim, and fold runs of spaces so "10B " and "10B" are the same name.
    return " ".join(value.split()) if isinstance(value, str) else value


class ClassNameForm(Form):
    """A class's name: creating a class and renaming one."""

    name = StringField(
        "Class name",
        filters=[_tidy_name],
        description=f"Up to {MAX_NAME_LENGTH} characters, for example “Media studies 10B”.",
        validators=[
            DataRequired("Enter a name for the class."),
            Length(max=MAX_NAME_LENGTH,
                   message=f"Class names can be at most {MAX_NAME_LENGTH} characters long."),
        ],
        render_kw={"maxlength": MAX_NAME_LENGTH, "autocomplete": "off"},
    )
    submit = SubmitField("Create class")


class ArchiveForm(Form):
    """The archive / unarchive button; ``archive`` says which, so a resent form is harmless."""

    archive = StringField()
    submit = SubmitField("Archive")

    def wanted(self, current: bool) -> bool:
        """The state the teacher asked for (toggle when the form does not say)."""
        if self.archive.data in ("1", "0"):
            return self.archive.data == "1"
        return not current


class AssignmentRulesForm(Form):
    """When an assignment is due, how often it may be tried, how it is graded and shown."""

    due_at = DateTimeLocalField(
        "Due date and time (UTC)",
        tz=UTC,
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        invalid_value_message=f"Enter the due date as a date and a time, {DUE_FORMAT_HELP}.",
        description="Optional. The time is in UTC (Coordinated Universal Time), not your "
                    "local time: convert it before you enter it. Leave empty for no due date.",
        validators=[Optional()],
    )
    max_attempts = SelectField(
        "Attempts allowed",
        choices=[SelectChoice("", "Unlimited")]
        + [SelectChoice(str(n)) for n in range(1, MAX_ATTEMPTS_CHOICE + 1)],
        default="",
        coerce=_attempts_choice,
        invalid_choice_message=f"Choose from 1 to {MAX_ATTEMPTS_CHOICE} attempts, or unlimited.",
    )
    grading = RadioField(
        "Grade by", choices=_choices(GRADING_LABELS), default="highest",
        invalid_choice_message="Choose one of the grading methods.")
    feedback = RadioField(
        "Show answers and explanations", choices=_choices(FEEDBACK_LABELS),
        default="immediately", invalid_choice_message="Choose when answers are shown.")
    late_policy = RadioField(
        "Late work", choices=_choices(LATE_LABELS), default="accept",
        invalid_choice_message="Choose what happens to late work.")
    submit = SubmitField("Save changes")

    def validate_feedback(self, field: RadioField) -> None:
        if field.data == "after_due" and self.due_at.data is None:
            raise ValidationError("“After the due date” needs a due date: set one above, "
                                  "or choose another option.")

    def validate_late_policy(self, field: RadioField) -> None:
        if field.data == "refuse" and self.due_at.data is None:
            raise ValidationError("Refusing late work needs a due date: set one above, "
                                  "or accept late work.")

    def rules(self) -> Rules:
        """The validated choices as the service takes them."""
        attempts = self.max_attempts.data
        return Rules(due_at=self.due_at.data,
                     max_attempts=int(attempts) if attempts else None,
                     grading=self.grading.data, feedback=self.feedback.data,
                     late_policy=self.late_policy.data)


class NewAssignmentForm(AssignmentRulesForm):
    """Assign a lesson: the lesson (checked for access in the route) and its rules."""

    # The choices are rendered by the template (grouped); the route checks the id with
    # the access helpers, so a tampered id gets 404/403 like any other object, and one
    # that no row could have (too large for the column) is this field's error.
    lesson = SelectField("Lesson", coerce=database_id, validate_choice=False,
                         invalid_value_message="Choose a lesson from the list.",
                         validators=[InputRequired("Choose a lesson to assign.")])
    submit = SubmitField("Assign lesson")

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        if field.data is not None and field.data <= utcnow():
            raise ValidationError("That due date has already passed. Choose a later one, "
                                  "or leave it empty.")


class DeleteAssignmentForm(Form):
    """Deleting an assignment needs a ticked box, not just a click."""

    confirm = BooleanField(
        "Yes, delete this assignment. Students keep their attempts in their own history.",
        validators=[DataRequired("Tick the box to confirm that you want to delete it.")])
    submit = SubmitField("Delete assignment")
