"""The teacher's lesson picker (deep linking, or a link the LMS made without it)."""

from __future__ import annotations

from wtforms import HiddenField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form


class PickForm(Form):
    launch_id = HiddenField(validators=[DataRequired(), Length(max=200)])
    link_id = HiddenField(validators=[Length(max=20)])
    lesson_id = RadioField("Lesson", coerce=int, validate_choice=True, choices=[],
                           validators=[InputRequired(message="Choose a lesson.")])
