"""Security plumbing shared by every blueprint: headers, server-side sessions, throttling.

`init_app` wires them into an app; see docs/deploy.md for the production settings.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.security import headers, throttle


def init_app(app: Flask) -> None:
    """Install security headers, the login throttle and (if configured) ProxyFix.

    TRUSTED_PROXIES=N trusts N reverse proxies' X-Forwarded-For/-Proto/-Host headers:
    without it, behind nginx every student would share the proxy's address (one
    throttling bucket) and `request.is_secure` would never see HTTPS.
    """
    headers.init_app(app)
    throttle.init_app(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
