"""Growth studies as a teacher uses them: set one up, read its results, compare classes.

"Media 9B" (teacher A) took the small lesson of results_builders as its pre-test and the
matched POST_LESSON as its post-test (3 points each: two loaded phrases and one frame).
First attempts, in thirds of the maximum:

    student  pre           post          change
    ann      1/3 = 33.3%   3/3 = 100%    +66.7   (a later post attempt, 0/3, is ignored)
    ben      0/3 =  0%     1/3 = 33.3%   +33.3   (a later pre attempt, 3/3, is ignored)
    cat      2/3 = 66.7%   3/3 = 100%    +33.3
    dan      2/3 = 66.7%   2/3 = 66.7%     0
    eve      1/3 = 33.3%   —             left out (only the pre-test)

By hand: changes 66.67, 33.33, 33.33, 0; mean 33.33; deviations 33.33, 0, 0, −33.33;
SS 2222.2; variance 740.74; SD 27.217; SE 13.608; t(0.975, 3) = 3.1824; half-width 43.31
-> 95% CI −10.0 to 76.6; d_z = 33.33/27.217 = 1.22.

"Media 9C" (the comparison class): xan 0 -> 33.3, yul 33.3 -> 33.3, zoe 66.7 -> 66.7:
changes 33.33, 0, 0, mean 11.11, variance 370.37. Difference 33.33 − 11.11 = 22.2.
Pooled variance (3·740.74 + 2·370.37)/5 = 592.59, SD 24.343; d = 0.9129;
J = 1 − 3/(4·7 − 9) = 0.8421; Hedges' g = 0.77.
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.domain.discernment import measure
from app.domain.text import words
from app.extensions import db
from app.models import Assignment, Classroom, User, utcnow
from app.models.learning import GrowthStudy
from tests.helpers import csrf_token
from tests.web.results_builders import (
    FOREIGN_INVESTORS,
    GANGS,
    POSITIVE_SIGNAL,
    POST_LESSON,
    SMALL_LESSON,
    TERRORISTS,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_lesson,
    gen_students,
    gen_study,
    gen_user,
    load_documents,
    post_responses,
    small_responses,
)

ASTANA_WORDS = len(words("when gangs of presumably foreign-trained terrorists quickly "
                         "transformed initially peaceful demonstrations into dangerous mob "
                         "attacks."))
REFORMS_WORDS = len(words("These political and economic reforms send a positive signal to "
                          "foreign investors."))


@pytest.fixture
def world(app):
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        other_teacher = gen_user("teacher-b", role="teacher")
        classroom = gen_class(teacher, name="Media 9B")
        comparison = gen_class(teacher, name="Media 9C")
        strangers = gen_class(other_teacher, name="Teacher B's class")
        ann, ben, cat, dan, eve = gen_students(classroom, "ann", "ben", "cat", "dan", "eve")
        xan, yul, zoe = gen_students(comparison, "xan", "yul", "zoe")
        pre_lesson = gen_lesson(SMALL_LESSON, owner=teacher)
        post_lesson = gen_lesson(POST_LESSON, owner=teacher)
        hard = gen_lesson(POST_LESSON.replace("level: intro", "level: challenge").replace(
            "slug: two-more-questions", "slug: hard-questions"), owner=teacher)
        pre = gen_assignment(classroom, pre_lesson)
        post = gen_assignment(classroom, post_lesson)
        hard_post = gen_assignment(classroom, hard)
        other_pre = gen_assignment(comparison, pre_lesson)
        other_post = gen_assignment(comparison, post_lesson)
        foreign = gen_assignment(strangers, pre_lesson)
        t0 = utcnow() - timedelta(days=30)
        later = t0 + timedelta(days=1)
        both, signal = [*POSITIVE_SIGNAL, *FOREIGN_INVESTORS], list(POSITIVE_SIGNAL)
        for student, pre_answer, post_answer in (
                (ann, small_responses([GANGS], "order"), post_responses(both, "people")),
                (ben, small_responses([], "order"), post_responses([], "people")),
                (cat, small_responses([GANGS, TERRORISTS], "order"),
                 post_responses(both, "people")),
                (dan, small_responses([GANGS], "people"), post_responses(signal, "people"))):
            gen_attempt(student, pre, pre_answer, t0)
            gen_attempt(student, post, post_answer, t0 + timedelta(days=20))
        gen_attempt(eve, pre, small_responses([], "people"), t0)
        # Second attempts, which the first-attempt rule leaves out.
        gen_attempt(ann, post, post_responses([], "order"), t0 + timedelta(days=21))
        gen_attempt(ben, pre, small_responses([GANGS, TERRORISTS], "people"), later)
        for student, pre_answer, post_answer in (
                (xan, small_responses([], "order"), post_responses([], "people")),
                (yul, small_responses([], "people"), post_responses([], "people")),
                (zoe, small_responses([GANGS], "people"), post_responses(signal, "people"))):
            gen_attempt(student, other_pre, pre_answer, t0)
            gen_attempt(student, other_post, post_answer, t0 + timedelta(days=20))
        return SimpleNamespace(
            class_id=classroom.id, comparison_id=comparison.id, strangers_id=strangers.id,
            pre=pre.id, post=post.id, hard_post=hard_post.id, other_pre=other_pre.id,
            other_post=other_post.id, foreign=foreign.id)


@pytest.fixture
def teacher(world, auth):
    auth.login("teacher-a")
    return world


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def row_of(page: str, name: str) -> str:
    """A table row (the student's, or a summary line) as text without tags."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(name)}.*?</tr>", page, re.S)
    assert match, name
    return text_of(match.group(0))


def new_study(client, class_id: int, **fields) -> object:
    url = f"/teach/classes/{class_id}/growth/new"
    data = {"csrf_token": csrf_token(client, url), "name": "Autumn growth",
            "delayed_assignment_id": "", "comparison_classroom_id": "",
            "comparison_pre_assignment_id": "", "comparison_post_assignment_id": "",
            **{k: str(v) for k, v in fields.items()}}
    return client.post(url, data=data)


def _class(class_id: int) -> Classroom:
    return db.session.get(Classroom, class_id)


def _assignment(assignment_id: int) -> Assignment:
    return db.session.get(Assignment, assignment_id)


def only_study(app) -> GrowthStudy:
    with app.app_context():
        studies = db.session.scalars(sa.select(GrowthStudy)).all()
        assert len(studies) == 1
        return studies[0]


def test_the_class_page_links_to_its_growth_studies(client, teacher) -> None:
    page = client.get(f"/teach/classes/{teacher.class_id}").get_data(as_text=True)
    assert f'href="/teach/classes/{teacher.class_id}/growth"' in page
    listing = client.get(f"/teach/classes/{teacher.class_id}/growth")
    assert listing.status_code == 200
    assert "This class has no growth study yet." in listing.get_data(as_text=True)


def test_a_study_is_created_and_its_results_match_the_hand_computation(app, client,
                                                                       teacher) -> None:
    response = new_study(client, teacher.class_id, pre_assignment_id=teacher.pre,
                         post_assignment_id=teacher.post)
    assert response.status_code == 303
    study = only_study(app)
    assert response.headers["Location"].endswith(f"/teach/growth/{study.id}")
    page = client.get(f"/teach/growth/{study.id}").get_data(as_text=True)
    assert "These tests are matched" in page
    # Per student: pre %, post %, change (first attempts only); eve is not counted.
    assert row_of(page, "ann").startswith("ann 33% 100% 66.7")
    assert row_of(page, "ben").startswith("ben 0% 33% 33.3")
    assert row_of(page, "cat").startswith("cat 67% 100% 33.3")
    assert row_of(page, "dan").startswith("dan 67% 67% 0")
    assert row_of(page, "eve").startswith("eve not counted: no post-test 33% —")
    # The class: 4 students, mean change 33.3, 95% CI −10 to 76.6, d_z 1.22.
    summary = row_of(page, "Score (percentage points)")
    half = 3.182446 * math.sqrt(2222.22 / 3) / 2
    assert f"{33.333 - half:.1f}" == "-10.0" and f"{33.333 + half:.1f}" == "76.6"
    assert summary.startswith("Score (percentage points) 4 33.3 \u221210 to 76.6 1.22 ")
    assert "Left out (missing one test): 1 took only the pre-test, 0 only the post-test." \
        in text_of(page)
    words_ = text_of(page)
    assert ("On average the 4 students who took both tests scored 33.3 percentage points "
            "higher on the post-test than on the pre-test (95% CI \u221210 to 76.6). The "
            "effect size d_z = 1.22") in words_
    for caveat in ("Small class: with 4 students", "No random assignment",
                   "Regression to the mean", "Test practice", "first submitted attempt"):
        assert caveat in words_
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "4 students took both tests: 3 scored higher on the post-test, 0 lower, 1 the " \
           "same." in words_


def test_discernment_per_student_is_d_prime_of_the_marking_answers(app, client,
                                                                   teacher) -> None:
    with app.app_context():
        study = gen_study(_class(teacher.class_id), _assignment(teacher.pre),
                          _assignment(teacher.post))
        study_id = study.id
    page = client.get(f"/teach/growth/{study_id}").get_data(as_text=True)
    # ann: pre 1 of 2 phrases found, no neutral word marked; post 2 of 2 (four words), none.
    pre_d = measure(1, 2, 0, ASTANA_WORDS - 2).d_prime
    post_d = measure(2, 2, 0, REFORMS_WORDS - 4).d_prime
    cells = row_of(page, "ann").split()
    assert cells[4:7] == [f"{pre_d:.2f}", f"{post_d:.2f}", f"{post_d - pre_d:.2f}"]


def test_a_delayed_post_test_shows_whether_the_change_lasts(app, client, teacher) -> None:
    """ann and cat take the delayed test (the "hard" copy of the post-test: two phrases
    and a frame, 3 points) weeks later: ann finds one phrase and the frame (2 of 3 = 67%),
    cat only the frame (33%). Pre-test to delayed: ann 33% -> 67% (+33.3), cat 67% -> 33%
    (-33.3); mean 0. Their d′ on the delayed test is that of 1 of 2 and 0 of 2 phrases
    found, no neutral word marked; dan did not take it."""
    with app.app_context():
        ann, cat = (db.session.scalar(sa.select(User).where(User.username == name))
                    for name in ("ann", "cat"))
        hard = _assignment(teacher.hard_post)
        late = utcnow() - timedelta(days=2)
        gen_attempt(ann, hard, post_responses(list(POSITIVE_SIGNAL), "people"), late)
        gen_attempt(cat, hard, post_responses([], "people"), late)
        study_id = gen_study(_class(teacher.class_id), _assignment(teacher.pre),
                             _assignment(teacher.post),
                             delayed_assignment_id=teacher.hard_post).id
    page = client.get(f"/teach/growth/{study_id}").get_data(as_text=True)
    ann_delayed = measure(1, 2, 0, REFORMS_WORDS - 4).d_prime
    cat_delayed = measure(0, 2, 0, REFORMS_WORDS - 4).d_prime
    assert row_of(page, "ann").split()[-2:] == ["67%", f"{ann_delayed:.2f}"]
    assert row_of(page, "cat").split()[-2:] == ["33%", f"{cat_delayed:.2f}"]
    assert row_of(page, "dan").endswith("— none — none")
    points = row_of(page, "Score, pre-test to delayed post-test (percentage points)")
    assert points.startswith("Score, pre-test to delayed post-test (percentage points) 2 0 ")
    pre_d = {"ann": measure(1, 2, 0, ASTANA_WORDS - 2).d_prime,
             "cat": measure(2, 2, 0, ASTANA_WORDS - 2).d_prime}
    mean_d = ((ann_delayed - pre_d["ann"]) + (cat_delayed - pre_d["cat"])) / 2
    discernment = row_of(page, "Discernment, pre-test to delayed post-test (d′)")
    shown = f"{mean_d:.2f}".replace("-", "\u2212")
    assert discernment.startswith(f"Discernment, pre-test to delayed post-test (d′) 2 {shown} ")


def test_the_results_download_as_csv_with_the_page_numbers(app, client, teacher) -> None:
    with app.app_context():
        study_id = gen_study(_class(teacher.class_id), _assignment(teacher.pre),
                             _assignment(teacher.post),
                             comparison_classroom_id=teacher.comparison_id,
                             comparison_pre_assignment_id=teacher.other_pre,
                             comparison_post_assignment_id=teacher.other_post).id
    response = client.get(f"/teach/growth/{study_id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="growth-study-{study_id}.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["class", "student", "counted", "pre-test %", "post-test %",
                           "change (points)"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["ann"][:6] == ["Media 9B", "ann", "yes", "33.33", "100.0", "66.67"]
    assert by_name["eve"][:6] == ["Media 9B", "eve", "no", "33.33", "", ""]
    assert by_name["zoe"][:3] == ["Media 9C", "zoe", "yes"]
    pre_d = measure(1, 2, 0, ASTANA_WORDS - 2).d_prime
    assert by_name["ann"][6] == f"{round(pre_d, 2)}"
    assert len(rows) == 1 + 5 + 3
    page = client.get(f"/teach/growth/{study_id}").get_data(as_text=True)
    assert f'href="/teach/growth/{study_id}.csv"' in page


def test_a_comparison_class_shows_its_change_and_the_difference(app, client, teacher) -> None:
    response = new_study(client, teacher.class_id, pre_assignment_id=teacher.pre,
                         post_assignment_id=teacher.post,
                         comparison_classroom_id=teacher.comparison_id,
                         comparison_pre_assignment_id=teacher.other_pre,
                         comparison_post_assignment_id=teacher.other_post)
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comparison class: Media 9C" in page
    comparison = page[page.index('id="comparison"'):]
    assert row_of(comparison, "Score (percentage points)").startswith(
        "Score (percentage points) 3 11.1 ")
    between = row_of(page[page.index('id="between"'):], "Score (percentage points)")
    assert between.startswith("Score (percentage points) 22.2 ")
    assert " 0.77 " in f"{between} "
    assert "This class's scores changed by 22.2 percentage points more than those of " \
           "Media 9C" in text_of(page)
    assert "is not a control group" in text_of(page)


def test_uneven_tests_are_named_at_the_top(app, client, teacher) -> None:
    new_study(client, teacher.class_id, pre_assignment_id=teacher.pre,
              post_assignment_id=teacher.hard_post)
    page = text_of(client.get(f"/teach/growth/{only_study(app).id}").get_data(as_text=True))
    assert "These tests are uneven" in page
    assert "the pre-test is “intro”, the post-test “challenge”" in page
    assert page.index("Are the tests matched?") < page.index("Each student")


def test_the_same_passages_are_flagged(app, client, teacher) -> None:
    with app.app_context():
        classroom = db.session.get(Classroom, teacher.class_id)
        owner = db.session.get(User, classroom.teacher_id)
        again = gen_lesson(SMALL_LESSON.replace("slug: two-questions", "slug: again"),
                           owner=owner)
        repeat = gen_assignment(classroom, again).id
    new_study(client, teacher.class_id, pre_assignment_id=teacher.pre,
              post_assignment_id=repeat)
    page = text_of(client.get(f"/teach/growth/{only_study(app).id}").get_data(as_text=True))
    assert "The post-test reuses 2 passages of the pre-test" in page
    assert "measures memory, not skill" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"post_assignment_id": "pre"}, "The post-test must be another assignment than the pre-test."),
    ({"post_assignment_id": "foreign"}, "Choose one of this class&#39;s assignments."),
    ({"post_assignment_id": ""}, "Choose one of this class&#39;s assignments."),
    ({"comparison_classroom_id": "strangers_id", "comparison_pre_assignment_id": "foreign",
      "comparison_post_assignment_id": "foreign"}, "Choose one of your other classes."),
    ({"comparison_classroom_id": "comparison_id", "comparison_pre_assignment_id": "pre",
      "comparison_post_assignment_id": "other_post"},
     "Choose one of the assignments of Media 9C."),
    ({"delayed_assignment_id": "post"}, "The delayed post-test must be a third assignment"),
    ({"post_assignment_id": "x9"}, "Choose from the list."),
])
def test_bad_choices_are_refused_with_400_and_the_form_kept(app, client, teacher, fields,
                                                            message) -> None:
    values = {name: getattr(teacher, value) if value and hasattr(teacher, value) else value
              for name, value in fields.items()}
    response = new_study(client, teacher.class_id, name="Kept <name>",
                         **{"pre_assignment_id": teacher.pre, "post_assignment_id": teacher.post,
                            **values})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Kept &lt;name&gt;"' in page
    assert f'<option selected value="{teacher.pre}">' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GrowthStudy.id))) == 0


def test_other_teachers_get_404_and_students_403(app, client, world, auth) -> None:
    with app.app_context():
        study_id = gen_study(_class(world.class_id), _assignment(world.pre),
                             _assignment(world.post)).id
    urls = [f"/teach/classes/{world.class_id}/growth",
            f"/teach/classes/{world.class_id}/growth/new",
            f"/teach/growth/{study_id}", f"/teach/growth/{study_id}/edit"]
    auth.login("teacher-b")
    for url in urls:
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/teach/classes")
    assert client.post(f"/teach/growth/{study_id}/delete",
                       data={"csrf_token": token}).status_code == 404
    auth.logout()
    auth.login("ann")
    for url in urls:
        assert client.get(url).status_code == 403, url
    only_study(app)  # still there


def test_a_study_is_edited_and_a_stale_edit_is_refused(app, client, teacher) -> None:
    with app.app_context():
        study_id = gen_study(_class(teacher.class_id), _assignment(teacher.pre),
                             _assignment(teacher.post)).id
    url = f"/teach/growth/{study_id}/edit"
    form = client.get(url).get_data(as_text=True)
    version = re.search(r'name="edit_version" value="(\d+)"', form).group(1)
    data = {"csrf_token": csrf_token(client, url), "edit_version": version,
            "name": "Renamed", "pre_assignment_id": teacher.pre,
            "post_assignment_id": teacher.hard_post, "delayed_assignment_id": teacher.post,
            "comparison_classroom_id": "", "comparison_pre_assignment_id": "",
            "comparison_post_assignment_id": ""}
    assert client.post(url, data=data).status_code == 303
    study = only_study(app)
    assert (study.name, study.post_assignment_id, study.delayed_assignment_id) == (
        "Renamed", teacher.hard_post, teacher.post)
    page = client.get(f"/teach/growth/{study_id}").get_data(as_text=True)
    assert "Delayed post-test" in page
    # The same form sent again (its version is now old): 409, what was typed shown.
    stale = client.post(url, data={**data, "name": "Second tab"})
    assert stale.status_code == 409
    assert "Second tab" in stale.get_data(as_text=True)
    assert only_study(app).name == "Renamed"


def test_a_study_is_deleted(app, client, teacher) -> None:
    with app.app_context():
        study_id = gen_study(_class(teacher.class_id), _assignment(teacher.pre),
                             _assignment(teacher.post)).id
    url = f"/teach/growth/{study_id}/edit"
    token = csrf_token(client, url)
    response = client.post(f"/teach/growth/{study_id}/delete",
                           data={"csrf_token": token, "edit_version": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/classes/{teacher.class_id}/growth")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GrowthStudy.id))) == 0
    assert client.get(f"/teach/growth/{study_id}").status_code == 404


def test_a_post_without_csrf_token_saves_nothing_and_keeps_the_entries(app, client,
                                                                      teacher) -> None:
    response = client.post(f"/teach/classes/{teacher.class_id}/growth/new",
                           data={"name": "Typed name", "pre_assignment_id": teacher.pre,
                                 "post_assignment_id": teacher.post})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Typed name"' in page
    assert "Your entries are kept below" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GrowthStudy.id))) == 0
