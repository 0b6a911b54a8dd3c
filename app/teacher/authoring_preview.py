"""Teacher routes: preview a lesson exactly as a student sees it, and check answers there.

*Check answers* scores the teacher's marks with the same scorers and shows the same
feedback a student gets after submitting (app/templates/student/_verdicts.html), for the
draft or the published version. Nothing is stored: no attempt, no saved progress; the
marks are kept in the form below the feedback, to try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.domain.responses import salvage
from app.domain.scoring import score_question
from app.models import Lesson
from app.services import authoring as service
from app.services.attempts import excerpt_texts
from app.student.examples import examples_html
from app.student.present import feedback_questions, quiz_questions, reason_label
from app.teacher import bp
from app.teacher.access import get_readable_lesson_or_abort


@dataclass(frozen=True, slots=True)
class CheckedAnswer:
    """One question of a checked preview: what an attempt's answer holds, never stored."""

    question_id: str
    kind: str
    points: float
    max_points: float
    verdicts: list[dict[str, Any]]


def check_answers(content: dict[str, Any],
                  marks: dict[str, dict[str, Any]]) -> list[CheckedAnswer]:
    """Score ``marks`` against ``content`` as a submitted attempt would be scored."""
    texts = excerpt_texts(content)
    answers = []
    for question in content["questions"]:
        result = score_question(question, marks.get(question["id"], {}), texts)
        answers.append(CheckedAnswer(question["id"], question["kind"], result.points,
                                     result.max_points, result.verdicts))
    return answers


def preview_content(lesson: Lesson,
                    published: bool) -> tuple[dict[str, Any] | None, list[Any], bool]:
    """(compiled lesson to show, its problems in words, whether it is the draft).

    The owner's unpublished draft unless ``published`` is asked for (or there is none).
    """
    if lesson.draft_text is not None and not published:
        workspace = service.open_workspace(lesson)
        return workspace.compiled, workspace.placed, True
    version = service.current_version(lesson)
    return (version.content if version else None), [], False


@bp.route("/lessons/<int:lesson_id>/preview", methods=["GET", "POST"])
def lesson_preview(lesson_id: int) -> ResponseReturnValue:
    lesson = get_readable_lesson_or_abort(lesson_id)
    content, problems, is_draft = preview_content(lesson, request.args.get("published") == "1")
    if content is None:
        return render_template("teacher/authoring/cannot_preview.html", lesson=lesson,
                               problems=problems, has_version=lesson.version > 0)
    marks: dict[str, Any] = {}
    feedback = None
    if request.method == "POST":  # the preview's form posts here: nothing is stored
        marks = salvage(content["questions"], excerpt_texts(content), request.form.getlist)
        answers = check_answers(content, marks)
        feedback = {"questions": feedback_questions(content, answers),
                    "score": sum(answer.points for answer in answers),
                    "max_score": sum(answer.max_points for answer in answers)}
    shown = {"title": content["title"], "summary": content["summary"],
             "level": content["level"], "slug": lesson.slug}
    return render_template(
        "teacher/authoring/preview.html", lesson=shown, real_lesson=lesson,
        version={"number": lesson.version}, content=content,
        questions=quiz_questions(content, marks), token="0" * 32, error=None,
        examples_html=examples_html(content),
        is_draft=is_draft, submitted=request.method == "POST", feedback=feedback,
        reason_label=reason_label,
        # The quiz form posts back to the preview, which stores nothing.
        action=url_for("teacher.lesson_preview", lesson_id=lesson.id,
                       **({"published": "1"} if not is_draft and lesson.draft_text else {})))
