"""The teacher's "How sure were they?" page of one assignment, on a class built by hand.

The small lesson of results_builders: "words" (2 points: "gangs", "terrorists"; -0.5 per
other word) and "frame" (1 point, "people" is right). Ratings: 1 Guessing, 2 Unsure,
3 Fairly sure, 4 Certain.

  ann      words gangs+terrorists 2/2 = 100 %  Certain   frame people 100 %  Certain
  ben #1   words gangs            1/2 =  50 %  Certain   frame order    0 %  Fairly sure
  ben #2   words gangs+when     0.5/2 =  25 %  Unsure    frame people        (not rated)
  cat      words nothing          0/2 =   0 %  Guessing  frame order    0 %  Certain
  dan      not in the class: words "when" Certain, never counted

  Guessing     1 answer  1 student    0 %
  Unsure       1 answer  1 student   25 %
  Fairly sure  1 answer  1 student    0 %
  Certain      4 answers 3 students  (100 + 100 + 50 + 0) / 4 = 62.5 % -> 63 %
  7 rated answers, 3 students, 4 attempts (every attempt counts).

  Confident but wrong: "Order restored" (ben #1, cat: 2 students), then "terrorists"
  missed (ben #1: 1 student). cat's misses were a guess; dan is not in the class.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from app.extensions import db
from tests.web.results_builders import (
    GANGS,
    TERRORISTS,
    WHEN,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_lesson,
    gen_students,
    gen_user,
    load_documents,
    small_responses,
)


@pytest.fixture
def world(app):
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        classroom = gen_class(teacher, name="Media 9C")
        ann, ben, cat = gen_students(classroom, "ann", "ben", "cat")
        dan = gen_user("dan")
        lesson = gen_lesson(owner=teacher, slug="sure-look", title="Sure look")
        asked = gen_assignment(classroom, lesson, ask_confidence=True)
        quiet = gen_assignment(classroom, gen_lesson(owner=teacher, slug="quiet",
                                                     title="Quiet"))
        fresh = gen_assignment(classroom, gen_lesson(owner=teacher, slug="fresh",
                                                     title="Fresh"), ask_confidence=True)
        gen_attempt(ann, asked, small_responses([GANGS, TERRORISTS], "people"),
                    confidence={"words": 4, "frame": 4})
        gen_attempt(ben, asked, small_responses([GANGS], "order"),
                    confidence={"words": 4, "frame": 3})
        gen_attempt(ben, asked, small_responses([GANGS, WHEN], "people"),
                    confidence={"words": 2})
        gen_attempt(cat, asked, small_responses([], "order"),
                    confidence={"words": 1, "frame": 4})
        gen_attempt(dan, asked, small_responses([WHEN], None), confidence={"words": 4})
        gen_attempt(ann, quiet, small_responses([GANGS], "people"))
        return SimpleNamespace(asked=asked.id, quiet=quiet.id, fresh=fresh.id)


def plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rows(html, table_id):
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return [plain(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)][1:]


def test_the_page_shows_score_by_rating_and_what_they_were_sure_of_but_got_wrong(
        client, auth, world):
    auth.login("teacher-a")
    response = client.get(f"/teach/assignments/{world.asked}/calibration")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "How sure were they? Sure look" in html
    assert "7 rated answers from 3 students, in 4 attempts." in plain(html)
    assert "Every attempt counts" in html
    assert rows(html, "calibration-table") == [
        "Guessing 1 1 0%", "Unsure 1 1 25%", "Fairly sure 1 1 0%", "Certain 4 3 63%"]
    # The chart: named and described, its numbers the table's.
    assert 'role="img"' in html and "Mean score by how sure students were" in html
    assert "Certain: 63% mean score over 4 answers" in html
    assert rows(html, "slips-table") == [
        "Order restored Wrong frame chosen 2. Which frame? 2 2",
        "terrorists Missed 1. Mark the words that judge the people. 1 1"]
    assert "dan" not in html and "when" not in rows(html, "slips-table")[0]


def test_the_results_page_links_to_it(client, auth, world):
    auth.login("teacher-a")
    html = client.get(f"/teach/assignments/{world.asked}/results").get_data(as_text=True)
    assert f'href="/teach/assignments/{world.asked}/calibration">How sure were they?' in html


def test_it_says_plainly_when_there_is_nothing_to_show(client, auth, world):
    auth.login("teacher-a")
    quiet = plain(client.get(f"/teach/assignments/{world.quiet}/calibration")
                  .get_data(as_text=True))
    assert "This assignment does not ask “How sure are you?”, so there is nothing to show." \
        in quiet
    assert "calibration-table" not in quiet
    fresh = plain(client.get(f"/teach/assignments/{world.fresh}/calibration")
                  .get_data(as_text=True))
    assert "No one has rated an answer yet." in fresh


def test_only_the_classes_teacher_sees_it(client, auth, world, app):
    auth.login("teacher-b")
    assert client.get(f"/teach/assignments/{world.asked}/calibration").status_code == 404
    assert client.get("/teach/assignments/999999/calibration").status_code == 404
    auth.logout()
    auth.login("ann")
    response = client.get(f"/teach/assignments/{world.asked}/calibration")
    assert response.status_code == 403  # every teacher page refuses students
    assert "Certain" not in response.get_data(as_text=True)


def test_the_responses_csv_carries_each_rating(client, auth, world, app):
    """The class's responses CSV gives each answer's rating, as a number and in words,
    and leaves it empty where the student gave none (or the assignment did not ask)."""
    import csv
    import io

    from app.models import Assignment

    with app.app_context():
        class_id = db.session.get(Assignment, world.asked).classroom_id
    auth.login("teacher-a")
    response = client.get(f"/teach/classes/{class_id}/responses.csv")
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = table[0]
    answers = [dict(zip(header, row, strict=True)) for row in table[1:]]
    ratings = [(row["student"], row["lesson"], row["question id"], row["how sure (1-4)"],
                row["how sure"]) for row in answers]
    assert ("ann", "Sure look", "words", "4", "Certain") in ratings
    assert ("ben", "Sure look", "frame", "3", "Fairly sure") in ratings
    assert ("cat", "Sure look", "words", "1", "Guessing") in ratings
    assert ("ben", "Sure look", "frame", "", "") in ratings  # his second try left it blank
    assert ("ann", "Quiet", "words", "", "") in ratings
    assert all(row[0] != "dan" for row in ratings)  # not in the class
