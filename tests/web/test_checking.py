"""A claim to check (verify) and what an excerpt leaves out (omission), as a student takes
them: the quiz page in both layouts, the feedback, values no page sends, saved progress.

The lesson is the example one (tests/data/checking-example.yaml) on the example cards
(tests/data/shelf/): question "invited" checks a claim against three cards, "left-out"
offers four facts; both read the same excerpt.
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from flask import render_template
from markupsafe import escape

from app.domain.scoring import RULES
from app.extensions import db
from app.models import Attempt, Draft
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from app.student.present import quiz_questions
from tests.helpers import ROOT, checking_folder, csrf_token
from tests.web.test_student import content_of, perfect_answers, quiz_fields

SLUG = "checking-example"
URL = f"/lessons/{SLUG}"
SAVE = f"{URL}/progress"
CLAIM = "on an invitation of the Kazakh government"
EXCERPT_START = "The President’s order was fulfilled"
JANUARY, TREATY, HRW = "example-january-2022", "example-csto-treaty", "example-hrw"
SHOOT, FUEL = f"{JANUARY}#shoot-to-kill", f"{JANUARY}#fuel-prices"
REQUEST, SIGNED = f"{JANUARY}#csto-request", f"{TREATY}#signed-1992"


@pytest.fixture
def lesson(app, tmp_path):
    """The seeds, the library, the example cards and the example lesson, synced."""
    folder = checking_folder(tmp_path / "lessons")
    with app.app_context():
        load_seeds(ROOT / "seeds")
        report = sync_lessons(folder)
        assert report.check.ok, report.check.issues
    return content_of(app, SLUG)


@pytest.fixture
def whole_page(make_user, auth, lesson):
    user = make_user("whole-page", quiz_layout="all")
    auth.login(user.username)
    return user


@pytest.fixture
def stepwise(make_user, auth, lesson):
    user = make_user("one-at-a-time")
    auth.login(user.username)
    return user


def page_of(client, url=URL, **query):
    response = client.get(url, query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(page, question_id):
    """The markup of one question's section on a quiz page."""
    match = re.search(rf'<section[^>]*id="q-{question_id}".*?</section>', page, re.S)
    assert match, f"no question {question_id} on the page"
    return match.group(0)


def feedback_sections(page):
    return re.findall(r'<section class="card question-feedback".*?</section>', page, re.S)


def said(markup):
    """The text of ``markup`` as it reads: tags dropped, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def checked(page):
    return set(re.findall(r'name="([^"]+)" value="([^"]+)" checked', page))


def submit(client, answers, url=URL):
    form = quiz_fields(client, url)
    form.update(answers)
    return client.post(url, data=form)


def answers_from(fields):
    form: dict[str, list[str]] = {}
    for name, value in fields:
        form.setdefault(name, []).append(value)
    return form


# --- the quiz page ----------------------------------------------------------------------


def test_the_claim_is_highlighted_and_named_in_its_excerpt(client, whole_page):
    verify = section(page_of(client), "invited")
    assert ('<mark class="claim"><span class="visually-hidden">[claim to check: </span>'
            f"{CLAIM}<span") in verify
    assert f'The claim to check: <q class="claim-quote">{CLAIM}</q>' in verify
    assert RULES["verify"] in verify


def test_a_verdict_is_one_radio_group_and_each_card_a_box_with_the_card_to_read(
        client, whole_page, lesson):
    verify = section(page_of(client), "invited")
    assert "<legend>Your verdict on the claim</legend>" in verify
    radios = re.findall(r'type="radio" id="([^"]+)" name="invited.verdict" value="([^"]+)"',
                        verify)
    assert [value for _, value in radios] == ["supported", "contradicted", "not_decided"]
    for dom, _ in radios:
        assert f'<label for="{dom}">' in verify
    assert [f"{v} by these sources" in said(verify)
            for v in ("Supported", "Contradicted", "Not decided")] == [True] * 3
    boxes = re.findall(r'name="invited.card" value="([^"]+)"', verify)
    assert sorted(boxes) == sorted([JANUARY, TREATY, HRW])
    text = said(verify)
    for card in (lesson["cards"][card_id] for card_id in boxes):
        assert card["title"] in text and card["summary"] in text
    # Each card opens in place: its body, its facts with their dates, its sources in full.
    assert verify.count("<summary>Read the card") == 3
    january = lesson["cards"][JANUARY]
    assert january["body"].split("\n\n")[0] in text
    assert "7 January 2022:" in text and january["facts"][2]["text"] in text
    source = january["sources"][0]
    assert (f'<a href="{source["url"]}" target="_blank" rel="noopener">{escape(source["title"])}'
            '<span class="visually-hidden"> (opens in a new tab)</span></a>, '
            f'{source["publisher"]}, {source["date"]}.</li>') in verify
    # The source card says who it is and who pays.
    assert "Who pays?" in text and lesson["cards"][HRW]["pays"] in text


def test_each_offered_fact_is_a_box_with_its_date_and_card(client, whole_page, lesson):
    omission = section(page_of(client), "left-out")
    refs = re.findall(r'name="left-out.fact" value="([^"]+)"', omission)
    assert sorted(refs) == sorted([SHOOT, FUEL, REQUEST, SIGNED])
    text = said(omission)
    assert "15 May 1992 · from the card How the CSTO began" in text
    assert "7 January 2022 · from the card " + lesson["cards"][JANUARY]["title"] in text
    # The two cards the facts come from, each readable once.
    assert omission.count("<summary>Read the card: ") == 2
    assert RULES["omission"] in omission


def test_the_whole_page_prints_the_shared_excerpt_once(client, whole_page):
    page = page_of(client)
    assert page.count(EXCERPT_START) == 1
    assert EXCERPT_START in section(page, "invited")
    assert 'Read the excerpt printed in <a href="#q-invited">question 1</a> above.' in section(
        page, "left-out")


def test_a_claim_whose_excerpt_was_printed_above_opens_a_copy_with_the_claim(app, lesson):
    # The other order: the omission question prints the excerpt, the claim refers to it.
    content = {**lesson, "questions": lesson["questions"][::-1]}
    where = {excerpt["id"]: {"slug": "x", "title": "T", "credit": "C"}
             for excerpt in content["excerpts"]}
    with app.test_request_context():
        page = render_template("student/_questions.html", count=2,
                               questions=quiz_questions(content, {}, where=where))
    assert page.count(EXCERPT_START) == 2  # the claim's copy is folded away
    verify = section(page, "invited")
    assert ('<details class="excerpt-again">\n  <summary>The excerpt: the same text as '
            "question 1. Open it to read the claim in its place.</summary>") in verify
    assert '<mark class="claim">' in verify
    assert EXCERPT_START in section(page, "left-out")


def test_one_question_at_a_time_shows_each_with_its_own_excerpt(client, stepwise):
    first = page_of(client, q=1)
    assert "Question 1 of 2" in first and 'name="invited.verdict"' in first
    assert 'name="left-out.fact"' not in first
    second = page_of(client, q=2)
    assert 'name="left-out.fact"' in second and 'name="invited.card"' not in second
    assert EXCERPT_START in section(second, "left-out")  # not pointed up: it is alone here


# --- submitting and the feedback -------------------------------------------------------------


def test_a_perfect_answer_scores_everything_and_misses_nothing(app, client, whole_page,
                                                               lesson):
    response = submit(client, perfect_answers(lesson))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: <strong>4 out of 4</strong>" in page and "(100%)" in page
    text = said(" ".join(feedback_sections(page)))
    assert "Right: supported by these sources." in text
    assert "Deciding cards you picked" in text and "Left-out facts you found" in text
    assert "missed" not in text.lower() and "Picked, but" not in text


def test_a_careless_answer_is_told_what_was_wrong_and_why(app, client, whole_page, lesson):
    invited, left_out = lesson["questions"]
    response = submit(client, {"invited.verdict": ["contradicted"],
                               "invited.card": [HRW, TREATY],
                               "left-out.fact": [FUEL, REQUEST, SIGNED]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: <strong>0 out of 4</strong>" in page
    claim, facts = (said(part) for part in feedback_sections(page))
    assert "You chose: contradicted by these sources." in claim
    assert "the claim is supported by these sources. " + invited["why"] in claim
    why = {card["id"]: card["why"] for card in invited["cards"]}
    assert ("Deciding cards you missed " + lesson["cards"][JANUARY]["title"]
            + " (worth 1): " + why[JANUARY]) in claim
    assert f"{lesson['cards'][HRW]['title']} (−0.5): {why[HRW]}" in claim
    assert f"How the CSTO began (−0.5): {why[TREATY]}" in claim
    assert claim.count("Read the card") == 3  # each card named is readable there
    why = {fact["ref"]: fact["why"] for fact in left_out["facts"]}
    assert "Left-out facts you found" in facts and why[FUEL] in facts
    assert "Left-out facts you missed" in facts and why[SHOOT] in facts
    assert f"Stated in the excerpt (−1): {why[REQUEST]}" in facts
    assert f"Does not bear on these events (−1): {why[SIGNED]}" in facts
    assert left_out["why"] in facts
    assert "neutral" not in (claim + facts).lower()
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert [(a.question_id, a.points, a.max_points) for a in attempt.answers] == [
            ("invited", 0.0, 2.0), ("left-out", 0.0, 2.0)]


def test_the_right_card_earns_its_point_whatever_the_verdict(client, whole_page):
    response = submit(client, {"invited.verdict": ["not_decided"], "invited.card": [JANUARY]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    claim = said(feedback_sections(page)[0])
    assert "1 / 2 points" in claim and "Deciding cards you picked" in claim
    assert "(+1)" in claim


@pytest.mark.parametrize(("field", "values", "message"), [
    ("invited.verdict", ["true"], "That verdict is not one of the choices"),
    ("invited.verdict", ["supported", "contradicted"], "Choose only one verdict"),
    ("invited.card", [JANUARY, "no-such-card"], "A card you picked is not one this question"),
    ("invited.card", [JANUARY, FUEL], "A card you picked is not one this question offers"),
    ("left-out.fact", [SHOOT, f"{JANUARY}#csto-leaves"], "A fact you picked is not one"),
    ("left-out.fact", [SHOOT, "example-hrw#nobel-1997"], "A fact you picked is not one"),
    ("invited.fact", [SHOOT], "not in this lesson"),
])
def test_a_value_no_page_sends_is_a_400_that_keeps_the_picks(app, client, whole_page, field,
                                                             values, message):
    answers = {"invited.verdict": ["supported"], "invited.card": [JANUARY],
               "left-out.fact": [SHOOT], field: values}
    response = submit(client, answers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    # Every valid pick is back, ticked (a first valid verdict among several is kept).
    kept = {("invited.card", JANUARY), ("left-out.fact", SHOOT)}
    if field != "invited.verdict" or values[0] == "supported":
        kept.add(("invited.verdict", "supported"))
    assert checked(page) == kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


# --- saved progress -----------------------------------------------------------------------


def step_fields(client, step):
    page = page_of(client, q=step)
    fields = dict(re.findall(r'<input type="hidden" name="(csrf_token|version|step)" '
                             r'value="([^"]*)"', page))
    fields["shown"] = re.findall(r'<input type="hidden" name="shown" value="([^"]+)"', page)
    return fields


def draft_marks(app):
    with app.app_context():
        return db.session.scalar(sa.select(Draft.marks))


def test_picks_are_saved_as_a_draft_and_come_back(app, client, stepwise, auth):
    response = client.post(SAVE, data={**step_fields(client, 1), "go": "next",
                                       "invited.card": [JANUARY, HRW]})
    assert response.headers["Location"].endswith("?q=2")
    assert draft_marks(app) == {"invited": {"verdict": None, "cards": [JANUARY, HRW]}}
    # Cards without a verdict: partly answered, and the review says what is missing.
    review = said(page_of(client, q="review"))
    assert "Question 1: " in review and "(no verdict chosen)" in review
    client.post(SAVE, data={**step_fields(client, 1), "go": "2",
                            "invited.verdict": "supported", "invited.card": [JANUARY]})
    client.post(SAVE, data={**step_fields(client, 2), "go": "review",
                            "left-out.fact": [SHOOT, FUEL]})
    assert draft_marks(app) == {"invited": {"verdict": "supported", "cards": [JANUARY]},
                                "left-out": {"facts": [SHOOT, FUEL]}}

    auth.logout()
    auth.login("one-at-a-time")  # another visit: the quiz opens where it was left
    assert checked(page_of(client, q=1)) == {("invited.verdict", "supported"),
                                             ("invited.card", JANUARY)}
    assert checked(page_of(client, q=2)) == {("left-out.fact", SHOOT),
                                             ("left-out.fact", FUEL)}
    review = page_of(client, q="review")
    assert "Ready to submit" in review
    form = dict(re.findall(r'name="(csrf_token|submission|version)" value="([^"]+)"', review))
    response = client.post(URL, data={**form, **answers_from(re.findall(
        r'<input type="hidden" name="((?:invited|left-out)\.[a-z]+)" value="([^"]+)"',
        review))})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: <strong>4 out of 4</strong>" in page
    assert draft_marks(app) is None


def test_a_save_with_a_forged_pick_keeps_the_good_ones(app, client, stepwise):
    response = client.post(SAVE, data={**step_fields(client, 1), "go": "next",
                                       "invited.verdict": "supported",
                                       "invited.card": [JANUARY, "forged"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "A card you picked is not one this question offers" in page
    assert checked(page) == {("invited.verdict", "supported"), ("invited.card", JANUARY)}
    assert draft_marks(app) is None


def test_the_page_script_save_answers_how_many_are_answered(app, client, stepwise):
    response = client.post(SAVE, data={**step_fields(client, 2), "left-out.fact": [SIGNED],
                                       "go": "stay"},
                           headers={"X-Requested-With": "fetch"})
    assert response.get_json()["saved"] is True
    assert response.get_json()["answered"] == 1  # any fact picked answers an omission
    assert csrf_token(client, URL)
