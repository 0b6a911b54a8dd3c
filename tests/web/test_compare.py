"""The compare view: choose 2–5 texts, see how each names the actors, findings highlighted."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Document, User
from app.services.authoring import add_document
from tests.web.results_builders import (
    gen_assignment,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
    load_library,
)

ASTANA, BLOG = "d:astana-times-babich", "d:quo-vadis-blog"


@pytest.fixture
def seeded(app):
    with app.app_context():
        load_documents()


def row_cells(page: str, group: str) -> list[str]:
    """The text of each document's cell in the row of ``group``."""
    row = re.search(rf'<tr id="row-{group}">(.*?)</tr>', page, re.S)
    assert row, f"no row {group}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    return [re.sub(r"<[^>]+>", " ", cell) for cell in cells]


def test_two_seed_documents_are_lined_up_by_actor(seeded, client, auth, make_user):
    auth.login(make_user().username)
    response = client.get("/compare/", query_string={"item": [ASTANA, BLOG]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    headings = re.findall(r'<th scope="col">(.*?)</th>', page)
    assert headings[1].startswith("From January to July")
    assert headings[2] == "Kazakhstan: quo vadis?"
    astana, blog = row_cells(page, "people")
    assert "bandits" in astana and "terrorists" in astana and "protesters" not in astana
    assert "protesters" in blog and "bandits" not in blog
    assert "nationwide protest" in row_cells(page, "events")[1]
    assert "regime" in row_cells(page, "power")[1]
    # Findings are highlighted with their category in words, not colour alone.
    assert re.search(r'<mark class="lens lens-loaded"[^>]*>bandits<span class="visually-hidden">'
                     r" \[Labels and name-calling\]</span></mark>", page)
    assert "Legend" in page


def test_library_excerpts_can_be_compared(app, client, auth, make_user):
    with app.app_context():
        load_library()
    auth.login(make_user().username)
    page = client.get("/compare/").get_data(as_text=True)
    excerpts = re.findall(r'value="(x:[^"]+)"', page)
    assert len(excerpts) >= 2
    response = client.get("/compare/", query_string={"item": excerpts[:2]})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="card compare-text"') == 2


@pytest.mark.parametrize(("count", "message"), [(1, "Choose at least 2"), (6, "at most 5")])
def test_too_few_or_too_many_texts_is_400_with_the_choices_kept(app, client, auth, make_user,
                                                                count, message):
    with app.app_context():
        load_library()
    auth.login(make_user().username)
    values = re.findall(r'value="([dx]:[^"]+)"', client.get("/compare/").get_data(as_text=True))
    chosen = values[:count]
    response = client.get("/compare/", query_string={"item": chosen})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'role="alert"' in page
    assert f"you chose {count}" in page
    for value in chosen:
        assert re.search(rf'value="{re.escape(value)}"[^>]* checked', page)


def test_an_unknown_text_is_404(seeded, client, auth, make_user):
    auth.login(make_user().username)
    response = client.get("/compare/", query_string={"item": [ASTANA, "d:no-such-doc"]})
    assert response.status_code == 404


def test_a_teachers_own_document_is_visible_only_to_them(seeded, app, client, auth, make_user):
    owner = make_user("owner", role="teacher")
    make_user("other", role="teacher")
    make_user("pupil")
    with app.app_context():
        document = add_document(db.session.get(User, owner.id), title="My pasted article",
                                author="", outlet="", publisher_note="",
                                text="Rioters and looters clashed with police.")
        mine = f"d:{document.slug}"
    auth.login("owner")
    response = client.get("/compare/", query_string={"item": [mine, BLOG]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rioters" in row_cells(page, "people")[0]
    auth.logout()
    for other in ("other", "pupil"):
        auth.login(other)
        assert "My pasted article" not in client.get("/compare/").get_data(as_text=True)
        assert client.get("/compare/", query_string={"item": [mine, BLOG]}).status_code == 404
        auth.logout()


def test_texts_too_long_to_compare_together_are_400_and_work_is_bounded(seeded, app, client,
                                                                        auth, make_user):
    owner = make_user("owner", role="teacher")
    sentence = "Rioters and looters clashed with police near the square on Tuesday. "
    values = []
    with app.app_context():
        for number in range(5):
            document = add_document(db.session.get(User, owner.id), title=f"Long {number}",
                                    author="", outlet="", publisher_note="",
                                    text=sentence * 1_000)
            values.append(f"d:{document.slug}")
    auth.login("owner")
    response = client.get("/compare/", query_string={"item": values})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"too long to compare at once: {5 * 1_000 * len(sentence):,} characters in all" in page
    assert "the limit is 100,000" in page
    assert 'value="d:' in page and "checked" in page  # the choices are kept
    # One long text beside a short one stays within the limit and is compared.
    assert client.get("/compare/", query_string={"item": [values[0], BLOG]}).status_code == 200

def test_works_for_teachers_and_is_linked_from_their_pages(seeded, client, auth, make_user):
    auth.login(make_user("teach", role="teacher").username)
    assert 'href="/compare/"' in client.get("/teach/").get_data(as_text=True)
    response = client.get("/compare/", query_string={"item": [ASTANA, BLOG]})
    assert response.status_code == 200


def test_students_find_it_from_the_lessons_and_a_document(seeded, client, auth, make_user):
    auth.login(make_user().username)
    assert 'href="/compare/"' in client.get("/lessons").get_data(as_text=True)
    page = client.get("/documents/quo-vadis-blog").get_data(as_text=True)
    link = re.search(r'href="(/compare/\?with=[^"]+)"', page)
    assert link
    prefilled = client.get(link[1].replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'value="{BLOG}"[^>]* checked', prefilled)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/compare/", query_string={"item": [ASTANA, BLOG]})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_teachers_own_document_page_is_only_for_them_and_their_assigned_students(
        app, client, auth, make_user):
    with app.app_context():
        load_documents()
        owner = gen_user("owner-t", role="teacher")
        gen_user("other-t", role="teacher")
        student = gen_user("in-class")
        gen_user("outsider")
        babich = db.session.scalar(sa.select(Document).where(
            Document.slug == "astana-times-babich"))
        db.session.add(Document(slug="pasted-doc", title="Pasted", text=babich.text,
                                 sha256=babich.sha256, owner_id=owner.id))
        db.session.commit()
        lesson = gen_lesson(owner=owner)
        content = dict(lesson.versions[0].content)
        content["excerpts"] = [dict(e, document="pasted-doc") for e in content["excerpts"]]
        lesson.versions[0].content = content
        classroom = gen_class(owner)
        gen_enrollment(classroom, student)
        gen_assignment(classroom, lesson)
        db.session.commit()
    for username, status in (("owner-t", 200), ("in-class", 200), ("other-t", 404),
                             ("outsider", 404)):
        auth.login(username)
        assert client.get("/documents/pasted-doc").status_code == status, username
        auth.logout()
