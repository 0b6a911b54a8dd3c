"""The app the browser tests drive: migrated, seeded and serving in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.browser import ADMIN, TEACHER
from tests.helpers import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   input=stdin, text=True, check=True, capture_output=True, timeout=120)


@contextmanager
def running_app(data: Path, lesson_dir: Path | None = None) -> Iterator[str]:
    """Base URL of a freshly migrated and seeded app on a free 127.0.0.1 port, its files in
    ``data``, its lessons synced from ``lesson_dir`` (default: the library's)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("TEST_DATABASE_URL", "FLASK_APP", "FRAMINGLAB_ENV", "FLASK_ENV")}
    env.update(DATABASE_URL=f"sqlite:///{data / 'e2e.sqlite3'}", SECRET_KEY="e2e-" + "x" * 40,
               FRAMINGLAB_ENV="development", PYTHONUNBUFFERED="1")
    _flask(env, "db", "upgrade")
    _flask(env, "seeds", "load")
    _flask(env, "lessons", "sync", *(["--dir", str(lesson_dir)] if lesson_dir else []))
    _flask(env, "users", "create", TEACHER[0], "--role", "teacher", "--password-stdin",
           stdin=TEACHER[1] + "\n")
    _flask(env, "users", "create", ADMIN[0], "--role", "admin", "--password-stdin",
           stdin=ADMIN[1] + "\n")
    port = free_port()
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1",
         "--port", str(port), "--no-reload", "--no-debugger"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, (data / "server.log").read_text)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
