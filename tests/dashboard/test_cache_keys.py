"""The dashboard's cache keys are keys every cache backend takes: no spaces, no control
characters, at most 250 characters (Django warns of anything else, as memcached refuses
it), whatever the filters hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache.backends.base import memcache_key_warnings

from contracts.selectors.stamps import STAMP_KINDS
from outsourcing.dashboard.figures import PART_READS, part_keys
from outsourcing.dashboard.selectors import DashboardFilters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "function", ["", "Human resources", "Finance & accounting", "Legal/Compliance\t\n", "é" * 60]
)
def test_every_part_key_is_a_key_every_cache_takes(cast, function):
    filters = DashboardFilters(assessment_id=7, business_function=function, wave=2)
    stamps = dict.fromkeys(STAMP_KINDS, "3@2026-12-02 10:00:00+00")
    keys = part_keys(cast.org, filters, dt.date(2026, 12, 2), stamps)
    assert set(keys) == set(PART_READS)
    for key in keys.values():
        assert list(memcache_key_warnings(key)) == []


def test_two_business_functions_never_share_a_key(cast):
    stamps = dict.fromkeys(STAMP_KINDS, "1@-")
    day = dt.date(2026, 12, 2)
    first = part_keys(cast.org, DashboardFilters(business_function="HR ops"), day, stamps)
    second = part_keys(cast.org, DashboardFilters(business_function="HR%20ops"), day, stamps)
    assert set(first.values()).isdisjoint(second.values())
