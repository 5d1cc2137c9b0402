"""A page's chart is built once per change of what it draws (assessments.chart_cache)."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest
from django.core.cache import cache

from assessments import charts
from assessments.chart_cache import cached_figure, cached_figure_json, figure_key
from contracts.charts import sla_trend_chart


def mix(counts=(5, 7, 11)) -> pd.DataFrame:
    return pd.DataFrame(
        {"model": ["retain", "ITO", "BPO"], "count": list(counts), "spend": [0.1, 0.2, 0.3]}
    )


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_cached_figure_is_the_figure_the_builder_draws():
    assert cached_figure(charts.mix_chart, mix(), currency="GBP") == json.loads(
        charts.mix_chart(mix(), currency="GBP").to_json()
    )


def test_the_same_data_gives_the_same_key_and_the_figure_is_built_once(monkeypatch):
    built = []

    def counting_mix_chart(frame, *, currency):
        built.append(currency)
        return charts.mix_chart(frame, currency=currency)

    counting_mix_chart.__module__ = charts.mix_chart.__module__
    first = cached_figure_json(counting_mix_chart, mix(), currency="GBP")
    again = cached_figure_json(counting_mix_chart, mix(), currency="GBP")
    assert first == again and built == ["GBP"]


def test_any_change_to_what_the_chart_draws_changes_the_key():
    key = figure_key(charts.mix_chart, mix(), currency="GBP")
    assert figure_key(charts.mix_chart, mix(), currency="GBP") == key  # no clock, no counter
    assert figure_key(charts.mix_chart, mix((5, 7, 12)), currency="GBP") != key
    assert figure_key(charts.mix_chart, mix(), currency="EUR") != key
    assert figure_key(charts.scores_bar, mix(), currency="GBP") != key


def test_a_float_that_differs_in_its_last_digit_is_another_chart_and_equal_ones_are_not():
    frame = pd.DataFrame({"label": ["Jan 2026"], "actual": [0.1 + 0.2], "breach": [False]})
    frame["critical"] = False
    same = frame.copy()
    other = frame.assign(actual=[0.3])
    arguments = {"name": "Uptime", "unit": "%", "target": Decimal("99.5"), "minimum": None}
    key = figure_key(sla_trend_chart, frame, direction="higher", **arguments)
    assert figure_key(sla_trend_chart, same, direction="higher", **arguments) == key
    assert figure_key(sla_trend_chart, other, direction="higher", **arguments) != key
