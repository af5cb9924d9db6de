#!/usr/bin/env python3
"""宁社通 benchmarks: pages stay flat as a district's data grows (issue 14, "Pages").

The pages a district's data could make slow: the public list of events, /me/, the check-in page, the volunteers'
roster of the event with the most check-ins (first page, the next page, a search, the live counter's poll), its
exports (CSV and Excel), an organization's page of all its events. With Flask's test client, per page and database:
the number of SQL statements of one request (a hook on execute_sql), the median latency of --runs requests (after
two warm-up requests; the whole answer read, streamed or not) and the size of the answer. The exports also give the
peak of Python memory of one request (tracemalloc), which must not grow with the data either.

It exits 1 when a page answers other than 200, when its median exceeds 100 ms on the large data, or when its
statement count differs between the small and the large data (a page whose queries grow with the data). The exports
of the biggest event are the exception to the 100 ms: they are bounded per 1,000 rows (EXPORT_LIMITS) and in memory.

    .venv/bin/python bench/pages.py                                   # SQLite under /tmp/ningshe-bench
    .venv/bin/python bench/pages.py --large-sizes '--scale medium'   # a quicker look
    .venv/bin/python bench/pages.py \\
        --small-url 'postgresql://postgres@127.0.0.1:5432/bench?options=-csearch_path%3Dsmall' \\
        --large-url 'postgresql://postgres@127.0.0.1:5432/bench?options=-csearch_path%3Dlarge'

The databases are prepared as bench/consoles.py does (and shared with it: the same files and sizes by default).
"""
import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from consoles import (  # noqa: E402
    BIN,
    Counter,
    add_common_arguments,
    child_results,
    measure_both,
    report,
    targets,
)

LIMIT = 0.100
#: The device cookie of the phone whose /me/ is measured.
BENCH_DEVICE = "bench-pages-device-0001"
#: An export's bounds: time per 1,000 rows of the file (CSV, Excel), and never beyond this in memory. Excel's is
#: openpyxl writing each cell's XML in pure Python (without lxml, not a dependency): 0.2-0.5 s per 1,000 rows here.
EXPORT_LIMITS = {"csv": 0.100, "xlsx": 0.500}
EXPORT_MEMORY_LIMIT = 8 * 1024 * 1024

#: (label, who, path template, kind). Paths take {event_id}, {token}, {org_id}, {before}.
PAGES = [
    ("events list", "resident", "/events/", "page"),
    ("events list, page 5", "resident", "/events/?page=5", "page"),
    ("events list, this week", "resident", "/events/?when=week", "page"),
    ("/me/, a new phone", "resident", "/me/", "page"),
    ("/me/, five check-ins", "device", "/me/", "page"),
    ("check-in page (biggest)", "resident", "/c/{token}", "page"),
    ("roster (biggest)", "moderator", "/events/{event_id}/checkins", "page"),
    ("roster, next page", "moderator", "/events/{event_id}/checkins?before={before}", "fragment"),
    ("roster, search by name", "moderator", "/events/{event_id}/checkins?q=王", "fragment"),
    ("roster, search by phone", "moderator", "/events/{event_id}/checkins?q=1234", "fragment"),
    ("counter poll with roster", "moderator", "/events/{event_id}/checkins/count?roster=1", "fragment"),
    ("org manage (busiest)", "org_admin", "/orgs/{org_id}/manage", "page"),
    ("org page (busiest)", "org_admin", "/orgs/{org_id}/", "page"),
    ("export CSV (biggest)", "moderator", "/events/{event_id}/checkins.csv", "export"),
    ("export Excel (biggest)", "moderator", "/events/{event_id}/checkins.xlsx", "export"),
]


def measure(url, runs):
    """{page label: [path, status, statements, median s, bytes, rows, peak memory]} for one database."""
    from app import create_app
    from blueprints.demo.data import DEMO_PASSWORD
    from core.limits import DEVICE_COOKIE, device_hash
    from models import CheckIn, Event, db

    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    with app.app_context():
        db.connect(reuse_if_open=True)
        found = targets(app)
        event = Event.get_by_id(found["event_id"])
        found["token"] = event.checkin_token
        found["rows"] = CheckIn.select().where(CheckIn.event == event).count()
        numbers = CheckIn.select(CheckIn.number).where(CheckIn.event == event).order_by(CheckIn.number.desc())
        found["before"] = ([n for (n,) in numbers.limit(51).tuples()] or [1])[-1]  # where the second page starts
        # /me/ of a phone that checked in five times: its device cookie, and that device on five check-ins.
        with app.test_request_context():
            mine = device_hash(BENCH_DEVICE)
        first = CheckIn.select(CheckIn.id).where(CheckIn.event == event).order_by(CheckIn.id).limit(5)
        CheckIn.update(device=mine).where(CheckIn.id.in_([c.id for c in first])).execute()
        db.close()
    counter = Counter(db.obj)
    clients = {}
    for who in ("moderator", "org_admin", "resident", "device"):
        client = app.test_client()
        if who == "device":
            client.set_cookie(DEVICE_COOKIE, BENCH_DEVICE)
        if who not in ("resident", "device"):
            answer = client.post("/login", data={"phone": found["logins"][who], "password": DEMO_PASSWORD})
            if answer.status_code not in (302, 303):
                raise SystemExit(f"the {who} could not log in ({answer.status_code})")
        clients[who] = client
    results = {}
    for page, who, template, kind in PAGES:
        path = template.format(**found)
        client = clients[who]
        headers = {"HX-Request": "true"} if kind == "fragment" else {}
        for _ in range(2):  # warm-up: templates compiled, caches filled
            client.get(path, headers=headers).get_data()
        times, counts, status, size = [], [], 200, 0
        for _ in range(runs):
            counter.count = 0
            started = time.perf_counter()
            answer = client.get(path, headers=headers)
            size = len(answer.get_data())  # a streamed answer is produced while it is read
            times.append(time.perf_counter() - started)
            counts.append(counter.count)
            if answer.status_code != 200:
                status = answer.status_code
        peak = None
        if kind == "export":
            tracemalloc.start()
            client.get(path).get_data()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        results[page] = [path, status, max(counts), statistics.median(times), size, found["rows"], peak]
    db.close()
    return results


def run_child(url, runs, name):
    """Measure in a child process and read back its results."""
    return child_results([str(BIN / "python"), __file__, "--child", url, str(runs)], url, name)


def compare(measured):
    """Print the table; the failures: not 200, statements differing, over the time or memory bound."""
    failures = []
    print(f"\n{'page':<26} {'status':>6} {'queries small':>13} {'large':>6} {'median small':>12} {'large':>9} "
          f"{'KB small':>9} {'large':>8}")
    for page, *_ in PAGES:
        small, large = measured["small"].get(page), measured["large"].get(page)
        if small is None or large is None:
            continue
        _, status_s, q_s, t_s, size_s, rows_s, peak_s = small
        path, status_l, q_l, t_l, size_l, rows_l, peak_l = large
        status = status_l if status_l != 200 else status_s
        print(f"{page:<26} {status:>6} {q_s:>13} {q_l:>6} {t_s * 1000:>10.1f}ms {t_l * 1000:>7.1f}ms "
              f"{size_s / 1024:>9.1f} {size_l / 1024:>8.1f}")
        if status != 200:
            failures.append(f"{page} ({path}): answered {status}")
        if q_s != q_l:
            failures.append(f"{page}: {q_s} statements on the small data, {q_l} on the large")
        if peak_l is not None:
            per_thousand = t_l / max(rows_l, 1) * 1000
            print(f"{'':<26} {rows_s:>6} rows small, {rows_l} large: {per_thousand * 1000:.1f} ms per 1,000 rows; "
                  f"peak memory {peak_s / 1024 / 1024:.1f} MB small, {peak_l / 1024 / 1024:.1f} MB large")
            limit = EXPORT_LIMITS[path.rsplit(".", 1)[-1]]
            if per_thousand > limit:
                failures.append(f"{page}: {per_thousand * 1000:.0f} ms per 1,000 rows > {limit * 1000:.0f}")
            if peak_l > EXPORT_MEMORY_LIMIT:
                failures.append(f"{page}: {peak_l / 1024 / 1024:.1f} MB of memory at the peak")
        elif t_l > LIMIT:
            failures.append(f"{page}: median {t_l * 1000:.0f} ms > {LIMIT * 1000:.0f} ms on the large data")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser, runs=5)
    parser.add_argument("--child", nargs=2, metavar=("URL", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, runs = args.child
        print("RESULT" + json.dumps(measure(url, int(runs)), ensure_ascii=False))
        return 0
    failures = compare(measure_both(args, lambda url, name: run_child(url, args.runs, name)))
    return report(failures, f"every page within {LIMIT * 1000:.0f} ms and its statements the same on both data sets")


if __name__ == "__main__":
    sys.exit(main())
