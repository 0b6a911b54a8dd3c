"""Framing Lab served over HTTP for the LTI flow tests, and a browser that walks the flow.

The app runs in a real HTTP server (werkzeug, threaded) on 127.0.0.1 beside the test LMS
(tests/lti/platform.py), so every step goes over HTTP as with a real LMS: the browser
(a ``requests.Session``) follows the login redirect to the LMS, posts the LMS's form to
the launch URL, and the app itself calls the LMS's key set, token, score and roster
endpoints, while the LMS fetches the app's key set to check its signatures.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import requests
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import LtiPlatform, User
from app.services import lti_platforms
from app.services.lti_platforms import PlatformDetails
from tests.lti.local_server import LocalServer
from tests.lti.platform import TestPlatform
from tests.web.results_builders import gen_lesson, gen_user, load_documents


class ToolServer(LocalServer):
    def __init__(self, app: Flask) -> None:
        super().__init__(app, "framinglab-under-test")


def register(app: Flask, platform: TestPlatform, **changes: Any) -> int:
    """The admin's registration of the test LMS, as the admin page would save it."""
    values = platform.registration()
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.role == "admin")) \
            or gen_user("lti-admin", role="admin")
        details = PlatformDetails(
            name="Test LMS", issuer=values["issuer"], client_id=values["client_id"],
            deployment_ids=tuple(values["deployment_ids"]), key_set_url=values["key_set_url"],
            auth_login_url=values["auth_login_url"],
            auth_token_url=values["auth_token_url"], audience=values["audience"])
        details = PlatformDetails(**{**details.__dict__, **changes}) if changes else details
        return lti_platforms.save(admin, details).id


def library(app: Flask) -> int:
    """The source documents and one published library lesson ("Two questions")."""
    with app.app_context():
        load_documents()
        return gen_lesson().id


def form_of(html: str, action_part: str | None = None) -> tuple[str, dict[str, list[str]]]:
    """The first form (or the one whose action contains ``action_part``): its action and
    its fields as a browser would send them (hidden inputs; checked radios)."""
    for match in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S):
        attrs, body = match.groups()
        action = unescape(re.search(r'action="([^"]*)"', attrs).group(1)) \
            if 'action="' in attrs else ""
        if action_part is not None and action_part not in action:
            continue
        fields: dict[str, list[str]] = {}
        for tag in re.finditer(r"<input\b([^>]*)>", body):
            input_attrs = tag.group(1)
            name = re.search(r'name="([^"]*)"', input_attrs)
            value = re.search(r'value="([^"]*)"', input_attrs)
            kind = re.search(r'type="([^"]*)"', input_attrs)
            if name is None:
                continue
            if kind and kind.group(1) in ("radio", "checkbox") and "checked" not in input_attrs:
                continue
            fields.setdefault(unescape(name.group(1)), []).append(
                unescape(value.group(1)) if value else "")
        return action, fields
    raise AssertionError(f"no form{' for ' + action_part if action_part else ''} in:\n"
                         + html[:2000])


class Browser:
    """A person's browser: cookies per site, following what the pages say."""

    def __init__(self, tool: str, platform: TestPlatform) -> None:
        self.session = requests.Session()
        self.tool, self.platform = tool, platform
        self.last: requests.Response | None = None

    def launch(self, sub: str, context_id: str, link_id: str | None = None, *,
               deep_link: bool = False) -> requests.Response:
        """From the LMS course page to the tool: login initiation, the LMS's auth page,
        then the form post of the id_token to the launch URL (redirects followed)."""
        login_url, params = self.platform.login_initiation(sub, context_id, link_id,
                                                           deep_link=deep_link)
        to_lms = self.session.get(login_url, params=params, allow_redirects=False, timeout=10)
        assert to_lms.status_code == 302, (to_lms.status_code, to_lms.text[:500])
        return self.post_auth_form(to_lms.headers["Location"])

    def auth_form(self, auth_url: str) -> tuple[str, dict[str, str]]:
        return self.platform.follow_auth(self.session, auth_url)

    def post_auth_form(self, auth_url: str) -> requests.Response:
        action, fields = self.auth_form(auth_url)
        self.last = self.session.post(action, data=fields, timeout=30)
        return self.last

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        self.last = self.session.get(self.tool + path, timeout=30, **kwargs)
        return self.last

    def submit_form(self, html: str, action_part: str, **choose: Any) -> requests.Response:
        action, fields = form_of(html, action_part)
        for name, value in choose.items():
            fields[name] = value if isinstance(value, list) else [str(value)]
        url = action if action.startswith("http") else self.tool + action
        self.last = self.session.post(url, data=fields, timeout=30)
        return self.last


def platform_row(app: Flask) -> LtiPlatform:
    with app.app_context():
        row = db.session.scalar(sa.select(LtiPlatform))
        db.session.expunge(row)
        return row
