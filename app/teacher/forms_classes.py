"""Forms for classes and assignments. What they accept matches the model's constraints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.domain.assignment_rules import (
    LEAK_CONFIRMATION,
    LEAK_EXPLANATION,
    RuleProblem,
    answers_leak,
    check_window,
)
from app.domain.grading import GRADING_LABELS
from app.domain.textinput import database_id
from app.domain.timezones import (
    DEFAULT_ZONE,
    NonexistentTime,
    ZoneProblem,
    canonical_name,
    is_ambiguous,
    to_local,
    to_utc,
    zone_groups,
)
from app.forms import Form, column_length
from app.models import Assignment, Classroom, utcnow
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
LOCAL_FORMATS: Final = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                        "%Y-%m-%d %H:%M:%S"]


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


def _zone_choices() -> dict[str, list[tuple[str, str]]]:
    return {region: [(name, name) for name in names] for region, names in zone_groups()}


def _check_zone(_form: Form, field: SelectField) -> None:
    try:
        field.data = canonical_name(field.data or "")
    except ZoneProblem as problem:
        raise ValidationError(str(problem)) from problem


def zone_field(description: str) -> SelectField:
    """An IANA time zone, chosen from a list grouped by region (any known name is taken)."""
    return SelectField("Time zone", choices=_zone_choices, validate_choice=False,
                       validators=[_check_zone], description=description)


class NewClassForm(ClassNameForm):
    """A new class: its name and its time zone (the browser's, preselected by a script)."""

    timezone = zone_field("Due dates are typed and shown in this zone. We preselect your "
                          "device's zone when the browser tells us; you can change it later "
                          "in the class settings.")


class ClassZoneForm(Form):
    """The class settings' time zone (a zone outside the list, e.g. "US/Eastern" sent by
    an old browser, is offered too, so the select shows what the class has)."""

    timezone = zone_field("Due dates are typed and shown in this zone, to you and to your "
                          "students. Changing it keeps each date's moment: a due date of "
                          "15:00 in Almaty reads 10:00 in London.")
    submit = SubmitField("Save time zone")

    def offer(self, name: str) -> None:
        """Make sure ``name`` is among the choices."""
        choices = _zone_choices()
        if not any(name == value for group in choices.values() for value, _ in group):
            choices = {"This class": [(name, name)], **choices}
        self.timezone.choices = choices


class ArchiveForm(Form):
    """The archive / unarchive button; ``archive`` says which, so a resent form is harmless."""

    archive = StringField()
    submit = SubmitField("Archive")

    def wanted(self, current: bool) -> bool:
        """The state the teacher asked for (toggle when the form does not say)."""
        if self.archive.data in ("1", "0"):
            return self.archive.data == "1"
        return not current


class ReviewSwitchForm(Form):
    """Review of what was missed, on or off; ``enabled`` says which, so a resent form is
    harmless."""

    enabled = StringField(validators=[AnyOf(("1", "0"), message="Choose on or off.")])
    submit = SubmitField("Save")


def local_datetime_field(label: str, what: str) -> DateTimeLocalField:
    """A date and time as the class's clock shows it (naive: the form converts it)."""
    return DateTimeLocalField(
        label, format=LOCAL_FORMATS,
        invalid_value_message=f"Enter the {what} as a date and a time, {DUE_FORMAT_HELP}.",
        validators=[Optional()])


class ZonedForm(Form):
    """A form whose dates are typed on a class's clock: ``zone`` is its IANA name.

    :meth:`utc` turns a validated local date into the UTC moment stored; a time the
    clocks skip (a DST gap) is the field's error.
    """

    def __init__(self, *args: Any, zone: str = DEFAULT_ZONE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def utc(self, field: DateTimeLocalField) -> datetime | None:
        """``field``'s local time in UTC (None when empty). Raises ValidationError."""
        if field.data is None:
            return None
        try:
            return to_utc(field.data, self.zone)
        except NonexistentTime as problem:
            raise ValidationError(str(problem)) from problem

    def is_ambiguous(self, field: DateTimeLocalField) -> bool:
        """True when ``field``'s time happens twice that night (the first one is taken)."""
        return field.data is not None and is_ambiguous(field.data, self.zone)


class AssignmentRulesForm(ZonedForm):
    """When an assignment opens and is due, how often it may be tried, how it is graded
    and when its answers are shown."""

    available_from = local_datetime_field("Available from", "opening date")
    due_at = local_datetime_field("Due date and time", "due date")
    max_attempts = SelectField(
        "Attempts allowed",
        choices=[SelectChoice(str(n)) for n in range(1, MAX_ATTEMPTS_CHOICE + 1)]
        + [SelectChoice("", "Unlimited")],
        default="1",
        coerce=_attempts_choice,
        description="One attempt gives a grade that says what the student can do; more "
                    "suit practice.",
        invalid_choice_message=f"Choose from 1 to {MAX_ATTEMPTS_CHOICE} attempts, or unlimited.",
    )
    grading = RadioField(
        "Grade by", choices=_choices(GRADING_LABELS), default="highest",
        invalid_choice_message="Choose one of the grading methods.")
    feedback = RadioField(
        "Show answers and explanations", choices=_choices(FEEDBACK_LABELS),
        default="immediately", invalid_choice_message="Choose when answers are shown.")
    answers_with_retries = BooleanField(LEAK_CONFIRMATION)
    late_policy = RadioField(
        "Late work", choices=_choices(LATE_LABELS), default="accept",
        invalid_choice_message="Choose what happens to late work.")
    ask_confidence = BooleanField(
        "Ask “How sure are you?” under each question",
        description="Optional for students: Guessing, Unsure, Fairly sure or Certain. It "
                    "never changes a score. You see how sure they were against how well "
                    "they did (calibration), and what they were sure of but got wrong.")
    submit = SubmitField("Save changes")

    def __init__(self, *args: Any, zone: str = DEFAULT_ZONE,
                 assignment: Assignment | None = None, **kwargs: Any) -> None:
        if assignment is not None:
            kwargs.setdefault("data", self.data_of(assignment, zone))
        super().__init__(*args, zone=zone, **kwargs)
        # The stored settings already show the key while retries remain (an assignment
        # from before this rule): keeping them needs no new confirmation.
        self.leak_accepted = assignment is not None and answers_leak(
            assignment.max_attempts, assignment.feedback)
        where = f"in {zone} time"
        self.available_from.label.text = f"Available from ({where})"
        self.available_from.description = (
            "Optional. Before this, students see the assignment in their list but cannot "
            f"open it. Type the time as clocks in {zone} show it. Leave empty to open it "
            "at once.")
        self.due_at.label.text = f"Due date and time ({where})"
        self.due_at.description = (
            f"Optional. Type the time as clocks in {zone} show it (the class's time zone; "
            "change it in the class settings). Leave empty for no due date.")
        self.from_utc: datetime | None = None
        self.due_utc: datetime | None = None

    @staticmethod
    def data_of(assignment: Assignment, zone: str) -> dict[str, Any]:
        """The stored rules as the form shows them: dates on the class's clock."""
        def local(moment: datetime | None) -> datetime | None:
            return None if moment is None else to_local(moment, zone).replace(tzinfo=None)

        return {"available_from": local(assignment.available_from),
                "due_at": local(assignment.due_at),
                "max_attempts": _attempts_choice(assignment.max_attempts),
                "grading": assignment.grading, "feedback": assignment.feedback,
                "late_policy": assignment.late_policy,
                "ask_confidence": assignment.ask_confidence,
                "answers_with_retries": answers_leak(assignment.max_attempts,
                                                     assignment.feedback)}

    def validate_available_from(self, field: DateTimeLocalField) -> None:
        self.from_utc = self.utc(field)

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        self.due_utc = self.utc(field)

    def validate_feedback(self, field: RadioField) -> None:
        if field.data == "after_due" and self.due_at.data is None:
            raise ValidationError("“After the due date” needs a due date: set one above, "
                                  "or choose another option.")
        if answers_leak(self.attempts(), field.data) and not (
                self.answers_with_retries.data or self.leak_accepted):
            raise ValidationError(LEAK_EXPLANATION)

    def validate_late_policy(self, field: RadioField) -> None:
        if field.data == "refuse" and self.due_at.data is None:
            raise ValidationError("Refusing late work needs a due date: set one above, "
                                  "or accept late work.")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid:
            try:
                check_window(self.from_utc, self.due_utc)
            except RuleProblem as problem:
                self.available_from.errors = [*self.available_from.errors, str(problem)]
                return False
        return valid

    def attempts(self) -> int | None:
        """The attempts chosen (None: unlimited); 1 when the choice is not a number."""
        value = self.max_attempts.data
        if value in ("", None):
            return None
        return int(value) if str(value).isdigit() else 1

    def ambiguous_fields(self) -> list[str]:
        """Labels of the dates typed in a repeated hour (the first one was taken)."""
        return [field.label.text for field in (self.available_from, self.due_at)
                if self.is_ambiguous(field)]

    def rules(self) -> Rules:
        """The validated choices as the service takes them (dates in UTC)."""
        return Rules(due_at=self.due_utc, max_attempts=self.attempts(),
                     grading=self.grading.data, feedback=self.feedback.data,
                     late_policy=self.late_policy.data, available_from=self.from_utc,
                     ask_confidence=bool(self.ask_confidence.data))


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
        super().validate_due_at(field)
        if self.due_utc is not None and self.due_utc <= utcnow():
            raise ValidationError("That due date has already passed. Choose a later one, "
                                  "or leave it empty.")


class DeleteAssignmentForm(Form):
    """Deleting an assignment needs a ticked box, not just a click."""

    confirm = BooleanField(
        "Yes, delete this assignment. Students keep their attempts in their own history.",
        validators=[DataRequired("Tick the box to confirm that you want to delete it.")])
    submit = SubmitField("Delete assignment")
