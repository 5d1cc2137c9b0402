"""How fast do the key pages load in a real browser, for each role?

Run: .venv/bin/python benchmarks/pages.py [--port 8102] [--repeat 3] [--pages home,dashboard]

Starts the app itself as `make run` does: migrate, collectstatic when the static storage
needs it, the Celery worker of Procfile.dev (its filesystem queue in a scratch folder; with
no Procfile.dev, tasks run in-process), seed_demo (waiting for its projection to finish),
and `manage.py runserver` on 127.0.0.1:PORT, with a scratch SQLite database and static
folder, never db.sqlite3. Debian's Chromium (scripts/ensure_chromium.sh) is driven by
Playwright.

Each role (manager, cio, admin; admin passes the real two-factor step with a code from an
authenticator made for it in the scratch database) logs in once; then every page is
opened in a fresh browser context holding only that session cookie (empty cache: the first
visit) and once more in the same context (the second visit). The time is from the start of
the navigation to the end of the load event (Navigation Timing), the median of --repeat
runs. Targets: first visit <= 1500 ms, second <= 1000 ms; slower ones are flagged.
Also shown: the server's part of the first visit (request sent to first byte back), the
kilobytes the first visit transferred, and how many charts were drawn of those on the page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "sourcewise-demo"
ROLES = ("manager", "cio", "admin")
FIRST_TARGET_MS = 1500
SECOND_TARGET_MS = 1000

LOAD_TIME = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return nav.loadEventEnd - nav.startTime;
}"""
SERVER_TIME = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return nav.responseStart - nav.requestStart;
}"""
TRANSFERRED = """() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return entries.reduce((sum, entry) => sum + (entry.transferSize || 0), 0);
}"""
CHARTS = """() => [
  document.querySelectorAll(".plotly-chart, .projection-chart").length,
  document.querySelectorAll(".js-plotly-plot .main-svg").length > 0
    ? document.querySelectorAll(".js-plotly-plot").length : 0,
]"""


def environment(scratch: Path, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "SOURCEWISE_ENV_FILE": os.devnull,  # only what is set here, not the checkout's .env
        "DATABASE_URL": f"sqlite:///{scratch / 'pages.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        "SOURCEWISE_VAR_DIR": str(scratch / "var"),  # the worker's queue, beat's schedule
        "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    if not procfile_worker():
        env["SOURCEWISE_TASKS_IN_PROCESS"] = "true"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}")


def procfile_worker() -> str | None:
    """The worker line of Procfile.dev (what `make run` starts beside the web server)."""
    procfile = ROOT / "Procfile.dev"
    if not procfile.exists():
        return None
    for line in procfile.read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "worker" and command.strip():
            return command.strip()
    return None


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process and everything it started, then SIGKILL to what is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(process.pid, 0)  # anyone left in the group?
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server stopped:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    sys.exit(f"The server did not answer {url} within {seconds:.0f} s:\n{log.read_text()[-2000:]}")


def needs_collectstatic() -> bool:
    import django

    django.setup()
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    return isinstance(staticfiles_storage, ManifestFilesMixin)


def wait_for_projections(seconds: float = 600) -> None:
    from assessments.models import Projection

    deadline = time.monotonic() + seconds
    while Projection.objects.unfinished().exists():
        if time.monotonic() > deadline:
            sys.exit("The demo's projection did not finish; is the worker running?")
        time.sleep(0.5)


def prepare_database() -> tuple[dict[str, str], bytes]:
    """Key pages (name -> path) in the demo data and the admin's authenticator key. Runs
    in this process, on the scratch database the environment points to."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organisation
    from assessments.models import Assessment, Process, Projection
    from contracts.models import Contract, Sla
    from vendors.models import SourcingEvent

    acme = Organisation.objects.get(name="Acme Holdings")
    assessment = (
        Assessment.objects.filter(organisation=acme, status="submitted")
        .annotate(n=Count("processes"))
        .order_by("-n")
        .first()
    )
    process = (
        Process.objects.filter(assessment=assessment, recommendation__isnull=False)
        .order_by("position")
        .first()
    )
    projection = (
        Projection.objects.filter(assessment=assessment, status="done").order_by("-pk").first()
    )
    event = (
        SourcingEvent.objects.filter(organisation=acme)
        .annotate(n=Count("proposals"))
        .order_by("-n", "pk")
        .first()
    )
    contract = (
        Contract.objects.filter(organisation=acme)
        .annotate(n=Count("slas"))
        .order_by("-n", "pk")
        .first()
    )
    sla = (
        Sla.objects.filter(contract=contract)
        .annotate(n=Count("measurements"))
        .order_by("-n", "pk")
        .first()
    )

    pages = {"home": "/"}
    if assessment:
        base = f"/assessments/{assessment.pk}"
        pages["results"] = f"{base}/results/"
        if process:
            pages["process detail"] = f"{base}/processes/{process.pk}/"
        pages["roadmap"] = f"{base}/roadmap/"
        if projection:
            pages["projection"] = f"{base}/projections/{projection.pk}/"
    pages["vendor directory"] = "/vendors/"
    if event:
        pages["sourcing event"] = f"/vendors/events/{event.pk}/"
        pages["vendor ranking"] = f"/vendors/events/{event.pk}/ranking/"
    pages["contracts"] = "/contracts/"
    if contract:
        pages["contract"] = f"/contracts/{contract.pk}/"
        if sla:
            pages["SLA"] = f"/contracts/{contract.pk}/slas/{sla.pk}/"
    pages["renewals"] = "/contracts/renewals/"
    pages["notifications"] = "/contracts/notifications/"
    pages["dashboard"] = "/dashboard/"
    pages["members"] = "/accounts/members/"

    admin = get_user_model().objects.get(username="admin")
    device = TOTPDevice.objects.filter(user=admin, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=admin, name="Benchmark", confirmed=True)
    return pages, device.bin_key


def totp(key: bytes) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(key).token():06d}"


def log_in(browser, base_url: str, username: str, key: bytes) -> dict:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    if "/accounts/mfa/verify/" in page.url:
        page.get_by_label("Code").fill(totp(key))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(lambda url: "/accounts/mfa/" not in url)
    if "/accounts/mfa/" in page.url:
        sys.exit(f"{username} could not pass the two-factor step (at {page.url}).")
    state = context.storage_state()
    context.close()
    return state


def visit(page, path: str) -> tuple[int, float]:
    response = page.goto(path, wait_until="load")
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
    return (response.status if response else 0), page.evaluate(LOAD_TIME)


def measure(browser, base_url: str, state: dict, path: str, repeat: int) -> dict:
    firsts, seconds, servers, transferred, status, charts, errors = [], [], [], [], 0, (0, 0), []
    for _ in range(repeat):
        context = browser.new_context(
            base_url=base_url, storage_state=state, viewport={"width": 1400, "height": 900}
        )
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        status, first = visit(page, path)
        transferred.append(page.evaluate(TRANSFERRED))
        servers.append(page.evaluate(SERVER_TIME))
        charts = page.evaluate(CHARTS)
        _, second = visit(page, path)
        firsts.append(first)
        seconds.append(second)
        context.close()
    return {
        "status": status,
        "first": statistics.median(firsts),
        "second": statistics.median(seconds),
        "server": statistics.median(servers),
        "kb": statistics.median(transferred) / 1024,
        "charts": charts,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--roles", default=",".join(ROLES))
    args = parser.parse_args()
    os.chdir(ROOT)  # Celery's Django fix-up puts the working directory first on sys.path
    chromium = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not chromium:
        sys.exit("Needs Debian's Chromium: scripts/ensure_chromium.sh (apt-get install chromium)")

    scratch = Path(tempfile.mkdtemp(prefix="sourcewise-pages-"))
    env = environment(scratch, args.port)
    processes: list[subprocess.Popen] = []
    try:
        started = time.perf_counter()
        os.environ.update(env)
        manage(env, "migrate", "--noinput")
        collect = needs_collectstatic()
        if collect:
            manage(env, "collectstatic", "--noinput")
        worker = procfile_worker()
        if worker:
            env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
            processes.append(start(["sh", "-c", f"exec {worker}"], env, scratch / "worker.log"))
        manage(env, "seed_demo")
        wait_for_projections()
        pages, key = prepare_database()
        log = scratch / "server.log"
        server = start(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
            env,
            log,
        )
        processes.append(server)
        base_url = f"http://127.0.0.1:{args.port}"
        wait_for(f"{base_url}/healthz", server, log)
        print(
            f"Set up in {time.perf_counter() - started:.1f} s "
            f"({'the worker of Procfile.dev' if worker else 'tasks in-process'}, "
            f"collectstatic {'run' if collect else 'not needed'}); "
            f"median of {args.repeat} runs.\n"
        )

        wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
        from playwright.sync_api import sync_playwright

        rows, slow, failed = [], 0, 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                headless=True,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            for role in [r.strip() for r in args.roles.split(",") if r.strip()]:
                state = log_in(browser, base_url, role, key)
                for name, path in pages.items():
                    if wanted and name not in wanted:
                        continue
                    result = measure(browser, base_url, state, path, args.repeat)
                    rows.append((name, role, result))
            browser.close()

        header = (
            f"{'page':<18} {'role':<8} {'first ms':>9} {'second ms':>10} "
            f"{'server ms':>10} {'first KB':>9} {'charts':>7}  flags"
        )
        print(header)
        print("-" * len(header))
        for name, role, r in rows:
            if r["status"] != 200:
                why = "not shown to this role" if r["status"] in (403, 404) else "server error"
                failed += r["status"] not in (403, 404)
                print(
                    f"{name:<18} {role:<8} {'':>9} {'':>10} {'':>10} {'':>9} {'':>7}  "
                    f"HTTP {r['status']} ({why})"
                )
                continue
            flags = []
            if r["first"] > FIRST_TARGET_MS:
                flags.append(f"first > {FIRST_TARGET_MS} ms")
            if r["second"] > SECOND_TARGET_MS:
                flags.append(f"second > {SECOND_TARGET_MS} ms")
            expected, drawn = r["charts"]
            if drawn < expected:
                flags.append(f"only {drawn} of {expected} charts drawn")
            if r["errors"]:
                flags.append(f"script error: {r['errors'][0][:60]}")
            slow += bool(flags)
            chart_cell = f"{drawn}/{expected}" if expected else "-"
            print(
                f"{name:<18} {role:<8} {r['first']:>9.0f} {r['second']:>10.0f} "
                f"{r['server']:>10.0f} {r['kb']:>9.0f} {chart_cell:>7}  {'; '.join(flags)}"
            )
        print(
            f"\n{len(rows)} page views measured; {slow} flagged. Targets: first visit "
            f"<= {FIRST_TARGET_MS} ms, second <= {SECOND_TARGET_MS} ms."
        )
        if failed:
            print(
                f"\n{failed} page(s) failed; the end of the server's log:\n"
                + log.read_text()[-4000:]
            )
            sys.exit(1)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
