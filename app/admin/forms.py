"""Admin forms: an account of any role, with the same username and password rules, and
the per-account actions."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.auth.forms import RegistrationForm
from app.forms import Form
from app.models.users import ROLES

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class AccountForm(RegistrationForm):
    """Create an account of a chosen role (the registration rules, plus a role)."""

    role = SelectField("Role", choices=ROLE_CHOICES, default="teacher")
    class_code = None  # type: ignore[assignment]  # (sign-up only: WTForms drops the field)


class RoleForm(Form):
    """Change an account's role."""

    role = SelectField("Role", choices=ROLE_CHOICES,
                       invalid_choice_message="Choose student, teacher or admin.")
    submit = SubmitField("Change role")


class DeleteAccountForm(Form):
    """Deleting a student needs their username typed again."""

    confirm = StringField(
        "Type the student's username to confirm",
        validators=[InputRequired(message="Type the username to confirm."), Length(max=64)],
        description="Their account, class memberships and every attempt are deleted for "
                    "good. This cannot be undone.",
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    submit = SubmitField("Delete this student and all their data")
