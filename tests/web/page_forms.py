"""Press a button on a page the way a browser does: only the fields of ITS form travel.

The test client posts whatever a test hands it; a browser posts the fields of the form
that holds the pressed button (and the button's own name and value), to the button's
``formaction`` if it has one. Typing into a field of another form on the page changes
nothing that is sent. :func:`press` models exactly that, so a test can show text typed in
one part of a page being lost (or kept) when a button elsewhere is pressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


@dataclass
class Button:
    text: str
    name: str | None
    value: str
    formaction: str | None
    disabled: bool


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every field name, checked or not
    buttons: list[Button] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._button: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: "" if value is None else value for key, value in attrs}
        if tag == "form":
            self._form = Form(action=attr.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attr.get("name")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            form.names.add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    form.fields.append((name, attr.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                form.fields.append((name, attr.get("value", "")))
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            form.names.add(name)
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            form.fields.append((self._select, attr.get("value", "")))
        elif tag == "button" and attr.get("type", "submit") == "submit":
            self._button = {"name": name, "value": attr.get("value", ""),
                            "formaction": attr.get("formaction"), "text": "",
                            "disabled": "disabled" in attr}

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None and self._form is not None:
            button = self._button
            self._form.buttons.append(Button(re.sub(r"\s+", " ", button["text"]).strip(),
                                             button["name"], button["value"],
                                             button["formaction"], button["disabled"]))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        if self._button is not None:
            self._button["text"] += data


def forms(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def find_button(page: str, text: str, value: str | None = None) -> tuple[Form, Button]:
    """The form holding the first button whose text starts with ``text`` (and whose value
    is ``value``, when given)."""
    for form in forms(page):
        for button in form.buttons:
            if button.text.startswith(text) and (value is None or button.value == value):
                return form, button
    raise AssertionError(f"no button {text!r} on the page")


def press(client: FlaskClient, url: str, text: str, typed: dict[str, Any] | None = None,
          *, value: str | None = None) -> TestResponse:
    """GET ``url``, type ``typed`` (field name -> value, or list of values for checkboxes)
    into whatever fields of the page have those names, and press the button ``text``.

    Only what was typed into the pressed button's own form is sent, as in a browser.
    """
    page = client.get(url).get_data(as_text=True)
    form, button = find_button(page, text, value)
    assert not button.disabled, f"the button {text!r} is disabled"
    typed = typed or {}
    data: list[tuple[str, str]] = [(name, value) for name, value in form.fields
                                   if name not in typed]
    for name, value in typed.items():
        if name in form.names:  # typed into this form: it travels
            values = value if isinstance(value, list) else [value]
            data.extend((name, str(item)) for item in values)
        else:  # typed into another form: a browser would not send it
            data.extend((n, v) for n, v in form.fields if n == name)
    if button.name:
        data.append((button.name, button.value))
    action = button.formaction or form.action or url
    multi: dict[str, list[str]] = {}
    for name, value in data:
        multi.setdefault(name, []).append(value)
    return client.post(action, data=multi)


class _Text(HTMLParser):
    SHOWN = ("title", "alt", "aria-label", "placeholder", "value")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        hidden = ("type", "hidden") in attrs
        self.parts.extend(value for key, value in attrs
                          if key in self.SHOWN and value and not hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """What a person can read or hear on ``page``: its text and the attributes shown or
    read aloud (not addresses, not hidden fields)."""
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)
