"""Class results on verify and omission questions, as a teacher sees them: the results page
down to each verdict, card and fact, a student's own picks, the answer key and the CSV.

The example lesson of tests/data/checking-example.yaml (a verify question worth 2 points,
an omission question worth 2) on the example cards, one card's title starting with "=" as
a teacher could type it. Three students:
  ann  supported + the January card (2); both left-out facts (2)
  ben  contradicted + the treaty card (0); the shoot-to-kill order + the stated request (0)
  cat  no verdict, every card (0); the fuel prices (1)
"""

from __future__ import annotations

import csv
import html
import io
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models import Classroom
from tests.helpers import ROOT, example_cards
from tests.web.page_forms import visible_text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_lesson,
    gen_students,
    gen_user,
    load_documents,
)

LESSON = (ROOT / "tests" / "data" / "checking-example.yaml").read_text(encoding="utf-8")
JANUARY, TREATY, HRW = "example-january-2022", "example-csto-treaty", "example-hrw"
SHOOT, FUEL = f"{JANUARY}#shoot-to-kill", f"{JANUARY}#fuel-prices"
REQUEST, SIGNED = f"{JANUARY}#csto-request", f"{TREATY}#signed-1992"
EVIL = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def world(app, auth):
    cards = example_cards()
    cards[TREATY] = {**cards[TREATY], "title": EVIL}
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        classroom = gen_class(teacher, name="Media 9C")
        ann, ben, cat = gen_students(classroom, "ann", "ben", "cat")
        lesson = gen_lesson(LESSON, owner=teacher, shelf=cards)
        assignment = gen_assignment(classroom, lesson)
        gen_attempt(ann, assignment, {"invited": {"verdict": "supported", "cards": [JANUARY]},
                                      "left-out": {"facts": [SHOOT, FUEL]}})
        gen_attempt(ben, assignment, {"invited": {"verdict": "contradicted",
                                                  "cards": [TREATY]},
                                      "left-out": {"facts": [SHOOT, REQUEST]}})
        gen_attempt(cat, assignment, {"invited": {"verdict": None,
                                                  "cards": [JANUARY, TREATY, HRW]},
                                      "left-out": {"facts": [FUEL]}})
        world = SimpleNamespace(class_id=classroom.id, assignment=assignment.id,
                                lesson=lesson.id, ann=ann.id, ben=ben.id, cards=cards)
    auth.login("teacher-a")
    return world


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return " ".join(visible_text(html.unescape(response.get_data(as_text=True))).split())


def fact_text(cards, ref):
    card, _, fact = ref.partition("#")
    return next(f["text"] for f in cards[card]["facts"] if f["id"] == fact)


def test_the_results_page_shows_each_verdict_card_and_fact_chosen(client, world):
    text = text_of(client, f"/teach/assignments/{world.assignment}/results")
    assert "Claims checked and facts left out" in text
    assert "Question 1: the claim on an invitation of the Kazakh government" in text
    assert "Question 2: what the excerpt leaves out" in text
    # Verdicts over all three: ann supported, ben contradicted, cat none.
    assert "Supported by these sources (the key's verdict) 33% (1 of 3)" in text
    assert "Contradicted by these sources 33% (1 of 3)" in text
    assert "Not decided by these sources 0% (0 of 3)" in text
    assert "No verdict chosen 33% (1 of 3)" in text
    # Cards over ann and ben: cat picked every card and is left out of the picks.
    january = world.cards[JANUARY]["title"]
    assert f"{january} ({JANUARY}) Decides the claim: earns 50% (1 of 2)" in text
    assert f"{EVIL} ({TREATY}) Does not decide it: costs 50% (1 of 2)" in text
    assert "1 student who picked every card left out" in text
    assert "cat : question 1 (picked all 3 cards offered)" in text
    # Facts over all three.
    shoot, signed = fact_text(world.cards, SHOOT), fact_text(world.cards, SIGNED)
    assert f"{shoot} from {january} Left out of the excerpt: earns 67% (2 of 3)" in text
    assert f"{signed} from {EVIL} Does not bear on these events: costs 0%" in text
    # The item analysis: verify 2 + 0 + 0 of 2 each (facility 33%), omission 2 + 0 + 1.
    assert "Check this claim against the cards." in text
    assert "Check a claim 3 0.7 of 2 33%" in text and "Left out 3 1 of 2 50%" in text


def test_a_students_page_shows_the_verdict_and_the_cards_and_facts_they_picked(
        client, world):
    text = text_of(client, f"/teach/classes/{world.class_id}/students/{world.ann}")
    assert "4 / 4 (100%)" in text
    assert "supported by these sources" in text.casefold()
    assert world.cards[JANUARY]["title"] in text
    assert fact_text(world.cards, SHOOT) in text and fact_text(world.cards, FUEL) in text
    # ben chose the wrong verdict and picked a control card: both are on his page.
    text = text_of(client, f"/teach/classes/{world.class_id}/students/{world.ben}")
    assert "0 / 4 (0%)" in text
    assert "contradicted by these sources" in text.casefold() and EVIL in text


def test_the_answer_key_shows_the_claim_verdict_cards_and_facts_with_whys(client, world):
    text = text_of(client, f"/teach/lessons/{world.lesson}/key")
    assert ("The claim: on an invitation of the Kazakh government (marked on the excerpt)"
            in text)
    assert "[the claim to check: on an invitation of the Kazakh government ]" in text
    assert ("The verdict: Supported by these sources (1 point) . The January card records "
            "Tokayev's appeal to the CSTO before its troops came.") in text
    assert "Cards that decide the claim (in the key)" in text
    assert "(finding it earns 1 point) " in text
    assert "Why: Tokayev appealed to the alliance, which agreed to send troops." in text
    assert "Controls: cards that do not decide it (picking one costs)" in text
    assert "Why: Who Human Rights Watch is does not bear on who invited the troops." in text
    assert "Facts the excerpt leaves out (in the key)" in text
    assert (f"{fact_text(world.cards, REQUEST)}" in text
            and "Stated in the excerpt; picking it costs 1 point" in text)
    assert "Why: When the treaty was signed does not bear on January 2022." in text
    # Each card the facts come from, with its sources, once.
    assert text.count("Kazakhstan: Cancel 'Shoot Without Warning' Order") == 2
    assert "up to 2 points" in text


def test_the_responses_csv_has_the_verdict_cards_and_facts_picked(client, world):
    response = client.get(f"/teach/classes/{world.class_id}/responses.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    assert header[-7:] == ["marked", "choice", "verdict chosen", "cards picked",
                           "facts picked", "how sure (1-4)", "how sure"]
    by = {(row[0], row[7]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    ben = by[("ben", "invited")]
    assert (ben["kind"], ben["points"], ben["max points"]) == ("verify", "0.0", "2.0")
    # Typed by a teacher, a card title can start a formula: defused with a quote.
    assert ben["marked"] == "'" + EVIL
    assert ben["choice"] == "Contradicted by these sources"
    assert (ben["verdict chosen"], ben["cards picked"], ben["facts picked"]) == (
        "contradicted", TREATY, "")
    cat = by[("cat", "invited")]
    assert cat["cards picked"] == f"{JANUARY} | {TREATY} | {HRW}"
    assert (cat["verdict chosen"], cat["choice"]) == ("", "")
    ann = by[("ann", "left-out")]
    assert (ann["kind"], ann["points"]) == ("omission", "2.0")
    assert ann["facts picked"] == f"{SHOOT} | {FUEL}"
    assert ann["marked"] == f"{fact_text(world.cards, SHOOT)} | {fact_text(world.cards, FUEL)}"
    assert (ann["verdict chosen"], ann["cards picked"]) == ("", "")


def test_another_teacher_sees_none_of_it(app, client, auth, world):
    with app.app_context():
        gen_user("teacher-b", role="teacher")
        assert db.session.get(Classroom, world.class_id) is not None
    auth.logout()
    auth.login("teacher-b")
    for url in (f"/teach/assignments/{world.assignment}/results",
                f"/teach/classes/{world.class_id}/responses.csv",
                f"/teach/classes/{world.class_id}/students/{world.ann}",
                f"/teach/lessons/{world.lesson}/key"):
        assert client.get(url).status_code in (403, 404), url
