"""Compare-view benchmark: the cost of lining up long texts, and the limit that bounds it.

    .venv/bin/python benchmarks/compare.py [--repeat 3]

Builds a temporary SQLite app with the seed documents and a teacher's own pasted documents,
then times through the Flask test client (wall clock and this process's CPU) what the
review's F21 did: five documents of 198,000 characters compared at once (refused now: over
the 100,000-character limit), and two of 49,000 (just under the limit: the most work one
comparison can ask for). The first request works the lens out; later ones reuse what each
process keeps. Target: every answer well under a second. Prints the figures; exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402

from app import create_app  # noqa: E402
from app.compare.routes import MOST_CHARACTERS  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.extensions import MIGRATIONS_DIR, db  # noqa: E402
from app.models import User  # noqa: E402
from app.services.authoring import add_document  # noqa: E402
from tests.web.classes_builders import browser  # noqa: E402
from tests.web.results_builders import gen_user, load_documents  # noqa: E402

SENTENCE = "Rioters and looters clashed with police near the square on Tuesday. "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = create_app(TestConfig.settings(Path(tempfile.mkdtemp())))
    with app.app_context(), contextlib.redirect_stderr(io.StringIO()):
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        load_documents()
        teacher = gen_user("bench-teacher", role="teacher")
        cases = {}
        for label, count, size in (("5 x 198,000 characters", 5, 198_000),
                                   ("2 x 49,000 characters", 2, 49_000)):
            values = []
            for number in range(count):
                document = add_document(db.session.get(User, teacher.id),
                                        title=f"{label} #{number}", author="", outlet="",
                                        publisher_note="",
                                        text=(SENTENCE * (size // len(SENTENCE) + 1))[:size])
                values.append(f"d:{document.slug}")
            cases[label] = values
    client = browser(app, "bench-teacher")
    print(f"Compare view · limit {MOST_CHARACTERS:,} characters per comparison")
    print(f"  {'texts':26} {'status':>6} {'request':>8} {'wall ms':>9} {'CPU ms':>8}")
    for label, values in cases.items():
        for attempt in range(1, args.repeat + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            status = client.get("/compare/", query_string={"item": values}).status_code
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"  {label:26} {status:>6} {attempt:>8} {wall * 1000:>9.0f} {cpu * 1000:>8.0f}")


if __name__ == "__main__":
    main()
