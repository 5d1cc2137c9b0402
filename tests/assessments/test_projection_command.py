"""``manage.py project FILE``: the projection of an inventory file, without the database.

No test here asks for the database: pytest-django fails any that touches it.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.engine.formatting import money0
from assessments.engine.inventory import template_csv
from assessments.engine.pipeline import ProcessInput, assess
from assessments.engine.projection import deterministic_projection
from assessments.engine.projection_mc import monte_carlo

RETAINED_ONLY = (
    "name,annual_cost,strategic_importance,standardisation,volume,knowledge_intensity,"
    "technology_intensity,data_sensitivity,customer_contact,onsite_need,capability_gap,"
    "demand_variability,interdependence\n"
    "Brand strategy,600000,5,1,1,5,1,3,3,1,2,2,4\n"
)


@pytest.fixture
def inventory(tmp_path) -> Path:
    path = tmp_path / "inventory.csv"
    path.write_text(template_csv())
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("project", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args) -> dict:
    return json.loads(run(*args, "--format", "json")[0])


def engine_processes(path: Path, horizon: int = 60, discount: float = 0.08):
    from assessments.engine.inventory import read_inventory

    rows = read_inventory(path.read_bytes(), path.name).rows
    assessed = assess(
        [
            ProcessInput(name=r.name, annual_cost=float(r.annual_cost), answers=r.answers)
            for r in rows
        ],
        horizon=horizon,
        discount_rate=discount,
    )
    return assessed.roadmap.projected_processes()


def test_the_json_has_every_figure_the_issue_names_with_the_defaults(inventory):
    report = run_json(inventory)
    for key in (
        "npv",
        "npv_p10",
        "npv_p50",
        "npv_p90",
        "npv_mean",
        "prob_npv_negative",
        "payback_month",
        "cumulative_p50",
        "waves",
    ):
        assert key in report
    assert (report["trials"], report["seed"], report["horizon"], report["discount_rate"]) == (
        10_000,
        0,
        60,
        0.08,
    )
    assert len(report["cumulative_p50"]) == 60
    assert [(w["wave"], w["model"]) for w in report["waves"]] == [
        (1, "ITO"),
        (2, "BPO"),
        (3, "KPO"),
    ]
    for wave in report["waves"]:
        assert wave["npv_p10"] <= wave["npv_p50"] <= wave["npv_p90"]
        assert 0 <= wave["prob_npv_negative"] <= 1


def test_the_numbers_are_the_engines_for_the_same_seed(inventory):
    report = run_json(inventory, "--trials", 2000, "--seed", 9, "--horizon", 36, "--discount", 0.1)
    processes = engine_processes(inventory, horizon=36, discount=0.1)
    expected = monte_carlo(processes, trials=2000, seed=9, horizon=36, discount_rate=0.1)
    modes = deterministic_projection(processes, horizon=36, discount_rate=0.1)
    assert report["npv"] == modes.npv and report["payback_month"] == modes.payback_month
    assert report["npv_p50"] == expected.npv_p50
    assert report["npv_mean"] == expected.npv_mean
    assert report["prob_npv_negative"] == expected.prob_npv_negative
    assert report["cumulative_p50"] == expected.cumulative_p50.tolist()
    assert [w["npv_p90"] for w in report["waves"]] == [w.npv_p90 for w in expected.waves]


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others(inventory):
    assert run_json(inventory, "--trials", 500) == run_json(inventory, "--trials", 500)
    assert (
        run_json(inventory, "--trials", 500)["npv_p50"]
        != run_json(inventory, "--trials", 500, "--seed", 1)["npv_p50"]
    )


def test_zero_trials_gives_the_deterministic_projection_alone(inventory):
    report = run_json(inventory, "--trials", 0)
    assert isinstance(report["npv"], float) and report["payback_month"] is not None
    for key in ("npv_p10", "npv_p50", "npv_p90", "npv_mean", "prob_npv_negative", "cumulative_p50"):
        assert report[key] is None
    assert all(w["npv_p50"] is None and w["npv"] is not None for w in report["waves"])


def test_the_text_format_reads_as_sentences(inventory):
    out, _ = run(inventory, "--trials", 500)
    report = run_json(inventory, "--trials", 500)
    headline, modes = out.splitlines()[1:3]
    assert headline.startswith(
        "Projected NPV, median of 500 trials (P50): "
        f"{money0(report['npv_p50'])}; 8 in 10 trials between"
    )
    assert f"expected (mean) {money0(report['npv_mean'])}" in headline
    assert modes == (
        "At the modes (every driver at its most likely value): NPV "
        f"{money0(report['npv'])}, payback month {report['payback_month']}"
    )
    assert "Wave 1 (ITO, 1 process): NPV P50" in out


def test_an_inventory_with_nothing_outsourced_projects_to_zero(tmp_path):
    path = tmp_path / "retained.csv"
    path.write_text(RETAINED_ONLY)
    out, err = run(path, "--format", "json")
    report = json.loads(out)
    assert report["processes"] == 0 and report["waves"] == []
    assert report["npv"] == 0 and report["npv_p50"] == 0 and report["payback_month"] is None
    assert report["npv_mean"] == 0
    assert "Nothing to project" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trials", "50"], "--trials must be 100 to 200,000, or 0"),
        (["--trials", "200001"], "--trials must be 100 to 200,000, or 0"),
        (["--seed", "-1"], "--seed must be a whole number of 0 or more"),
        (["--horizon", "0"], "--horizon must be 1 to 240 months"),
        (["--horizon", "241"], "--horizon must be 1 to 240 months"),
        (["--discount", "8"], "Write 8 % as 0.08"),
        (["--discount", "-0.1"], "--discount must be a rate from 0 to 0.5"),
    ],
)
def test_out_of_range_arguments_are_refused_in_words(inventory, args, message):
    with pytest.raises(CommandError, match=message):
        run(inventory, *args)


def test_a_missing_file_is_refused_in_words(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nope.csv: No such file"):
        run(tmp_path / "nope.csv")


def test_a_bad_inventory_lists_its_problems(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,annual_cost\nPayroll,lots\n")
    with pytest.raises(CommandError, match="problem.*nothing was projected") as error:
        run(path)
    assert "Row 2" in str(error.value)
