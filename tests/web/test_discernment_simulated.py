"""A simulated class: the discernment page recovers the hit and false-alarm rates set.

Each setting is a class of 25 students answering every shipped library lesson once,
submitted through the real scoring (tests.web.bulk_builders.simulated_class): every
signal item (a key phrase's words, a gap sentence) is marked with probability h, every
noise item (a control's words, another word or sentence) with probability f.

Tolerance, from the number of items: a student meets 268 signal and about 3,800 noise
items, the class 6,700 and about 96,000. The pooled rates have a standard error of at
most √(0.25/6700) = 0.006, so they must lie within ±0.02 of the set rates (over three
SE). A student's corrected d′ has a standard error of at most about 0.15 (h(1−h)/(n φ(z_h)²)
plus the same for f), so the mean over 25 has one of at most 0.03: it must lie within
±0.15 of the true d′ = z(h) − z(f) (five SE, plus the correction's small pull towards 0).
The mean c must lie within ±0.15 of the true c = −(z(h) + z(f))/2 likewise.

The suspicious class (h = 0.9, f = 0.5) finds more loaded words than the discerning one
(h = 0.8, f = 0.1), yet its d′ is far lower: what the issue asks the page to show.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.domain.discernment_report import true_criterion, true_d_prime
from app.extensions import db
from app.models import Lesson
from app.services import discernment as discernment_service
from tests.web.bulk_builders import simulated_class
from tests.web.classes_builders import browser, text
from tests.web.results_builders import gen_user, load_library

SETTINGS = {"discerning": (0.8, 0.1, 15), "suspicious": (0.9, 0.5, 16)}


@pytest.fixture
def classes(app):
    with app.app_context():
        load_library()
        teacher = gen_user("sim-teacher", role="teacher")
        lessons = db.session.scalars(sa.select(Lesson).where(Lesson.owner_id.is_(None))
                                     .order_by(Lesson.slug)).all()
        built = {name: simulated_class(teacher, lessons, 25, h, f, seed).id
                 for name, (h, f, seed) in SETTINGS.items()}
    return built


def figure(html: str, ident: str) -> str:
    found = re.search(rf'<dd id="{ident}">(.*?)</dd>', html, re.S)
    assert found, ident
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("−", "-")


def test_the_page_recovers_the_set_rates_and_d_prime(app, classes):
    teacher = browser(app, "sim-teacher")
    shown = {}
    for name, (hit_rate, alarm_rate, _) in SETTINGS.items():
        html = text(teacher.get(f"/teach/classes/{classes[name]}/discernment"))
        assert figure(html, "class-students") == "25 of 25"
        with app.app_context():
            from app.models import Classroom

            report = discernment_service.class_discernment(db.session.get(Classroom,
                                                                          classes[name]))
        pooled = report.pooled
        assert pooled.hit_rate == pytest.approx(hit_rate, abs=0.02)
        assert pooled.false_alarm_rate == pytest.approx(alarm_rate, abs=0.02)
        assert report.d_prime.mean == pytest.approx(true_d_prime(hit_rate, alarm_rate),
                                                    abs=0.15)
        assert report.criterion.mean == pytest.approx(true_criterion(hit_rate, alarm_rate),
                                                      abs=0.15)
        # The page prints exactly these figures.
        mean_d = float(figure(html, "class-d-prime").split(" ")[0])
        mean_c = float(figure(html, "class-criterion").split(" ")[0])
        assert mean_d == pytest.approx(report.d_prime.mean, abs=0.005)
        assert mean_c == pytest.approx(report.criterion.mean, abs=0.005)
        assert figure(html, "class-hits") == (
            f"{pooled.hits} of {pooled.signal} ({round(100 * pooled.hit_rate)}%)")
        assert figure(html, "class-alarms").startswith(f"{pooled.false_alarms} of {pooled.noise}")
        assert html.count("<circle") == 25
        shown[name] = (pooled.hit_rate, pooled.false_alarm_rate, mean_d, mean_c)
        print(f"{name} page: " + "; ".join(figure(html, ident) for ident in (
            "class-hits", "class-alarms", "class-d-prime", "class-criterion")))
        print(f"{name}: h={hit_rate} f={alarm_rate} -> hit {pooled.hit_rate:.3f}, "
              f"false alarm {pooled.false_alarm_rate:.3f}, mean d′ {report.d_prime.mean:.3f}"
              f" (true {true_d_prime(hit_rate, alarm_rate):.3f}, SD {report.d_prime.sd:.3f}),"
              f" mean c {report.criterion.mean:.3f} (true "
              f"{true_criterion(hit_rate, alarm_rate):.3f})")
    # Suspicion is not discernment: more found, far lower d′.
    assert shown["suspicious"][0] > shown["discerning"][0]
    assert shown["suspicious"][2] < shown["discerning"][2] - 0.5
    assert shown["suspicious"][3] < 0 < shown["discerning"][3]
