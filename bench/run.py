#!/usr/bin/env python3
"""宁社通 benchmarks: the resident's check-in page under a venue crowd.

From an empty database (SQLite in a temporary directory, or a throw-away PostgreSQL schema) this runs
`flask db upgrade` and `flask seed-demo`, starts gunicorn, and measures

1. page weight: the resident's first visit to /c/<token>, HTML and every asset it loads, raw and gzipped;
2. GET /c/<token> throughput and latency under wrk;
3. a check-in crowd: N residents from one address, each opening the page and then submitting it;
4. memory: the resident set size of each gunicorn worker afterwards.

It prints a summary and exits 1 when a target in TARGETS is missed. The numbers live in bench/README.md.

    .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --database-url 'postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_<pid>'

Only the standard library (and psycopg2 from the venv, for PostgreSQL) is used; `wrk` must be on the PATH.
"""
import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
SECRET_KEY = "bench-secret-key-not-for-production"
USER_AGENT = "Mozilla/5.0 (Linux; Android 12) ningshe-bench"

#: The targets. Sizes in bytes, times in seconds, memory in bytes.
TARGETS = {
    "first_load_gzip": 30 * 1024,  # HTML + CSS + JS of the first visit, gzip -6
    "first_load_requests": 4,  # HTML, app.css, htmx, app.js
    "html_raw": 12 * 1024,  # the scan page's HTML, uncompressed
    "get_p99": 0.500,  # GET /c/<token>, 50 connections (2×8 on SQLite measured 150–360 ms: see README)
    "crowd_p95": 1.5,  # check-in POSTs of the crowd
    "worker_rss": 120 * 1024 * 1024,  # each gunicorn worker, after the runs
}

#: Run inside the app (a subprocess, with the benchmark's environment): find the open event, count its check-ins.
PROBE = r"""
import json, sys
from peewee import fn
from app import create_app
from blueprints.checkins.operations import window
from models import CheckIn, Event, db

create_app()
db.connect(reuse_if_open=True)
if sys.argv[1] == "find":
    for event in Event.select().order_by(Event.id):
        if event.checkin_mode == "static" and window(event) == "open":
            print(json.dumps({"id": event.id, "token": event.checkin_token, "title": event.title}))
            break
    else:
        print(json.dumps(None))
else:
    rows = CheckIn.select().where(CheckIn.event == int(sys.argv[2]), CheckIn.undone_at.is_null())
    numbers = [c.number for c in rows]
    print(json.dumps({"count": len(numbers), "distinct_numbers": len(set(numbers)),
                      "max_number": max(numbers, default=0), "distinct_phones": len({c.phone for c in rows})}))
db.close()
"""


# --------------------------------------------------------------------------------------------- set-up


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def postgres_url(url):
    """The URL with its search_path schema (``<pid>`` filled in, or bench_<pid> added) and the schema's name."""
    url = url.replace("<pid>", str(os.getpid())).replace("%3Cpid%3E", str(os.getpid()))
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    options = dict(query).get("options", "")
    found = re.search(r"-c\s*search_path=([A-Za-z0-9_]+)", options)
    if found:
        schema = found.group(1)
    else:
        schema = f"bench_{os.getpid()}"
        query = [(k, v) for k, v in query if k != "options"]
        query += [("options", f"{options} -csearch_path={schema}".strip())]
        url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote)))
    if not schema.startswith("bench_"):
        sys.exit(f"the schema must be called bench_…, it is dropped afterwards (got {schema!r})")
    return url, schema


#: Query arguments of a playhouse db_url that are peewee's (the connection pool's), not libpq's.
PEEWEE_ARGS = ("max_connections", "stale_timeout", "timeout", "autorollback", "autoconnect")


def admin_url(url):
    """The PostgreSQL URL without its options (for creating and dropping the schema)."""
    parts = urllib.parse.urlsplit(url)
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("options", *PEEWEE_ARGS)
    ]
    return urllib.parse.urlunsplit(parts._replace(scheme="postgresql", query=urllib.parse.urlencode(query)))


def pg_schema(url, schema, create):
    import psycopg2

    conn = psycopg2.connect(admin_url(url))
    conn.autocommit = True
    with conn.cursor() as cur:
        if create:
            cur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,))
            if cur.fetchone():
                conn.close()
                raise SystemExit(f"schema {schema} exists already; not touching it")
            cur.execute(f'CREATE SCHEMA "{schema}"')
        else:
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    conn.close()


def run_app(env, *args):
    """A command in the project's venv, with the benchmark's environment; its stdout."""
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:3]))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def probe(env, *args):
    out = run_app(env, str(BIN / "python"), "-c", PROBE, *args)
    return json.loads(out.strip().splitlines()[-1])


def start_gunicorn(env, port, workers, threads, log_path, app="app:create_app()"):
    """gunicorn serving ``app`` (bench/ is on its path: ``checkin_burst:bare_app()``), once every worker answers."""
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
               "--bind", f"{HOST}:{port}", "--no-control-socket", "--pythonpath", str(Path(__file__).parent), app]
    with open(log_path, "w") as log:  # gunicorn keeps its own copy of the descriptor
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: see {log_path}")
        try:
            status, _, _ = request(port, "GET", "/healthz")
            if status == 200 and len(worker_pids(server.pid)) == workers:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(server):
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_pids(master):
    pids = []
    for task in Path(f"/proc/{master}/task").glob("*"):
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def service_pids(*names):
    """The pids of the processes whose command is one of ``names`` (PostgreSQL's backends, redis-server)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in names:
                pids.append(int(comm.parent.name))
        except OSError:
            pass
    return pids


def cpu_seconds(pids):
    """utime + stime of these processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


# --------------------------------------------------------------------------------------------- HTTP


def request(port, method, path, body=None, cookies=None, timeout=30):
    """(status, headers as a list of pairs, body bytes) over a connection of its own, like a phone's."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept-Language": "zh-CN,zh;q=0.9"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def set_cookies(headers, jar):
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


class PageParser(HTMLParser):
    """What a browser would fetch for the page, and its forms' fields."""

    def __init__(self):
        super().__init__()
        self.blocking, self.later, self.forms = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel:
            self.blocking.append(("css", a["href"]))
        elif tag == "script" and a.get("src"):
            self.blocking.append(("js", a["src"]))
        elif tag == "link" and rel and {"icon", "apple-touch-icon", "manifest"} & set(rel):
            self.later.append((rel[0], a["href"]))
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.blocking.append(("img", a["src"]))
        elif tag == "form":
            self.forms.append({"action": a.get("action"), "method": (a.get("method") or "get").lower(), "fields": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def parse(html):
    parser = PageParser()
    parser.feed(html.decode("utf-8"))
    return parser


def gz(data, level=6):
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --------------------------------------------------------------------------------------------- benchmarks


def page_weight(port, path):
    """The first visit: the HTML, then every stylesheet, script and image it names (and CSS url()s)."""
    status, headers, html = request(port, "GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    page = parse(html)
    items = [{"kind": "html", "url": path, "raw": len(html), "gzip": gz(html), "gzip1": gz(html, 1),
              "cache": dict(headers).get("Cache-Control", "")}]
    queue = list(page.blocking)
    while queue:
        kind, url = queue.pop(0)
        status, headers, body = request(port, "GET", url)
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
        items.append({"kind": kind, "url": url, "raw": len(body), "gzip": gz(body), "gzip1": gz(body, 1),
                      "cache": dict(headers).get("Cache-Control", "")})
        if kind == "css":
            for ref in re.findall(rb"url\(\s*['\"]?([^'\")]+)", body):
                if not ref.startswith(b"data:"):
                    queue.append(("css-url", urllib.parse.urljoin(url, ref.decode())))
    later = []
    for kind, url in {url: (kind, url) for kind, url in page.later}.values():  # once per URL
        status, _, body = request(port, "GET", url)
        later.append({"kind": kind, "url": url, "raw": len(body), "status": status})
    return {
        "items": items,
        "later": later,
        "requests": len(items),
        "raw": sum(i["raw"] for i in items),
        "gzip": sum(i["gzip"] for i in items),
        "gzip1": sum(i["gzip1"] for i in items),
        "html_raw": items[0]["raw"],
        "html_gzip": items[0]["gzip"],
        # What the browser waits for before it paints: the HTML and the stylesheets (scripts are deferred).
        "render_gzip": sum(i["gzip"] for i in items if i["kind"] in ("html", "css", "css-url")),
    }


WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk_seconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * WRK_UNITS[unit]


def run_wrk(port, path, connections, duration, threads=2):
    url = f"http://{HOST}:{port}{path}"
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "non_2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1]),
              "socket_errors": sum(map(int, re.findall(r"(?:connect|read|write|timeout) (\d+)", out))),
              "raw": out}
    for p in ("50", "90", "99"):
        result[f"p{p}"] = wrk_seconds(re.search(rf"^\s+{p}(?:\.000)?%\s+(\S+)", out, re.MULTILINE).group(1))
    return result


SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"


def crowd(port, path, residents, concurrency):
    """Every resident opens the page (own cookies), then they all submit, ``concurrency`` at a time."""
    forms = [None] * residents

    def open_page(i):
        cookies = {}
        started = time.perf_counter()
        try:
            status, headers, html = request(port, "GET", path)
            set_cookies(headers, cookies)
            form = next(f for f in parse(html).forms if f["action"] == path and f["method"] == "post")
        except (OSError, http.client.HTTPException, StopIteration) as exc:
            return type(exc).__name__, time.perf_counter() - started
        forms[i] = (cookies, form["fields"])
        return status, time.perf_counter() - started

    def submit(i):
        if forms[i] is None:
            return "no form", 0.0, False
        cookies, fields = forms[i]
        body = dict(fields, name=f"{SURNAMES[i % 20]}居民{i}", phone=f"150{i:08d}", consent="y")
        started = time.perf_counter()
        try:
            status, _, html = request(port, "POST", path, body=body, cookies=cookies)
        except (OSError, http.client.HTTPException) as exc:
            return type(exc).__name__, time.perf_counter() - started, False
        return status, time.perf_counter() - started, "签到成功".encode() in html

    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        gets = list(pool.map(open_page, range(residents)))
        get_wall = time.perf_counter() - started
        started = time.perf_counter()
        posts = list(pool.map(submit, range(residents)))
        post_wall = time.perf_counter() - started
    post_times = [t for _, t, _ in posts]
    return {
        "get_wall": get_wall,
        "get_p95": percentile([t for _, t in gets], 95),
        "get_statuses": Counter(s for s, _ in gets),
        "wall": post_wall,
        "p50": percentile(post_times, 50),
        "p95": percentile(post_times, 95),
        "max": max(post_times),
        "statuses": Counter(s for s, _, _ in posts),
        "created": sum(1 for s, _, ok in posts if s == 200 and ok),
    }


# --------------------------------------------------------------------------------------------- main


def kb(n):
    return f"{n / 1024:.1f} KB"


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL (a schema bench_<pid> is created and dropped); default: SQLite in a temporary directory",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds (default 10)")
    parser.add_argument("--residents", type=int, default=300, help="the check-in crowd (default 300)")
    parser.add_argument(
        "--concurrency", type=int, default=50, help="residents submitting at the same time (default 50)"
    )
    parser.add_argument("--verbose", action="store_true", help="also print wrk's output and every asset")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if args.database_url and not args.database_url.startswith(("postgres", "postgresql")):
        sys.exit("--database-url takes a PostgreSQL URL (SQLite is the default, in a temporary directory)")
    if args.database_url and args.workers * args.threads >= 90:
        sys.exit("workers × threads must stay under PostgreSQL's max_connections (100)")
    return args


def bench_env(url):
    """The environment the app runs in: the benchmark's database, development settings, no proxy or rate-limit store."""
    env = dict(os.environ, DATABASE_URL=url, NINGSHE_ENV="development", SECRET_KEY=SECRET_KEY, FLASK_APP="app")
    for variable in ("BASE_URL", "PROXY_COUNT", "RATELIMIT_STORAGE_URI"):
        env.pop(variable, None)
    return env


def set_up(env):
    """Migrate and seed the database; the seconds that took and the demo event open for check-in."""
    t0 = time.perf_counter()
    run_app(env, str(BIN / "flask"), "--app", "app", "db", "upgrade")
    run_app(env, str(BIN / "flask"), "--app", "app", "seed-demo")
    setup = time.perf_counter() - t0
    event = probe(env, "find")
    if not event:
        raise RuntimeError("no demo event with check-in open now in static mode")
    return setup, event


def verdict(ok):
    return "ok" if ok else "FAIL"


def report_page_weight(port, path, verbose):
    """1. Page weight: the targets missed."""
    failures = []
    weight = page_weight(port, path)
    if verbose:
        for item in weight["items"]:
            print(f"    {item['kind']:<5} {item['url'][:60]:<60} {item['raw']:>7} B  "
                  f"gzip {item['gzip']:>6} B  {item['cache']}")
    later = ", ".join(f"{i['url'].split('?')[0]} {kb(i['raw'])}" for i in weight["later"])
    ok = weight["gzip"] <= TARGETS["first_load_gzip"] and weight["requests"] <= TARGETS["first_load_requests"]
    failures += [] if ok else ["first load"]
    print(f"1. first load     {weight['requests']} requests, {kb(weight['raw'])} raw, {kb(weight['gzip'])} gzip -6 "
          f"({kb(weight['gzip1'])} gzip -1)   "
          f"target ≤ {kb(TARGETS['first_load_gzip'])} in ≤ {TARGETS['first_load_requests']}  "
          f"{verdict(ok)}")
    ok = weight["html_raw"] <= TARGETS["html_raw"]
    failures += [] if ok else ["HTML size"]
    print(f"   scan page HTML {kb(weight['html_raw'])} raw, {kb(weight['html_gzip'])} gzip; "
          f"before first paint (HTML + CSS) "
          f"{kb(weight['render_gzip'])} gzip   target ≤ {kb(TARGETS['html_raw'])}  "
          f"{verdict(ok)}")
    print(f"   after load (not render-blocking): {later or 'nothing'}")
    return failures


def report_get(port, path, args):
    """2. GET throughput and latency: the targets missed."""
    run_wrk(port, path, min(10, args.connections), 2)  # warm-up
    get = run_wrk(port, path, args.connections, args.duration)
    if args.verbose:
        print(get["raw"])
    ok = get["p99"] <= TARGETS["get_p99"] and get["non_2xx"] == 0 and get["socket_errors"] == 0
    print(f"2. GET {args.connections} conns   {get['rps']:.0f} req/s, "
          f"p50 {ms(get['p50'])}, p90 {ms(get['p90'])}, p99 {ms(get['p99'])}, "
          f"{get['non_2xx']} non-2xx, {get['socket_errors']} socket errors   "
          f"target p99 ≤ {ms(TARGETS['get_p99'])}  {verdict(ok)}")
    return [] if ok else ["GET latency"]


def report_crowd(env, port, path, event, args):
    """3. The crowd: the targets missed."""
    before = probe(env, "count", str(event["id"]))["count"]
    result = crowd(port, path, args.residents, args.concurrency)
    after = probe(env, "count", str(event["id"]))
    new = after["count"] - before
    all_in = (result["statuses"] == Counter({200: args.residents}) and result["created"] == args.residents
              and new == args.residents and after["distinct_numbers"] == after["count"] == after["max_number"])
    ok = all_in and result["p95"] <= TARGETS["crowd_p95"]
    statuses = ", ".join(f"{n}×{s}" for s, n in sorted(result["statuses"].items(), key=str))
    print(f"3. crowd {args.residents}/{args.concurrency}   POSTs in {result['wall']:.2f} s "
          f"({args.residents / result['wall']:.0f}/s), "
          f"p50 {ms(result['p50'])}, p95 {ms(result['p95'])}, max {ms(result['max'])}; "
          f"{statuses}; {new} new check-ins numbered 1–{after['max_number']}   "
          f"target all in, p95 ≤ {ms(TARGETS['crowd_p95'])}  "
          f"{verdict(ok)}")
    print(f"   (their page loads: {result['get_wall']:.2f} s for {args.residents}, p95 {ms(result['get_p95'])})")
    return [] if ok else ["crowd"]


def report_memory(server):
    """4. Memory: the targets missed."""
    workers = {pid: rss(pid) for pid in worker_pids(server.pid)}
    ok = bool(workers) and max(workers.values()) <= TARGETS["worker_rss"]
    print(f"4. worker RSS     {', '.join(f'{n / 2**20:.0f} MB' for n in workers.values())} "
          f"(master {rss(server.pid) / 2**20:.0f} MB)   "
          f"target ≤ {TARGETS['worker_rss'] / 2**20:.0f} MB each  {verdict(ok)}")
    return [] if ok else ["memory"]


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="ningshe-bench-"))
    schema = None
    server = None
    failures = []
    try:
        if args.database_url:
            url, name = postgres_url(args.database_url)
            pg_schema(url, name, create=True)
            schema = name  # ours from here on: dropped at the end
            backend = f"PostgreSQL (schema {schema})"
        else:
            url = f"sqlite:///{tmp}/bench.db"
            backend = "SQLite (WAL)"
        env = bench_env(url)
        setup, event = set_up(env)
        path = f"/c/{event['token']}"

        port = free_port()
        server = start_gunicorn(env, port, args.workers, args.threads, tmp / "gunicorn.log")
        print(f"宁社通 bench · {backend} · gunicorn {args.workers}×{args.threads} · {os.cpu_count()} CPUs · "
              f"event {event['id']} {event['title']} · set-up {setup:.1f} s")

        failures += report_page_weight(port, path, args.verbose)
        failures += report_get(port, path, args)
        failures += report_crowd(env, port, path, event, args)
        failures += report_memory(server)
    except BaseException:
        if (tmp / "gunicorn.log").exists():
            tail = (tmp / "gunicorn.log").read_text(errors="replace").splitlines()[-30:]
            print("gunicorn log (last lines):\n  " + "\n  ".join(tail), file=sys.stderr)
        raise
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
        if schema:
            pg_schema(url, schema, create=False)

    if failures:
        print(f"MISSED: {', '.join(failures)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
