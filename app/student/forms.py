"""Student forms."""

from __future__ import annotations

from wtforms import StringField, SubmitField
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
