"""``manage.py project FILE --scenario SCENARIO.json``: the projection under a scenario.

No test here asks for the database: pytest-django fails any that touches it.
"""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.engine.inventory import template_csv
from tests.realparts import ROOT

TRIALS = ("--trials", "1000", "--seed", "5")


@pytest.fixture
def inventory(tmp_path) -> Path:
    path = tmp_path / "inventory.csv"
    path.write_text(template_csv())
    return path


@pytest.fixture
def scenario_file(tmp_path):
    def write(content) -> Path:
        path = tmp_path / "scenario.json"
        if isinstance(content, str | bytes):
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        else:
            path.write_text(json.dumps(content))
        return path

    return write


def project(*args) -> dict:
    out = StringIO()
    call_command("project", *map(str, args), "--format", "json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_an_empty_scenario_gives_exactly_the_projection_without_one(inventory, scenario_file):
    assert project(inventory, "--scenario", scenario_file({}), *TRIALS) == project(
        inventory, *TRIALS
    )


def test_the_output_keeps_the_same_keys_and_the_scenarios_rate_and_horizon(
    inventory, scenario_file
):
    plain = project(inventory, *TRIALS)
    under = project(
        inventory, "--scenario", scenario_file({"discount_rate": 0.12, "horizon": 48}), *TRIALS
    )
    assert set(under) == set(plain)
    assert [set(w) for w in under["waves"]] == [set(w) for w in plain["waves"]]
    assert (under["discount_rate"], under["horizon"]) == (0.12, 48)
    assert len(under["cumulative_p50"]) == 48


def test_a_lower_bpo_saving_lowers_the_npv_and_leaves_the_ito_wave_alone(inventory, scenario_file):
    plain = project(inventory, *TRIALS)
    cautious = project(
        inventory,
        "--scenario",
        scenario_file({"drivers": {"gross_saving": {"BPO": [0.02, 0.08, 0.15]}}}),
        *TRIALS,
    )
    assert cautious["npv"] < plain["npv"]
    assert cautious["npv_p50"] < plain["npv_p50"]
    ito = [w for w in plain["waves"] if w["model"] == "ITO"]
    assert [w for w in cautious["waves"] if w["model"] == "ITO"] == ito


def test_a_longer_ito_transition_delays_the_ito_waves_payback(inventory, scenario_file):
    plain = project(inventory, "--trials", "0")
    slower = project(
        inventory,
        "--scenario",
        scenario_file({"drivers": {"transition_months": {"ITO": [9, 12, 18]}}}),
        "--trials",
        "0",
    )
    wave_1 = [w for w in plain["waves"] if w["wave"] == 1][0]
    slower_wave_1 = [w for w in slower["waves"] if w["wave"] == 1][0]
    assert slower_wave_1["payback_month"] > wave_1["payback_month"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"discount": 0.1}, "Unknown key 'discount'"),
        ({"waves": {"max_concurrent": 1}}, "Unknown key 'waves'"),
        ({"drivers": {"gross_saving": {"ITO": [0.3, 0.2, 0.1]}}}, "low <= mode <= high"),
        ({"drivers": {"gross_saving": {"ITO": [0.1, 0.2]}}}, "list of three numbers"),
        ({"drivers": {"gross_saving": {"ITO": ["a", 0.2, 0.3]}}}, "must be a number"),
        ({"drivers": {"gross_saving": {"ITO": [10, 20, 30]}}}, "must lie from -0.5 to 0.95"),
        ({"drivers": {"dip": {"ITO": [0, 0.1, 0.2]}}}, "Unknown driver"),
        ({"horizon": 1000}, "from 1 to 240"),
        ('{"discount_rate": NaN}', "NaN is not a number"),
        ('{"horizon": 1e400}', "finite number"),
        ("[" * 60_000 + "]" * 60_000, "nested too deeply"),
        ("{" + " " * 300_000 + "}", "at most 200,000 are read"),
        ("not json", "not valid JSON"),
    ],
)
def test_a_bad_scenario_file_is_refused_with_a_clear_message(
    inventory, scenario_file, content, message
):
    path = scenario_file(content)
    with pytest.raises(CommandError, match=message):
        project(inventory, "--scenario", path, *TRIALS)


def test_a_missing_scenario_file_is_refused(inventory, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        project(inventory, "--scenario", tmp_path / "nowhere.json")


def test_a_refused_scenario_exits_non_zero_with_the_message_on_stderr(inventory, scenario_file):
    path = scenario_file({"drivers": {"governance": {"KPO": [0.1, 0.05, 0.2]}}})
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "project",
            str(inventory),
            "--scenario",
            str(path),
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "drivers.governance.KPO must have low <= mode <= high" in done.stderr
    assert done.stdout == ""
