"""Student forms."""

from __future__ import annotations

from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class JoinForm(Form):
    """A class code as the teacher gave it; case, spaces and hyphens do not matter."""

    code = StringField(
        "Class code",
        description="8 letters and digits, like K7QX-M2PD. Capitals, spaces and hyphens "
                    "do not matter.",
        validators=[DataRequired("Enter the class code your teacher gave you."),
                    Length(max=40, message="That is too long for a class code: they have "
                                           "8 letters and digits, like K7QX-M2PD.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters",
                   "spellcheck": "false", "maxlength": 40},
    )
    submit = SubmitField("Join class")


class ContestForm(Form):
    """"I disagree" with one item of the feedback: where it is, and why, on one line."""

    question = HiddenField(validators=[DataRequired(), Length(max=64)])
    # The item's place as the page drew it (app.services.contests.unit_key).
    place = HiddenField(validators=[DataRequired(), Length(max=2_000)])
    reason = StringField(
        "Why do you disagree?",
        validators=[DataRequired("Say in one line why you disagree."),
                    Length(max=300, message="Keep it to one line: at most 300 characters.")],
        render_kw={"maxlength": 300, "autocomplete": "off"},
    )
    submit = SubmitField("Send to my teacher")
