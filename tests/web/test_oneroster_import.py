"""The admin's OneRoster import: admins only, a dry run that changes nothing, an import
that creates accounts, classes and enrolments once (a second import changes nothing),
all or nothing on errors, and clear refusals for files that cannot be read."""

from __future__ import annotations

import io
import re
import threading

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.domain import joincodes
from app.extensions import db
from app.models import AuditEvent, Classroom, Enrollment, User
from app.services import oneroster_import
from app.services.oneroster_import import ImportConflict, import_bundle
from tests.helpers import (
    DEFAULT_PASSWORD,
    csrf_token,
    oneroster_files,
    oneroster_school,
    oneroster_zip,
)
from tests.web.classes_builders import browser, text

URL = "/admin/roster-import"


@pytest.fixture
def admin(app, make_user):
    make_user("boss", role="admin")
    return browser(app, "boss")


def send(client, files=None, *, dry_run=False, all_or_nothing=True, link=False,
         names=("roster.zip",), token=True):
    """Post the form as a browser does: the files, the ticked boxes, the button pressed."""
    uploads = files if files is not None else [oneroster_zip()]
    data = {"files": [FileStorage(io.BytesIO(content), name)
                      for content, name in zip(uploads, names, strict=True)]}
    if token:
        data["csrf_token"] = csrf_token(client, URL)
    if all_or_nothing:
        data["all_or_nothing"] = "y"
    if link:
        data["link_by_username"] = "y"
    data["dry_run" if dry_run else "submit"] = "x"
    # Encoded in memory: the test client would spool a large body to a temporary file
    # that a refused (413) request leaves open.
    boundary, body = encode_multipart(MultiDict([
        (name, item) for name, value in data.items()
        for item in (value if isinstance(value, list) else [value])]))
    return client.post(URL, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def snapshot(app) -> dict[str, list]:
    """Every account, class and enrolment, and the log, as plain rows."""
    with app.app_context():
        return {
            "users": list(db.session.execute(sa.select(
                User.id, User.username, User.role, User.sourced_id, User.display_name,
                User.disabled).order_by(User.id))),
            "classes": list(db.session.execute(sa.select(
                Classroom.id, Classroom.name, Classroom.teacher_id, Classroom.sourced_id,
                Classroom.archived, Classroom.join_code).order_by(Classroom.id))),
            "enrollments": list(db.session.execute(sa.select(
                Enrollment.classroom_id, Enrollment.student_id).order_by(Enrollment.id))),
            "log": list(db.session.scalars(sa.select(AuditEvent.action))),
        }


def counts_row(page: str, kind: str) -> list[int]:
    """The numbers of a row of the report's table of counts."""
    row = re.search(rf'<th scope="row">{kind}</th>(.*?)</tr>', page)
    assert row, page
    return [int(number) for number in re.findall(r'<td class="num">(\d+)</td>', row.group(1))]


def test_only_admins_reach_the_import(app, client, make_user):
    assert client.get(URL).status_code == 302  # to the login page
    make_user("ms.lee", role="teacher")
    make_user("alice")
    for name in ("ms.lee", "alice"):
        user = browser(app, name)
        assert user.get(URL).status_code == 403
        response = user.post(URL, data={"csrf_token": csrf_token(user, "/"),
                                        "files": (io.BytesIO(oneroster_zip()), "r.zip")},
                             content_type="multipart/form-data")
        assert response.status_code == 403
    assert len(snapshot(app)["users"]) == 2


def test_the_page_is_linked_from_the_admin_pages_and_labels_its_fields(admin):
    page = text(admin.get("/admin/users"))
    assert f'<a href="{URL}">Roster import</a>' in page
    form = text(admin.get(URL))
    for field in ("files", "all_or_nothing", "link_by_username"):
        assert f'<label for="{field}">' in form and f'id="{field}"' in form
    assert 'accept=".zip,.csv"' in form


def test_a_post_without_the_csrf_token_changes_nothing(app, admin):
    before = snapshot(app)
    response = send(admin, token=False)
    assert response.status_code == 400
    assert "This form expired" in text(response)
    assert snapshot(app) == before


def test_a_dry_run_reports_everything_and_writes_nothing(app, admin):
    before = snapshot(app)
    response = send(admin, dry_run=True)
    page = text(response)
    assert response.status_code == 200
    assert "Roster checked: nothing was changed" in page
    assert "an import would make 12 changes" in page
    assert counts_row(page, "Accounts") == [6, 0, 0, 0, 0, 1, 0]
    assert counts_row(page, "Enrolments") == [4, 0, 0, 0, 2, 1, 0]
    assert "parents and guardians have no accounts" in page
    assert snapshot(app) == before


def test_an_import_creates_once_and_a_second_import_changes_nothing(app, admin):
    response = send(admin)
    page = text(response)
    assert response.status_code == 200, page
    assert "Roster imported" in page and "12 changes stored" in page
    after = snapshot(app)
    users = {row.username: row for row in after["users"]}
    assert set(users) == {"boss", "ms.lee", "mr.kay", "alice", "bob.jones", "zoe",
                          "principal"}
    assert (users["zoe"].role, users["zoe"].sourced_id, users["zoe"].display_name) == (
        "student", "s-3", "Zoë Martin")
    classes = {row.name: row for row in after["classes"]}
    assert set(classes) == {"Media 10", "Media 10 (M10-B)"}
    assert {row.teacher_id for row in classes.values()} == {users["ms.lee"].id}
    assert all(joincodes.is_well_formed(row.join_code) for row in classes.values())
    members = {(row.classroom_id, row.student_id) for row in after["enrollments"]}
    assert members == {(classes["Media 10"].id, users["alice"].id),
                       (classes["Media 10"].id, users["bob.jones"].id),
                       (classes["Media 10 (M10-B)"].id, users["bob.jones"].id),
                       (classes["Media 10 (M10-B)"].id, users["zoe"].id)}
    assert after["log"] == ["oneroster_imported"]
    log = text(admin.get("/admin/log"))
    assert "OneRoster roster imported" in log and "accounts: 6 created" in log

    again = send(admin)
    page = text(again)
    assert again.status_code == 200
    assert "0 changes stored" in page
    assert counts_row(page, "Accounts") == [0, 0, 6, 0, 0, 1, 0]
    assert counts_row(page, "Classes") == [0, 0, 2, 0, 0, 0, 0]
    assert counts_row(page, "Enrolments") == [0, 0, 4, 0, 2, 1, 0]
    final = snapshot(app)
    assert {key: value for key, value in final.items() if key != "log"} == \
        {key: value for key, value in after.items() if key != "log"}


def test_imported_accounts_have_no_password_until_a_reset(app, admin):
    send(admin)
    with app.app_context():
        alice = db.session.scalar(sa.select(User).where(User.username == "alice"))
        assert not alice.check_password("")
        assert not alice.check_password(oneroster_import.NO_PASSWORD)
        alice_id = alice.id
    student = app.test_client()
    for password in ("", DEFAULT_PASSWORD, oneroster_import.NO_PASSWORD):
        login = student.post("/auth/login", data={
            "csrf_token": csrf_token(student, "/auth/login"), "username": "alice",
            "password": password})
        assert login.status_code != 302
    reset = admin.post(f"/admin/users/{alice_id}/reset-password",
                       data={"csrf_token": csrf_token(admin, f"/admin/users/{alice_id}")})
    temporary = re.search(r'<code class="password">([^<]+)</code>', text(reset)).group(1)
    login = student.post("/auth/login", data={
        "csrf_token": csrf_token(student, "/auth/login"), "username": "alice",
        "password": temporary})
    assert login.status_code == 302


def test_an_error_in_one_row_leaves_the_database_untouched_when_all_or_nothing(app, admin,
                                                                              make_user):
    make_user("alice")  # made by hand: the roster's alice clashes with it
    before = snapshot(app)
    response = send(admin)
    page = text(response)
    assert response.status_code == 400
    assert "Nothing was imported: the roster has errors" in page
    assert "users.csv</code></td><td class=\"num\">4</td>" in page
    assert "An account “alice” already exists here, made by hand. Nothing was merged" in page
    assert snapshot(app) == before
    # Without "all or nothing", the rest goes in and alice's rows are left out.
    response = send(admin, all_or_nothing=False)
    assert response.status_code == 200
    after = snapshot(app)
    assert len(after["users"]) == len(before["users"]) + 5
    assert len(after["enrollments"]) == 3
    # Asked to link, the hand-made alice becomes the roster's alice.
    response = send(admin, link=True)
    assert response.status_code == 200
    assert "Linked to the existing student account “alice”" in text(response)
    assert len(snapshot(app)["enrollments"]) == 4


def test_separate_csv_files_import_like_the_zip(app, admin):
    files = oneroster_files()
    response = send(admin, list(files.values()), names=tuple(files))
    assert response.status_code == 200, text(response)
    assert len(snapshot(app)["enrollments"]) == 4


@pytest.mark.parametrize(("files", "names", "expected"), [
    ([b"hello"], ("roster.txt",), "Upload a .zip file or .csv files"),
    ([oneroster_zip(), b"a,b"], ("roster.zip", "users.csv"), "Upload one zip on its own"),
    ([b"not a zip"], ("roster.zip",), "This is not a zip file that can be opened"),
])
def test_wrong_files_are_a_400_with_the_reason(app, admin, files, names, expected):
    before = snapshot(app)
    response = send(admin, files, names=names)
    assert response.status_code == 400
    assert expected in text(response)
    assert snapshot(app) == before


def test_a_bad_header_is_listed_with_its_file_line_and_column(app, admin):
    files = oneroster_files()
    files["enrollments.csv"] = files["enrollments.csv"].replace(b"userSourcedId",
                                                                b"userSourceId", 1)
    response = send(admin, [oneroster_zip(files)])
    page = text(response)
    assert response.status_code == 400
    assert "The roster cannot be read, so nothing was imported." in page
    assert ("<td><code>enrollments.csv</code></td><td class=\"num\">1</td><td><code>"
            "userSourcedId</code></td>") in page


def test_a_request_over_the_upload_limit_is_413_with_what_to_do(app, admin):
    response = send(admin, [b"\0" * (1024 * 1024 + 1)])
    page = text(response)
    assert response.status_code == 413
    assert "The roster is larger than 1 MiB" in page
    assert "flask roster import-oneroster" in page


def test_a_zip_bomb_is_413_and_nothing_is_read(app, admin):
    files = oneroster_files()
    files["users.csv"] = b"sourcedId\r\n" + b"\0" * (17 * 1024 * 1024)
    bomb = oneroster_zip(files)
    assert len(bomb) < 1024 * 1024
    response = send(admin, [bomb])
    assert response.status_code == 413
    assert "Unpacked, this file is larger than 16 MiB" in text(response)


def test_a_clash_with_a_change_made_meanwhile_is_409_and_stores_nothing(app, admin,
                                                                       monkeypatch):
    send(admin)
    before = snapshot(app)
    # The import planned before the first one committed: it sees none of its records.
    monkeypatch.setattr(oneroster_import, "read_state",
                        lambda bundle: oneroster_import.State())
    response = send(admin)
    assert response.status_code == 409
    assert "nothing was imported. Run the import again" in text(response)
    assert snapshot(app) == before


def test_two_imports_at_once_store_everything_once(app):
    """A double submit, for real: two imports of one bundle in parallel."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    from app.domain.oneroster_files import files_from_zip

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            try:
                result = import_bundle(None, files_from_zip(oneroster_zip()), dry_run=False)
                outcomes.append(f"written {result.plan.changes}")
            except ImportConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) in (["conflict", "written 12"], ["written 0", "written 12"])
    after = snapshot(app)
    assert (len(after["users"]), len(after["classes"]), len(after["enrollments"])) == (6, 2, 4)


def test_the_command_line_imports_a_zip_or_a_folder(app, runner, tmp_path):
    path = tmp_path / "roster.zip"
    path.write_bytes(oneroster_zip())
    dry = runner.invoke(args=["roster", "import-oneroster", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was changed (an import would make 12 changes)." in dry.output
    assert "skipped: users.csv, line 7 (g-1, parent.smith)" in dry.output
    assert snapshot(app)["users"] == []
    done = runner.invoke(args=["roster", "import-oneroster", str(path)])
    assert done.exit_code == 0, done.output
    assert "Imported: 12 changes stored." in done.output
    folder = tmp_path / "export"
    folder.mkdir()
    school = oneroster_school()
    school["users.csv"][2]["givenName"] = "Alicia"
    for name, content in oneroster_files(school).items():
        (folder / name).write_bytes(content)
    again = runner.invoke(args=["roster", "import-oneroster", str(folder)])
    assert again.exit_code == 0, again.output
    assert "accounts: 0 created, 1 updated, 5 unchanged" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(User.display_name).where(
            User.username == "alice")) == "Alicia Smith"
    (folder / "users.csv").write_bytes(b"sourcedId\r\n")
    broken = runner.invoke(args=["roster", "import-oneroster", str(folder)])
    assert broken.exit_code == 1
    assert "users.csv, line 1, column “username”" in broken.output


def test_text_sent_in_place_of_the_files_is_a_400(app, admin):
    response = admin.post(URL, data={"csrf_token": csrf_token(admin, URL), "files": "x",
                                     "submit": "Import"})
    assert response.status_code == 400
    assert "Choose the roster zip, or its CSV files." in text(response)
