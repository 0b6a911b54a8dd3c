"""HTML the test LMS sends to the browser (auto-submitting form posts) and a parser tests use
to act as that browser: read the form, then post its fields themselves."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser


def auto_post_form(action: str, fields: dict[str, str], title: str = "Launching") -> str:
    """A page whose form posts `fields` to `action`: the OpenID Connect form_post response
    mode used by LTI 1.3 launches. A browser submits it by script; a test parses it."""
    inputs = "\n".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items())
    return (
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title></head><body>\n"
        f'<form id="lti-post" method="post" action="{escape(action)}">\n{inputs}\n'
        '<noscript><button type="submit">Continue</button></noscript>\n</form>\n'
        "<script>document.getElementById('lti-post').submit();</script>\n"
        "</body></html>\n")


def page(title: str, text: str) -> str:
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{escape(title)}"
            f"</title></head><body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>\n")


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((values.get("action", ""), values.get("method", "get").lower(),
                               {}))
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1][2][values["name"]] = values.get("value", "")


def parse_form(html: str) -> tuple[str, str, dict[str, str]]:
    """(action, method, fields) of the first form in `html`, entities decoded."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    if not parser.forms:
        raise ValueError("no <form> in the page")
    return parser.forms[0]
