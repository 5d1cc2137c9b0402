"""docs/api.md's worked example runs: scripts/api_example.py, started as a person would
start it (a separate process, the URL and a token in its environment), against the live
app. Tasks run in-process here (tests/conftest.py), inside the live server's thread, so
the projection is finished by the time its start is answered; the script polls all the
same. And the script in the docs is the same, byte for byte, as the one tested."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from accounts.services.tokens import token_create
from assessments.models import Assessment, Projection, ProjectionStatus, Status
from assessments.projections import results as projection_results

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "api_example.py"
DOCS = ROOT / "docs" / "api.md"
NPV = re.compile(r"^(P10|P50|P90) NPV: (-?\d+\.\d\d) ([A-Z]{3})$", re.MULTILINE)


def run(url: str, token: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "SOURCEWISE_URL": url,
        "SOURCEWISE_TOKEN": token,
        "SOURCEWISE_WAIT": "60",
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_worked_example_goes_from_an_inventory_to_a_projected_npv(
    live_server, transactional_db, cast
):
    _, token = token_create(
        user=cast.manager.user,
        organisation=cast.org,
        name="Example",
        read_only=False,
        expires_in_days=30,
    )
    done = run(live_server.url, token)
    assert done.returncode == 0, done.stdout + done.stderr

    assessment = Assessment.objects.get(organisation=cast.org)
    assert assessment.status == Status.SUBMITTED and assessment.processes.count() == 3
    assert f"Created assessment {assessment.pk}" in done.stdout
    projection = Projection.objects.filter(assessment=assessment, trials=5000, seed=42).get()
    assert projection.status == ProjectionStatus.DONE
    printed = {
        name: (Decimal(amount), currency) for name, amount, currency in NPV.findall(done.stdout)
    }
    headline = projection_results.headline(projection.result)
    expected = {
        name: Decimal(repr(headline[f"npv_{name.lower()}"])).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        for name in ("P10", "P50", "P90")
    }
    assert {name: amount for name, (amount, _) in printed.items()} == expected
    assert {currency for _, currency in printed.values()} == {assessment.currency}
    assert expected["P10"] <= expected["P50"] <= expected["P90"]


def test_a_read_only_token_is_told_in_words_and_nothing_is_created(
    live_server, transactional_db, cast
):
    _, token = token_create(
        user=cast.manager.user,
        organisation=cast.org,
        name="Reader",
        read_only=True,
        expires_in_days=30,
    )
    done = run(live_server.url, token)
    assert done.returncode == 1
    assert "POST /api/v1/assessments/: 403" in done.stdout and "read-only" in done.stdout
    assert not Assessment.objects.exists()


def test_the_docs_show_the_script_as_it_is():
    docs = DOCS.read_text()
    block = re.search(r"```python\n(\"\"\"From an inventory.*?)```", docs, re.DOTALL)
    assert block is not None, "docs/api.md lost its worked example"
    assert block.group(1) == SCRIPT.read_text()
