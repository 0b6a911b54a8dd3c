"""A simulated class learns: the growth page recovers the change in discernment set.

30 students take a pre-test (the library lesson "naming-the-january-events") marking each
signal item with probability 0.6 and each noise item with 0.2 (true d′ = z(0.6) − z(0.2)
= 1.095), then a post-test ("who-gets-quoted") at 0.8 and 0.1 (true d′ = 2.123), through
the real scoring (tests.web.bulk_builders.simulated_responses). The true change in d′ is
1.028.

Tolerance: a student meets about 30 signal items per test, so one student's d′ on one test
has a standard error of about 0.3 and a change about 0.45; the mean of 30 changes one of
about 0.08. The page's mean change must lie within ±0.3 of 1.028 (over three SE, plus the
log-linear correction's pull towards 0, larger on the post-test where the rates are more
extreme), and its 95% interval must hold the true change. The same students' scores rise
too, and d_z is positive with an interval above 0.

A second class answering both tests at the same rates (0.7, 0.2) shows no change in
discernment: its interval of the mean change in d′ holds 0.
"""

from __future__ import annotations

import html as html_lib
import random
import re
from statistics import NormalDist

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Lesson
from tests.web.bulk_builders import simulated_responses
from tests.web.classes_builders import browser, text
from tests.web.results_builders import (
    current_version,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_students,
    gen_study,
    gen_user,
    load_library,
)

PRE, POST = "naming-the-january-events", "who-gets-quoted"
Z = NormalDist().inv_cdf


def true_d(hit_rate: float, alarm_rate: float) -> float:
    return Z(hit_rate) - Z(alarm_rate)


def _class(teacher, lessons, name, pre_rates, post_rates, seed) -> int:
    rng = random.Random(seed)
    classroom = gen_class(teacher, name=name)
    pre = gen_assignment(classroom, lessons[PRE])
    post = gen_assignment(classroom, lessons[POST])
    for student in gen_students(classroom, *(f"{name[:4]}-{n:02d}" for n in range(30))):
        for assignment, rates in ((pre, pre_rates), (post, post_rates)):
            content = current_version(assignment.lesson).content
            gen_attempt(student, assignment, simulated_responses(content, *rates, rng))
    return gen_study(classroom, pre, post, name=f"{name} study").id


@pytest.fixture
def studies(app):
    with app.app_context():
        load_library()
        teacher = gen_user("growth-sim", role="teacher")
        lessons = {lesson.slug: lesson for lesson in db.session.scalars(
            sa.select(Lesson).where(Lesson.owner_id.is_(None), Lesson.slug.in_((PRE, POST))))}
        return {"learning": _class(teacher, lessons, "Learns", (0.6, 0.2), (0.8, 0.1), 21),
                "steady": _class(teacher, lessons, "Steady", (0.7, 0.2), (0.7, 0.2), 22)}


def _row(page: str, label: str) -> list[str]:
    """The cells of the class summary's row ``label``, as text."""
    summary = page[page.index('id="class-summary"'):page.index('id="words"')]
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", summary, re.S)
    assert row, label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).replace("−", "-").strip()
            for cell in cells]


def _number(cell: str) -> float:
    return float(cell.replace("+", "").split()[0])


def _interval(cell: str) -> tuple[float, float]:
    low, high = (float(part.replace("+", "")) for part in cell.split(" to "))
    return low, high


def test_the_growth_page_recovers_a_simulated_change_in_discernment(app, studies):
    teacher = browser(app, "growth-sim")
    page = text(teacher.get(f"/teach/growth/{studies['learning']}"))
    students, mean, interval, d_z, d_z_interval = _row(page, "Discernment (d′)")
    expected = true_d(0.8, 0.1) - true_d(0.6, 0.2)
    assert students == "30"
    assert abs(_number(mean) - expected) <= 0.3, (mean, expected)
    low, high = _interval(interval)
    assert low <= expected <= high
    assert _number(d_z) > 0 and _interval(d_z_interval)[0] > 0
    points = _row(page, "Score (percentage points)")
    assert _number(points[1]) > 0 and _interval(points[2])[0] > 0

    steady = text(teacher.get(f"/teach/growth/{studies['steady']}"))
    _, _, interval, _, _ = _row(steady, "Discernment (d′)")
    low, high = _interval(interval)
    assert low <= 0 <= high
