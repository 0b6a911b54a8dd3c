"""The delete-a-student form: the username must be typed again to confirm."""

from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.forms import Form


class DeleteStudentForm(Form):
    """Confirmation by typing the student's username (a slip of the mouse deletes nothing)."""

    confirm = StringField(
        "Type the student's username to confirm",
        validators=[InputRequired(message="Type the username to confirm."), Length(max=64)],
        description="Their account, class memberships and every attempt are deleted for "
                    "good. This cannot be undone.")
    submit = SubmitField("Delete this student and all their data")
