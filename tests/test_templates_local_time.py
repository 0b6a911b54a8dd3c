"""Every time a page shows is on the class's or the school's clock, never bare UTC.

The review found due dates typed and shown in UTC; the fix (app/zones.py, the
``local_time`` filter) holds only if no template formats a stored moment itself. This
checks every template, so a page added later cannot bring UTC back.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"


def _templates() -> list[tuple[str, str]]:
    return [(str(path.relative_to(TEMPLATES)), path.read_text(encoding="utf-8"))
            for path in sorted(TEMPLATES.rglob("*.html"))]


def test_no_template_formats_a_moment_itself() -> None:
    assert [name for name, text in _templates() if "strftime" in text] == []


def test_no_template_labels_times_as_utc() -> None:
    assert [name for name, text in _templates() if re.search(r"\bUTC\b", text)] == []


def test_the_pages_that_show_times_use_the_filter() -> None:
    users = [name for name, text in _templates() if "local_time" in text]
    assert len(users) >= 10
