#!/usr/bin/env python3
"""宁社通 benchmarks: the street and district consoles on small and large data.

Logs in as a street moderator, the district admin and an org admin with Flask's test client, fetches every console
page that this checkout has (a page whose route is not registered is skipped), and prints per page and database:
the number of SQL statements of one request (counted with a hook on the database's execute_sql), and the p50/p95
latency over --runs requests. It exits 1 when a page answers other than 200, when its p95 exceeds 300 ms on the
large data, or when its statement count differs between the small and the large data (a page whose queries grow
with the data).

    .venv/bin/python bench/consoles.py                      # SQLite files under /tmp/ningshe-bench, seeded once
    .venv/bin/python bench/consoles.py \\
        --small-url 'postgresql://postgres@127.0.0.1:5432/bench?options=-csearch_path%3Dsmall' \\
        --large-url 'postgresql://postgres@127.0.0.1:5432/bench?options=-csearch_path%3Dlarge'

A database with no account yet is set up first: `flask db upgrade`, `flask seed-demo` with the small sizes or
`--scale large`, then `flask compute-signals` (a large seed takes a few minutes; it is kept for the next run, delete
it with --drop). Results and what they led to are in bench/README.md.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "ningshe-bench"

P95_LIMIT = 0.300
#: The small data: the demo plus a generated district of this size (the same generator as --scale large).
SMALL = ["--orgs", "20", "--events", "400", "--checkins", "4000", "--signups", "800"]
LARGE = ["--scale", "large"]

#: (label, who, route rule, query string). A rule the app does not have is skipped.
PAGES = [
    ("street console", "moderator", "/streets/<slug>/", ""),
    ("street org list", "moderator", "/streets/<slug>/orgs", ""),
    ("street org list, filtered", "moderator", "/streets/<slug>/orgs", "?status=active&kind=community"),
    ("org list, search", "moderator", "/streets/<slug>/orgs", "?q=1"),
    ("org profile (busiest)", "moderator", "/streets/<slug>/orgs/<int:org_id>", ""),
    ("street signals", "moderator", "/streets/<slug>/signals", ""),
    ("street charts", "moderator", "/streets/<slug>/charts", ""),
    ("street audit log", "moderator", "/streets/<slug>/audit", ""),
    ("event manage (biggest)", "moderator", "/events/<int:event_id>/manage", ""),
    ("check-in roster (biggest)", "moderator", "/events/<int:event_id>/checkins", ""),
    ("org year page", "moderator", "/orgs/<int:org_id>/year/<int:year>", ""),
    ("moderator home (待办)", "moderator", "/", ""),
    ("org page (busiest)", "org_admin", "/orgs/<int:org_id>/", ""),
    ("org manage (busiest)", "org_admin", "/orgs/<int:org_id>/manage", ""),
    ("org hours (busiest)", "org_admin", "/orgs/<int:org_id>/hours", ""),
    ("district console", "admin", "/admin/", ""),
    ("district charts", "admin", "/admin/charts", ""),
    ("district signals", "admin", "/admin/signals", ""),
    ("district audit log", "admin", "/admin/audit", ""),
    ("accounts", "admin", "/admin/accounts", ""),
    ("project reports queue", "admin", "/projects/reports/", ""),
    ("events list", "resident", "/events/", ""),
    ("events list, page 5", "resident", "/events/", "?page=5"),
    ("/me/", "resident", "/me/", ""),
]


def run_flask(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "app"}
    subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL if args[0] == "db" else None)


def prepare(url, sizes):
    """Migrate, then seed and compute the signals if the database holds no account yet."""
    from peewee import OperationalError, ProgrammingError
    from playhouse.db_url import connect

    run_flask(url, "db", "upgrade")
    database = connect(url.replace("+pool", ""))
    try:
        seeded = database.execute_sql('SELECT 1 FROM "user" LIMIT 1').fetchone() is not None
    except (OperationalError, ProgrammingError):
        seeded = False
    database.close()
    if not seeded:
        started = time.monotonic()
        run_flask(url, "seed-demo", *sizes)
        run_flask(url, "compute-signals")
        if url.startswith("postgres"):
            vacuum(url)
        print(f"  seeded in {time.monotonic() - started:.0f} s")


def vacuum(url):
    """PostgreSQL after a bulk load: the visibility map that index-only scans rely on, and fresh statistics."""
    import psycopg2

    connection = psycopg2.connect(url.replace("postgresql+pool://", "postgresql://"))  # libpq reads the URL
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


class Counter:
    """Counts the statements the database runs (a hook on the connection's execute_sql)."""

    def __init__(self, database):
        self.count = 0
        original = database.execute_sql

        def execute_sql(sql, params=None, *args, **kwargs):
            self.count += 1
            return original(sql, params, *args, **kwargs)

        database.execute_sql = execute_sql


def targets(app):
    """The street, its busiest organization and its event with the most check-ins, the logins."""
    from peewee import fn

    from models import CheckIn, Event, Organization, Street, User

    moderator = User.select().where(User.role == "street_moderator", User.phone == "13900000001").get()
    street = Street.get_by_id(moderator.street_id)
    busiest = (
        Organization.select(Organization.id, fn.COUNT(Event.id).alias("n"))
        .join(Event).where(Organization.street == street)
        .group_by(Organization.id).order_by(fn.COUNT(Event.id).desc(), Organization.id).first()
    )
    biggest = (
        CheckIn.select(CheckIn.event, fn.COUNT(CheckIn.id).alias("n"))
        .join(Event).where(Event.street == street)
        .group_by(CheckIn.event).order_by(fn.COUNT(CheckIn.id).desc(), CheckIn.event).first()
    )
    return {
        "slug": street.slug,
        "org_id": busiest.id if busiest else None,
        "event_id": biggest.event_id if biggest else None,
        "year": datetime.date.today().year,
        "logins": {"moderator": moderator.phone, "admin": "13900000000",
                   "org_admin": Organization.get_by_id(busiest.id).contact_phone if busiest else None},
    }


def measure(url, runs, label):
    """{page label: (status, statements, p50, p95)} for one database."""
    from flask import url_for

    from app import create_app
    from blueprints.demo.data import DEMO_PASSWORD
    from models import db

    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    rules = {r.rule: r.endpoint for r in app.url_map.iter_rules()}
    with app.app_context():
        db.connect(reuse_if_open=True)
        found = targets(app)
        db.close()
    counter = Counter(db.obj)
    clients = {}
    for who in ("moderator", "admin", "org_admin", "resident"):
        client = app.test_client()
        if who != "resident":
            answer = client.post("/login", data={"phone": found["logins"][who], "password": DEMO_PASSWORD})
            if answer.status_code not in (302, 303):
                raise SystemExit(f"{label}: the {who} could not log in ({answer.status_code})")
        clients[who] = client
    results = {}
    for page, who, rule, query in PAGES:
        if rule not in rules:
            continue
        values = {k: found[k] for k in ("slug", "org_id", "event_id", "year") if f"<{k}>" in rule or f":{k}>" in rule}
        if None in values.values():
            continue
        with app.test_request_context():
            path = url_for(rules[rule], **values) + query
        client = clients[who]
        for _ in range(2):  # warm-up: templates compiled, caches filled
            client.get(path)
        times, counts, status = [], [], 200
        for _ in range(runs):
            counter.count = 0
            started = time.perf_counter()
            answer = client.get(path)
            times.append(time.perf_counter() - started)
            counts.append(counter.count)
            if answer.status_code != 200:
                status = answer.status_code
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results[page] = (path, status, max(counts), min(counts), statistics.median(times), p95)
    db.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser, runs=20)
    parser.add_argument("--only", help="measure only pages whose label contains this")
    parser.add_argument("--child", nargs=3, metavar=("URL", "RUNS", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global PAGES
    if args.only:
        PAGES = [p for p in PAGES if args.only in p[0]]
    if args.child:
        url, runs, name = args.child
        print("RESULT" + json.dumps(measure(url, int(runs), name), ensure_ascii=False))
        return 0
    failures = compare(measure_both(args, lambda url, name: run_child(url, args.runs, name, args.only)))
    return report(failures, "every page within its bound and 300 ms at p95")


def add_common_arguments(parser, runs):
    """The options every bench of the two data sets takes."""
    parser.add_argument("--small-url", default=f"sqlite:///{DEFAULT_DIR / 'small.db'}")
    parser.add_argument("--large-url", default=f"sqlite:///{DEFAULT_DIR / 'large.db'}")
    parser.add_argument("--large-sizes", default=" ".join(LARGE),
                        help="seed-demo options for the large data (e.g. '--scale medium' for a quick look)")
    parser.add_argument("--runs", type=int, default=runs, help="requests per page (after 2 warm-up requests)")
    parser.add_argument("--drop", action="store_true", help="delete the SQLite files at the end")


def measure_both(args, measure_in_child):
    """Prepare the small and the large database and measure each with ``measure_in_child(url, name)``; with --drop,
    delete the SQLite files afterwards."""
    DEFAULT_DIR.mkdir(exist_ok=True)
    measured = {}
    for name, url, sizes in (("small", args.small_url, SMALL), ("large", args.large_url, args.large_sizes.split())):
        print(f"{name}: {url}")
        prepare(url, sizes)
        measured[name] = measure_in_child(url, name)
    if args.drop:
        for url in (args.small_url, args.large_url):
            if url.startswith("sqlite:///"):
                for suffix in ("", "-wal", "-shm"):
                    Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    return measured


def report(failures, success):
    """Print the failures (exit status 1) or ``success`` (0)."""
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"\n{success}")
    return 0


def child_results(command, url, name):
    """Run ``command`` in a child process (the app binds one database per process) and read back its results."""
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT"):
            return json.loads(line[len("RESULT"):])
    sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
    raise SystemExit(f"{name}: the measurement failed")


def compare(measured):
    """Print the table of both databases; the failures: not 200, statements differing, p95 over the limit."""
    failures = []
    print(f"\n{'page':<28} {'status':>6} {'queries small':>13} {'large':>6} {'p50 small':>9} {'p95 small':>9} "
          f"{'p50 large':>9} {'p95 large':>9}")
    for page, *_ in PAGES:
        small, large = measured["small"].get(page), measured["large"].get(page)
        if small is None or large is None:
            continue
        _, status_s, qmax_s, _qmin_s, p50_s, p95_s = small
        path, status_l, qmax_l, _qmin_l, p50_l, p95_l = large
        status = status_l if status_l != 200 else status_s
        print(f"{page:<28} {status:>6} {qmax_s:>13} {qmax_l:>6} {p50_s * 1000:>7.1f}ms {p95_s * 1000:>7.1f}ms "
              f"{p50_l * 1000:>7.1f}ms {p95_l * 1000:>7.1f}ms")
        if status != 200:
            failures.append(f"{page} ({path}): answered {status}")
        if qmax_s != qmax_l:
            failures.append(f"{page}: {qmax_s} statements on the small data, {qmax_l} on the large")
        if p95_l > P95_LIMIT:
            failures.append(f"{page}: p95 {p95_l * 1000:.0f} ms > {P95_LIMIT * 1000:.0f} ms on the large data")
    return failures


def run_child(url, runs, name, only):
    """Measure in a child process and read back its results."""
    command = [str(BIN / "python"), __file__, "--child", url, str(runs), name] + (["--only", only] if only else [])
    return child_results(command, url, name)


if __name__ == "__main__":
    sys.exit(main())
