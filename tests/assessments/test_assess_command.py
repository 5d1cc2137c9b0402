"""``manage.py assess FILE``: recommendations for an inventory file, without a database."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.engine.inventory import TEMPLATE_HEADER

ROOT = Path(__file__).resolve().parents[2]
# METHODOLOGY 3.7, answers in the order of the table in section 2.
WORKED = {
    "Payroll processing": ("HR", "1 5 5 2 2 4 1 1 3 2 2"),
    "Market research": ("marketing", "3 2 2 5 2 2 1 1 5 4 2"),
    "Core product R&D": ("R&D", "5 1 2 5 3 4 1 3 1 2 5"),
    "Network infrastructure": ("IT", "2 4 4 3 5 3 1 4 4 3 3"),
    "Customer support hotline": ("customer service", "2 4 5 2 2 3 5 1 3 4 2"),
    "Every answer 3": ("other", "3 3 3 3 3 3 3 3 3 3 3"),
}


def write_inventory(path: Path, rows: dict[str, tuple[str, str]]) -> Path:
    lines = [",".join(TEMPLATE_HEADER)]
    for name, (function, answers) in rows.items():
        lines.append(",".join([name, function, "", "1000000", "5", *answers.split()]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def worked_file(tmp_path):
    return write_inventory(tmp_path / "inventory.csv", WORKED)


def run(*args) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# No `db` fixture: pytest-django fails any test that touches the database.
def test_the_worked_cases_come_out_as_the_methodology_says(worked_file):
    result = {p["name"]: p for p in json.loads(run(str(worked_file)))}
    assert list(result) == list(WORKED)
    payroll = result["Payroll processing"]
    assert (payroll["model"], payroll["location"], payroll["confidence"]) == (
        "BPO",
        "nearshore",
        1.0,
    )
    assert payroll["scores"] == {"retain": -0.625, "ITO": 0.075, "BPO": 0.975, "KPO": -0.375}
    assert payroll["flags"] == ["data"]
    assert (
        payroll["wave"],
        result["Network infrastructure"]["wave"],
        result["Market research"]["wave"],
    ) == (2, 1, 3)
    assert (
        result["Market research"]["model"],
        result["Market research"]["location"],
        result["Market research"]["confidence"],
    ) == ("KPO", "offshore", 1.0)
    assert result["Core product R&D"]["model"] == "retain"
    assert result["Core product R&D"]["reasons"][0].startswith("Guard rail")
    network = result["Network infrastructure"]
    assert (network["model"], network["location"], network["confidence"]) == ("ITO", "onshore", 1.0)
    assert network["start_month"] == 0
    hotline = result["Customer support hotline"]
    assert (hotline["model"], hotline["location"]) == ("BPO", "onshore")
    neutral = result["Every answer 3"]
    assert neutral["model"] == "insufficient_evidence"
    assert (
        neutral["location"],
        neutral["confidence"],
        neutral["wave"],
        neutral["start_month"],
    ) == (None, None, None, None)
    for process in result.values():
        assert set(process) == {
            "name",
            "model",
            "location",
            "confidence",
            "scores",
            "wave",
            "start_month",
            "flags",
            "reasons",
        }
        assert process["reasons"]


def test_the_csv_format_flattens_scores_flags_and_reasons(worked_file):
    rows = list(csv.DictReader(io.StringIO(run(str(worked_file), "--format", "csv"))))
    assert len(rows) == 6
    payroll = rows[0]
    assert payroll["name"] == "Payroll processing"
    assert (
        payroll["score_retain"],
        payroll["score_ITO"],
        payroll["score_BPO"],
        payroll["score_KPO"],
    ) == ("-0.625", "0.075", "0.975", "-0.375")
    assert payroll["flags"] == "data"
    assert payroll["reasons"].count("; ") >= 3
    assert rows[5]["location"] == "" and rows[5]["wave"] == ""


def test_json_is_the_default_format(worked_file):
    assert run(str(worked_file)) == run(str(worked_file), "--format", "json")


def test_a_bad_file_lists_every_problem(tmp_path):
    path = write_inventory(
        tmp_path / "bad.csv",
        {
            "Payroll": ("HR", "1 5 5 2 2 4 1 1 3 2 7"),
            "Research": ("astrology", "3 2 2 5 2 2 1 1 5 4 2"),
        },
    )
    with pytest.raises(CommandError) as error:
        run(str(path))
    message = str(error.value)
    assert "has 2 problems; nothing was" in message
    assert "Row 2" in message and "interdependence" in message
    assert "Row 3" in message and "astrology" in message


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.csv"))


def command_in_a_subprocess(tmp_path, *args):
    """Run manage.py with a database that cannot be opened: any query would fail."""
    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{missing}",
        "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert not missing.parent.exists()
    return result


def test_the_command_runs_without_any_database(tmp_path, worked_file):
    result = command_in_a_subprocess(tmp_path, str(worked_file))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 6


def test_a_bad_file_exits_non_zero_with_the_reason(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = command_in_a_subprocess(tmp_path, str(path))
    assert result.returncode != 0
    assert "The file is empty" in result.stderr
    assert result.stdout == ""
