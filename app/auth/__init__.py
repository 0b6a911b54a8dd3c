"""Accounts: register, log in, log out, your account, and the role check used by other
blueprints."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import account, routes  # noqa: E402, F401  (routes attach themselves to bp)
