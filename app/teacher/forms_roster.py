"""The class-list import: a CSV file, or usernames pasted one per line."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from app.domain.rosters import MAX_ROSTER_BYTES, MAX_ROSTER_LINES
from app.forms import Form


class RosterTooLarge(Exception):
    """The file or text is over MAX_ROSTER_BYTES (413)."""


class RosterForm(Form):
    file = FileField(
        "Class list file (CSV or text)",
        description=f"A spreadsheet saved as CSV with a “username” column, or a text file "
                    f"with one username per line. At most {MAX_ROSTER_LINES} students.",
        validators=[FileAllowed(["csv", "txt", "tsv"], "Upload a .csv or .txt file (in a "
                                                       "spreadsheet: Save as… CSV).")])
    names = TextAreaField(
        "…or paste usernames, one per line",
        validators=[Length(max=MAX_ROSTER_BYTES,
                           message="That list is too long to import at once.")],
        render_kw={"rows": 10, "spellcheck": "false", "autocapitalize": "none",
                   "autocomplete": "off"})
    submit = SubmitField("Import students")

    def validate_names(self, field: TextAreaField) -> None:
        if not self.file.data and not (field.data or "").strip():
            raise ValidationError("Choose a file to upload, or paste the usernames.")

    def roster_bytes(self) -> bytes | str:
        """The uploaded file's bytes (read up to the limit), else the pasted text.

        Raises :class:`RosterTooLarge` when either is over the limit.
        """
        if self.file.data:
            data: bytes = self.file.data.stream.read(MAX_ROSTER_BYTES + 1)
            if len(data) > MAX_ROSTER_BYTES:
                raise RosterTooLarge
            return data
        text = self.names.data or ""
        if len(text.encode("utf-8")) > MAX_ROSTER_BYTES:
            raise RosterTooLarge
        return text
