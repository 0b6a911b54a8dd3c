"""The LTI 1.3 endpoints: key set, OIDC login, launch, and the teacher's lesson picker."""

from __future__ import annotations

from typing import Any, Final

from flask import (
    abort,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from pylti1p3.exception import LtiException, OIDCException, ToolConfException

from app.domain import lti_claims
from app.extensions import csrf, db
from app.lti import bp, frames, sending, tool
from app.lti.errors import launch_problem, refused
from app.lti.forms import PickForm
from app.models import LtiContext, LtiLink, LtiPlatform
from app.security.sessions import start_session
from app.services import assignments, lti_keys, lti_launches

# What the library raises for a login or launch it refuses.
REFUSALS: Final = (LtiException, OIDCException, ToolConfException)
# What the OIDC login keeps for a new-window retry when the frame's cookies are blocked.
LOGIN_PARAMS: Final = ("iss", "login_hint", "target_link_uri", "lti_message_hint",
                       "client_id", "lti_deployment_id")


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    """The tool's public keys, for the LMS to check what the tool signs."""
    key_set = lti_keys.public_key_set()
    db.session.commit()
    response = jsonify(key_set)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login() -> ResponseReturnValue:
    """OIDC third-party initiated login: answer with a redirect to the LMS's auth page."""
    params = {name: (request.values.get(name) or "")[:2000] for name in LOGIN_PARAMS}
    oidc = tool.Login(tool.flask_request(), tool.DatabaseToolConf(), tool.DatabaseStorage())
    oidc.pass_params_to_launch({"login": params})
    try:
        response = oidc.redirect(url_for("lti.launch", _external=True))
    except REFUSALS as error:
        db.session.rollback()
        return launch_problem(error)
    db.session.commit()
    return response


def _new_window_url(state: str | None) -> str | None:
    """The login URL again, to open outside the frame (its cookies were blocked)."""
    if not state:
        return None
    storage = tool.DatabaseStorage()
    storage.set_request(tool.flask_request())
    stored = storage.get_value(f"lti1p3-{state}")
    params = stored.get("login") if isinstance(stored, dict) else None
    if not isinstance(params, dict) or not params.get("iss"):
        return None
    wanted = {k: v for k, v in params.items() if k in LOGIN_PARAMS and v}
    return url_for("lti.login", lti1p3_new_window="1", _external=True, **wanted)


@bp.post("/launch")
@csrf.exempt
def launch() -> ResponseReturnValue:
    """The LMS posts the signed id_token here: check it, sign the person in, go on."""
    if request.form.get("error"):  # the LMS refused the login itself (OIDC error answer)
        return refused(lti_launches.LaunchRefused(
            "The LMS did not complete the launch: "
            + (request.form.get("error_description") or request.form["error"])[:300]
            + ". Open the link again from your course.", 400))
    conf = tool.DatabaseToolConf()
    message = tool.Launch(tool.flask_request(), conf, tool.DatabaseStorage())
    try:
        message.validate()
        claims = message.get_launch_data()
    except REFUSALS as error:
        db.session.rollback()
        return launch_problem(error, new_window=_new_window_url(request.form.get("state")))
    platform = conf.platform
    assert platform is not None
    tool.sweep_expired()  # old states, nonces and launch data (an indexed range delete)
    db.session.commit()  # the consumed nonce, the saved launch data, a refetched key set
    info = lti_claims.read_launch(claims)
    try:
        user = lti_launches.account_for(platform, info)
        teacher = lti_launches.acts_as_teacher(user, info)
        if message.is_deep_link_launch() and not teacher:
            raise lti_launches.LaunchRefused("Only a teacher can add Framing Lab lessons to "
                                             "a course.")
        start_session(user)
        frames.allow_framing([platform.issuer, platform.auth_login_url, info.return_url])
        db.session.commit()
        context = lti_launches.context_for(platform, info, user, teacher)
        if not teacher:
            lti_launches.enrol(context, user)
        if message.is_deep_link_launch():
            return _picker(message.get_launch_id(), context, None)
        link = lti_launches.link_for(context, info)
    except lti_launches.LaunchRefused as problem:
        db.session.rollback()
        return refused(problem)
    sending.send_after_response(context_id=context.id)
    if link is not None and link.assignment_id is not None:
        if teacher:
            return redirect(url_for("teacher.assignment_results",
                                    assignment_id=link.assignment_id))
        return redirect(url_for("student.assignment", assignment_id=link.assignment_id))
    if teacher:
        return _picker(message.get_launch_id(), context, link)
    return refused(lti_launches.LaunchRefused(
        "Your teacher has not chosen a lesson for this link yet. Try again later.", 409))


def _picker(launch_id: str, context: LtiContext, link: LtiLink | None,
            form: PickForm | None = None, status: int = 200) -> ResponseReturnValue:
    library, mine = assignments.assignable_lessons(current_user.id)
    form = form or PickForm(launch_id=launch_id, link_id=link.id if link else "")
    form.lesson_id.choices = [(lesson.id, lesson.title) for lesson in mine + library]
    return render_template("lti/pick.html", form=form, context=context, link=link,
                           library=library, mine=mine), status


def _restored(launch_id: str) -> tuple[tool.Launch, dict[str, Any], LtiPlatform]:
    """The launch a picker form belongs to; 404 unless it is the current user's."""
    conf = tool.DatabaseToolConf()
    message = tool.Launch(tool.flask_request(), conf, tool.DatabaseStorage())
    claims = message.get_session_service().get_launch_data(launch_id) if launch_id else None
    if not isinstance(claims, dict):
        abort(404, description="This lesson picker has expired. Open it again from the LMS.")
    message.set_launch_id(launch_id).set_auto_validation(enable=False) \
        .set_jwt({"body": claims}).set_restored()  # type: ignore[arg-type]
    try:
        message.validate_registration()
    except LtiException:
        abort(404, description="The LMS this picker came from is no longer registered.")
    platform = conf.platform
    assert platform is not None
    subject = claims.get("sub")
    if not current_user.is_authenticated or not lti_launches.is_linked(
            platform, str(subject), current_user.id):
        abort(403, description="This lesson picker belongs to another person's launch.")
    return message, claims, platform


@bp.post("/pick")
def pick() -> ResponseReturnValue:
    """The teacher chose a lesson: make the assignment, then hand it back to the LMS."""
    form = PickForm()
    message, claims, platform = _restored(form.launch_id.data or "")
    info = lti_claims.read_launch(claims)
    context = lti_launches.existing_context(platform, info)
    link = lti_launches.existing_link(context, form.link_id.data) if context else None
    if context is None:
        abort(404, description="This course is no longer linked to a class.")
    library, mine = assignments.assignable_lessons(current_user.id)
    form.lesson_id.choices = [(lesson.id, lesson.title) for lesson in mine + library]
    if not form.validate():
        return _picker(form.launch_id.data or "", context, link, form, 400)
    try:
        picked = lti_launches.assign_from_lms(context, current_user, form.lesson_id.data, link)
    except lti_launches.LaunchRefused as problem:
        return refused(problem)
    if not message.is_deep_link_launch():
        return redirect(url_for("teacher.assignment_results",
                                assignment_id=picked.assignment.id))
    deep_link = message.get_deep_link()
    return_url = (claims.get(lti_claims.DEEP_LINKING) or {}).get("deep_link_return_url")
    token = deep_link.get_response_jwt([lti_launches.content_item(picked)])
    response = make_response(render_template(
        "lti/deep_link_return.html", action=return_url, token=token, picked=picked))
    origin = frames.origin_of(return_url)
    if origin:  # the form posts to the LMS: allow that one origin for this page
        policy = response.headers.get("Content-Security-Policy") or ""
        from app.security.headers import CONTENT_SECURITY_POLICY
        response.headers["Content-Security-Policy"] = (policy or CONTENT_SECURITY_POLICY) \
            .replace("form-action 'self'", f"form-action 'self' {origin}")
    return response
