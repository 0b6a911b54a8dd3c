"""One frame vocabulary in the app: the /frames page, the links to it, two defensible frames
in the feedback, the answer key and the editor, and the frames chosen on the results page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import yaml

from app.extensions import db
from app.models import AttemptAnswer, Lesson
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import ROOT, library_folder
from tests.web.page_forms import visible_text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_lesson,
    gen_students,
    gen_user,
    load_documents,
    small_responses,
)
from tests.web.test_authoring import ASTANA, BLOG, Editor, new_lesson, submit
from tests.web.test_student import content_of, quiz_fields

SLUG = "january-as-each-tells-it"  # the "both readings" question, and compare sides with two
URL = f"/lessons/{SLUG}"
VOCABULARY = yaml.safe_load((ROOT / "lessons" / "frames.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def library(app, tmp_path):
    folder = library_folder(tmp_path / "lessons", SLUG)
    with app.app_context():
        load_seeds(ROOT / "seeds")
        assert sync_lessons(folder).check.ok
    return folder


@pytest.fixture
def student(make_user, auth, library):
    user = make_user(quiz_layout="all")
    auth.login(user.username)
    return user


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_the_frames_page_defines_frame_once_and_shows_every_frame(client, library):
    response = client.get("/frames")  # no account needed
    assert response.status_code == 200
    page = squeeze(visible_text(response.get_data(as_text=True)))
    assert squeeze(VOCABULARY["definition"]) in page
    for question in ("What is the problem?", "Who or what caused it?",
                     "Who is blamed or praised?", "What should be done?"):
        assert question in page
    for frame in VOCABULARY["frames"]:
        assert frame["name"] in page
        for part in ("problem", "cause", "blame", "remedy"):
            assert squeeze(frame[part]) in page, (frame["id"], part)
        assert squeeze(frame["examples"][0]["text"]) in page
    # Each example names the document it quotes.
    assert "From January to July: Kazakhstan Meets Challenges and Soothes Fears" in page
    html = response.get_data(as_text=True)
    assert 'id="frame-power-struggle"' in html and 'href="#frame-power-struggle"' in html


def test_framing_and_compare_questions_link_to_the_frames_page(client, student, app):
    page = client.get(URL).get_data(as_text=True)
    asked = [q for q in content_of(app, SLUG)["questions"] if q["kind"] in ("framing", "compare")]
    links = re.findall(r'<a href="/frames" target="_blank" rel="noopener">What is a frame?', page)
    assert len(links) == len(asked) >= 6


def test_the_feedback_shows_both_defensible_frames_with_their_evidence(app, client, student):
    form = quiz_fields(client, URL)
    # The "both readings" question: the power struggle earns the point as the uprising would.
    form["uprising-or-coup.choice"] = ["b"]  # framing options are a, b, c...: b names it
    # A compare excerpt that accepts two frames, answered with neither.
    form["bandits-or-crackdown.1.choice"] = ["order"]
    response = client.post(URL, data=form)
    assert response.status_code == 303
    page = squeeze(visible_text(client.get(response.headers["Location"]).get_data(as_text=True)))
    assert "Right: Power struggle at the top." in page
    assert "the recrimination of the Nazarbayev network, damaging his brand" in page
    # ... and the other reading, with its own evidence.
    assert re.search(r"The other defensible frame: People against the regime ?: A defensible "
                     r"reading\. Nix expected", page)
    # The wrong choice is told both accepted frames, each with its evidence.
    assert re.search(r"Two frames are defensible here, and either earns the point: People "
                     r"against the regime ?: Nix expected the “civil disruption”.*? Power "
                     r"struggle at the top ?: The next surprise Nix names", page)
    with app.app_context():
        points = dict(db.session.execute(sa.select(AttemptAnswer.question_id,
                                                   AttemptAnswer.points)).all())
    assert points["uprising-or-coup"] == 1.0  # the frame; no signal words marked


def test_the_answer_key_lists_both_defensible_frames(app, client, library, make_user, auth):
    auth.login(make_user("teacher-a", role="teacher").username)
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == SLUG))
    page = squeeze(visible_text(client.get(f"/teach/lessons/{lesson_id}/key")
                                .get_data(as_text=True)))
    assert "What is a frame?" in page
    question = page.split("Uprising or coup? January 2022 has been told")[2]  # after the list
    assert re.search(r"^.*?Two defensible frames \(either earns the 1 point\) ?: People against "
                     r"the regime ?: A defensible reading\..*?Power struggle at the top ?: "
                     r"A defensible reading\.", question)
    assert "Power struggle at the top (a right answer)" in question


def test_a_teacher_picks_frames_from_the_list_and_accepts_two(app, client, library, make_user,
                                                              auth):
    auth.login(make_user("teacher-a", role="teacher").username)
    editor = Editor(app, client, new_lesson(client))
    astana = editor.add_excerpt(ASTANA, "The year was full of dangers",
                                "killed dozens of people there.")
    blog = editor.add_excerpt(BLOG, "The protesters have spoken", "stand-off.")
    framing = editor.add_question("framing", blog)
    url = editor.question_url(framing)
    page = client.get(url).get_data(as_text=True)
    names = re.search(r'<datalist id="frame-names">(.*?)</datalist>', page).group(1)
    assert re.findall(r'<option value="([^"]+)">', names) == [
        frame["name"] for frame in VOCABULARY["frames"]]
    assert 'list="frame-names"' in page and 'href="/frames"' in page
    rows = [("People against the regime", "The nation has spoken."),
            ("Power struggle at the top", "A race against time for the regime."),
            ("Economic grievance", "Nothing here is about money.")]
    data = {f"opts-options-{n}-{field}": value for n, row in enumerate(rows)
            for field, value in zip(("text", "feedback"), row, strict=True)}
    response = submit(client, url, f"{url}/options", {**data, "opts-correct": ["0", "1"]})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'name="opts-correct" value="[01]" checked', page)) == 2
    three = submit(client, url, f"{url}/options", {**data, "opts-correct": ["0", "1", "2"]})
    assert "Mark one right answer, or two when both frames are defensible" in \
        three.get_data(as_text=True)

    compare = editor.add_question("compare", astana, blog)
    url = editor.question_url(compare)
    editor.options(compare, [("Order under threat", "The state restores order."),
                             ("People against the regime", "The nation against power."),
                             ("Power struggle at the top", "A fight in the elite.")])
    response = submit(client, url, f"{url}/sides", {
        "sides-sides-0-frame": "a", "sides-sides-0-frame_why": "Mobs and terrorists.",
        "sides-sides-1-frame": "b", "sides-sides-1-frame_why": "The nation has spoken.",
        "sides-sides-1-also_frame": "c", "sides-sides-1-also_why": "A race against time."})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'name="sides-sides-1-also_frame"[^>]*>.*?<option selected value="c">'
                     r"Power struggle at the top</option>", page, re.S)
    key = squeeze(visible_text(client.get(f"/teach/lessons/{editor.id}/key?draft=1")
                               .get_data(as_text=True)))
    assert "Two defensible frames" in key


def test_the_results_page_lists_the_frames_students_chose(app, client, auth):
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        classroom = gen_class(teacher)
        assignment = gen_assignment(classroom, gen_lesson())
        for student, choice in zip(gen_students(classroom, "ana", "ben", "cem"),
                                   ("people", "order", None), strict=True):
            gen_attempt(student, assignment, small_responses(choice=choice))
        assignment_id = assignment.id
    auth.login("teacher-a")
    page = squeeze(visible_text(client.get(f"/teach/assignments/{assignment_id}/results")
                                .get_data(as_text=True)))
    table = page.split("Frames chosen", 1)[1]
    assert "Question 2: 1 of 3 chose the right frame" in table
    assert re.search(r"People against the regime Accepted 1 \(33%\) Order restored 1 \(33%\) "
                     r"Economic reform 0 \(0%\) No frame chosen 1 \(33%\)", table)
