"""SQL queries and a CPU profile of each of the most visited pages, in production settings.

Run: .venv/bin/python benchmarks/load/profile_pages.py [--pages NAME,...] [--json FILE]

Sets up the same private database as run.py (sw_load on the local PostgreSQL, migrated,
seeded with the demo, dropped at the end) and a private redis-server (the cache), then, in
this process with DJANGO_DEBUG=false, signs in as the person who visits each page with
Django's test client, finds the page by following links (pages.py) and, for each page:

- its time: median wall and CPU milliseconds of 5 warm requests (server side only, no
  network), and one request with the cache emptied first (cold);
- its SQL queries on a warm request (CaptureQueriesContext): the count, the statements
  repeated with other parameters (N+1 patterns) and identical ones, each with the project
  code line and the template that sent it;
- a cProfile of 3 warm requests: the project functions with the most cumulative time,
  and the share of the time by area (templates, ORM, plotly, ...), waits for the
  database set apart, applied to the page's measured CPU milliseconds.

Pages are named by URL name (pages.PATTERNS); the default is the ten most visited in the
load test. SW_LOAD_DB and SW_LOAD_REDIS_PORT choose another database name and Redis port
than run.py's (stack.py), so two measurements never share them.

Nothing from the application is imported by path: only URLs, settings and management
commands, so it keeps working while modules move.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402
from stack import Stack, log  # noqa: E402

# The ten pages most requested in the 50-user load test (run.py), most visited first.
DEFAULT_PAGES = [
    "contracts:detail",
    "dashboard-figure",
    "dashboard",
    "contracts:sla-detail",
    "contracts:list",
    "assessments:process-detail",
    "assessments:results",
    "vendors:event-ranking",
    "contracts:vendor-record",
    "assessments:roadmap",
]
MANAGER_ONLY = {"assessments", "vendors"}
WARM_REQUESTS, PROFILED_REQUESTS = 7, 3
# Own time in the profile, by where the code lives (first match wins).
AREAS = (
    (
        "templates",
        (
            "/django/template/",
            "/django/templatetags/",
            "/crispy_forms/",
            "/crispy_bootstrap5/",
            "/django/forms/",
            "templatetags/",
        ),
    ),
    ("ORM", ("/django/db/",)),
    ("database driver", ("/psycopg/", "/psycopg_binary/")),
    ("plotly", ("/plotly/", "/_plotly_utils/")),
    ("pandas/numpy", ("/pandas/", "/numpy/")),
    ("cache/redis", ("/redis/", "/django/core/cache/", "pickle")),
    ("json", ("/json/", "json.")),
    ("copy", ("/copy.py",)),
    (
        "Django other",
        (
            "/django/",
            "/asgiref/",
            "/django_otp/",
            "/axes/",
            "/csp/",
            "/whitenoise/",
            "/simple_history/",
            "/auditlog/",
        ),
    ),
)
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
_STRING = re.compile(r"'(?:[^']|'')*'")
_IN_LIST = re.compile(r"IN \((?:\?, )*\?\)")
_FROM = re.compile(r'\bFROM "(\w+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", help="comma-separated URL names (default: the ten most visited in the load test)"
    )
    parser.add_argument(
        "--snapshot", action="store_true", help="profile git HEAD, exported to a temporary folder"
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="profile the code in this folder (another checkout or "
        "worktree, e.g. before/after a change) instead of this one",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--show-sql",
        action="store_true",
        help="print every query of each page with where it came from",
    )
    parser.add_argument("--top", type=int, default=10, help="functions listed per page")
    return parser.parse_args()


def setup_django(stack: Stack) -> None:
    os.environ.update(stack.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "outsourcing.settings"
    sys.path.insert(0, str(stack.root))
    os.chdir(stack.root)
    import django

    django.setup()
    # WhiteNoise warns that collectstatic never ran: no static file is requested here.
    warnings.filterwarnings("ignore", message="No directory at")


def role_for(name: str) -> str:
    return "manager" if name.split(":")[0] in MANAGER_ONLY else "cio"


class Browser:
    """A signed-in person with Django's test client, finding pages by their links."""

    def __init__(self, username: str) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        response = self.client.post(
            pages.LOGIN_PATH, {"username": username, "password": pages.DEMO_PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"log-in as {username} failed ({response.status_code})")
        self.known: dict[str, set[str]] = {}

    def get(self, path: str):
        response = self.client.get(path, follow=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status_code}")
        if "html" in response.get("Content-Type", ""):
            for name, paths in pages.links(response.content.decode()).items():
                self.known.setdefault(name, set()).update(paths)
        final = response.request["PATH_INFO"]
        if pages.url_name(final):
            self.known.setdefault(pages.url_name(final), set()).add(final)
        return response

    def find(self, name: str, depth: int = 0) -> str:
        if name in pages.ROOTS:
            return pages.ROOTS[name]
        if not self.known.get(name):
            if depth > 3 or name not in pages.PARENTS:
                raise RuntimeError(f"no link to a {name} page")
            self.get(self.find(pages.PARENTS[name], depth + 1))
        if not self.known.get(name):
            raise RuntimeError(f"no link to a {name} page")
        return sorted(self.known[name])[0]


# -- queries -------------------------------------------------------------------------------
def normalise(sql: str) -> str:
    sql = _STRING.sub("?", sql)
    sql = _NUMBER.sub("?", sql)
    return _IN_LIST.sub("IN (...)", sql)


class QueryOrigins:
    """An execute wrapper noting, for each query, the project line and template behind it."""

    def __init__(self, root: Path) -> None:
        self.root = str(root) + os.sep
        self.origins: list[tuple[str, str]] = []

    def __call__(self, execute, sql, params, many, context):
        frame = sys._getframe(1)
        where, template = "", ""
        while frame is not None:
            filename = frame.f_code.co_filename
            if (
                not where
                and filename.startswith(self.root)
                and "/.venv/" not in filename
                and "/benchmarks/" not in filename
            ):
                where = (
                    f"{filename.removeprefix(self.root)}:{frame.f_lineno} {frame.f_code.co_name}"
                )
            if (
                not template
                and frame.f_code.co_name == "render"
                and filename.endswith("django/template/base.py")
            ):
                origin = getattr(frame.f_locals.get("self"), "origin", None)
                template = getattr(origin, "template_name", "") or ""
            if where and template:
                break
            frame = frame.f_back
        self.origins.append((where or "(framework)", template))
        return execute(sql, params, many, context)


def query_report(browser: Browser, path: str, root: Path) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    origins = QueryOrigins(root)
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(origins):
        browser.client.get(path)
    statements = [query["sql"] for query in captured.captured_queries]
    shapes = Counter(normalise(sql) for sql in statements)
    exact = Counter(statements)
    where_by_shape: dict[str, Counter] = defaultdict(Counter)
    for sql, origin in zip(statements, origins.origins, strict=False):
        where_by_shape[normalise(sql)][
            f"{origin[0]}" + (f" [{origin[1]}]" if origin[1] else "")
        ] += 1
    repeated = [
        {
            "count": count,
            "sql": shape[:300],
            "from": [f"{where} x{n}" for where, n in where_by_shape[shape].most_common(3)],
        }
        for shape, count in shapes.most_common()
        if count > 1
    ]
    # The same table read by several statements: often the same rows loaded twice by two
    # code paths (not an N+1 by shape, but the same waste).
    by_table: dict[str, list[str]] = defaultdict(list)
    for sql, (where, _) in zip(statements, origins.origins, strict=False):
        match = _FROM.search(sql)
        if match:
            by_table[match.group(1)].append(where)
    same_table = {table: wheres for table, wheres in by_table.items() if len(wheres) > 1}
    listing = [
        {"sql": sql[:400], "from": where, "template": template}
        for sql, (where, template) in zip(statements, origins.origins, strict=False)
    ]
    return {
        "listing": listing,
        "same_table": same_table,
        "queries": len(statements),
        "distinct_shapes": len(shapes),
        "identical_repeats": sum(count - 1 for count in exact.values() if count > 1),
        "repeated": repeated,
        "query_ms": sum(float(query["time"]) for query in captured.captured_queries) * 1000,
    }


# -- time and profile ----------------------------------------------------------------------
def timings(browser: Browser, path: str) -> dict:
    from django.core.cache import cache

    walls, cpus = [], []
    for _ in range(WARM_REQUESTS):
        wall, cpu = time.perf_counter(), time.process_time()
        browser.client.get(path)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    cache.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    browser.client.get(path)
    cold_wall = (time.perf_counter() - wall) * 1000
    cold_cpu = (time.process_time() - cpu) * 1000
    browser.client.get(path)  # warm again for what follows
    return {
        "wall_ms": statistics.median(walls),
        "cpu_ms": statistics.median(cpus),
        "cold_wall_ms": cold_wall,
        "cold_cpu_ms": cold_cpu,
    }


def profile(browser: Browser, path: str, root: Path, top: int) -> dict:
    # The default (wall) clock: a CPU clock costs a system call per function call, which
    # swamps the figures. Waits on the database are set apart below.
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILED_REQUESTS):
        browser.client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    prefix = str(root) + os.sep
    total = max((row[3] for row in stats.stats.values()), default=0.0)
    project, everything = [], []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        row = {
            "function": f"{filename.removeprefix(prefix)}:{line} {function}",
            "calls": calls // PROFILED_REQUESTS,
            "cumulative_ms": cumulative * 1000 / PROFILED_REQUESTS,
            "own_ms": own * 1000 / PROFILED_REQUESTS,
        }
        everything.append(row)
        if (
            filename.startswith(prefix)
            and "/.venv/" not in filename
            and "/benchmarks/" not in filename
            and function != "__call__"
        ):
            project.append(row)  # middleware __call__ wraps everything: left out
    areas: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        if filename.startswith(prefix) and "/.venv/" not in filename:
            area = "project code"
        elif "/psycopg" in filename and "wait" in function:
            area = "waiting for the database"
        else:
            where = f"{filename} {function}"
            area = next(
                (name for name, marks in AREAS if any(m in where for m in marks)),
                "other (Python, C builtins)",
            )
        areas[area] += own * 1000 / PROFILED_REQUESTS
    project.sort(key=lambda row: -row["cumulative_ms"])
    everything.sort(key=lambda row: -row["own_ms"])
    return {
        "profiled_ms": total * 1000 / PROFILED_REQUESTS,
        "project": project[:top],
        "areas": dict(sorted(areas.items(), key=lambda item: -item[1])),
        "own_time": everything[:top],
    }


def login_cost() -> dict:
    """What one log-in costs the server: the password hash dominates, by design."""
    from django.test import Client

    walls, cpus = [], []
    for _ in range(3):
        client = Client(HTTP_HOST="127.0.0.1")
        wall, cpu = time.perf_counter(), time.process_time()
        client.post(pages.LOGIN_PATH, {"username": "manager", "password": pages.DEMO_PASSWORD})
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"wall_ms": statistics.median(walls), "cpu_ms": statistics.median(cpus)}


def print_page(name: str, path: str, figures: dict, show_sql: bool = False) -> None:
    queries, time_, prof = figures["queries"], figures["time"], figures["profile"]
    print(f"\n## {name}  {path}")
    print(
        f"time: warm {time_['wall_ms']:.1f} ms wall, {time_['cpu_ms']:.1f} ms CPU "
        f"(median of {WARM_REQUESTS}); cold cache {time_['cold_wall_ms']:.1f} ms wall, "
        f"{time_['cold_cpu_ms']:.1f} ms CPU"
    )
    print(
        f"queries: {queries['queries']} ({queries['distinct_shapes']} distinct shapes, "
        f"{queries['identical_repeats']} identical repeats, {queries['query_ms']:.1f} ms "
        "in the database driver)"
    )
    if show_sql:
        for number, row in enumerate(queries["listing"], 1):
            template = f" [{row['template']}]" if row["template"] else ""
            print(f"  {number:3}. {row['sql'][:150]}")
            print(f"       from {row['from']}{template}")
    for table, wheres in queries["same_table"].items():
        print(f"  {table} read {len(wheres)} times: " + "; ".join(wheres))
    for row in queries["repeated"]:
        print(f"  x{row['count']}: {row['sql'][:160]}")
        for where in row["from"]:
            print(f"       from {where}")
    print(
        f"profile (cProfile, per request, {prof['profiled_ms']:.1f} ms with the profiler): "
        "project functions by cumulative time"
    )
    for row in prof["project"]:
        print(
            f"  {row['cumulative_ms']:8.1f} ms cum {row['own_ms']:7.1f} ms own "
            f"{row['calls']:6} calls  {row['function']}"
        )
    areas = dict(prof["areas"])
    waited = areas.pop("waiting for the database", 0.0)
    working = sum(areas.values()) or 1.0
    print(
        f"  CPU by area (profile shares applied to the {time_['cpu_ms']:.1f} ms; database "
        f"waits, {waited:.1f} ms profiled, set apart): "
        + ", ".join(
            f"{area} {value / working * time_['cpu_ms']:.1f}"
            for area, value in areas.items()
            if value / working >= 0.01
        )
    )
    print("  most own time, any code:")
    for row in prof["own_time"]:
        print(f"  {row['own_ms']:8.1f} ms own {row['calls']:7} calls  {row['function']}")


def main() -> int:
    args = parse_args()
    names = args.pages.split(",") if args.pages else DEFAULT_PAGES
    unknown = [name for name in names if name not in pages.PATTERNS]
    if unknown:
        sys.exit(f"unknown page names: {unknown}; choose from {list(pages.PATTERNS)}")
    results = {}
    with Stack(
        app=False, hello=False, workers=False, snapshot=args.snapshot, source=args.source
    ) as stack:
        setup_django(stack)
        browsers: dict[str, Browser] = {}
        print(
            "# Page profiles (production settings, DJANGO_DEBUG=false, PostgreSQL, "
            "Redis cache; Django test client in-process)"
        )
        for name in names:
            role = role_for(name)
            browser = browsers.get(role) or browsers.setdefault(role, Browser(role))
            path = browser.find(name)
            browser.get(path)  # warm: templates compiled, caches filled
            browser.get(path)
            figures = {
                "path": path,
                "role": role,
                "time": timings(browser, path),
                "queries": query_report(browser, path, stack.root),
                "profile": profile(browser, path, stack.root, args.top),
            }
            results[name] = figures
            print_page(name, path, figures, args.show_sql)
            sys.stdout.flush()
        results["login"] = login_cost()
        print(
            f"\n## log-in (POST {pages.LOGIN_PATH}, password hashing included): "
            f"{results['login']['cpu_ms']:.0f} ms CPU, {results['login']['wall_ms']:.0f} ms "
            "wall (median of 3)"
        )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    log("done")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted: everything stopped, database dropped")
        sys.exit(130)
