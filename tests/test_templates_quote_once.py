"""Every quotation the app draws with <q> quotes its text once (review, bug 8: "““Tokayev won…").

<q> adds its own quotation marks, so text that carries its own must pass through the
``inner_quote`` filter (its marks become inner ones). This checks every template, so a page
added later cannot bring the doubled quote back.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "app" / "templates"
QUOTED = re.compile(r"<q>\{\{(.+?)\}\}</q>")


def test_every_q_element_passes_its_text_through_inner_quote() -> None:
    unquoted = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
                for path in sorted(TEMPLATES.rglob("*.html"))
                for match in QUOTED.finditer(path.read_text(encoding="utf-8"))
                if "inner_quote" not in match.group(1)]
    assert unquoted == []


def test_the_check_finds_the_quotations_it_is_about() -> None:
    found = [match for path in TEMPLATES.rglob("*.html")
             for match in QUOTED.finditer(path.read_text(encoding="utf-8"))]
    assert len(found) >= 10
