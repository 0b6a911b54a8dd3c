"""LTI 1.3: Framing Lab as a tool inside the school's LMS (Moodle, Canvas, ...).

Routes: the key set (/lti/jwks), OIDC login initiation (/lti/login), the launch
(/lti/launch) and the teacher's lesson picker for deep linking (/lti/pick). The login and
the launch come from the LMS, not from a page of ours, so they carry no CSRF token: the
OIDC state, the nonce and the id_token's signature protect them instead.
"""

from flask import Blueprint

bp = Blueprint("lti", __name__)

from app.lti import routes  # noqa: E402,F401
