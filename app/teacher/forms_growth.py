"""The growth-study form: a name, the class's pre-, post- and delayed test, and an
optional comparison class with its own pre- and post-test.

The choices are filled by the route (the class's assignments; the teacher's other
classes and theirs, grouped by class). Any id is accepted here and checked by
:func:`app.services.growth.check`: an assignment of another class is a field error (400,
the form shown again with what was chosen), like any other unfit choice.
"""

from __future__ import annotations

from typing import Any, Final

from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.domain.textinput import database_id
from app.forms import Form, column_length
from app.models.learning import GrowthStudy
from app.services.growth import Option, OtherClass, StudyChoice

MAX_NAME: Final = column_length(GrowthStudy.name)
NONE_CHOSEN: Final = ""


def optional_id(raw: Any) -> int | None:
    """"" (nothing chosen) -> None; otherwise a database id (else a field error)."""
    if raw is None or raw == NONE_CHOSEN:
        return None
    return database_id(raw)


def _select(label: str, description: str = "") -> SelectField:
    return SelectField(label, coerce=optional_id, validate_choice=False,
                       description=description,
                       invalid_value_message="Choose from the list.")


class StudyForm(Form):
    name = StringField("Name of the study", description=f"Up to {MAX_NAME} characters, for "
                       "example “Loaded language, autumn term”.",
                       filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[DataRequired("Give the study a name."),
                                   Length(max=MAX_NAME, message=f"Keep the name under "
                                          f"{MAX_NAME + 1} characters.")])
    pre_assignment_id = _select("Pre-test", "The assignment students took before the lessons.")
    post_assignment_id = _select("Post-test", "The assignment they took after: a lesson of the "
                                 "same level and kinds of questions, on other passages.")
    delayed_assignment_id = _select("Delayed post-test (optional)", "A third assignment some "
                                    "weeks later: does the change last?")
    comparison_classroom_id = _select("Comparison class (optional)", "One of your other "
                                      "classes that took a pre- and post-test too.")
    comparison_pre_assignment_id = _select("Comparison class's pre-test",
                                           "Listed under each class.")
    comparison_post_assignment_id = _select("Comparison class's post-test",
                                            "Listed under each class.")
    submit = SubmitField("Save study")

    def offer(self, own: list[Option], others: list[OtherClass]) -> None:
        """Fill the lists: this class's assignments; the other classes and theirs."""
        mine = [(NONE_CHOSEN, "Choose an assignment…")] + [(o.id, o.label) for o in own]
        self.pre_assignment_id.choices = mine
        self.post_assignment_id.choices = list(mine)
        self.delayed_assignment_id.choices = [(NONE_CHOSEN, "None")] + mine[1:]
        self.comparison_classroom_id.choices = [(NONE_CHOSEN, "None")] + [
            (c.id, c.name) for c in others]
        grouped: dict[str | None, list[tuple[Any, str]]] = {None: [(NONE_CHOSEN, "None")]}
        for other in others:
            if other.assignments:
                grouped[other.name] = [(o.id, o.label) for o in other.assignments]
        self.comparison_pre_assignment_id.choices = grouped
        self.comparison_post_assignment_id.choices = {k: list(v) for k, v in grouped.items()}

    def choice(self) -> StudyChoice:
        return StudyChoice(
            name=(self.name.data or "").strip(),
            pre_assignment_id=self.pre_assignment_id.data,
            post_assignment_id=self.post_assignment_id.data,
            delayed_assignment_id=self.delayed_assignment_id.data,
            comparison_classroom_id=self.comparison_classroom_id.data,
            comparison_pre_assignment_id=self.comparison_pre_assignment_id.data,
            comparison_post_assignment_id=self.comparison_post_assignment_id.data)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the service's problems beside their fields."""
        for name, message in errors.items():
            field = getattr(self, name)
            field.errors = [*field.errors, message]


class DeleteStudyForm(Form):
    submit = SubmitField("Delete study")
