"""``manage.py project FILE [--scenario SCENARIO.json] [--trials N] [--seed S] [--horizon MONTHS]
[--discount RATE] [--format json]``: the savings projection of an inventory file.

``--scenario`` projects it under a scenario (``assessments/engine/scenarios.py``): a JSON
object with any of ``discount_rate``, ``horizon`` and ``drivers`` (driver -> model ->
``[low, mode, high]``); what it sets replaces ``--discount``, ``--horizon`` and the default
triangles, what it leaves out keeps them. The output has the same keys either way.

Reads a CSV or XLSX in the import format (METHODOLOGY section 2), scores and sequences it
with the pipeline the app uses, and prints the projection (METHODOLOGY section 5) without
touching the database: the deterministic NPV and payback month (at the modes), and from
the Monte Carlo run NPV P10, P50 and P90, the expected (mean) NPV, the probability that
NPV < 0 and the P50 of cumulative net savings per month; per wave the same NPV figures.
``--trials 0`` gives the deterministic projection alone (the Monte Carlo keys are null).

The JSON keys keep their meanings: ``npv`` is the NPV at the modes (every driver at its
most likely value), ``npv_p50`` the Monte Carlo median, which the pages headline, and
``npv_mean`` the expected NPV (docs/methodology-projection.md, "Which NPV is which").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.engine.formatting import count_of, money0
from assessments.engine.assumptions import using_assumptions
from assessments.engine.pipeline import ProcessInput, assess
from assessments.engine.projection import ProjectedProcess, deterministic_projection
from assessments.engine.projection_mc import monte_carlo
from assessments.engine.scenarios import (
    FILE_KEYS,
    MAX_TEXT_BYTES,
    Scenario,
    ScenarioError,
    load_scenario_json,
    run_scenario,
)
from assessments.engine.vocabulary import WAVE_MODELS
from assessments.management.commands._inventory_file import inventory_from

MAX_TRIALS = 200_000
MAX_HORIZON = 240
MAX_DISCOUNT = 0.5
NOTHING = "Nothing to project: no process in the file is recommended for outsourcing."


def projection_report(
    processes: Sequence[ProjectedProcess],
    *,
    trials: int,
    seed: int,
    horizon: int,
    discount_rate: float,
) -> dict[str, Any]:
    """The command's JSON: deterministic figures, and the Monte Carlo ones unless trials = 0.

    NPVs are in the inventory's currency; months are indices from 0 (the first month).
    An empty portfolio projects to zero in every trial.
    """
    deterministic = deterministic_projection(
        processes, horizon=horizon, discount_rate=discount_rate
    )
    summary = None
    if trials and processes:
        summary = monte_carlo(
            processes, trials=trials, seed=seed, horizon=horizon, discount_rate=discount_rate
        )
    mc_waves = {w.wave: w for w in summary.waves} if summary else {}

    def mc(value: Any) -> Any:
        if not trials:
            return None
        return value if summary else 0.0

    waves = []
    for wave in deterministic.waves:
        risk = mc_waves.get(wave)
        waves.append(
            {
                "wave": wave,
                "model": WAVE_MODELS.get(wave, ""),
                "processes": sum(1 for p in processes if p.wave == wave),
                "npv": deterministic.wave_npv[wave],
                "npv_p10": risk.npv_p10 if risk else None,
                "npv_p50": risk.npv_p50 if risk else None,
                "npv_p90": risk.npv_p90 if risk else None,
                "prob_npv_negative": risk.prob_npv_negative if risk else None,
                "payback_month": deterministic.wave_payback_month[wave],
            }
        )
    return {
        "trials": trials,
        "seed": seed,
        "horizon": horizon,
        "discount_rate": discount_rate,
        "processes": len(processes),
        "npv": deterministic.npv,
        "payback_month": deterministic.payback_month,
        "npv_p10": mc(summary.npv_p10 if summary else None),
        "npv_p50": mc(summary.npv_p50 if summary else None),
        "npv_p90": mc(summary.npv_p90 if summary else None),
        "npv_mean": mc(summary.npv_mean if summary else None),
        "prob_npv_negative": mc(summary.prob_npv_negative if summary else None),
        "cumulative_p50": (
            None if not trials else summary.cumulative_p50.tolist() if summary else [0.0] * horizon
        ),
        "cumulative": deterministic.cumulative.tolist(),
        "waves": waves,
    }


class Command(BaseCommand):
    help = (
        "Print the savings projection (NPV, payback, Monte Carlo percentiles, per wave) "
        "of an inventory file (CSV or XLSX, the import format) without touching the "
        "database."
    )
    requires_system_checks: list[str] = []  # pure computation: no checks, no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The inventory, .csv or .xlsx.")
        parser.add_argument(
            "--trials",
            type=int,
            default=10_000,
            help="Monte Carlo trials, 100 to 200,000; 0 for the deterministic "
            "projection alone (default 10,000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="Seed of the random draws; the same seed gives the same numbers (default 0).",
        )
        parser.add_argument(
            "--horizon", type=int, default=60, help="Months projected, 1 to 240 (default 60)."
        )
        parser.add_argument(
            "--discount",
            type=float,
            default=0.08,
            help="Annual discount rate as a fraction, 0 to 0.5 (default 0.08 for 8 %%).",
        )
        parser.add_argument(
            "--scenario",
            type=Path,
            default=None,
            help="A scenario, JSON with any of discount_rate, horizon and drivers "
            "(driver -> model -> [low, mode, high]); what it leaves out keeps its default.",
        )
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="Output format (default text).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trials, seed = options["trials"], options["seed"]
        horizon, discount = options["horizon"], options["discount"]
        _check(trials=trials, seed=seed, horizon=horizon, discount=discount)
        scenario = _scenario(options["scenario"]) if options["scenario"] else Scenario()
        path: Path = options["file"]
        inventory = inventory_from(path, action="projected")
        processes = [
            ProcessInput(name=row.name, annual_cost=float(row.annual_cost), answers=row.answers)
            for row in inventory.rows
        ]
        if scenario.is_base:
            assessed = assess(processes, horizon=horizon, discount_rate=discount)
            assumptions = None
        else:
            try:
                run = run_scenario(processes, scenario, horizon=horizon, discount_rate=discount)
            except ScenarioError as error:
                raise CommandError(f"--scenario: {error}") from None
            assessed, assumptions = run.assessed, run.assumptions
            horizon, discount = run.horizon, run.discount_rate
        with using_assumptions(assumptions):
            report = projection_report(
                assessed.roadmap.projected_processes(),
                trials=trials,
                seed=seed,
                horizon=horizon,
                discount_rate=discount,
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(_text(report))
        if not report["processes"]:
            self.stderr.write(NOTHING)
        for warning in assessed.warnings:
            self.stderr.write(f"Warning: {warning}")


def _scenario(path: Path) -> Scenario:
    """The scenario file, read and checked; CommandError says what is wrong with it."""
    try:
        with path.open("rb") as handle:
            text = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise CommandError(f"--scenario: cannot read {path}: {error.strerror or error}.") from None
    try:
        return load_scenario_json(text, keys=FILE_KEYS)
    except ScenarioError as error:
        raise CommandError(f"--scenario {path.name}: {error}") from None


def _check(*, trials: int, seed: int, horizon: int, discount: float) -> None:
    if trials != 0 and not 100 <= trials <= MAX_TRIALS:
        raise CommandError(
            f"--trials must be 100 to {MAX_TRIALS:,}, or 0 for the "
            f"deterministic projection alone; got {trials}."
        )
    if seed < 0:
        raise CommandError(f"--seed must be a whole number of 0 or more; got {seed}.")
    if not 1 <= horizon <= MAX_HORIZON:
        raise CommandError(f"--horizon must be 1 to {MAX_HORIZON} months; got {horizon}.")
    if not 0 <= discount <= MAX_DISCOUNT:
        hint = f" Write {discount:g} % as {discount / 100:g}." if 1 < discount <= 50 else ""
        raise CommandError(
            f"--discount must be a rate from 0 to {MAX_DISCOUNT} (0 to 50 %); "
            f"got {discount:g}.{hint}"
        )


def _money(value: float | None) -> str:
    return "n/a" if value is None else money0(value)


def _month(value: int | None) -> str:
    return "not within the horizon" if value is None else f"month {value}"


def _text(report: dict[str, Any]) -> str:
    lines = [
        "Savings projection of "
        f"{count_of(report['processes'], 'outsourced process', 'outsourced processes')}, "
        f"{report['horizon']} months at a discount rate of {report['discount_rate']:.2%}",
    ]
    if report["trials"]:
        lines.append(
            f"Projected NPV, median of {report['trials']:,} trials (P50): "
            f"{_money(report['npv_p50'])}; 8 in 10 trials between "
            f"{_money(report['npv_p10'])} (P10) and {_money(report['npv_p90'])} (P90); "
            f"expected (mean) {_money(report['npv_mean'])}; probability NPV < 0: "
            f"{report['prob_npv_negative']:.1%} (seed {report['seed']})"
        )
    lines.append(
        f"At the modes (every driver at its most likely value): NPV {_money(report['npv'])}, "
        f"payback {_month(report['payback_month'])}"
    )
    for wave in report["waves"]:
        processes = count_of(wave["processes"], "process", "processes")
        line = f"  Wave {wave['wave']} ({wave['model']}, {processes}): "
        if wave["npv_p50"] is not None:
            line += (
                f"NPV P50 {_money(wave['npv_p50'])} (P10 {_money(wave['npv_p10'])}, "
                f"P90 {_money(wave['npv_p90'])}), probability NPV < 0 "
                f"{wave['prob_npv_negative']:.1%}; "
            )
        line += f"at the modes NPV {_money(wave['npv'])}, payback {_month(wave['payback_month'])}"
        lines.append(line)
    return "\n".join(lines)
