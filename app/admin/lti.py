"""Admin: LMS connections (LTI 1.3 registrations) and what an LMS admin needs from us."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.admin import bp
from app.admin.lti_forms import PlatformForm
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import LtiPlatform
from app.services import audit, lti_keys, lti_platforms
from app.services.lti_platforms import PlatformDetails, PlatformProblem


def tool_urls() -> dict[str, str]:
    """What an LMS admin types into the LMS when adding Framing Lab."""
    return {
        "Tool URL / target link URI / redirection URI": url_for("lti.launch", _external=True),
        "Initiate login URL / OpenID Connect login": url_for("lti.login", _external=True),
        "Public keyset URL (JWKS)": url_for("lti.jwks", _external=True),
        "Deep linking URL (Content selection)": url_for("lti.launch", _external=True),
    }


@bp.get("/lti")
def lti_platforms_page() -> ResponseReturnValue:
    keys = lti_keys.key_summary() or None
    if keys is None:
        lti_keys.signing_key()
        db.session.commit()
        keys = lti_keys.key_summary()
    return render_template("admin/lti.html", platforms=lti_platforms.platforms(),
                           urls=tool_urls(), keys=keys, rotate_form=EmptyForm())


def _details(form: PlatformForm) -> PlatformDetails | None:
    allow_http = not current_app.config.get("SESSION_COOKIE_SECURE")
    ok = True
    for field in (form.key_set_url, form.auth_login_url, form.auth_token_url):
        problem = None if field.errors else lti_platforms.url_problem(
            (field.data or "").strip(), allow_http=allow_http)
        if problem:
            field.errors = [*field.errors, problem]
            ok = False
    try:
        deployments = lti_platforms.parse_deployments(form.deployment_ids.data or "")
    except PlatformProblem as problem:
        if not form.deployment_ids.errors:
            form.deployment_ids.errors = [problem.message]
        ok = False
    if not ok or form.errors:
        return None
    return PlatformDetails(
        name=form.name.data.strip(), issuer=form.issuer.data.strip(),
        client_id=form.client_id.data.strip(), deployment_ids=deployments,
        key_set_url=form.key_set_url.data.strip(),
        auth_login_url=form.auth_login_url.data.strip(),
        auth_token_url=form.auth_token_url.data.strip(),
        audience=(form.audience.data or "").strip() or None)


def _edit(platform: LtiPlatform | None) -> ResponseReturnValue:
    form = PlatformForm()
    if platform is not None and not form.is_submitted():
        form.process(obj=platform)
        form.deployment_ids.data = "\n".join(d.deployment_id for d in platform.deployments)
    status = 200
    if form.is_submitted():
        status = 400
        # Every field is checked, so one answer names every mistake, not one at a time.
        form.validate()
        if (details := _details(form)) is not None:
            try:
                saved = lti_platforms.save(current_user, details, platform)
            except PlatformProblem as problem:
                getattr(form, problem.field or "client_id").errors = [problem.message]
                status = problem.status
            else:
                flash(f"Saved the connection “{saved.name}”.", "success")
                return redirect(url_for("admin.lti_platforms_page"))
    return render_template("admin/lti_edit.html", form=form, platform=platform,
                           urls=tool_urls()), status


@bp.route("/lti/new", methods=["GET", "POST"])
def lti_platform_new() -> ResponseReturnValue:
    return _edit(None)


def _platform_or_404(platform_id: int) -> LtiPlatform:
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        abort(404)
    return platform


@bp.route("/lti/<int:platform_id>", methods=["GET", "POST"])
def lti_platform_edit(platform_id: int) -> ResponseReturnValue:
    return _edit(_platform_or_404(platform_id))


@bp.route("/lti/<int:platform_id>/delete", methods=["GET", "POST"])
def lti_platform_delete(platform_id: int) -> ResponseReturnValue:
    platform = _platform_or_404(platform_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = platform.name
        lti_platforms.delete(current_user, platform)
        flash(f"Deleted the connection “{name}”. Its launches no longer work.", "success")
        return redirect(url_for("admin.lti_platforms_page"))
    return render_template("admin/lti_delete.html", platform=platform, form=form)


@bp.post("/lti/rotate-key")
def lti_rotate_key() -> ResponseReturnValue:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    kid = lti_keys.rotate()
    audit.record(current_user, "lti_key_rotated", detail=f"New key {kid}")
    db.session.commit()
    flash("Made a new signing key. The old one stays published for 7 days, so LMSs that "
          "cached it keep working.", "success")
    return redirect(url_for("admin.lti_platforms_page"))
