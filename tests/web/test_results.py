"""Class results as a teacher sees them: gradebook, item analysis, a student's attempts, CSVs.

One hand-made class ("Media 9B": ann, ben, cat) on the two-question lesson of
results_builders (3 points: "gangs" and "terrorists" 1 each, -0.5 per other word; one
frame, 1 point). Every number below is worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.domain.numbers import percent
from app.extensions import db
from app.models import Assignment, Attempt, Classroom, User, utcnow
from tests.helpers import csrf_token
from tests.web.bulk_builders import bulk_class
from tests.web.results_builders import (
    GANGS,
    TERRORISTS,
    WHEN,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_students,
    gen_user,
    load_documents,
    small_responses,
)


@pytest.fixture
def world(app):
    """The class, its two overdue assignments and a third not yet due.

    First look (highest attempt):
      ann  gangs, terrorists, right frame         3 / 3 = 100 %
      ben  1st: gangs, wrong frame                1 / 3 =  33.3 %
           2nd: gangs + "when", right frame     1.5 / 3 =  50 %   -> highest: 50.0 %
      cat  gangs + "when", wrong frame, late    0.5 / 3 =  16.7 % (late)
    Second look (average of attempts):
      ann  100 % then 0 % (wrong frame only)                       -> 50.0 %
      ben  nothing                                                 -> missing
      cat  right frame only                       1 / 3            -> 33.3 %
    Third look: due next week, no attempts: nothing is missing yet.
    """
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        classroom = gen_class(teacher, name="Media 9B")
        ann, ben, cat = gen_students(classroom, "ann", "ben", "cat")
        outsider = gen_user("dan")  # not in the class
        now = utcnow()
        first = gen_lesson(owner=teacher, slug="first-look", title="First look")
        second = gen_lesson(owner=teacher, slug="second-look", title="Second look")
        third = gen_lesson(owner=teacher, slug="third-look", title="Third look")
        a1 = gen_assignment(classroom, first, "highest", due_at=now - timedelta(days=1))
        a2 = gen_assignment(classroom, second, "average", due_at=now - timedelta(hours=12))
        a3 = gen_assignment(classroom, third, "last", due_at=now + timedelta(days=7))
        t0 = now - timedelta(days=2)
        gen_attempt(ann, a1, small_responses([GANGS, TERRORISTS], "people"), t0)
        gen_attempt(ben, a1, small_responses([GANGS], "order"), t0)
        gen_attempt(ben, a1, small_responses([GANGS, WHEN], "people"), t0 + timedelta(hours=1))
        gen_attempt(cat, a1, small_responses([GANGS, WHEN], "order"), now, late=True)
        gen_attempt(ann, a2, small_responses([GANGS, TERRORISTS], "people"), t0)
        gen_attempt(ann, a2, small_responses([], "order"), t0 + timedelta(hours=1))
        gen_attempt(cat, a2, small_responses([], "people"), t0)
        return SimpleNamespace(
            class_id=classroom.id, a1=a1.id, a2=a2.id, a3=a3.id, ann=ann.id, ben=ben.id,
            cat=cat.id, outsider=outsider.id)


@pytest.fixture
def teacher(world, auth):
    auth.login("teacher-a")
    return world


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def row_of(html, name):
    """The grades in the gradebook row of student ``name``, as text without tags (the
    row's last cell, discernment, is tested in test_discernment.py)."""
    match = re.search(rf'<tr>\s*<th scope="row"><a [^>]*>{name}</a></th>(.*?)'
                      r'(?:<td class="num discernment-cell">|</tr>)', html, re.S)
    assert match, name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def students_in_order(html):
    return re.findall(
        r'<th scope="row"><a href="/teach/classes/\d+/students/\d+">([\w.-]+)</a>', html)


# --- gradebook -------------------------------------------------------------------------

def test_the_gradebook_grades_each_assignment_by_its_method(client, teacher):
    html = page(client, f"/teach/classes/{teacher.class_id}/gradebook")
    assert "Gradebook: Media 9B" in html
    # Whole percentages, rounded half up, as every other page shows them (review, bug 8).
    assert row_of(html, "ann").startswith("100% 1 attempt 50% 2 attempts")
    assert row_of(html, "ben").startswith("50% 2 attempts missing")
    assert row_of(html, "cat").startswith("17% 1 attempt late 33% 1 attempt")
    # Third look is not due yet: blank, not "missing".
    assert row_of(html, "ann").endswith("— not submitted")
    assert "dan" not in html  # not in the class
    assert "Class average" in html and "56%" in html  # (100 + 50 + 16.7) / 3


def test_late_and_missing_are_words_not_only_colours(client, teacher):
    html = page(client, f"/teach/classes/{teacher.class_id}/gradebook")
    assert re.search(r'<strong class="status status-missing">missing</strong>', html)
    assert re.search(r'<strong class="status status-late">late</strong>', html)


@pytest.mark.parametrize(("sort", "direction", "order"), [
    (None, None, ["ann", "ben", "cat"]),
    ("student", "desc", ["cat", "ben", "ann"]),
    ("a1", "desc", ["ann", "ben", "cat"]),      # 100, 50, 16.7
    ("a1", "asc", ["cat", "ben", "ann"]),
    ("a2", "asc", ["cat", "ann", "ben"]),       # 33.3, 50, then ben without a grade
    ("a2", "desc", ["ann", "cat", "ben"]),      # the ungraded stay last
])
def test_the_gradebook_sorts_by_name_or_any_column(client, teacher, sort, direction, order):
    query = {}
    if sort:
        query["sort"] = sort if sort == "student" else f"a{getattr(teacher, sort)}"
    if direction:
        query["dir"] = direction
    html = client.get(f"/teach/classes/{teacher.class_id}/gradebook",
                      query_string=query).get_data(as_text=True)
    assert students_in_order(html) == order


def test_the_sorted_column_says_so_and_its_link_reverses_it(client, teacher):
    url = f"/teach/classes/{teacher.class_id}/gradebook"
    html = page(client, f"{url}?sort=a{teacher.a1}&dir=asc")
    header = re.search(r'<th scope="col" class="num" aria-sort="ascending">(.*?)</th>', html,
                       re.S).group(1)
    assert "First look" in header
    assert f"sort=a{teacher.a1}&amp;dir=desc" in header
    assert html.count("aria-sort=") == 1
    assert f'href="/teach/classes/{teacher.class_id}/students/{teacher.ben}"' in html
    assert f'href="/teach/assignments/{teacher.a1}/results"' in html


@pytest.mark.parametrize("query", ["sort=a999999", "sort=student&dir=up", "sort=%3Cb%3E"])
def test_an_unknown_sort_is_a_clear_400(client, teacher, query):
    html = page(client, f"/teach/classes/{teacher.class_id}/gradebook?{query}", 400)
    assert "Use the links in the table" in html
    assert "<b>" not in html


def test_an_empty_class_says_what_to_do(app, client, teacher):
    with app.app_context():
        owner = db.session.scalar(sa.select(Classroom)).teacher
        empty = gen_class(owner, name="Empty").id
    html = page(client, f"/teach/classes/{empty}/gradebook")
    assert "no assignments yet" in html and "No students have joined" in html


# --- gradebook pages -------------------------------------------------------------------

@pytest.fixture
def big(app, teacher):
    """Teacher-a's class of 250 students, one attempt each on two assignments (bulk_class:
    scores cycle through 100 %, a half and a wrong-marks pattern). Its students' names in
    order, and in the order of a descending sort on the first assignment, worked out from
    the stored attempts here rather than by the app."""
    with app.app_context():
        owner = db.session.scalar(sa.select(Classroom)).teacher
        lessons = [gen_lesson(owner=owner, slug=f"big-{n}", title=f"Big {n}") for n in (1, 2)]
        classroom = bulk_class(owner, lessons, 250, attempts_each=1)
        first, second = db.session.scalars(sa.select(Assignment.id).where(
            Assignment.classroom_id == classroom.id).order_by(Assignment.id)).all()
        scores = db.session.execute(
            sa.select(User.username, Attempt.score, Attempt.max_score)
            .join(Attempt, Attempt.user_id == User.id)
            .where(Attempt.assignment_id == first)).all()
        by_grade = [name for _, name in sorted(
            (-round(100.0 * score / most, 1), name) for name, score, most in scores)]
        return SimpleNamespace(class_id=classroom.id, a1=first, a2=second,
                               names=sorted(name for name, _, _ in scores),
                               by_first_descending=by_grade,
                               url=f"/teach/classes/{classroom.id}/gradebook")


def pager_of(html):
    match = re.search(r'<nav class="pager" aria-label="Gradebook pages">(.*?)</nav>', html, re.S)
    assert match, "no pager"
    return match.group(1)


def test_the_first_page_shows_the_first_hundred_students_in_order(client, big):
    html = page(client, big.url)
    assert students_in_order(html) == big.names[:100]
    assert "Students 1–100 of 250 by assignment, sorted by student name" in html
    pager = pager_of(html)
    assert "Students 1–100 of 250" in pager
    assert re.search(r'<a href="[^"]*/gradebook" aria-current="page">'
                     r'<span class="visually-hidden">Page </span>1</a>', pager)
    assert pager.count("aria-current") == 1
    for number in (2, 3):
        assert f'href="{big.url}?page={number}"' in pager
    assert 'rel="next"' in pager and 'rel="prev"' not in pager


def test_the_last_page_shows_the_rest(client, big):
    html = page(client, f"{big.url}?page=3")
    assert students_in_order(html) == big.names[200:]
    pager = pager_of(html)
    assert "Students 201–250 of 250" in pager
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>3<', pager)
    assert f'href="{big.url}?page=2" rel="prev"' in pager and 'rel="next"' not in pager


def test_a_sort_applies_to_every_student_before_the_page_is_cut(client, big):
    html = page(client, f"{big.url}?sort=a{big.a1}&dir=desc&page=2")
    assert students_in_order(html) == big.by_first_descending[100:200]
    assert "Students 101–200 of 250 by assignment, sorted by the grade on “Big 1”" in html
    pager = pager_of(html)
    for number in (1, 3):
        page_arg = f"page={number}&amp;" if number > 1 else ""
        assert f'href="{big.url}?{page_arg}sort=a{big.a1}&amp;dir=desc"' in pager
    # Sorting anew starts again from the first page.
    header = html[html.index("<thead>"):html.index("</thead>")]
    assert f"sort=a{big.a1}&amp;dir=asc" in header and "page=" not in header


def test_the_class_averages_count_every_student_on_every_page(app, client, big):
    with app.app_context():
        percents = [round(100.0 * score / most, 1) for score, most in db.session.execute(
            sa.select(Attempt.score, Attempt.max_score).where(Attempt.assignment_id == big.a1))]
    expected = percent(round(sum(percents) / len(percents), 1))
    for number in (1, 3):
        footer = re.search(r"<tfoot>(.*?)</tfoot>", page(client, f"{big.url}?page={number}"),
                           re.S).group(1)
        assert "all 250 students" in footer
        assert re.findall(r'<td class="num">([^<]+)</td>', footer)[0] == expected


@pytest.mark.parametrize("bad", ["0", "abc", "-1", "2.5", "1" * 40])
def test_a_page_that_is_not_a_positive_number_is_a_clear_400(client, big, bad):
    html = page(client, f"{big.url}?page={bad}", 400)
    assert "The page must be a whole number from 1 up" in html
    assert "Use the page links below the table" in html


def test_a_page_past_the_last_is_not_found(client, big):
    html = page(client, f"{big.url}?page=4", 404)
    assert "no page 4" in html and "3 pages" in html
    page(client, f"{big.url}?page=3&sort=student&dir=desc")  # the last one, in any sort


def test_a_class_that_fits_on_one_page_has_no_pager(app, client, teacher, big):
    html = page(client, f"/teach/classes/{teacher.class_id}/gradebook")
    assert "3 students by assignment, sorted by student name" in html
    assert 'aria-label="Gradebook pages"' not in html and "all 3 students" not in html
    page(client, f"/teach/classes/{teacher.class_id}/gradebook?page=2", 404)
    with app.app_context():
        owner = db.session.scalar(sa.select(Classroom)).teacher
        hundred = bulk_class(owner, [gen_lesson(owner=owner, slug="hundred")], 100, 1).id
    html = page(client, f"/teach/classes/{hundred}/gradebook")
    assert len(students_in_order(html)) == 100
    assert "100 students by assignment" in html and "Gradebook pages" not in html


def test_the_gradebook_csv_has_every_student(client, big):
    rows = read_csv(client.get(f"/teach/classes/{big.class_id}/gradebook.csv"))
    assert [row[0] for row in rows[1:]] == big.names


# --- one assignment's results ----------------------------------------------------------

def test_the_results_page_shows_the_hand_computed_item_analysis(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a1}/results")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Counted: ann (only attempt), ben's 2nd (his highest), cat. Two attempts of ben: 4 in all.
    assert "3 of 3 enrolled students submitted, 4 attempts in all" in text
    assert "their highest-scoring attempt" in text
    # Words question: ann 2, ben 0.5, cat 0.5 -> facility 3 / (3 x 2) = 50 %.
    # Against the rest (frame: 1, 1, 0): deviations 1,-.5,-.5 and 1/3,1/3,-2/3, covariance
    # sum 0.5, sums of squares 1.5 and 2/3: r = 0.5 / 1 -> discrimination 50.
    assert re.search(r"1\. Mark the words that judge the people\. Loaded terms 3 "
                     r"1 of 2 50% 50", text)
    # Frame: 1, 1, 0 -> facility 66.7 %, the same correlation -> 50.
    assert re.search(r"2\. Which frame\? Framing 3 0\.7 of 1 67% 50", text)
    assert "Facility index" in text and "how closely the scores on this question" in text


def test_the_most_missed_phrase_comes_first(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a1}/results")
    phrases = re.findall(r'<th scope="row"><q>(\w+)</q>', html)
    # terrorists: found by ann only (33 %); gangs: by all three (100 %).
    assert phrases == ["terrorists", "gangs"]
    assert "33% <span class=\"count\">(1 of 3)</span>" in html
    assert "100% <span class=\"count\">(3 of 3)</span>" in html


def test_a_neutral_word_marked_by_two_students_shows_2(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a1}/results")
    row = re.search(r'<th scope="row">when</th>\s*<td>(.*?)</td>\s*<td class="num">(\d+)</td>'
                    r'\s*<td class="num">(\d+)</td>', html)
    assert row, "the word 'when' is listed"
    assert row.group(1).startswith("when gangs of presumably")  # which excerpt
    assert (row.group(2), row.group(3)) == ("2", "2")  # ben's counted attempt and cat's


def test_the_distribution_is_an_accessible_svg(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a1}/results")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="score-distribution-title ' in svg
    assert "<title id=\"score-distribution-title\">Grades on “First look”</title>" in svg
    # ann 100, ben 50, cat 16.7
    assert "10–20%: 1; 20–30%: 0" in svg and "50–60%: 1" in svg and "90–100%: 1." in svg
    assert "<script" not in svg
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script on the page


def test_average_grading_analyses_the_last_attempt_and_says_so(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a2}/results")
    assert "the <strong>last</strong> attempt" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2 of 3 enrolled students submitted, 3 attempts in all" in text
    # Counted: ann's last (0 + 0), cat (0 + 1): frame facility 50 %.
    assert re.search(r"2\. Which frame\? Framing 2 0\.5 of 1 50%", text)
    # Neither counted attempt found "gangs"; ann's first attempt does not count.
    assert "0% <span class=\"count\">(0 of 2)</span>" in html


def test_results_before_anyone_submits(client, teacher):
    html = page(client, f"/teach/assignments/{teacher.a3}/results")
    assert "No one has submitted this assignment yet" in html
    assert "<svg" not in html


# --- one student's attempts ------------------------------------------------------------

def test_a_students_page_shows_every_attempt_with_the_marks(client, teacher):
    html = page(client, f"/teach/classes/{teacher.class_id}/students/{teacher.ben}")
    assert "ben: every attempt" in html
    assert html.count("<details class=\"attempt\"") == 2
    assert "Attempt 2" in html and "Attempt 1" in html
    assert html.index("Attempt 2") < html.index("Attempt 1")  # newest first
    # The second attempt's marks drawn on the excerpt: "gangs" found, "when" wrong.
    assert '<mark class="mark-found"><span class="visually-hidden">[found: </span>gangs' in html
    assert ('<mark class="mark-wrong"><span class="visually-hidden">[marked but not in the key: '
            '</span>when') in html
    assert '<mark class="mark-missed">' in html  # terrorists
    assert "neutral wording: <em>groups</em>" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Grade: 50% 2 attempts" in text
    assert "Second look" in text and "missing" in text


def test_a_late_attempt_is_flagged_on_the_students_page(client, teacher):
    html = page(client, f"/teach/classes/{teacher.class_id}/students/{teacher.cat}")
    assert '<strong class="status status-late">late</strong>' in html


def test_a_student_outside_the_class_is_not_found(client, teacher):
    page(client, f"/teach/classes/{teacher.class_id}/students/{teacher.outsider}", 404)
    page(client, f"/teach/classes/{teacher.class_id}/students/999999", 404)


# --- CSV exports -----------------------------------------------------------------------

def read_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_gradebook_csv(client, teacher):
    rows = read_csv(client.get(f"/teach/classes/{teacher.class_id}/gradebook.csv"))
    header = rows[0]
    assert header[:4] == ["student", f"First look (assignment {teacher.a1}): grade %",
                          f"First look (assignment {teacher.a1}): attempts",
                          f"First look (assignment {teacher.a1}): status"]
    body = {row[0]: row[1:] for row in rows[1:]}
    # Per assignment: grade, attempts, status, computed grade, override, comment; whole
    # percentages as on every page.
    assert body["ann"][:12] == ["100", "1", "", "100", "", "", "50", "2", "", "50", "", ""]
    assert body["ben"][:12] == ["50", "2", "", "50", "", "", "", "0", "missing", "", "", ""]
    assert body["cat"][:6] == ["17", "1", "late", "17", "", ""]


def test_the_responses_csv_has_a_row_per_student_question_and_attempt(client, teacher):
    rows = read_csv(client.get(f"/teach/classes/{teacher.class_id}/responses.csv"))
    assert rows[0] == ["student", "assignment", "lesson", "version", "attempt id",
                       "submitted at (UTC)", "late", "question id", "kind", "points",
                       "max points", "marked", "choice", "verdict chosen", "cards picked",
                       "facts picked", "how sure (1-4)", "how sure"]
    # 7 attempts x 2 questions.
    assert len(rows) == 1 + 14
    ben = [row for row in rows if row[0] == "ben"]
    assert [row[7] for row in ben] == ["words", "frame", "words", "frame"]
    second_words = ben[2]
    assert second_words[1:4] == [str(teacher.a1), "First look", "1"]
    assert second_words[9:12] == ["0.5", "2.0", "when gangs"]
    assert ben[3][11:] == ["", "People against the regime", "", "", "", "", ""]
    assert [row[6] for row in rows if row[0] == "cat" and row[2] == "First look"] == \
        ["late", "late"]


def test_formulas_in_names_and_titles_come_out_defused(app, client, teacher):
    evil_title = '=HYPERLINK("http://evil.example","Click")'
    with app.app_context():
        classroom = db.session.get(Classroom, teacher.class_id)
        owner = classroom.teacher
        lesson = gen_lesson(owner=owner, slug="evil", title=evil_title)
        assignment = gen_assignment(classroom, lesson)
        assignment_id = assignment.id
        student = gen_user("-evil")  # a username may start with "-"
        gen_enrollment(classroom, student)
        gen_attempt(student, assignment, small_responses([GANGS], "people"))
    gradebook = read_csv(client.get(f"/teach/classes/{teacher.class_id}/gradebook.csv"))
    assert f"'{evil_title} (assignment {assignment_id}): grade %" in gradebook[0]
    assert [row[0] for row in gradebook[1:]][0] == "'-evil"
    responses = read_csv(client.get(f"/teach/classes/{teacher.class_id}/responses.csv"))
    evil_rows = [row for row in responses if row[0] == "'-evil"]
    assert evil_rows and all(row[2] == "'" + evil_title for row in evil_rows)
    # ...and the pages show the title as text.
    html = page(client, f"/teach/classes/{teacher.class_id}/gradebook")
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;Click&#34;)" in html


# --- end to end: a student submits the real form, the teacher sees it ------------------

def test_an_attempt_posted_through_the_quiz_form_reaches_the_results(app, client, auth,
                                                                     teacher):
    auth.logout()
    with app.app_context():
        newcomer = gen_user("eve")
        gen_enrollment(db.session.get(Classroom, teacher.class_id), newcomer)
    auth.login("eve")
    url = f"/assignments/{teacher.a3}"
    quiz = page(client, url + "?q=review")  # one question at a time: the last step submits
    form = {"csrf_token": csrf_token(client, url), "confirm": "unanswered",
            "submission": re.search(r'name="submission" value="([0-9a-f]{32})"', quiz).group(1),
            "version": re.search(r'name="version" value="(\d+)"', quiz).group(1),
            "words.w": [str(GANGS), str(TERRORISTS)], "frame.choice": "people"}
    assert client.post(url, data=form).status_code == 303
    auth.logout()
    auth.login("teacher-a")
    assert row_of(page(client, f"/teach/classes/{teacher.class_id}/gradebook"), "eve") \
        .endswith("100% 1 attempt")
    html = page(client, f"/teach/assignments/{teacher.a3}/results")
    assert "100% <span class=\"count\">(1 of 1)</span>" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(
            Attempt.assignment_id == teacher.a3)) == 1


# --- who may see what ------------------------------------------------------------------

def urls(w):
    return [f"/teach/classes/{w.class_id}/gradebook",
            f"/teach/classes/{w.class_id}/gradebook.csv",
            f"/teach/classes/{w.class_id}/responses.csv",
            f"/teach/assignments/{w.a1}/results",
            f"/teach/classes/{w.class_id}/students/{w.ann}"]


def test_another_teacher_is_refused(client, auth, world):
    auth.login("teacher-b")
    for url in urls(world):
        assert client.get(url).status_code == 403, url


def test_students_are_refused(client, auth, world):
    auth.login("ann")
    for url in urls(world):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


def test_missing_classes_and_assignments_are_404(client, teacher):
    for url in ("/teach/classes/999999/gradebook", "/teach/classes/999999/gradebook.csv",
                "/teach/classes/999999/responses.csv", "/teach/assignments/999999/results",
                f"/teach/classes/999999/students/{teacher.ann}"):
        assert client.get(url).status_code == 404, url


def test_an_admin_may_read_any_class(app, client, auth, world):
    with app.app_context():
        gen_user("root-admin", role="admin")
    auth.login("root-admin")
    for url in urls(world):
        assert client.get(url).status_code == 200, url
