"""Load benchmark: gunicorn + PostgreSQL, students logging in, opening, submitting, reading.

    .venv/bin/python benchmarks/load/run.py [--students 300] [--students-b 1000] ...

Scenario A: N students log in, then all open the same assigned lesson at one instant (a
barrier), take it one question at a time (each Next saves the question's marks), submit it
from the review step and read the feedback. Scenario B: 1,000 students arrive over ~90 s
and each completes the ten-question lesson the same way; afterwards the stored attempts
must equal the acknowledged submissions. Students answer from the lesson's key as a real
class would (client.class_answers). Ceiling: K closed-loop clients
for T seconds on a trivial route and on the lesson page; the ratio of their throughputs.

It prints figures and PASS/FAIL per target and exits 0 even when a target is missed (it
is a measurement); it exits 1 only when the harness itself fails. It always stops gunicorn
and drops the bench schema (unless --keep). See benchmarks/README.md, section "Load".
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from client import Browser, LoadError, Stats, class_answers, percentile  # noqa: E402
from prepare import PASSWORD, ROOT, attempts_stored, build, flask_cli, reset_schema  # noqa: E402

DEFAULT_DB = "postgresql://postgres@127.0.0.1/bench"
STEPS = ("login form", "login", "open lesson", "save", "next step", "submit", "feedback")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(database_url: str) -> dict[str, str]:
    """Production mode over plain HTTP on 127.0.0.1, with a throwaway secret."""
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "FRAMINGLAB_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32), "SESSION_COOKIE_SECURE": "0",
        "PYTHONUNBUFFERED": "1",
    })
    # Login throttling (app/security/throttle.py) counts failed logins only: the students'
    # correct logins from one address are never slowed, so it needs no setting here.
    return env


def processes() -> Iterator[tuple[str, str, list[str]]]:
    """(pid, name, the /proc/<pid>/stat fields after the name) of every readable process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, rest = (entry / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        yield entry.name, name, rest.split()


def cpu_seconds(stats: Iterable[list[str]]) -> float:
    """User + system CPU time of the processes whose stat fields are ``stats``."""
    return sum(int(fields[11]) + int(fields[12]) for fields in stats) / os.sysconf("SC_CLK_TCK")


class Server:
    """gunicorn serving wsgi:app with gunicorn.conf.py (as `make serve` does); stopped
    (TERM, then KILL) on exit."""

    def __init__(self, env: dict[str, str], args: argparse.Namespace) -> None:
        self.port = free_port()
        env = dict(env, BIND=f"127.0.0.1:{self.port}")
        if args.workers:
            env["WORKERS"] = str(args.workers)
        if args.threads:
            env["THREADS"] = str(args.threads)
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                   "wsgi:app"]
        self.command = command
        self.log = open(Path(args.log), "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; "
                                   f"see {args.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz",
                                            timeout=2) as response:
                    if response.status == 200:
                        self.settings = (f" ({self.worker_count()} worker processes × "
                                         f"{env.get('THREADS') or 'the default'} threads)")
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def _family(self) -> list[list[str]]:
        """/proc/<pid>/stat fields (after the name) of gunicorn and its workers."""
        pid = str(self.process.pid)
        return [fields for number, _, fields in processes()
                if number == pid or fields[1] == pid]

    def worker_count(self) -> int:
        deadline = time.monotonic() + 10  # workers boot one after another
        count = len(self._family()) - 1
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = len(self._family()) - 1
            if now == count:
                break
            count = now
        return count

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn and its workers, from /proc."""
        return cpu_seconds(self._family())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- reporting ------------------------------------------------------------------------------


def step_table(stats: Stats, elapsed: float, cpu: float) -> None:
    print(f"  {'step':<12} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8}")
    for step in STEPS:
        values = stats.latencies.get(step, [])
        errors = len(stats.errors.get(step, []))
        if not values and not errors:
            continue
        print(f"  {step:<12} {len(values):>8} {errors:>6} "
              + " ".join(f"{percentile(values, q) * 1000:>8.0f}" for q in (0.5, 0.95, 0.99))
              + f" {max(values, default=0) * 1000:>8.0f}")
    total = sum(len(v) for v in stats.latencies.values())
    print(f"  throughput: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s")
    print(f"  gunicorn CPU: {cpu:.1f} s = {cpu / max(total, 1) * 1000:.1f} ms per request "
          f"(load average now {os.getloadavg()[0]:.1f})")
    for step, messages in stats.errors.items():
        print(f"  errors on {step}: {len(messages)}, first: {messages[0]}")


def verdict(label: str, ok: bool, detail: str) -> bool:
    print(f"  [{'PASS' if ok else 'FAIL'}] {label}: {detail}")
    return ok


def integrity(label: str, stats: Stats, acked: int, app, assignment_id: int) -> list[bool]:
    """No errors, and exactly one stored attempt per acknowledged submission."""
    errors = sum(len(v) for v in stats.errors.values())
    stored, distinct = attempts_stored(app, assignment_id)
    return [verdict(f"{label} no errors", errors == 0, f"{errors} errors"),
            verdict(f"{label} stored attempts == acknowledged submissions", stored == acked,
                    f"{stored} stored ({distinct} students), {acked} acknowledged")]


# --- scenarios ------------------------------------------------------------------------------


def visit(port: int, stats: Stats, username: str, path: str, content: dict,
          after_login: Callable[[], object] = lambda: None) -> None:
    """One student: log in, (``after_login``, even if login failed), open the lesson, save
    each question with Next, submit from the review step, read the feedback. What they
    mark is drawn from the lesson's key, seeded by their name (the same on every run)."""
    browser = Browser("127.0.0.1", port, stats)
    answers = class_answers(content, random.Random(username))
    question_ids = [question["id"] for question in content["questions"]]
    try:
        try:
            browser.log_in(username, PASSWORD)
        finally:
            after_login()
        page = browser.open_lesson(path)
        browser.take_lesson(path, page, answers, question_ids)
    except LoadError:
        pass  # recorded in stats under the step that failed
    finally:
        browser.close()


def scenario_a(server: Server, usernames: list[str], assignment_id: int,
               content: dict) -> tuple[Stats, int]:
    """Everyone logs in, waits at a barrier, then opens, submits and reads at once."""
    stats, path, port = Stats(), f"/assignments/{assignment_id}", server.port
    cpu = server.cpu_seconds()
    barrier = threading.Barrier(len(usernames) + 1)
    released: list[float] = []

    def student(username: str) -> None:
        visit(port, stats, username, path, content, after_login=barrier.wait)

    threads = [threading.Thread(target=student, args=(u,), daemon=True) for u in usernames]
    login_started = time.perf_counter()
    for thread in threads:
        thread.start()
    barrier.wait()
    released.append(time.perf_counter())
    login_seconds = released[0] - login_started
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - released[0]
    print(f"\nScenario A: {len(usernames)} students; logins took {login_seconds:.1f} s, then "
          "all opened the lesson at the same instant (barrier)")
    step_table(stats, elapsed + login_seconds, server.cpu_seconds() - cpu)
    opened = stats.finished.get("open lesson", [])
    stats.all_opened_within = max(opened, default=released[0]) - released[0]
    print(f"  last lesson page served {stats.all_opened_within:.2f} s after the barrier")
    return stats, len(stats.latencies.get("submit", []))


def scenario_b(server: Server, usernames: list[str], assignment_id: int, content: dict,
               ramp: float, pool: int) -> tuple[Stats, int, float, float]:
    """Students arrive evenly over ``ramp`` seconds; each completes the lesson once."""
    stats, path, port = Stats(), f"/assignments/{assignment_id}", server.port
    cpu = server.cpu_seconds()
    late_starts: list[float] = []
    started = time.perf_counter()
    gap = ramp / max(1, len(usernames) - 1)

    def student(index: int, username: str) -> None:
        late_starts.append(time.perf_counter() - (started + index * gap))
        visit(port, stats, username, path, content)

    with ThreadPoolExecutor(max_workers=pool) as executor:
        for index, username in enumerate(usernames):
            delay = started + index * gap - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            executor.submit(student, index, username)
    elapsed = time.perf_counter() - started
    print(f"\nScenario B: {len(usernames)} students arriving over {ramp:.0f} s, each "
          "completing the 10-question lesson")
    step_table(stats, elapsed, server.cpu_seconds() - cpu)
    print(f"  all done in {elapsed:.1f} s; worst start delay in the generator "
          f"{max(late_starts, default=0):.2f} s")
    return stats, len(stats.latencies.get("submit", [])), elapsed, max(late_starts, default=0)


def closed_loop(port: int, path: str, clients: int, seconds: float,
                cookies: list[dict[str, str]] | None = None) -> tuple[int, int, float]:
    """``clients`` browsers request ``path`` back to back for ``seconds``: (ok, errors, s)."""
    stats = Stats()
    stop_at = time.perf_counter() + seconds

    def loop(n: int) -> None:
        browser = Browser("127.0.0.1", port, stats)
        if cookies:
            browser.cookies = dict(cookies[n % len(cookies)])
        while time.perf_counter() < stop_at:
            try:
                browser.fetch("r", "GET", path)
            except LoadError:
                pass
        browser.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(stats.latencies["r"]), len(stats.errors["r"]), elapsed


def postgres_cpu_seconds() -> float:
    """CPU time used so far by this machine's PostgreSQL processes (0 if not readable)."""
    return cpu_seconds(fields for _, name, fields in processes() if name.startswith("postgres"))


def generator_cpu_seconds() -> float:
    """CPU time used so far by this process: the load generator's threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ceiling(server: Server, usernames: list[str], assignment_id: int, clients: int,
            seconds: float) -> tuple[float, float]:
    """Throughput of /healthz and of the lesson page under the same closed loop."""
    port, jars = server.port, []
    for username in usernames[:clients]:
        browser = Browser("127.0.0.1", port, Stats())
        browser.log_in(username, PASSWORD)
        jars.append(dict(browser.cookies))
        browser.close()
    print(f"\nCeiling: {clients} closed-loop clients, {seconds:.0f} s per route")
    print(f"  {'route':<28} {'requests':>8} {'errors':>6} {'req/s':>8}   CPU ms per request: "
          "gunicorn, PostgreSQL, load generator")
    rates = []
    for label, path, cookies in (("/healthz (trivial)", "/healthz", None),
                                 ("lesson page (assignment)",
                                  f"/assignments/{assignment_id}", jars)):
        closed_loop(port, path, clients, 1.0, cookies)  # warm-up
        meters = (server.cpu_seconds, postgres_cpu_seconds, generator_cpu_seconds)
        before = [meter() for meter in meters]
        ok, errors, elapsed = closed_loop(port, path, clients, seconds, cookies)
        cpu = [(meter() - start) / max(ok, 1) * 1000
               for meter, start in zip(meters, before, strict=True)]
        rates.append(ok / elapsed)
        print(f"  {label:<28} {ok:>8} {errors:>6} {ok / elapsed:>8.1f}   "
              + ", ".join(f"{ms:.2f}" for ms in cpu))
    return rates[0], rates[1]


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_DB),
                        help="a PostgreSQL database of its own: its public schema is dropped")
    parser.add_argument("--students", type=int, default=300, help="scenario A size")
    parser.add_argument("--students-b", type=int, default=1000, help="scenario B size")
    parser.add_argument("--ramp", type=float, default=90.0, help="scenario B arrival, s")
    parser.add_argument("--pool", type=int, default=200, help="scenario B client threads")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn processes (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per process (default: gunicorn.conf.py's)")
    parser.add_argument("--ceiling-clients", type=int, default=8)
    parser.add_argument("--ceiling-seconds", type=float, default=10.0)
    parser.add_argument("--scenarios", default="a,b,ceiling")
    parser.add_argument("--log", default="/tmp/framinglab-bench-gunicorn.log")
    parser.add_argument("--keep", action="store_true", help="keep the bench data afterwards")
    parser.add_argument("--review", action="store_true", help="switch review of what was "
                        "missed on in both classes (loads the library's readings)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = set(args.scenarios.split(","))
    env = bench_environment(args.database_url)
    print(f"Framing Lab load benchmark · {time.strftime('%Y-%m-%d %H:%M:%S')} · "
          f"{os.cpu_count()} CPU(s)")
    print("NOTE: the load generator runs on the same machine and competes with gunicorn "
          "and PostgreSQL for the CPU: figures are a floor for a real server.")
    load = os.getloadavg()[0]
    print(f"Load average before the run: {load:.1f}"
          + (f"  WARNING: other work is using this machine's {os.cpu_count()} CPU(s); "
             "latencies include waiting for it" if load > 1.0 else ""))
    reset_schema(args.database_url)
    server = None
    try:
        flask_cli(env, "db", "upgrade")
        if args.review:  # review questions are cut from the library's readings
            flask_cli(env, "seeds", "load")
            flask_cli(env, "lessons", "sync")
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "FRAMINGLAB_ENV", "SECRET_KEY",
                                                "SESSION_COOKIE_SECURE")})
        from app import create_app

        app = create_app()
        started = time.perf_counter()
        cohorts = build(app, {"a": args.students, "b": args.students_b}, review=args.review)
        print(f"Prepared seeds, the 10-question lesson, {args.students + args.students_b} "
              f"students in 2 classes in {time.perf_counter() - started:.1f} s"
              + (", review of what was missed on" if args.review else ""))
        server = Server(env, args)
        print("Server: " + " ".join(server.command[2:]) + server.settings)
        results = []
        if "a" in wanted:
            stats, acked = scenario_a(server, cohorts["a"].usernames,
                                      cohorts["a"].assignment_id, cohorts["a"].content)
            values = stats.latencies.get("open lesson", [])
            results += [
                verdict("A all lesson pages served within 3 s", len(values) == args.students
                        and stats.all_opened_within <= 3.0,
                        f"{len(values)}/{args.students} in {stats.all_opened_within:.2f} s"),
                verdict("A open-lesson p99 <= 2 s", percentile(values, 0.99) <= 2.0,
                        f"{percentile(values, 0.99) * 1000:.0f} ms"),
                *integrity("A", stats, acked, app, cohorts["a"].assignment_id),
            ]
        if "b" in wanted:
            stats, acked, elapsed, _ = scenario_b(server, cohorts["b"].usernames,
                                                  cohorts["b"].assignment_id,
                                                  cohorts["b"].content, args.ramp, args.pool)
            every = [x for v in stats.latencies.values() for x in v]
            results += [
                verdict("B all students completed within 2 min",
                        acked == args.students_b and elapsed <= 120,
                        f"{acked}/{args.students_b} in {elapsed:.1f} s"),
                verdict("B p95 <= 150 ms per request", percentile(every, 0.95) <= 0.150,
                        f"{percentile(every, 0.95) * 1000:.0f} ms over {len(every)} requests"),
                *integrity("B", stats, acked, app, cohorts["b"].assignment_id),
            ]
        if "ceiling" in wanted:
            trivial, lesson = ceiling(server, cohorts["b"].usernames,
                                      cohorts["b"].assignment_id, args.ceiling_clients,
                                      args.ceiling_seconds)
            results.append(verdict("lesson page throughput >= 0.5 x trivial route",
                                   lesson >= 0.5 * trivial,
                                   f"ratio {lesson / trivial:.2f} "
                                   f"({lesson:.0f} / {trivial:.0f} req/s)"))
        print(f"\n{sum(results)}/{len(results)} targets met")
        return 0
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            reset_schema(args.database_url)
            print("Stopped gunicorn and dropped the bench data.")


if __name__ == "__main__":
    sys.exit(main())
