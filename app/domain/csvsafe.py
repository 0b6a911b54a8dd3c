"""CSV files that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` is run as a formula by Excel,
LibreOffice and Google Sheets; a tab or carriage return at the start can smuggle one in
too. Usernames and lesson titles are typed by people, so an export could carry
``=HYPERLINK("http://evil.example", "Click")`` to a teacher's spreadsheet. Following the
OWASP advice on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection),
every text cell that begins with one of those characters, also after leading white space,
gets a single quote in front (the spreadsheet then shows it as text), and every cell is
wrapped in double quotes with embedded quotes doubled.

Numbers the app computed (points, percentages) are written as numbers: they are not
user input, and a negative number must stay a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
# Written first so Excel reads the file as UTF-8 (names and titles are not all ASCII).
BOM: Final = "\ufeff"


def safe_cell(value: object) -> object:
    """``value`` ready for a CSV cell: None → "", numbers unchanged, text defused.

    Text whose first character, or first character after leading white space, is one of
    :data:`FORMULA_TRIGGERS` is prefixed with a single quote.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]], *,
             bom: bool = True) -> str:
    """The whole CSV document: a header row, then ``rows``, every cell through :func:`safe_cell`.

    Lines end with CRLF (RFC 4180) and every cell is quoted.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
