"""Register, log in, log out. Thin: validate → change → commit → flash → redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.auth import bp
from app.auth.forms import USERNAME_TAKEN, EmptyForm, LoginForm, RegistrationForm
from app.errors import CSRF_EXPIRED_MESSAGE, register_csrf_error_renderer
from app.extensions import db
from app.models.users import User, spend_password_check_time
from app.security import clock, devices
from app.security.sessions import end_session, start_session
from app.security.throttle import Refusal, login_throttle, wait_message
from app.services.accounts import UsernameTaken, register_student, signup_refusal_message

INVALID_LOGIN = "Invalid username or password."
DISABLED_LOGIN = ("This account is disabled, so it cannot log in. If you think this is a "
                  "mistake, ask your teacher or the school's Framing Lab administrator.")
# Where each role starts after logging in: its own work, not the marketing page.
LANDING = {"student": "student.lessons", "teacher": "teacher.dashboard",
           "admin": "admin.users"}


def landing_url(user: User) -> str:
    """The page ``user`` starts on: lessons, the teacher's dashboard, or the accounts."""
    return url_for(LANDING.get(user.role, "main.index"))


def _next_or_landing(user: User) -> str:
    return safe_next_url(request.args.get("next")) or landing_url(user)


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site, else None.

    Blocks open redirects: absolute URLs, scheme-relative `//evil.example`, and the
    backslash forms some browsers treat as `//`. Only printable ASCII passes: browsers
    drop tabs and newlines from URLs (`/%09/evil.example`, a tab, becomes `//evil.example`),
    and a control character in a Location header makes the response itself fail (F16).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or not all(" " < ch < "\x7f" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in; on failure re-show the form (status 200) with the username kept."""
    if current_user.is_authenticated:
        return redirect(_next_or_landing(current_user))
    form = LoginForm()
    form_error = None
    if form.validate_on_submit():
        username, address = form.username.data or "", request.remote_addr or ""
        throttle, moment = login_throttle(), clock.now()
        user = db.session.scalar(sa.select(User).where(User.username == username))
        device = devices.device_key(user.id, moment) if user is not None else None
        # Reserved (committed as a failure) before the password is checked: see begin().
        attempt = throttle.begin(username, address, device, moment)
        if isinstance(attempt, Refusal):
            message = wait_message(attempt.scope, attempt.wait)
            return render_template("auth/login.html", form=form, form_error=message), 429
        if user is None:
            spend_password_check_time(form.password.data or "")
        if user is None or not user.check_password(form.password.data or ""):
            form_error = INVALID_LOGIN  # the reservation stays: it is this failure
        elif user.disabled:
            # The right password: say why it does not work (the name is not being probed).
            throttle.succeeded(attempt)
            db.session.commit()
            return render_template("auth/login.html", form=form, form_error=DISABLED_LOGIN,
                                   next_url=safe_next_url(request.args.get("next"))), 403
        else:
            throttle.succeeded(attempt)
            start_session(user, keep_after_browser_closes=bool(form.remember_me.data))
            db.session.commit()  # the new session row, and a hash upgraded by check_password
            flash(f"Welcome back, {user.username}.", "success")
            response = redirect(_next_or_landing(user))
            devices.remember_device(response, user.id, moment)
            return response
    # A form the checks refused (a missing field, a control character) is a bad request; a
    # wrong password is not: the page answers as usual, saying only that it did not work.
    status = 400 if form.is_submitted() and form_error is None and form.errors else 200
    return render_template("auth/login.html", form=form, form_error=form_error,
                           next_url=safe_next_url(request.args.get("next"))), status


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a student account and log it in."""
    if current_user.is_authenticated:
        return redirect(_next_or_landing(current_user))
    form = RegistrationForm()
    next_url = safe_next_url(request.args.get("next"))
    if form.validate_on_submit():
        try:
            user = register_student(form.username.data or "", form.password.data or "",
                                    form.classroom, request.remote_addr or "", clock.now())
        except UsernameTaken:
            # Someone took the name between the form's check and our insert.
            form.username.errors = [USERNAME_TAKEN]
        else:
            if isinstance(user, Refusal):
                # Everything typed comes back except the passwords (never re-rendered).
                message = signup_refusal_message(user)
                return render_template("auth/register.html", form=form,
                                       form_error=message, next_url=next_url), 429
            start_session(user)
            db.session.commit()
            flash(f"Welcome to Framing Lab, {user.username}! Your account is ready.", "success")
            if form.classroom is not None:
                flash(f"You have joined the class “{form.classroom.name}”.", "success")
            return redirect(_next_or_landing(user))
    status = 400 if form.is_submitted() else 200  # refused: what was typed is shown again
    return render_template("auth/register.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """POST only, with a CSRF token: a link or an image tag must not log anyone out."""
    if EmptyForm().validate_on_submit():
        end_session()
        flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))


def _login_expired(_error: CSRFError) -> ResponseReturnValue:
    # LoginForm() binds request.form, so the username comes back; passwords never re-render.
    return (
        render_template("auth/login.html", form=LoginForm(), form_error=CSRF_EXPIRED_MESSAGE),
        400,
    )


def _register_expired(_error: CSRFError) -> ResponseReturnValue:
    return (
        render_template(
            "auth/register.html", form=RegistrationForm(), form_error=CSRF_EXPIRED_MESSAGE
        ),
        400,
    )


@bp.record_once
def _install_csrf_renderers(state: BlueprintSetupState) -> None:
    register_csrf_error_renderer(state.app, "auth.login", _login_expired)
    register_csrf_error_renderer(state.app, "auth.register", _register_expired)
