"""Admin forms: an account of any role, with the same username and password rules, the
per-account actions, and a OneRoster roster to import."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, ValidationError

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


class OneRosterForm(Form):
    """A OneRoster bundle to check (dry run) or import."""

    files = MultipleFileField(
        "Roster files",
        description="The zip your school's information system exports as OneRoster 1.2 CSV, "
                    "or its CSV files chosen together (manifest.csv, users.csv, roles.csv, "
                    "classes.csv, enrollments.csv). At most 1 MiB: upload the zip.",
        render_kw={"accept": ".zip,.csv"})
    all_or_nothing = BooleanField("Import nothing if any record has an error", default=True)
    link_by_username = BooleanField(
        "Link accounts made here by hand that have a roster person's username (and no "
        "roster id yet) to that person, instead of reporting them as clashes")
    dry_run = SubmitField("Check only (dry run: changes nothing)")
    submit = SubmitField("Import")

    def chosen(self) -> list[FileStorage]:
        """The files sent (a crafted request may send text in their place: ignored)."""
        return [upload for upload in self.files.data or []
                if isinstance(upload, FileStorage) and upload.filename]

    def validate_files(self, _field: MultipleFileField) -> None:
        uploads = self.chosen()
        if not uploads:
            raise ValidationError("Choose the roster zip, or its CSV files.")
        names = [(upload.filename or "").lower() for upload in uploads]
        if any(not name.endswith((".zip", ".csv")) for name in names):
            raise ValidationError("Upload a .zip file or .csv files: a OneRoster roster is a "
                                  "zip of CSV files.")
        if len(names) > 1 and any(name.endswith(".zip") for name in names):
            raise ValidationError("Upload one zip on its own, or CSV files without a zip.")

    def uploads(self) -> dict[str, bytes]:
        """The uploaded files' bytes by file name (the request is already bounded by the
        site's upload limit)."""
        return {upload.filename or "": upload.stream.read() for upload in self.chosen()}
