"""An admin registers an LMS (LTI 1.3 platform) and reads what to type into the LMS."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, LtiPlatform
from tests.helpers import csrf_token

FORM = {
    "name": "School Moodle", "issuer": "https://moodle.school.example",
    "client_id": "abc123", "deployment_ids": "1\n2\n\n2",
    "key_set_url": "https://moodle.school.example/mod/lti/certs.php",
    "auth_login_url": "https://moodle.school.example/mod/lti/auth.php",
    "auth_token_url": "https://moodle.school.example/mod/lti/token.php", "audience": "",
}


@pytest.fixture
def admin(make_user, auth):
    make_user("admin1", role="admin")
    auth.login("admin1")


def _post(client, url, **changes):
    return client.post(url, data={**FORM, **changes, "csrf_token": csrf_token(client, url)})


def test_admin_registers_an_lms_and_sees_the_tools_urls(app, client, admin):
    page = client.get("/admin/lti").get_data(as_text=True)
    assert "/lti/login" in page and "/lti/launch" in page and "/lti/jwks" in page
    response = _post(client, "/admin/lti/new")
    assert response.status_code == 302
    with app.app_context():
        platform = db.session.scalar(sa.select(LtiPlatform))
        assert [d.deployment_id for d in platform.deployments] == ["1", "2"]
        assert db.session.scalar(sa.select(AuditEvent.action)) == "lti_platform_saved"
    listed = client.get("/admin/lti").get_data(as_text=True)
    assert "School Moodle" in listed and "abc123" in listed


def test_the_same_issuer_and_client_twice_is_refused_and_the_form_kept(client, admin):
    _post(client, "/admin/lti/new")
    again = _post(client, "/admin/lti/new", name="Second try")
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "registered already" in page and 'value="Second try"' in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("key_set_url", "ftp://x.example/keys", "starting with https://"),
    ("auth_token_url", "http://lms.example.org/token", "Use an https:// address"),
    ("auth_login_url", "https://user:pw@lms.example.org/auth", "passwords"),
    ("deployment_ids", " \n ", "deployment id"),
])
def test_bad_endpoints_get_a_clear_message(app, client, admin, field, value, message):
    app.config["SESSION_COOKIE_SECURE"] = True  # a site on HTTPS: no plain-HTTP LMS
    response = _post(client, "/admin/lti/new", **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LtiPlatform.id))) == 0


def test_one_answer_names_every_wrong_field(client, admin):
    """A missing name does not hide the bad addresses until the next try; an empty
    address gets one message, not a second about its scheme."""
    response = _post(client, "/admin/lti/new", name="", key_set_url="ftp://x.example/keys",
                     auth_login_url="", auth_token_url="https://user:pw@lms.example.org/t")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Name the connection.", "starting with https://", "passwords",
                    "Give the URL."):
        assert page.count(message) == 1, message
    assert page.count('aria-invalid="true"') == 4


def test_editing_keeps_deployments_and_deleting_removes_the_connection(app, client, admin):
    _post(client, "/admin/lti/new")
    with app.app_context():
        platform_id = db.session.scalar(sa.select(LtiPlatform.id))
    assert _post(client, f"/admin/lti/{platform_id}", deployment_ids="2\n3").status_code == 302
    with app.app_context():
        platform = db.session.get(LtiPlatform, platform_id)
        assert [d.deployment_id for d in platform.deployments] == ["2", "3"]
    url = f"/admin/lti/{platform_id}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context():
        assert db.session.get(LtiPlatform, platform_id) is None
    assert client.get(f"/admin/lti/{platform_id}").status_code == 404


def test_only_admins_reach_the_lms_pages(client, make_user, auth):
    make_user("teacher1", role="teacher")
    auth.login("teacher1")
    assert client.get("/admin/lti").status_code == 403
    assert client.post("/admin/lti/new", data=FORM).status_code in (400, 403)


def test_the_key_set_publishes_the_signing_key_and_keeps_a_rotated_one(client, admin):
    first = client.get("/lti/jwks").get_json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and "d" not in first[0]
    url = "/admin/lti"
    token = csrf_token(client, url)
    assert client.post("/admin/lti/rotate-key", data={"csrf_token": token}).status_code == 302
    after = client.get("/lti/jwks").get_json()["keys"]
    assert [key["kid"] for key in after][1:] == [first[0]["kid"]]  # old one still there
    assert "d" not in after[0] and after[0]["kid"] != first[0]["kid"]
    assert client.post("/admin/lti/rotate-key", data={}).status_code == 400
