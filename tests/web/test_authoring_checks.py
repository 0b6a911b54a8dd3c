"""Writing verify and omission questions in the browser, through the real question page.

A teacher offers cards (verify) or facts (omission) from the shelf they see (the library's
cards and their own, never another teacher's), sets the claim, the verdict, the roles and
the whys; the lesson compiler checks the part before anything is saved, so a refusal is a
400 with every problem beside its field and everything typed still there. The lesson then
publishes, exports and imports back to the same content.
"""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from app.domain.lesson_files import parse_source
from app.extensions import db
from app.models import LessonVersion
from tests.helpers import csrf_token, example_cards, store_cards
from tests.web.page_forms import press, visible_text
from tests.web.test_authoring import ASTANA, Editor, draft_of, new_lesson

JANUARY, TREATY, HRW = "example-january-2022", "example-csto-treaty", "example-hrw"
SHOOT, FUEL = f"{JANUARY}#shoot-to-kill", f"{JANUARY}#fuel-prices"
REQUEST, SIGNED = f"{JANUARY}#csto-request", f"{TREATY}#signed-1992"
CLAIM = "on an invitation of the Kazakh government"


@pytest.fixture
def editor(app, client, reading_teacher):
    """A new lesson of teacher-a with one excerpt, open in the editor; the example cards
    are the library's shelf."""
    store_cards(app)
    editor = Editor(app, client, new_lesson(client))
    editor.excerpt = editor.add_excerpt(ASTANA, "The President’s order was fulfilled",
                                        "came to the country.")
    return editor


def page_text(response) -> str:
    return " ".join(visible_text(html.unescape(response.get_data(as_text=True))).split())


def verify_fields(claim=CLAIM, verdict="supported", cards=((JANUARY, True), (TREATY, False),
                                                           (HRW, False))):
    fields = {"check-claim": claim, "check-verdict": verdict,
              "check-why": "The January card records the appeal before the troops came.",
              "check-card": [card for card, _ in cards],
              "check-decides": [card for card, decides in cards if decides]}
    fields.update({f"check-card-why-{card}": f"What {card} shows." for card, _ in cards})
    return fields


def question_in_draft(editor, question_id):
    return next(q for q in draft_of(editor.app, editor.id)["questions"]
                if q["id"] == question_id)


def test_a_teacher_writes_a_verify_question_and_publishes_it(app, client, editor):
    qid = editor.add_question("verify", editor.excerpt)
    url = editor.question_url(qid)
    # Until it is written, the lesson's page points at the parts still missing.
    lesson_page = client.get(editor.url).get_data(as_text=True)
    assert f'href="{url}#claim"' in lesson_page and f'href="{url}#cards"' in lesson_page
    page = page_text(client.get(url))
    # The shelf they see, each card offered by a checkbox with its title.
    for card in example_cards().values():
        assert f"Offer {card['title']}" in page
    response = press(client, url, "Save the claim and cards", verify_fields())
    assert response.status_code == 303, page_text(response)
    assert question_in_draft(editor, qid) == {
        "id": qid, "kind": "verify", "excerpt": editor.excerpt, "claim": CLAIM,
        "verdict": "supported",
        "why": "The January card records the appeal before the troops came.",
        "cards": [{"card": JANUARY, "decides": True, "why": f"What {JANUARY} shows."},
                  {"card": TREATY, "why": f"What {TREATY} shows."},
                  {"card": HRW, "why": f"What {HRW} shows."}]}
    # The page shows it back: offered cards first, ticked, the verdict chosen.
    shown = client.get(url).get_data(as_text=True)
    assert 'value="supported" id="check-verdict-supported" checked' in shown
    assert shown.index(f'id="offer-card-{JANUARY}"') < shown.index("Add cards from the shelf")
    assert "Cards: 3" in page_text(client.get(editor.url))
    assert editor.publish().status_code == 303
    with app.app_context():
        version = db.session.scalar(sa.select(LessonVersion).where(
            LessonVersion.lesson_id == editor.id))
        question = version.content["questions"][0]
        assert question["claim"]["text"] == CLAIM
        assert sorted(version.content["cards"]) == sorted([JANUARY, TREATY, HRW])


def test_a_refused_verify_question_is_shown_again_with_every_problem_and_nothing_lost(
        app, client, editor):
    qid = editor.add_question("verify", editor.excerpt)
    url = editor.question_url(qid)
    before = draft_of(app, editor.id)
    fields = verify_fields(claim="an invitation nobody wrote",
                           cards=((JANUARY, True), (TREATY, False)))
    fields[f"check-card-why-{HRW}"] = "Typed beside a card left unticked."
    response = press(client, url, "Save the claim and cards", fields)
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    text = page_text(response)
    assert "Not saved" in text and "Nothing was saved" in text
    # The compiler's words, beside the claim and the cards.
    claim_part = body[body.index('id="claim"'):body.index('id="verdict"')]
    assert ("“an invitation nobody wrote” is not in the excerpt" in claim_part
            and "the claim must be" in claim_part and "field-errors" in claim_part)
    assert "more problem" not in text  # the lesson has none elsewhere
    cards_part = body[body.index('id="cards"'):]
    assert "Offer 3 to 6 cards (now 2)." in cards_part
    # Everything typed is still there, ticked and written as it was.
    assert 'value="an invitation nobody wrote"' in body
    assert f'id="offer-card-{TREATY}" checked' in body
    assert f'id="offer-card-{HRW}" checked' not in body
    assert "Typed beside a card left unticked." in body
    assert "The January card records the appeal" in body
    assert draft_of(app, editor.id) == before


def test_the_compiler_refuses_a_verify_question_where_picking_every_card_pays(client, editor):
    qid = editor.add_question("verify", editor.excerpt)
    response = press(client, editor.question_url(qid), "Save the claim and cards",
                     verify_fields(cards=((JANUARY, True), (TREATY, True), (HRW, False))))
    assert response.status_code == 400
    assert "picking every card" in page_text(response).casefold()


def test_a_teacher_edits_the_verdict_and_unticks_a_card(client, editor):
    qid = editor.add_question("verify", editor.excerpt)
    url = editor.question_url(qid)
    assert press(client, url, "Save the claim and cards", verify_fields()).status_code == 303
    response = press(client, url, "Save the claim and cards",
                     {"check-verdict": "not_decided"})
    assert response.status_code == 303
    assert question_in_draft(editor, qid)["verdict"] == "not_decided"
    # The prompt saved from the same page leaves the (unchanged) cards as they are.
    response = press(client, url, "Save prompt and excerpt", {"question-prompt": "Check it."})
    assert response.status_code == 303
    question = question_in_draft(editor, qid)
    assert question["prompt"] == "Check it." and len(question["cards"]) == 3


def test_a_teacher_writes_an_omission_question(client, editor):
    qid = editor.add_question("omission", editor.excerpt)
    url = editor.question_url(qid)
    roles = {SHOOT: "omitted", FUEL: "omitted", REQUEST: "stated", SIGNED: "unrelated"}
    fields = {"check-fact": list(roles),
              **{f"check-role-{ref}": role for ref, role in roles.items()},
              **{f"check-fact-why-{ref}": f"Why {ref}." for ref in roles}}
    response = press(client, url, "Save the facts", fields)
    assert response.status_code == 303, page_text(response)
    assert question_in_draft(editor, qid)["facts"] == [
        {"fact": ref, "role": role, "why": f"Why {ref}."} for ref, role in roles.items()]
    # Stating a left-out fact as a control: picking everything would now pay.
    response = press(client, url, "Save the facts", {f"check-role-{SIGNED}": "omitted"})
    assert response.status_code == 400
    assert "picking every fact" in page_text(response).casefold()
    body = response.get_data(as_text=True)
    signed = body[body.index(f'id="role-{SIGNED.replace("#", "--")}"'):]
    assert '<option value="omitted" selected>' in signed[:signed.index("</select>")]


def test_the_shelf_holds_the_teachers_own_cards_but_not_another_teachers(
        app, client, editor, make_user, reading_teacher):
    mine = {**example_cards()[HRW], "id": "my-own-card", "title": "A card of my own"}
    theirs = {**example_cards()[HRW], "id": "their-card", "title": "Another teacher's card"}
    store_cards(app, {"my-own-card": mine}, owner=reading_teacher)
    store_cards(app, {"their-card": theirs}, owner=make_user("teacher-b", role="teacher"))
    qid = editor.add_question("verify", editor.excerpt)
    page = page_text(client.get(editor.question_url(qid)))
    assert "Offer A card of my own" in page
    assert "Another teacher's card" not in page
    # Offering it anyway (a forged form) is refused by the compiler, as in a file.
    url = editor.question_url(qid)
    fields = verify_fields(cards=((JANUARY, True), (TREATY, False), ("their-card", False)))
    response = client.post(f"{url}/check", data={"csrf_token": csrf_token(client, url),
                                                 "check": "1", **fields})
    assert response.status_code == 400
    text = page_text(response)
    assert "No card “their-card” on the shelf" in text
    assert "Another teacher's card" not in text


def test_another_teacher_cannot_see_or_change_the_question(app, client, auth, editor,
                                                             make_user):
    qid = editor.add_question("verify", editor.excerpt)
    url = editor.question_url(qid)
    make_user("teacher-b", role="teacher")
    auth.logout()
    auth.login("teacher-b")
    assert client.get(url).status_code == 403
    token = csrf_token(client, "/teach/lessons")
    response = client.post(f"{url}/check", data={"csrf_token": token, **verify_fields()})
    assert response.status_code == 403
    assert question_in_draft(editor, qid).get("cards") == []


def test_the_check_address_of_another_kind_of_question_is_refused(client, editor):
    qid = editor.add_question("framing", editor.excerpt)
    url = editor.question_url(qid)
    token = csrf_token(client, url)
    response = client.post(f"{url}/check", data={"csrf_token": token, "check": "1"})
    assert response.status_code == 400
    assert "no cards or facts to choose" in page_text(response)


def test_an_exported_lesson_with_both_kinds_imports_back_to_the_same_content(
        app, client, editor):
    verify = editor.add_question("verify", editor.excerpt)
    assert press(client, editor.question_url(verify), "Save the claim and cards",
                 verify_fields()).status_code == 303
    assert editor.publish().status_code == 303
    with app.app_context():
        version = db.session.scalar(sa.select(LessonVersion).where(
            LessonVersion.lesson_id == editor.id))
        content = version.content
        version.source_text = None  # stored before files were kept: rebuilt from content
        db.session.commit()
    exported = client.get(f"{editor.url}/export.yaml")
    assert exported.status_code == 200
    source = parse_source(exported.get_data(as_text=True))
    assert source["questions"][0]["claim"] == CLAIM
    slug = source["slug"] + "-again"
    response = client.post("/teach/lessons/import", data={
        "csrf_token": csrf_token(client, "/teach/lessons/import"),
        "text": exported.get_data(as_text=True), "new_slug": slug})
    assert response.status_code == 303, page_text(response)
    with app.app_context():
        imported = db.session.scalars(sa.select(LessonVersion).order_by(
            LessonVersion.id.desc())).first()
        assert {**imported.content, "slug": content["slug"]} == content
