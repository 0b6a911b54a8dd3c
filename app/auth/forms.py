"""Account forms. Field rules match the CLI (`flask users create`) via app.models.users."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.domain import joincodes
from app.domain.passwords import password_problem
from app.extensions import db
from app.forms import Form
from app.models.classes import Classroom
from app.models.users import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    USERNAME_PATTERN,
    User,
    normalise_username,
)
from app.services.classes import ClassProblem, class_for_code

USERNAME_TAKEN = "That username is taken. Please choose another."


def _normalise(value: Any) -> Any:
    return normalise_username(value) if isinstance(value, str) else value


class LoginForm(Form):
    """Username and password; errors stay generic so usernames cannot be probed."""

    username = StringField(
        "Username",
        filters=[_normalise],
        validators=[DataRequired("Enter your username.")],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember_me = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class RegistrationForm(Form):
    """A new student account. Usernames are stored lower-case."""

    username = StringField(
        "Username",
        filters=[_normalise],
        description="3–32 characters: letters, digits, dots, underscores or hyphens.",
        validators=[
            DataRequired("Choose a username."),
            Length(min=3, max=32, message="Username must be 3–32 characters long."),
            Regexp(
                USERNAME_PATTERN,
                message="Use only letters, digits, dots (.), underscores (_) and hyphens (-).",
            ),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
        validators=[
            InputRequired("Choose a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
            ),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=f"Password must be at most {MAX_PASSWORD_LENGTH} characters.",
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        "Repeat password",
        validators=[
            InputRequired("Repeat your password."),
            EqualTo("password", message="The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    class_code = StringField(
        "Class code (optional)",
        description="From your teacher, like K7QX-M2PD: it puts you in their class.",
        validators=[Optional(), Length(max=32, message="Class codes have 8 letters and digits.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField("Create account")

    # Set by validate_class_code: the class a valid code names.
    classroom: Classroom | None = None

    def validate_class_code(self, class_code: StringField) -> None:
        """A typed code must name a class that takes new students."""
        if not joincodes.normalise(class_code.data or ""):
            return
        try:
            self.classroom = class_for_code(class_code.data or "")
        except ClassProblem as problem:
            raise ValidationError(str(problem)) from problem

    def validate_username(self, username: StringField) -> None:
        """Reject a name already taken (case-insensitively, since names are stored lower-case)."""
        taken = db.session.scalar(sa.select(User.id).where(User.username == username.data))
        if taken is not None:
            raise ValidationError(USERNAME_TAKEN)

    def validate_password(self, password: PasswordField) -> None:
        """Refuse weak passwords with the reason (also for admin-made accounts: AccountForm)."""
        problem = password_problem(password.data or "", self.username.data)
        if problem:
            raise ValidationError(problem)


class EmptyForm(Form):
    """A form with only a CSRF token, for POST-only buttons such as "Log out"."""

    submit = SubmitField("Submit")


class ChangePasswordForm(Form):
    """A new password, chosen by its owner; the current one is asked for unless the
    account must change a temporary password (it was typed at login moments ago)."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make "
                    "a strong password that is easy to remember.",
        validators=[
            InputRequired("Choose a new password."),
            Length(min=MIN_PASSWORD_LENGTH,
                   message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters."),
            Length(max=MAX_PASSWORD_LENGTH,
                   message=f"Password must be at most {MAX_PASSWORD_LENGTH} characters."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        "Repeat the new password",
        validators=[InputRequired("Repeat your new password."),
                    EqualTo("password", message="The two passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Change password")

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.must_change_password:
            del self.current_password

    def validate_current_password(self, field: PasswordField) -> None:
        if self.user is None or not self.user.check_password(field.data or ""):
            raise ValidationError("That is not your current password.")

    def validate_password(self, field: PasswordField) -> None:
        username = self.user.username if self.user is not None else None
        problem = password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)
        if self.user is not None and self.user.must_change_password and \
                self.user.check_password(field.data or ""):
            raise ValidationError("Choose a new password, not the temporary one you were "
                                  "given.")
