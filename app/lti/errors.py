"""Clear pages for launches the tool refuses: what happened, and what to do about it.

The library's exceptions carry technical messages; each is mapped to a sentence a
teacher, a student or an LMS admin can act on, with the technical line kept below it for
the admin. A refused launch is a 400 (a bad or replayed message), 403 (a role that may not
do this), 409 (not set up yet) or 502 (the LMS did not answer); never a 500.
"""

from __future__ import annotations

from typing import Final

from flask import current_app, render_template
from flask.typing import ResponseReturnValue

from app.services.lti_launches import LaunchRefused

# (part of the library's message, status, title, what to do)
_KNOWN: Final = (
    ("State not found", 400, "Your browser did not keep the launch's cookie",
     "Browsers that block cookies inside another site's page stop the launch here. Open "
     "Framing Lab in a new window, or open the link again from your course."),
    ("Missing state", 400, "The launch is incomplete",
     "The LMS did not send the launch's state. Open the link again from your course."),
    ("Invalid Nonce", 400, "This launch was already used",
     "Each launch works once and for a short time. Open the link again from your course."),
    ("nonce", 400, "The launch has no nonce",
     "The LMS's launch is missing a required part. Ask your LMS admin to check the tool's "
     "settings."),
    ("Signature has expired", 400, "The launch has expired",
     "Launches are valid for a few minutes. Open the link again from your course; if it "
     "keeps happening, the LMS server's clock may be wrong."),
    ("Can't decode id_token", 400, "The launch's signature is not valid",
     "It was not signed with the LMS's registered key. If your LMS admin changed the "
     "registration, ask them to check the key set URL in Framing Lab's LMS connections."),
    ("Unable to find public key", 400, "The launch was signed with an unknown key",
     "The LMS's key set does not contain the key that signed this launch. Ask your LMS "
     "admin to check the key set URL in Framing Lab's LMS connections."),
    ("JWT KID not found", 400, "The launch's signature is not valid",
     "The launch does not say which key signed it."),
    ("Could not fetch the LMS's public keys", 502, "Framing Lab could not reach the LMS",
     "It could not read the LMS's key set to check the launch. Try again in a minute; if "
     "it keeps happening, ask your admin to check the key set URL."),
    ("Client id not registered", 400, "The launch was meant for another tool",
     "Its audience is not Framing Lab's client id for this LMS. Ask your LMS admin to "
     "check the client id in Framing Lab's LMS connections."),
    ("Registration not found", 400, "This LMS is not registered with Framing Lab",
     "Ask your school's Framing Lab admin to add it under Admin, LMS connections, with "
     "the issuer and client id the LMS shows."),
    ("Could not find registration", 400, "This LMS is not registered with Framing Lab",
     "Ask your school's Framing Lab admin to add it under Admin, LMS connections, with "
     "the issuer and client id the LMS shows."),
    ("deployment", 400, "This deployment is not registered",
     "The LMS installed Framing Lab under a deployment id Framing Lab does not know. Ask "
     "your admin to add the deployment id to this LMS's connection."),
    ("Could not find issuer", 400, "The login request is incomplete",
     "The LMS did not say who it is (no issuer). Open the link again from your course."),
    ("Could not find login hint", 400, "The login request is incomplete",
     "The LMS did not send a login hint. Open the link again from your course."),
    ("message type", 400, "Framing Lab does not handle this kind of launch",
     "It takes resource links and deep linking (Select content) only."),
    ("Unrecognized message type", 400, "Framing Lab does not handle this kind of launch",
     "It takes resource links and deep linking (Select content) only."),
)


def launch_problem(error: Exception, new_window: str | None = None) -> ResponseReturnValue:
    """The page for a launch or login the library refused."""
    detail = str(error)[:300]
    current_app.logger.info("LTI launch refused: %s", detail)
    found = next((known[1:] for known in _KNOWN if known[0].lower() in detail.lower()),
                 (400, "The launch was refused", "Open the link again from your course; if "
                  "it keeps happening, show this page to your LMS admin."))
    status, title, advice = found
    return render_template("lti/problem.html", title=title, advice=advice, detail=detail,
                           new_window=new_window if "State" in detail else None), status


def refused(problem: LaunchRefused) -> ResponseReturnValue:
    """The page for a verified launch the tool cannot act on."""
    return render_template("lti/problem.html", title="Framing Lab cannot open this here",
                           advice=problem.message, detail=None,
                           new_window=None), problem.status
