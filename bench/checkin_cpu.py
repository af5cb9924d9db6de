#!/usr/bin/env python3
"""宁社通 check-in CPU, in process: the app's own CPU time for a resident's GET and POST, and two versions side by side.

No server, no network, no client: the app is called as a WSGI function with requests built beforehand (their
building is not timed), each a new resident with a device, address and phone of its own, and the CPU time of the
calls is read with time.process_time(). What is left is the app's code: Flask and its extensions, the templates, the
limit script's round trip to Redis (as deployed) and the statements on SQLite.

This machine's speed drifts by tens of percent within minutes, so a figure measured now cannot be set against one
measured earlier. ``--against REV`` checks REV out into a temporary git worktree and runs it at the same time as the
working tree, one process on each core, round after round; each round's ratio (working tree ÷ REV) has both sides
under the same conditions, and the median of the rounds is the figure to read.

    .venv/bin/python bench/checkin_cpu.py                        # this tree: ms per GET, per POST, per check-in
    .venv/bin/python bench/checkin_cpu.py --against 5aafd51      # the working tree against a revision, paired
    .venv/bin/python bench/checkin_cpu.py --against 5aafd51 --calls   # and Python function calls per check-in
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: the benchmark's environment, the probe)

FIELD_RE = re.compile(r'<input[^>]*name="(csrf_token|key|t)"[^>]*value="([^"]*)"')
NUMBER_RE = re.compile(r"您是第 (\d+) 位")
WARM_UP = 30


def measure(n, first, token, count_calls=False):
    """In the child, with the app of the current directory: GET ms, POST ms (mean CPU time) and, when asked, Python
    function calls per check-in (cProfile's count: the same for the same code whatever the machine is doing; its
    times are left aside, the profiler slows every call)."""
    import cProfile
    import pstats

    from werkzeug.test import EnvironBuilder

    from app import create_app

    app = create_app()
    path = f"/c/{token}"

    def call(environ):
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers

        body = b"".join(app(environ, start_response))
        return answer["status"], answer["headers"], body.decode()

    def environ(method, i, cookies, data=None):
        headers = {"User-Agent": run.USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9",
                   "X-Forwarded-For": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        return EnvironBuilder(
            path=path, method=method, headers=headers, data=data, base_url="http://127.0.0.1:8000",
            content_type="application/x-www-form-urlencoded" if data else None,
        ).get_environ()

    get_cpu = post_cpu = 0.0
    profile = cProfile.Profile() if count_calls else None
    for k in range(WARM_UP + n):
        i = first + k
        if profile and k == WARM_UP:
            profile.enable()
        request = environ("GET", i, {})
        started = time.process_time()
        status, headers, html = call(request)
        got = time.process_time()
        cookies = dict(
            value.split(";", 1)[0].split("=", 1) for name, value in headers if name.lower() == "set-cookie"
        )
        fields = dict(FIELD_RE.findall(html), name=f"居民{i}", phone=f"13{i % 10**9:09d}", consent="y")
        request = environ("POST", i, cookies, urllib.parse.urlencode(fields))
        posting = time.process_time()
        status_after, _, answer = call(request)
        posted = time.process_time()
        if not (status.startswith("200") and status_after.startswith("200") and NUMBER_RE.search(answer)):
            raise SystemExit(f"resident {i}: GET {status}, POST {status_after}: not checked in")
        if k >= WARM_UP:
            get_cpu += got - started
            post_cpu += posted - posting
    result = {"get": get_cpu * 1000 / n, "post": post_cpu * 1000 / n}
    if profile:
        profile.disable()
        # the requests' building and reading here are counted too: the same few hundred calls for any version
        result["calls"] = pstats.Stats(profile).total_calls / n
    return result


def prepare(root, tmp, name):
    """A migrated, seeded SQLite database for the code at ``root``; (environment, the open event's token)."""
    url = f"sqlite:///{tmp}/{name}.db"
    env = dict(run.bench_env(url), PROXY_COUNT="1", SECRET_KEY=f"{run.SECRET_KEY}-{name}",
               RATELIMIT_STORAGE_URI=os.environ.get("BENCH_RATELIMIT_STORAGE", "redis://127.0.0.1:6379/13"))
    python = str(run.BIN / "python")
    for command in (["-m", "flask", "--app", "app", "db", "upgrade"], ["-m", "flask", "--app", "app", "seed-demo"]):
        subprocess.run([python, *command], cwd=root, env=env, check=True, capture_output=True, timeout=300)
    out = subprocess.run([python, "-c", run.PROBE, "find"], cwd=root, env=env, check=True, capture_output=True,
                         text=True, timeout=120).stdout
    event = json.loads(out.strip().splitlines()[-1])
    if not event:
        raise SystemExit(f"{name}: no demo event open for check-in")
    return env, event["token"]


def child(root, env, token, n, first, calls=False):
    """Start one measuring process for the code at ``root``."""
    command = [str(run.BIN / "python"), str(Path(__file__).resolve()), "--child", token, str(n), str(first),
               "1" if calls else "0"]
    return subprocess.Popen(command, cwd=root, env=dict(env, PYTHONPATH=str(root)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def result(process):
    out, err = process.communicate(timeout=900)
    if process.returncode != 0:
        raise SystemExit(f"measuring failed:\n{err[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="residents per round (default 1000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="a git revision to run side by side with the working tree")
    parser.add_argument("--calls", action="store_true",
                        help="also count Python function calls per check-in (a last round, under cProfile)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        token, n, first, calls = args.child
        print(json.dumps(measure(int(n), int(first), token, calls == "1")))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="ningshe-cpu-"))
    base = tmp / "base"
    try:
        sides = {"working tree": prepare(run.ROOT, tmp, "tree")}
        if args.against:
            subprocess.run(["git", "worktree", "add", "--detach", str(base), args.against], cwd=run.ROOT, check=True,
                           capture_output=True)
            sides[args.against] = prepare(base, tmp, "base")
        roots = {"working tree": run.ROOT, args.against: base}
        rows = {name: [] for name in sides}
        first = int(time.time()) % 1000 * 1_000_000
        for number in range(args.rounds):
            processes = {name: child(roots[name], env, token, args.n, first) for name, (env, token) in sides.items()}
            for name, process in processes.items():
                rows[name].append(result(process))
            first += args.n + WARM_UP
            print(f"round {number + 1}: " + "; ".join(
                f"{name} GET {r[-1]['get']:.2f} ms, POST {r[-1]['post']:.2f} ms" for name, r in rows.items()))
        calls = {}
        if args.calls:
            processes = {name: child(roots[name], env, token, args.n, first, calls=True)
                         for name, (env, token) in sides.items()}
            calls = {name: result(process)["calls"] for name, process in processes.items()}
    finally:
        if args.against:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=run.ROOT, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\napp CPU per check-in, in process (N = {args.n}, median of {args.rounds} rounds)")
    print("| | GET | POST | check-in |" + (" function calls per check-in |" if calls else ""))
    print("| --- | ---: | ---: | ---: |" + (" ---: |" if calls else ""))
    for name, r in rows.items():
        get_ms, post_ms = statistics.median(x["get"] for x in r), statistics.median(x["post"] for x in r)
        counted = f" | {calls[name]:,.0f}" if calls else ""
        print(f"| {name} | {get_ms:.2f} ms | {post_ms:.2f} ms | {get_ms + post_ms:.2f} ms{counted} |")
    if args.against:
        ratios = [(a["get"] + a["post"]) / (b["get"] + b["post"])
                  for a, b in zip(rows["working tree"], rows[args.against], strict=True)]
        print(f"working tree ÷ {args.against}, round by round: " + ", ".join(f"{x:.2f}" for x in ratios)
              + f"; median {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
