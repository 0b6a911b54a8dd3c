"""Forms of the contests pages: dismiss a contest, accept it with a new judgement."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.domain.lessons import SOURCING_REASONS
from app.domain.reading_edits import JUDGEMENTS
from app.domain.readings import CATEGORIES
from app.forms import Form

_EXPLANATION = 1_000


class DismissContestForm(Form):
    """Dismiss a contest: the key stays as it is."""

    submit = SubmitField("Dismiss")


def choices(labels: dict[str, str], blank: bool = False) -> list[SelectChoice]:
    """Select options from ``value -> label`` (with a first empty option when ``blank``)."""
    return [*([SelectChoice("", "—")] if blank else []),
            *(SelectChoice(value, label) for value, label in labels.items())]


def _text(label: str, description: str = "") -> StringField:
    return StringField(label, description=description, validators=[
        Optional(), Length(max=_EXPLANATION, message=f"Keep it under {_EXPLANATION} "
                                                     "characters.")])


class AcceptContestForm(Form):
    """The new judgement of the contested span, with its explanation.

    Which fields a judgement needs is the reading format's rule
    (:func:`app.domain.reading_edits.set_judgement` says what is missing).
    """

    judgement = SelectField("New judgement", choices=choices(JUDGEMENTS),
                            validators=[DataRequired("Choose a judgement.")])
    about = SelectField("What the words name (loaded, debatable)",
                        choices=choices(CATEGORIES, blank=True), validators=[Optional()])
    neutral = _text("Neutral wording (loaded, debatable)",
                    "A wording that keeps the facts.")
    why = _text("Why (loaded, neutral, sourcing gap, sourced)",
                "What students read in the feedback.")
    case_for = _text("The case for (debatable)")
    case_against = _text("The case against (debatable)")
    reason = SelectField("Kind of sourcing gap (sourcing gap)",
                         choices=choices(SOURCING_REASONS, blank=True), validators=[Optional()])
    # The reading's version the page was drawn with: a reading changed since is refused.
    seen = HiddenField(validators=[Optional(), Length(max=12)])
    submit = SubmitField("Change the key")

    def fields_for_reading(self) -> dict[str, str]:
        """The entry's fields as the reading names them (empty ones left out later)."""
        return {"about": self.about.data or "", "neutral": self.neutral.data or "",
                "why": self.why.data or "", "for": self.case_for.data or "",
                "against": self.case_against.data or "", "reason": self.reason.data or ""}
