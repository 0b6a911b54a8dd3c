"""A lesson downloaded as a QTI 3.0 package or a GIFT file (issue 16, part 3), from the
answer key page and with `flask lessons export`.

The whole library is loaded as `make run` loads it (seeds, readings, shelf, frames, every
lesson), and every lesson is downloaded as a teacher would: each QTI file conforms to the
strict QTI 3.0 table of tests/unit/qti_check.py, each GIFT file parses with gift-pegjs.
An export holds the key, so it follows the key page's rule: another teacher's lesson is
a 404, a student never gets one.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Lesson
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import ROOT, library_folder, parse_gift
from tests.unit import qti_check
from tests.web.results_builders import SMALL_LESSON, gen_lesson, gen_user

# The small lesson's loaded terms question alone: its key names no controls, so a list of its
# phrases would hold only right answers, and it has no GIFT form.
NO_GIFT = SMALL_LESSON.split("  - id: frame")[0].replace("slug: two-questions", "slug: no-gift")
LIBRARY = sorted(path.stem for path in (ROOT / "lessons").glob("*.yaml")
                 if path.name != "frames.yaml")


@pytest.fixture
def library(app, tmp_path: Path) -> dict[str, dict]:
    """Every shipped lesson stored as `make run` stores them: slug -> {id, kinds}."""
    folder = library_folder(tmp_path / "lessons", *LIBRARY)
    with app.app_context():
        load_seeds(ROOT / "seeds")
        assert sync_lessons(folder).check.ok
        lessons = db.session.scalars(sa.select(Lesson)).all()
        return {lesson.slug: {"id": lesson.id, "version": lesson.version,
                              "kinds": {q["kind"] for q in lesson.versions[-1].content[
                                  "questions"]}} for lesson in lessons}


@pytest.fixture
def teacher(app, auth):
    with app.app_context():
        user = gen_user("teacher-a", role="teacher")
        user_id = user.id
    auth.login("teacher-a")
    return user_id


def test_every_library_lesson_downloads_as_a_conforming_qti_package(client, teacher, library):
    assert len(library) == len(LIBRARY)
    for slug, info in library.items():
        response = client.get(f"/teach/lessons/{info['id']}/export/qti")
        assert response.status_code == 200, slug
        assert response.mimetype == "application/zip"
        assert f'filename="{slug}-v{info["version"]}-qti3.zip"' in \
            response.headers["Content-Disposition"]
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "no-store" in response.headers["Cache-Control"]
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            for name in archive.namelist():
                found = qti_check.problems(archive.read(name),
                                           manifest=name == "imsmanifest.xml")
                assert not found, (slug, name, found[:3])


def test_every_library_lesson_downloads_as_gift_that_parses(client, teacher, library):
    texts = {}
    for slug, info in library.items():
        response = client.get(f"/teach/lessons/{info['id']}/export/gift")
        assert response.status_code == 200, slug
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert f'filename="{slug}-v{info["version"]}-gift.txt"' in \
            response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
        texts[slug] = response.get_data(as_text=True)
    assert len(texts) == len(LIBRARY)
    for slug, read in parse_gift(texts).items():
        assert "error" not in read, (slug, read)
        assert read["questions"], slug
        # the lessons with no frame choice have their checks and facts
        if not library[slug]["kinds"] & {"framing", "compare"}:
            assert any(c["weight"] for q in read["questions"] for c in q["choices"]), slug


def test_the_excerpts_are_credited_with_the_documents_title(client, teacher, library):
    info = library["naming-the-january-events"]
    gift = client.get(f"/teach/lessons/{info['id']}/export/gift").get_data(as_text=True)
    assert "Excerpt of Kazakhstan\\: quo vadis?" in gift  # the title, GIFT-escaped
    data = client.get(f"/teach/lessons/{info['id']}/export/qti").data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        item = archive.read("items/blog-frame.xml").decode()
    assert "<em>Kazakhstan: quo vadis?</em>" in item


def test_the_answer_key_page_offers_the_downloads_it_has(app, client, teacher, library):
    for slug in ("naming-the-january-events", "what-is-left-out"):
        info = library[slug]
        page = client.get(f"/teach/lessons/{info['id']}/key").get_data(as_text=True)
        assert f"/teach/lessons/{info['id']}/export/qti" in page
        assert "Download QTI 3 package (.zip)" in page
        assert f"/teach/lessons/{info['id']}/export/gift" in page
        assert "Download GIFT (Moodle)" in page
    with app.app_context():  # a lesson with no question GIFT can hold honestly
        bare = gen_lesson(NO_GIFT).id
    page = client.get(f"/teach/lessons/{bare}/key").get_data(as_text=True)
    assert "Download QTI 3 package (.zip)" in page and "Download GIFT (Moodle)" not in page
    response = client.get(f"/teach/lessons/{bare}/export/gift")
    assert response.status_code == 404
    assert "No question of this lesson can be written as GIFT" in response.get_data(
        as_text=True)


def test_another_teachers_lesson_is_not_found_and_a_student_is_refused(app, client, auth,
                                                                        library):
    with app.app_context():
        owner = gen_user("teacher-b", role="teacher")
        theirs = gen_lesson(SMALL_LESSON, owner=owner).id
        gen_user("teacher-a", role="teacher")
        gen_user("pupil", role="student")
    mine = library["naming-the-january-events"]["id"]
    auth.login("teacher-a")
    for export_format in ("qti", "gift"):
        response = client.get(f"/teach/lessons/{theirs}/export/{export_format}")
        assert response.status_code == 404
        assert b"PK" not in response.data[:2] and b"::" not in response.data
    assert client.get("/teach/lessons/999999/export/qti").status_code == 404
    assert client.get(f"/teach/lessons/{mine}/export/pdf").status_code == 404
    library_draft = client.get(f"/teach/lessons/{mine}/export/qti?draft=1")
    assert library_draft.status_code == 404
    assert "no unpublished draft" in library_draft.get_data(as_text=True)
    auth.logout()
    auth.login("pupil")
    assert client.get(f"/teach/lessons/{mine}/export/qti").status_code == 403
    auth.logout()
    anonymous = client.get(f"/teach/lessons/{mine}/export/qti")
    assert anonymous.status_code in (302, 303) and "/auth/login" in anonymous.location


def test_the_owner_exports_their_lesson_and_its_unpublished_draft(app, client, auth):
    with app.app_context():
        load_seeds(ROOT / "seeds")  # no readings: the small lesson keys its own phrases
        owner = gen_user("teacher-b", role="teacher")
        lesson = gen_lesson(SMALL_LESSON, owner=owner)
        lesson.draft_text = SMALL_LESSON.replace("Which frame?", "Which frame, in the draft?")
        db.session.commit()
        lesson_id = lesson.id
    auth.login("teacher-b")
    published = client.get(f"/teach/lessons/{lesson_id}/export/gift")
    assert published.status_code == 200 and "two-questions-v1-gift.txt" in \
        published.headers["Content-Disposition"]
    assert "Which frame?" in published.get_data(as_text=True)
    draft = client.get(f"/teach/lessons/{lesson_id}/export/gift?draft=1")
    assert draft.status_code == 200 and "two-questions-draft-gift.txt" in \
        draft.headers["Content-Disposition"]
    assert "Which frame, in the draft?" in draft.get_data(as_text=True)


# --- flask lessons export -------------------------------------------------------------------

def test_the_command_writes_a_package_by_slug_and_by_id(runner, library, tmp_path):
    info = library["naming-the-january-events"]
    result = runner.invoke(args=["lessons", "export", "--format", "qti", "--out",
                                 str(tmp_path), "naming-the-january-events"])
    assert result.exit_code == 0, result.output
    written = tmp_path / f"naming-the-january-events-v{info['version']}-qti3.zip"
    assert str(written) in result.output
    with zipfile.ZipFile(written) as archive:
        assert not qti_check.problems(archive.read("imsmanifest.xml"), manifest=True)
    target = tmp_path / "frames.txt"
    by_id = runner.invoke(args=["lessons", "export", "--format", "gift", "--out", str(target),
                                str(info["id"])])
    assert by_id.exit_code == 0, by_id.output
    written = target.read_text(encoding="utf-8")
    read = parse_gift({"file": written})["file"]
    assert "error" not in read and read["questions"]
    assert f"{len(read['questions'])} question(s) from the lesson's 4" in written
    assert "Moodle GIFT file" in by_id.output


def test_the_command_exports_the_lessons_without_frame_choices(runner, library, tmp_path):
    for slug in ("what-is-left-out", "check-the-record"):
        result = runner.invoke(args=["lessons", "export", "--format", "gift", "--out",
                                     str(tmp_path), slug])
        assert result.exit_code == 0, result.output
        written = tmp_path / f"{slug}-v{library[slug]['version']}-gift.txt"
        read = parse_gift({slug: written.read_text(encoding="utf-8")})[slug]
        assert "error" not in read and read["questions"]


def test_the_command_says_what_it_cannot_export(app, runner, library, tmp_path):
    unknown = runner.invoke(args=["lessons", "export", "--format", "qti", "no-such-lesson"])
    assert unknown.exit_code == 1 and "no lesson 'no-such-lesson'" in unknown.output
    with app.app_context():
        gen_lesson(NO_GIFT)
    out = tmp_path / "out"
    out.mkdir()
    no_gift = runner.invoke(args=["lessons", "export", "--format", "gift", "--out",
                                  str(out), "no-gift"])
    assert no_gift.exit_code == 1
    assert "No question of this lesson can be written as GIFT" in no_gift.output
    assert list(out.iterdir()) == []
    bad_format = runner.invoke(args=["lessons", "export", "--format", "pdf", "six-moves"])
    assert bad_format.exit_code == 2


def test_the_command_writes_to_standard_output(runner, library):
    result = runner.invoke(args=["lessons", "export", "--format", "gift", "--out", "-",
                                 "naming-the-january-events"])
    assert result.exit_code == 0
    read = parse_gift({"out": result.stdout_bytes.decode("utf-8")})["out"]
    assert "error" not in read and read["questions"]
    assert result.stdout_bytes.startswith(b"// Framing Lab: ")
