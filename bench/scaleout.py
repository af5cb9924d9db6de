#!/usr/bin/env python3
"""宁社通 scale-out bench: two app servers on one PostgreSQL and one Redis, behind nginx.

Two gunicorn instances on different ports stand for two machines: the same SECRET_KEY, the same DATABASE_URL, the
same RATELIMIT_STORAGE_URI (Redis). nginx (when installed) balances one address over both, as deploy/nginx.conf does.
From a throw-away PostgreSQL schema (migrated and seeded with the demo) the bench shows that

1. a crowd split across the servers checks in with unique, gapless numbers: each resident opens the page on one
   server and submits it on the other (or both through nginx), some submit twice (a retry on the other server), and
   the database afterwards holds every acknowledged check-in exactly once, numbered 1…N;
2. a session, a remember-me login and a remembered resident (one-tap cookie, /me/) from one server work on the other;
3. a phone rate-limited on one server is limited on the other: its submissions go to the servers in turn, each sees
   fewer than the limit, and the one past the limit is refused with 429 wherever it lands.

It prints throughput, latency and the CPU per check-in of the app's workers and of PostgreSQL's server processes
(from /proc), and exits 1 when a check fails.

    .venv/bin/python bench/scaleout.py                 # PostgreSQL database "scaleout" (created), Redis DB 5
    .venv/bin/python bench/scaleout.py --residents 300 --no-nginx
    .venv/bin/python bench/scaleout.py --database-url postgresql://postgres@127.0.0.1:5432/other --redis-url redis://127.0.0.1:6379/7

The Redis database given is emptied at the start and the end: give it one of its own. The bench's limits are set
through the app's settings (environment), not by a bypass: CHECKIN_LIMIT_PER_ADDRESS is raised because the whole
crowd comes from 127.0.0.1, and CHECKIN_LIMIT_PER_PHONE is lowered to 3 per 10 minutes so that part 3 is quick.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as base  # noqa: E402  (bench/run.py: gunicorn start/stop, HTTP helpers, the demo set-up)

HOST = base.HOST
PHONE_LIMIT = 3  # CHECKIN_LIMIT_PER_PHONE in this bench: "3 per 10 minutes"

NGINX_CONF = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # As deploy/nginx.conf, without TLS: the app servers, round robin, kept-alive connections.
    upstream ningshe {{
        server {host}:{port_a} max_fails=3 fail_timeout=10s;
        server {host}:{port_b} max_fails=3 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://ningshe;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
        }}
    }}
}}
"""


# --------------------------------------------------------------------------------------------- set-up


def database_url(url):
    """The database (created when missing) with a schema bench_<pid> in it (created here, dropped at the end)."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "scaleout"
    conn = psycopg2.connect(base.admin_url(urllib.parse.urlunsplit(parts._replace(path="/postgres"))))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    url, schema = base.postgres_url(urllib.parse.urlunsplit(parts._replace(path="/" + name)))
    base.pg_schema(url, schema, create=True)
    return url, schema


def empty_redis(url):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.flushdb()
    client.close()


def start_nginx(tmp, port, port_a, port_b):
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / sub).mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, host=HOST, port=port, port_a=port_a, port_b=port_b))
    subprocess.run(["nginx", "-p", str(tmp), "-c", str(conf)], check=True, capture_output=True, timeout=20)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if base.request(port, "GET", "/healthz")[0] == 200:
                return int((tmp / "nginx.pid").read_text())
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("nginx did not answer within 10 s")


def stop_nginx(pid):
    if pid:
        try:
            os.kill(pid, signal.SIGQUIT)
        except ProcessLookupError:
            pass


def event_rows(url, event_id):
    """(number, phone) of the event's check-ins that are not undone."""
    import psycopg2

    conn = psycopg2.connect(base.admin_url(url), options=options(url))
    with conn.cursor() as cur:
        cur.execute("SELECT number, phone FROM check_in WHERE event_id = %s AND undone_at IS NULL", (event_id,))
        rows = cur.fetchall()
    conn.close()
    return rows


def database_pids(url):
    """The PostgreSQL server processes connected to the bench's database (the app servers' pooled connections)."""
    import psycopg2

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    conn = psycopg2.connect(base.admin_url(url))
    with conn.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        pids = [row[0] for row in cur.fetchall()]
    conn.close()
    return pids


def options(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)).get("options", "")


# --------------------------------------------------------------------------------------------- a resident


class Browser:
    """One phone: its own cookies, each request on a new connection to the port it is given."""

    def __init__(self):
        self.cookies = {}

    def get(self, port, path):
        status, headers, body = base.request(port, "GET", path, cookies=self.cookies)
        base.set_cookies(headers, self.cookies)
        return status, headers, body

    def post(self, port, path, fields):
        status, headers, body = base.request(port, "POST", path, body=fields, cookies=self.cookies)
        base.set_cookies(headers, self.cookies)
        return status, headers, body

    def form(self, port, path, action=None):
        status, _, html = self.get(port, path)
        forms = [f for f in base.parse(html).forms if f["method"] == "post" and f["action"] in (action or path, None)]
        if status != 200 or not forms:
            raise RuntimeError(f"GET {path} on {port}: {status}, no form")
        return forms[0]["fields"]


def resident_fields(i):
    return {"name": f"{base.SURNAMES[i % 20]}居民{i}", "phone": f"151{i:08d}", "consent": "y"}


# --------------------------------------------------------------------------------------------- checks


def crowd(routes, path, residents, concurrency, retry_every):
    """Each resident GETs on one port and POSTs on another; every ``retry_every``-th POSTs again on the first."""

    def one(i):
        get_port, post_port = routes[i % len(routes)]
        browser = Browser()
        try:
            fields = dict(browser.form(get_port, path), **resident_fields(i))
        except (OSError, http.client.HTTPException, RuntimeError) as exc:
            return {"status": type(exc).__name__, "time": 0.0, "ok": False, "retry": None}
        started = time.perf_counter()
        try:
            status, _, html = browser.post(post_port, path, fields)
        except (OSError, http.client.HTTPException) as exc:
            return {"status": type(exc).__name__, "time": time.perf_counter() - started, "ok": False, "retry": None}
        elapsed = time.perf_counter() - started
        retry = None
        if retry_every and i % retry_every == 0:  # the answer was lost: the phone sends the same form again
            try:
                retry = browser.post(get_port, path, fields)[0]
            except (OSError, http.client.HTTPException) as exc:
                retry = type(exc).__name__
        return {"status": status, "time": elapsed, "ok": status == 200 and "签到成功".encode() in html,
                "retry": retry, "phone": fields["phone"]}

    with ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        results = list(pool.map(one, range(residents)))
        wall = time.perf_counter() - started
    return results, wall


def check_numbers(url, event_id, before, acknowledged):
    rows = event_rows(url, event_id)
    numbers = sorted(n for n, _ in rows)
    phones = Counter(p for _, p in rows)
    new = len(rows) - before
    lost = [p for p in acknowledged if phones[p] == 0]
    doubled = [p for p in acknowledged if phones[p] > 1]
    gapless = numbers == list(range(1, len(numbers) + 1))
    return {"new": new, "lost": len(lost), "doubled": len(doubled), "gapless": gapless,
            "max": numbers[-1] if numbers else 0}


def check_sessions(ports, account):
    """Log in on one server, then be that user on the other; the same with only the remember-me cookie."""
    a, b = ports
    out = []
    for remember in (False, True):
        browser = Browser()
        fields = browser.form(a, "/login", "/login")
        fields.update(phone=account["phone"], password=account["password"])
        if remember:
            fields["remember"] = "y"
        else:
            fields.pop("remember", None)
        status, _, _ = browser.post(a, "/login", fields)
        if remember:
            browser.cookies = {k: v for k, v in browser.cookies.items() if k == "remember_token"}
        status_b, headers_b, html_b = browser.get(b, "/")
        seen = status_b == 200 and account["name"].encode() in html_b
        what = "remember-me cookie alone" if remember else "session"
        out.append((what, f"{what}: login on :{a} answered {status}, home page on :{b} "
                    f"{'shows ' + account['name'] if seen else 'does not know the user (' + str(status_b) + ')'}",
                    status == 303 and seen and (not remember or "remember_token" in browser.cookies)))
    return out


def check_resident(ports, path, title):
    """A resident who checked in on one server is remembered on the other (one-tap cookie and /me/)."""
    a, b = ports
    browser = Browser()
    fields = dict(browser.form(a, path), **resident_fields(9_000_001))
    status, _, _ = browser.post(a, path, fields)
    remembered = "resident" in browser.cookies
    status_b, _, page = browser.get(b, path)
    again = status_b == 200 and "居民9000001".encode() in page and "签到成功".encode() not in page
    status_me, _, me = browser.get(b, "/me/")
    listed = status_me == 200 and title.encode() in me
    cookie = "set" if remembered else "MISSING"
    return [("remembered resident", f"check-in on :{a} ({status}, resident cookie {cookie}); "
             f"its page on :{b} {'greets the resident as checked in' if again else 'does NOT know them'}", again),
            ("/me/", f"/me/ on :{b} {'lists' if listed else 'does NOT list'} the check-in made on :{a}", listed)]


def check_phone_limit(ports, path):
    """One phone, new page each time, submissions alternating between servers: the one past the limit is a 429."""
    statuses, per_server = [], Counter()
    for attempt in range(PHONE_LIMIT + 1):
        port = ports[attempt % 2]
        browser = Browser()  # a new phone each time: only the phone number is shared
        fields = dict(browser.form(port, path), **resident_fields(9_000_002))
        statuses.append((port, browser.post(port, path, fields)[0]))
        per_server[port] += 1
    ok = [s for _, s in statuses] == [200] * PHONE_LIMIT + [429]
    shown = ", ".join(f":{p} {s}" for p, s in statuses)
    return [("phone limit", f"one phone, limit {PHONE_LIMIT} per 10 minutes, submissions {shown}; "
             f"each server saw at most {max(per_server.values())}, so the 429 comes from the count they share in Redis",
             ok)]


# --------------------------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/scaleout",
                        help="a PostgreSQL database (created when missing; a schema bench_<pid> in it is dropped)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5",
                        help="a Redis database of the bench's own: it is emptied at the start and the end")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per server (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    parser.add_argument("--residents", type=int, default=600, help="the crowd (default 600; at most 2,500)")
    parser.add_argument("--concurrency", type=int, default=16, help="residents at the same time (default 16)")
    parser.add_argument("--retry-every", type=int, default=10, help="every n-th resident submits twice (default 10)")
    parser.add_argument("--no-nginx", action="store_true", help="alternate between the two ports only")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("--database-url takes a PostgreSQL URL: two servers share one PostgreSQL")
    if not args.redis_url.startswith("redis://") or args.redis_url.rstrip("/").endswith(":6379"):
        sys.exit("--redis-url takes a Redis URL with a database number of the bench's own, e.g. redis://…:6379/5")
    if args.residents > 2500:
        sys.exit("at most 2,500 residents: all come from one address, and an address has 3,000 submissions per "
                 "10 minutes")
    if not args.no_nginx and shutil.which("nginx") is None:
        print("nginx is not installed (apt-get install -y nginx): alternating between the two ports only")
        args.no_nginx = True
    return args


def report_crowd(url, event, servers, routes, path, args):
    """1. The crowd across both servers: the checks failed."""
    before = len(event_rows(url, event["id"]))
    workers = [pid for s in servers for pid in base.worker_pids(s.pid)]
    cpu0, backends = base.cpu_seconds(workers), database_pids(url)
    db0 = base.cpu_seconds(backends)
    results, wall = crowd(routes, path, args.residents, args.concurrency, args.retry_every)
    cpu = base.cpu_seconds(workers) - cpu0
    db_cpu = base.cpu_seconds(database_pids(url)) - db0  # connections opened meanwhile count from 0
    acknowledged = [r["phone"] for r in results if r["ok"]]
    numbers = check_numbers(url, event["id"], before, acknowledged)
    statuses = Counter(r["status"] for r in results)
    retries = Counter(r["retry"] for r in results if r["retry"] is not None)
    times = [r["time"] for r in results]
    ok = (len(acknowledged) == args.residents and numbers["new"] == args.residents and numbers["lost"] == 0
          and numbers["doubled"] == 0 and numbers["gapless"] and set(retries) <= {200})
    ms = base.ms
    print(f"1. crowd {args.residents}/{args.concurrency} over {len(routes)} routes "
          f"(GET :a POST :b, GET :b POST :a{'' if args.no_nginx else ', both via nginx'}): "
          f"{wall:.2f} s, {args.residents / wall:.0f} check-ins/s (GET + POST each), "
          f"POST p50 {ms(base.percentile(times, 50))}, p95 {ms(base.percentile(times, 95))}, "
          f"p99 {ms(base.percentile(times, 99))}")
    per = (cpu + db_cpu) / args.residents
    print(f"   CPU per check-in (GET + POST): app {cpu * 1000 / args.residents:.1f} ms (both servers' workers), "
          f"PostgreSQL {db_cpu * 1000 / args.residents:.1f} ms; one core: {1 / per:.0f} check-ins/s "
          f"({60 / per:,.0f} a minute)")
    print(f"   statuses {dict(statuses)}, retries on the other server {dict(retries)}; in the database "
          f"{numbers['new']} new, {numbers['lost']} lost, {numbers['doubled']} doubled, numbered 1–{numbers['max']}"
          f" {'without gaps' if numbers['gapless'] else 'WITH GAPS'}  {base.verdict(ok)}")
    return [] if ok else ["crowd"]


def clean_up(tmp, nginx, servers, url, schema, redis_url):
    """Stop what the bench started, drop its schema, empty its Redis database."""
    stop_nginx(nginx)
    for server in servers:
        base.stop(server)
    shutil.rmtree(tmp, ignore_errors=True)
    if schema:
        base.pg_schema(url, schema, create=False)
    try:
        empty_redis(redis_url)
    except Exception as exc:  # noqa: BLE001  (cleaning up; the run's verdict stands)
        print(f"could not empty {redis_url}: {exc}", file=sys.stderr)


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="ningshe-scaleout-"))
    servers, nginx, schema, url = [], None, None, None
    failures = []
    try:
        url, schema = database_url(args.database_url)
        empty_redis(args.redis_url)
        env = base.bench_env(url)
        env.update(
            RATELIMIT_STORAGE_URI=args.redis_url, PROXY_COUNT="1",
            CHECKIN_LIMIT_PER_ADDRESS="100000 per minute", CHECKIN_LIMIT_PER_PHONE=f"{PHONE_LIMIT} per 10 minutes",
        )
        setup, event = base.set_up(env)
        account = json.loads(base.run_app(env, str(base.BIN / "flask"), "--app", "app", "demo-accounts", "--json"))[0]
        path = f"/c/{event['token']}"
        ports = (base.free_port(), base.free_port())
        for n, port in enumerate(ports):
            servers.append(base.start_gunicorn(env, port, args.workers, args.threads, tmp / f"gunicorn-{n}.log"))
        routes = [ports, ports[::-1]]
        if not args.no_nginx:
            front = base.free_port()
            nginx = start_nginx(tmp, front, *ports)
            routes.append((front, front))
        health = [base.request(p, "GET", "/healthz")[2].decode() for p in ports]
        print(f"宁社通 scale-out · PostgreSQL (schema {schema}) · Redis {args.redis_url} · two servers "
              f"{args.workers}×{args.threads} on :{ports[0]} and :{ports[1]}"
              f"{'' if args.no_nginx else f' · nginx on :{routes[-1][0]}'} · {os.cpu_count()} CPUs · "
              f"event {event['id']} {event['title']} · set-up {setup:.1f} s")
        if not all('"ratelimit_storage": "ok"' in h or '"ratelimit_storage":"ok"' in h for h in health):
            failures.append("Redis in /healthz")
            print(f"   /healthz: {health}")

        failures += report_crowd(url, event, servers, routes, path, args)
        checks = (check_sessions(ports, account) + check_resident(ports, path, event["title"])
                  + check_phone_limit(ports, path))
        for n, (name, text, passed) in enumerate(checks, 2):
            print(f"{n}. {text}  {base.verdict(passed)}")
            failures += [] if passed else [name]
    except BaseException:
        for log in sorted(tmp.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-20:]
            print(f"{log.name} (last lines):\n  " + "\n  ".join(tail), file=sys.stderr)
        raise
    finally:
        clean_up(tmp, nginx, servers, url, schema, args.redis_url)

    if failures:
        print(f"FAILED: {', '.join(failures)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
