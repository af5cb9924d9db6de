#!/usr/bin/env python3
"""宁社通 check-in burst: a crowd of distinct residents checks in, next to a bare Flask handler on the same server.

For each database (SQLite in a temporary directory, PostgreSQL in a throw-away schema bench_<pid>) this migrates and
seeds a database, starts the app as the README's deployment section does (gunicorn, --workers 3 --threads 1 on two
cores, PROXY_COUNT=1 behind a proxy), and sends N residents (default 2,000) through the page and the form at each
concurrency (16 and 50): every resident its own connection, cookies, device, phone and address (X-Forwarded-For, as
the proxy sets it), so each one passes the rate limits as a distinct phone on a distinct network would. The
databases' crowds come in four parts each, in the order SQLite, PostgreSQL, PostgreSQL, SQLite, SQLite, …, so that
both sit at the same time on average, and wrk measures a bare Flask handler under the same gunicorn settings before and
after each part (when wrk is installed); the same crowd is sent to the bare handler too. It prints check-ins/s, latency
percentiles, errors, app CPU per check-in (utime + stime of the workers from /proc), the CPU PostgreSQL's and Redis's
processes spent meanwhile (per check-in: the whole server's, so other work on it counts too), the ratio check-ins/s ÷
bare requests/s, and checks in the database that every acknowledged check-in is there exactly once, numbered without
gaps. Exits 1 when a target is missed.

    .venv/bin/python bench/checkin_burst.py                     # both databases, N = 2000, c = 16 and 50
    .venv/bin/python bench/checkin_burst.py --n 300 --database sqlite
"""
import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: set-up, gunicorn, probes)

HOST = run.HOST
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
NUMBER_RE = re.compile(r"您是第 (\d+) 位")
FIELD_RE = re.compile(r'<input[^>]*name="(csrf_token|key|t)"[^>]*value="([^"]*)"')

#: Targets (issue 14). The ratio is check-ins/s ÷ the bare handler's requests/s under wrk (the stricter one; the
#: ratio against the bare handler under this script's own client is printed too).
TARGETS = {"ratio": 0.10, "pg_vs_sqlite": 0.75, "post_p99_c16": 0.150, "errors": 0, "lost": 0, "doubled": 0}


def bare_app():
    """A bare Flask handler: the server's and the client's own cost (gunicorn 'checkin_burst:bare_app()')."""
    from flask import Flask

    app = Flask("bare")

    @app.route("/c/<token>", methods=["GET", "POST"])
    def bare(token):
        return "ok 您是第 1 位"

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


# --------------------------------------------------------------------------------------------- client


class Browser:
    """One resident's phone: a keep-alive connection, its cookies; HTTP/1.1 spoken directly on an asyncio stream.

    The crowd's client shares the machine's two cores with the server, so it is kept lean: no header parsing
    beyond the status, Content-Length and Set-Cookie, no thread per resident.
    """

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}
        self.reader = self.writer = None

    async def request(self, method, path, body=b""):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", f"User-Agent: {run.USER_AGENT}",
                 "Accept-Language: zh-CN,zh;q=0.9", f"X-Forwarded-For: {self.address}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status, length, close = int(head[9:12]), 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"set-cookie":
                key, _, val = value.decode().split(";", 1)[0].strip().partition("=")
                self.cookies[key] = val
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        body = (await self.reader.readexactly(length)).decode()
        if close:  # gunicorn's sync worker (one thread) keeps no connection open: the next request opens one
            self.close()
            self.writer = None
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()


async def resident(port, path, i):
    """One resident: GET the page, POST the form. (ok, number, phone, GET seconds, POST seconds, error)."""
    browser = Browser(port, f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}")
    phone = f"137{i:08d}"
    started = time.perf_counter()
    get_time = post_time = 0.0
    try:
        status, html = await browser.request("GET", path)
        get_time = time.perf_counter() - started
        if status != 200:
            return False, None, phone, get_time, 0.0, f"GET {status}"
        fields = dict(FIELD_RE.findall(html), name=f"居民{i}", phone=phone, consent="y")
        started = time.perf_counter()
        status, html = await browser.request("POST", path, urllib.parse.urlencode(fields).encode())
        post_time = time.perf_counter() - started
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        return False, None, phone, get_time, time.perf_counter() - started, type(exc).__name__
    finally:
        browser.close()
    found = NUMBER_RE.search(html)
    if status != 200 or not found:
        return False, None, phone, get_time, post_time, f"POST {status}"
    return True, int(found.group(1)), phone, get_time, post_time, None


async def crowd(port, path, first, n, concurrency):
    """n residents from number ``first`` on, ``concurrency`` at a time, each on its own connection."""
    numbers = iter(range(first, first + n))
    results = []

    async def arrivals():
        for i in numbers:
            results.append(await resident(port, path, i))

    await asyncio.gather(*(arrivals() for _ in range(concurrency)))
    return results


def run_loop(coroutine):
    """Run the crowd on uvloop when installed (tests/requirements.txt has it): the client shares the two cores with
    the server, and uvloop's event loop spends about half of asyncio's own per request."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def burst(server, port, path, first, n, concurrency):
    """n residents from number ``first`` on, ``concurrency`` at a time: what ``summary`` reads."""
    workers = run.worker_pids(server.pid)
    postgres, redis = run.service_pids("postgres"), run.service_pids("redis-server")
    cpu0, client0 = run.cpu_seconds(workers), time.process_time()
    postgres0, redis0 = run.cpu_seconds(postgres), run.cpu_seconds(redis)
    started = time.perf_counter()
    results = run_loop(crowd(port, path, first, n, concurrency))
    wall = time.perf_counter() - started
    return {"n": n, "c": concurrency, "wall": wall, "results": results,
            "cpu": run.cpu_seconds(workers) - cpu0, "client": time.process_time() - client0,
            "postgres": run.cpu_seconds(postgres) - postgres0, "redis": run.cpu_seconds(redis) - redis0}


def summary(parts):
    """One table row from one or more bursts at the same concurrency: rates over their summed time, percentiles over
    all their residents; the bare handler's wrk rate around each burst, weighted by the burst's time."""
    results = [r for part in parts for r in part["results"]]
    wall, n = sum(p["wall"] for p in parts), sum(p["n"] for p in parts)
    ok = [r for r in results if r[0]]
    posts = [r[4] for r in results if r[4]]
    gets = [r[3] for r in results]
    errors = [r[5] for r in results if not r[0]]
    bare = [p for p in parts if p.get("bare_wrk")]
    return {
        "n": n, "c": parts[0]["c"], "wall": wall, "rate": len(ok) / wall, "requests": 2 * n / wall,
        "get_p50": run.percentile(gets, 50), "post_p50": run.percentile(posts, 50),
        "post_p95": run.percentile(posts, 95), "post_p99": run.percentile(posts, 99),
        "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
        "cpu_ms": sum(p["cpu"] for p in parts) * 1000 / max(len(ok), 1),
        "client_ms": sum(p["client"] for p in parts) * 1000 / max(n, 1),
        "postgres_ms": sum(p.get("postgres", 0) for p in parts) * 1000 / max(len(ok), 1),
        "redis_ms": sum(p.get("redis", 0) for p in parts) * 1000 / max(len(ok), 1),
        "bare_wrk": sum(p["bare_wrk"] * p["wall"] for p in bare) / sum(p["wall"] for p in bare) if bare else None,
        "acknowledged": {r[2]: r[1] for r in ok},
    }


def wrk_rate(port, path, connections):
    """Requests/s of wrk on ``path`` for 5 s (None without wrk)."""
    if shutil.which("wrk") is None:
        return None
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", "-d5s", f"http://{HOST}:{port}{path}"],
        capture_output=True, text=True, timeout=60, check=False,
    ).stdout
    found = re.search(r"Requests/sec:\s*([\d.]+)", out)
    return float(found.group(1)) if found else None


# --------------------------------------------------------------------------------------------- verification


def stored(url, event_id):
    """(phone, number) of the event's counted check-ins, read straight from the database."""
    sql = "SELECT phone, number FROM check_in WHERE event_id = {p} AND undone_at IS NULL"
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        rows = conn.execute(sql.format(p="?"), (event_id,)).fetchall()
    else:
        import psycopg2

        parts = urllib.parse.urlsplit(url)
        options = dict(urllib.parse.parse_qsl(parts.query)).get("options", "")
        conn = psycopg2.connect(run.admin_url(url), options=options)
        with conn.cursor() as cur:
            cur.execute(sql.format(p="%s"), (event_id,))
            rows = cur.fetchall()
    conn.close()
    return rows


def verify(rows, acknowledged):
    """lost, doubled, gaps: acknowledged check-ins missing or with another number; phones or numbers twice; holes."""
    by_phone = {}
    for phone, number in rows:
        by_phone.setdefault(phone, []).append(number)
    lost = sum(1 for phone, number in acknowledged.items() if by_phone.get(phone) != [number])
    doubled = sum(len(v) - 1 for v in by_phone.values()) + (len(rows) - len({n for _, n in rows}))
    numbers = sorted(n for _, n in rows)
    gaps = numbers != list(range(1, len(numbers) + 1))
    return lost, doubled, gaps


# --------------------------------------------------------------------------------------------- main


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


class Database:
    """One database under test: migrated and seeded, its app served as deployed, its bursts by concurrency."""

    def __init__(self, name, url, args, tmp):
        self.name, self.url = name, url
        env = dict(run.bench_env(url), PROXY_COUNT="1", SECRET_KEY=f"{run.SECRET_KEY}-{os.getpid()}")
        if args.ratelimit_storage != "memory://":
            env["RATELIMIT_STORAGE_URI"] = args.ratelimit_storage
        self.setup, self.event = run.set_up(env)
        self.path = f"/c/{self.event['token']}"
        self.before = stored(url, self.event["id"])
        self.parts, self.first = {}, 0
        self.server = run.start_gunicorn(env, run.free_port(), args.workers, args.threads, tmp / f"{name}.log")
        self.port = int(self.server.args[self.server.args.index("--bind") + 1].rsplit(":", 1)[1])
        burst(self.server, self.port, self.path, 10_000_000, 40, 8)  # warm-up: templates compiled, connections open

    def burst(self, n, c, spy_dir=None):
        spy = profiler(self.server, spy_dir, self.name, c) if spy_dir else None
        part = burst(self.server, self.port, self.path, self.first, n, c)
        if spy:
            print_profile(spy)
        self.first += n
        self.parts.setdefault(c, []).append(part)
        return part

    def stop(self):
        run.stop(self.server)

    def rows(self):
        """The table's rows, after checking in the database that every acknowledged check-in is there once."""
        rows = {c: summary(parts) for c, parts in self.parts.items()}
        acknowledged = {}
        for row in rows.values():
            acknowledged.update(row["acknowledged"])
        stored_rows = stored(self.url, self.event["id"])
        lost, doubled, gaps = verify(stored_rows, acknowledged)
        print(f"{self.name}: set-up {self.setup:.0f} s, event {self.event['id']} {self.event['title']}; "
              f"{len(stored_rows) - len(self.before)} new rows, {len(acknowledged)} acknowledged; lost {lost}, "
              f"doubled {doubled}, numbers 1–{len(stored_rows)} {'with GAPS' if gaps else 'without gaps'}")
        for row in rows.values():
            row.update(lost=lost, doubled=doubled + gaps)
        return [(self.name, rows[c]) for c in sorted(rows)]


def interleaved(databases, c, n, bare_port, spy_dir=None, slices=4):
    """n residents per database at concurrency c, in ``slices`` parts each, in the order A B B A A B B A …, so that
    every database's bursts sit at the same time on average: this machine's speed drifts by tens of percent within
    minutes (and now and then within seconds), and databases measured one after the other would carry that drift into
    their comparison. The bare handler is measured under wrk before and after each part, and each part's ratio is
    taken against the mean of the two."""
    pairs = databases + databases[::-1]
    order = [pairs[i % len(pairs)] for i in range(slices * len(databases))]
    sizes = [n // slices + (1 if k < n % slices else 0) for k in range(slices)]
    left = {database.name: list(sizes) for database in databases}
    profiled = set()
    bare_before = wrk_rate(bare_port, "/c/x", c)
    for database in order:
        spy = spy_dir if database.name not in profiled else None
        profiled.add(database.name)
        part = database.burst(left[database.name].pop(), c, spy)
        bare_after = wrk_rate(bare_port, "/c/x", c)
        part["bare_wrk"] = (bare_before + bare_after) / 2 if bare_before and bare_after else None
        bare_before = bare_after


def profiler(server, out_dir, name, c):
    """py-spy sampling the app's workers (wall time of their active threads) while a burst runs; (process, file)."""
    out = Path(out_dir) / f"{name.lower()}-c{c}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [shutil.which("py-spy") or str(run.BIN / "py-spy"), "record", "--format", "raw", "--rate", "200",
               "--output", str(out), "--subprocesses", "--pid", str(server.pid)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)  # attached before the crowd arrives
    return process, out


def print_profile(spy, top=40):
    """Stop py-spy; print the frames found in the most samples (inclusive: a frame and what it called)."""
    process, out = spy
    process.send_signal(signal.SIGINT)
    process.wait(60)
    samples, total = {}, 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in {f.split(" (")[0] + " (" + f.split("(")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
                      for f in stack.split(";") if " (" in f}:
            samples[frame] = samples.get(frame, 0) + int(count)
    print(f"\nprofile ({total} samples, {out}): share of the workers' samples in each frame and what it called")
    for frame, count in sorted(samples.items(), key=lambda item: -item[1])[:top]:
        print(f"  {count * 100 / max(total, 1):5.1f} %  {frame}")


def report(args, bare, bare_wrk, table):
    """Print the table (Markdown, for bench/README.md); the targets missed."""
    print()
    print("| | c | check-ins/s | POST p50 | p95 | p99 | errors | lost | doubled | CPU/check-in | client CPU "
          "| PostgreSQL, Redis CPU | ratio (wrk bare, around it) | ratio (same client) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in args.concurrency:
        wrk = f"{bare_wrk[c]:.0f}/s wrk" if bare_wrk[c] else "no wrk"
        b = bare[c]
        print(f"| bare Flask | {c} | {b['requests']:.0f} req/s ({wrk}) | {ms(b['post_p50'])} | {ms(b['post_p95'])} | "
              f"{ms(b['post_p99'])} | {b['errors']} | | | {b['cpu_ms'] / 2:.2f} ms/request | "
              f"{b['client_ms'] / 2:.2f} ms/request | | | |")
    failures, rates = [], {}
    for name, r in table:
        c = r["c"]
        ratio_wrk = r["rate"] / r["bare_wrk"] if r["bare_wrk"] else None
        ratio_same = r["rate"] / bare[c]["requests"]
        rates[name, c] = r["rate"]
        ratio_text = f"{ratio_wrk:.3f} (bare {r['bare_wrk']:.0f}/s)" if ratio_wrk else "–"
        print(f"| {name} | {c} | {r['rate']:.0f} | {ms(r['post_p50'])} | {ms(r['post_p95'])} | {ms(r['post_p99'])} "
              f"| {r['errors']} {' '.join(r['error_kinds'])} | {r['lost']} | {r['doubled']} | {r['cpu_ms']:.1f} ms | "
              f"{r['client_ms']:.2f} ms | {r['postgres_ms']:.2f} ms, {r['redis_ms']:.2f} ms | {ratio_text} | "
              f"{ratio_same:.3f} |")
        if r["errors"] or r["lost"] or r["doubled"]:
            failures.append(f"{name} c{c}: errors/lost/doubled")
        if c == 16 and r["post_p99"] > TARGETS["post_p99_c16"]:
            failures.append(f"{name} c16 POST p99 {ms(r['post_p99'])}")
        if name == "SQLite" and ratio_wrk is not None and ratio_wrk < TARGETS["ratio"]:
            failures.append(f"SQLite c{c} ratio {ratio_wrk:.3f} < {TARGETS['ratio']}")
    for c in args.concurrency:
        if ("SQLite", c) in rates and ("PostgreSQL", c) in rates:
            share = rates["PostgreSQL", c] / rates["SQLite", c]
            print(f"PostgreSQL ÷ SQLite at c{c}: {share:.2f}")
            if share < TARGETS["pg_vs_sqlite"]:
                failures.append(f"PostgreSQL at c{c} is {share:.2f} of SQLite")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="residents per concurrency (default 2000)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 50])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT),
                        help=f"PostgreSQL server (a schema bench_<pid> is made and dropped; default {PG_DEFAULT})")
    parser.add_argument(
        "--ratelimit-storage", default=os.environ.get("BENCH_RATELIMIT_STORAGE", "redis://127.0.0.1:6379/13"),
        help="Flask-Limiter's storage, as deployed (default redis://127.0.0.1:6379/13; memory:// without Redis)",
    )
    parser.add_argument("--profile", metavar="DIR",
                        help="sample the app's workers with py-spy during each burst (pip install py-spy) and print "
                             "where their time goes; the raw samples are kept in DIR")
    parser.add_argument("--slices", type=int, default=4,
                        help="parts each database's residents come in, alternating with the other's (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as the README deploys)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (default 1: gunicorn's sync worker, as the README deploys)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if args.ratelimit_storage.startswith("redis"):
        try:
            import redis

            redis.Redis.from_url(args.ratelimit_storage).ping()
        except Exception as exc:  # no Redis here: the limits count in each worker's memory instead
            print(f"Redis not reachable ({type(exc).__name__}): rate limits in memory")
            args.ratelimit_storage = "memory://"
    tmp = Path(tempfile.mkdtemp(prefix="ningshe-burst-"))
    table, schema, pg, bare_server, databases = [], None, None, None, []
    try:
        kind = "sync" if args.threads == 1 else "gthread"  # gunicorn's choice for one thread, or several
        print(f"宁社通 check-in burst · gunicorn {args.workers}×{args.threads} ({kind}) · {os.cpu_count()} CPUs · "
              f"N = {args.n} residents per run · limits in {args.ratelimit_storage}")
        env = dict(run.bench_env(f"sqlite:///{tmp}/bare.db"))
        bare_server = run.start_gunicorn(env, run.free_port(), args.workers, args.threads, tmp / "bare.log",
                                          app="checkin_burst:bare_app()")
        bare_port = int(bare_server.args[bare_server.args.index("--bind") + 1].rsplit(":", 1)[1])
        burst(bare_server, bare_port, "/c/x", 10_000_000, 40, 8)
        bare = {c: summary([burst(bare_server, bare_port, "/c/x", 0, args.n, c)]) for c in args.concurrency}
        bare_wrk = {c: wrk_rate(bare_port, "/c/x", c) for c in args.concurrency}
        if args.database in ("sqlite", "both"):
            databases.append(Database("SQLite", f"sqlite:///{tmp}/bench.db", args, tmp))
        if args.database in ("postgresql", "both"):
            pg, schema_name = run.postgres_url(args.pg_url)
            run.pg_schema(pg, schema_name, create=True)
            schema = schema_name
            databases.append(Database("PostgreSQL", pg, args, tmp))
        for c in args.concurrency:
            interleaved(databases, c, args.n, bare_port, args.profile, args.slices)
        for database in databases:
            table += database.rows()
    finally:
        for database in databases:
            database.stop()
        run.stop(bare_server)
        shutil.rmtree(tmp, ignore_errors=True)
        if schema:
            run.pg_schema(pg, schema, create=False)

    failures = report(args, bare, bare_wrk, table)
    if failures:
        print("MISSED: " + "; ".join(failures))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
