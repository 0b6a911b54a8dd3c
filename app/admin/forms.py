"""Admin forms: an account of any role, with the same username and password rules."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField

from app.auth.forms import RegistrationForm
from app.models.users import ROLES


class AccountForm(RegistrationForm):
    """Create an account of a chosen role (the registration rules, plus a role)."""

    role = SelectField("Role", choices=[SelectChoice(role, role.capitalize()) for role in ROLES],
                       default="teacher")
    class_code = None  # type: ignore[assignment]  # (sign-up only: WTForms drops the field)
