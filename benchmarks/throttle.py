"""What the login throttle and the sign-up limits promise, measured (docs/deploy.md §4).

    .venv/bin/python benchmarks/throttle.py                       # SQLite in a temp dir
    .venv/bin/python benchmarks/throttle.py --database-url postgresql://postgres@127.0.0.1/bench
    .venv/bin/python benchmarks/throttle.py --redis-url redis://127.0.0.1:6379/0

Runs the app in this process with production's argon2id cost (19 MiB, 2 passes), CSRF
on, on a freshly migrated database (PostgreSQL: its `public` schema is dropped before and
after), and prints, for each scenario, what the people involved see:

1. spray: one address sends N failed logins with random usernames, then a class of 30
   logs in from the same address; then a second wrong try for a real account from there;
2. guesser: 6 wrong passwords for one student from the school address; the student logs
   in from home, and from the school address with the browser they used before;
3. parallel: 30 wrong guesses for one account at the same instant, over HTTP to a
   threaded server: how many passwords were checked (the policy allows 5);
4. sign-up: 25 sign-ups from one address without a class code, then 35 with one.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import re
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config, TestConfig  # noqa: E402
from app.extensions import MIGRATIONS_DIR, db  # noqa: E402
from app.models import Classroom, User  # noqa: E402

PASSWORD = "correct-horse-battery"
# One school address per scenario (so the spray of 1 does not heat the address of 2), home.
SPRAYED, GUESSED, RUSHED, SIGNING_UP = "203.0.113.7", "203.0.113.8", "127.0.0.1", "203.0.113.9"
HOME = "198.51.100.9"
_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def build_app(database_url: str | None, redis_url: str | None, tmp: Path):
    settings = TestConfig.settings(tmp, environ={"TEST_DATABASE_URL": database_url or ""})
    settings.update(TESTING=False, REDIS_URL=redis_url, ARGON2_TIME_COST=Config.ARGON2_TIME_COST,
                    ARGON2_MEMORY_COST=Config.ARGON2_MEMORY_COST)
    app = create_app(settings)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            reset_schema()
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
    return app


def reset_schema() -> None:
    db.session.execute(sa.text("DROP SCHEMA public CASCADE"))
    db.session.execute(sa.text("CREATE SCHEMA public"))
    db.session.commit()


def make_students(app, prefix: str, count: int) -> list[str]:
    with app.app_context():
        first = User(username=f"{prefix}0", role="student")
        first.set_password(PASSWORD)  # one hash, shared: building the class is not measured
        names = [f"{prefix}{n}" for n in range(count)]
        db.session.add_all(User(username=name, role="student", password_hash=first.password_hash)
                           for name in names)
        db.session.commit()
    return names


def post(client, path: str, address: str, token_from: str | None = None, **fields: str):
    page = client.get(token_from or path, environ_base={"REMOTE_ADDR": address})
    page = page.get_data(as_text=True)
    fields["csrf_token"] = _CSRF.search(page).group(1)
    return client.post(path, data=fields, environ_base={"REMOTE_ADDR": address})


def login(client, username: str, password: str, address: str):
    return post(client, "/auth/login", address, username=username, password=password)


def wait_in(response) -> str:
    found = re.search(r"please (?:wait|try again in) ([0-9]+ \w+)", response.get_data(as_text=True))
    return found.group(1) if found else "-"


def spray(app, failures: int) -> None:
    class_names = make_students(app, "spray-pupil", 30)
    sprayer = app.test_client()
    started = time.perf_counter()
    statuses = [login(sprayer, f"x{secrets.token_hex(5)}", "guess-guess", SPRAYED).status_code
                for _ in range(failures)]
    spray_s = time.perf_counter() - started
    started = time.perf_counter()
    logged_in = sum(login(app.test_client(), name, PASSWORD, SPRAYED).status_code == 302
                    for name in class_names)
    class_s = time.perf_counter() - started
    first = login(sprayer, class_names[0], "guess-guess", SPRAYED)
    second = login(sprayer, class_names[0], "guess-again", SPRAYED)
    print(f"1. spray: {failures} failed logins with random usernames from one address in "
          f"{spray_s:.1f} s (answers: {sorted(set(statuses))});")
    print(f"   then the class from the same address: {logged_in}/30 logged in, in {class_s:.1f} s"
          f" ({1000 * class_s / 30:.0f} ms each);")
    print(f"   the sprayer's tries at a real account: 1st {first.status_code}, 2nd "
          f"{second.status_code} (wait {wait_in(second)})")


def guesser(app) -> None:
    (name,) = make_students(app, "guessed", 1)
    own_browser = app.test_client()
    login(own_browser, name, PASSWORD, GUESSED)  # last week: the device cookie is set
    post(own_browser, "/auth/logout", GUESSED, token_from="/")
    guess = app.test_client()
    responses = [login(guess, name, "wrong guess!", GUESSED) for _ in range(7)]
    home = login(app.test_client(), name, PASSWORD, HOME).status_code
    device = login(own_browser, name, PASSWORD, GUESSED).status_code
    other = login(app.test_client(), name, PASSWORD, GUESSED)
    print(f"2. guesser: 7 wrong passwords from the school address: "
          f"{[response.status_code for response in responses]} (the 429 says: wait "
          f"{wait_in(responses[-1])});")
    print(f"   the student from home: {home}; from the school with their own browser: {device};"
          f" from the school on a new browser: {other.status_code} (wait {wait_in(other)})")


class Browser:
    """One cookie-keeping HTTP client; never follows redirects."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, text


def parallel(app, guesses: int = 30) -> None:
    (name,) = make_students(app, "rushed", 1)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log in the figures
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browsers, forms = [], []
    for _ in range(guesses):
        browser = Browser(server.server_port)
        _, page = browser.request("GET", "/auth/login")
        browsers.append(browser)
        forms.append({"csrf_token": _CSRF.search(page).group(1), "username": name,
                      "password": "parallel guess"})
    barrier, results = threading.Barrier(guesses), []

    def run(browser: Browser, form: dict) -> None:
        barrier.wait()
        results.append(browser.request("POST", "/auth/login", form))

    threads = [threading.Thread(target=run, args=pair)
               for pair in zip(browsers, forms, strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    server.shutdown()
    checked = sum(status == 200 and "Invalid username or password." in page
                  for status, page in results)
    refused = sum(status == 429 for status, _ in results)
    print(f"3. parallel: {guesses} wrong guesses at once over HTTP: {checked} passwords checked, "
          f"{refused} refused with 429, others {guesses - checked - refused}, in {took:.1f} s "
          f"(policy: at most 5)")


def signups(app) -> None:
    with app.app_context():
        teacher = User(username="signup-teacher", role="teacher", password_hash="x")
        db.session.add(teacher)
        db.session.flush()
        db.session.add(Classroom(teacher_id=teacher.id, name="Media 10B", join_code="K7QXM2PD"))
        db.session.commit()
    started = time.perf_counter()
    plain = [post(app.test_client(), "/auth/register", SIGNING_UP, username=f"walkin{n}",
                  password=PASSWORD, password2=PASSWORD).status_code for n in range(25)]
    plain_s = time.perf_counter() - started
    started = time.perf_counter()
    coded = [post(app.test_client(), "/auth/register", SIGNING_UP, username=f"class10b-{n}",
                  password=PASSWORD, password2=PASSWORD, class_code="K7QX-M2PD").status_code
             for n in range(35)]
    coded_s = time.perf_counter() - started
    print(f"4. sign-up: 25 from one address without a code: {plain.count(302)} created, "
          f"{plain.count(429)} refused with 429 ({plain_s:.1f} s);")
    print(f"   then 35 from the same address with the class code: {coded.count(302)} created "
          f"and enrolled, {coded.count(429)} refused ({coded_s:.1f} s, "
          f"{1000 * coded_s / 35:.0f} ms each)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL (its public schema is dropped)")
    parser.add_argument("--redis-url", help="keep the counts in Redis (its framinglab:login-"
                        "failures:* keys are deleted afterwards)")
    parser.add_argument("--spray", type=int, default=150, help="failed logins in scenario 1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(args.database_url, args.redis_url, Path(tmp))
        with app.app_context():
            backend = db.engine.dialect.name
        print(f"database: {backend}; throttle store: {'redis' if args.redis_url else 'database'};"
              f" argon2id m={Config.ARGON2_MEMORY_COST} KiB t={Config.ARGON2_TIME_COST}")
        try:
            spray(app, args.spray)
            guesser(app)
            parallel(app)
            signups(app)
        finally:
            with app.app_context():
                if backend == "postgresql":
                    reset_schema()
                db.session.remove()
                db.engine.dispose()
            if args.redis_url:
                import redis

                client = redis.Redis.from_url(args.redis_url)
                for key in client.scan_iter("framinglab:login-failures:*"):
                    client.delete(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
