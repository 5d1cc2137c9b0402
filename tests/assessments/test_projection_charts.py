"""Projection charts and tables: pure functions of the stored result (no database)."""

import pytest

from assessments.engine.projection import deterministic_projection, tornado
from assessments.engine.projection_mc import monte_carlo
from assessments.projections import charts as projection_charts
from assessments.projections import results as projection_results
from tests.assessments.projection_fixtures import projected


@pytest.fixture(scope="module")
def result() -> dict:
    processes = projected()
    run = {"horizon": 30, "discount_rate": 0.08}
    deterministic = deterministic_projection(processes, **run).to_dict()
    for wave in deterministic["waves"]:
        wave["model"] = {1: "ITO", 2: "BPO", 3: "KPO"}[wave["wave"]]
        wave["processes"] = sum(p.wave == wave["wave"] for p in processes)
    return {
        "nothing_to_project": False,
        "currency": "GBP",
        "processes": len(processes),
        "deterministic": deterministic,
        "monte_carlo": monte_carlo(processes, trials=500, seed=1, **run).to_dict(),
        "tornado": [vars(bar) for bar in tornado(processes, **run)],
    }


def test_the_fan_chart_draws_the_p10_to_p90_band_and_the_p50_line(result):
    frame = projection_results.fan_frame(result)
    figure = projection_charts.fan_chart(frame, currency="GBP")
    low, high, median, modes = figure.data
    assert list(low.y) == result["monte_carlo"]["cumulative_p10"]
    assert high.fill == "tonexty" and list(high.y) == result["monte_carlo"]["cumulative_p90"]
    assert list(median.y) == result["monte_carlo"]["cumulative_p50"]
    assert list(modes.y) == result["deterministic"]["cumulative"]
    assert list(median.x) == list(range(30))
    assert figure.layout.title.text.startswith("Cumulative net savings")
    assert figure.layout.yaxis.title.text == "Cumulative net savings (GBP)"
    assert figure.layout.xaxis.title.text.startswith("Month")


def test_the_waterfall_adds_the_waves_up_to_the_portfolio_npv(result):
    frame = projection_results.wave_frame(result)
    total = result["deterministic"]["npv"]
    figure = projection_charts.npv_waterfall(frame, total=total, currency="EUR")
    (bars,) = figure.data
    assert list(bars.x) == ["Wave 1: ITO", "Wave 2: BPO", "Wave 3: KPO", "Portfolio"]
    assert list(bars.measure) == ["relative", "relative", "relative", "total"]
    assert sum(bars.y[:3]) == pytest.approx(bars.y[3])
    assert figure.layout.yaxis.title.text == "NPV (EUR)"
    median = result["monte_carlo"]["waves"][0]["npv_p50"]
    assert f"Median (P50): EUR {median:,.0f}" in bars.hovertext[0]


def test_the_tornado_puts_the_largest_swing_on_top_around_the_npv_at_the_modes(result):
    frame = projection_results.tornado_frame(result)
    base = result["deterministic"]["npv"]
    figure = projection_charts.tornado_chart(frame, base_npv=base, currency="GBP")
    low, high = figure.data
    swings = list(frame["swing"])
    assert swings == sorted(swings, reverse=True)
    assert list(low.y) == list(frame["label"])
    assert figure.layout.yaxis.autorange == "reversed"
    assert [b + x for b, x in zip([base] * 5, high.x, strict=True)] == pytest.approx(
        list(frame["npv_at_high"])
    )
    assert figure.layout.xaxis.title.text == "NPV (GBP)"


def test_a_currency_cannot_inject_markup_into_a_chart(result):
    frame = projection_results.fan_frame(result)
    figure = projection_charts.fan_chart(frame, currency="<b>X</b>")
    assert "<b>" not in figure.layout.yaxis.title.text


def test_yearly_rows_cover_the_horizon_with_a_partial_last_year(result):
    rows = projection_results.yearly_rows(result)
    assert [row[:2] for row in rows] == [[1, "0\u201311"], [2, "12\u201323"], [3, "24\u201329"]]
    assert rows[-1][8] == result["deterministic"]["cumulative"][29]
    assert rows[-1][10] == result["monte_carlo"]["cumulative_p50"][29]
    assert sum(row[7] for row in rows) == pytest.approx(result["deterministic"]["cumulative"][-1])
    assert len(rows[0]) == len(projection_results.YEARLY_HEADER)


def test_monthly_rows_hold_the_percentiles_month_by_month(result):
    rows = projection_results.monthly_rows(result)
    assert len(rows) == 30 and len(rows[0]) == len(projection_results.MONTHLY_HEADER)
    assert all(row[3] <= row[4] <= row[5] for row in rows)


@pytest.mark.parametrize(
    ("month", "words"),
    [(None, "not within the horizon"), (0, "month 0 (year 1)"), (17, "month 17 (year 2)")],
)
def test_a_payback_month_reads_in_words(month, words):
    assert projection_results.payback_text(month) == words


def test_a_probability_reads_as_a_percentage():
    assert projection_results.share_text(0.0423) == "4.2 %"
    assert projection_results.share_text(None) == "n/a"


def test_the_workbook_keeps_numbers_as_numbers_and_neutralises_text():
    import io

    from openpyxl import load_workbook

    from assessments.engine.exports import Column, Sheet, workbook

    data = workbook(
        [
            Sheet(
                "Sheet",
                (Column("Name"), Column("Value", "money")),
                [["=1+1", -5.5], ["@SUM(A1)", 1234567.0]],
            )
        ],
        currency="EUR",
    )
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    assert [c.value for c in sheet[1]] == ["Name", "Value (EUR)"]
    assert [c.value for c in sheet[2]] == ["'=1+1", -5.5]
    assert [c.value for c in sheet[3]] == ["'@SUM(A1)", 1234567.0]


def test_wave_rows_say_in_words_when_a_wave_does_not_pay_back(result):
    waves = dict(result["deterministic"]["waves"][2])
    changed = {
        **result,
        "deterministic": {
            **result["deterministic"],
            "waves": [*result["deterministic"]["waves"][:2], {**waves, "payback_month": None}],
        },
    }
    rows = projection_results.wave_rows(changed)
    assert rows[2][-1] == "not within the horizon"
    assert len(rows[0]) == len(projection_results.WAVE_COLUMNS)


def test_the_wave_frame_keeps_whole_months_and_none_for_no_payback(result):
    waves = dict(result["deterministic"]["waves"][2])
    changed = {
        **result,
        "deterministic": {
            **result["deterministic"],
            "waves": [*result["deterministic"]["waves"][:2], {**waves, "payback_month": None}],
        },
    }
    records = projection_results.wave_frame(changed).to_dict("records")
    assert records[2]["payback_month"] is None
    assert isinstance(records[0]["payback_month"], int)
    assert records[0]["processes"] == 2 and records[0]["model"] == "ITO"
