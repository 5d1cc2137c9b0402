"""The credit engine agrees, to the cent and flag by flag, with a plain exact reference.

The reference below is written from METHODOLOGY 7 and docs/methodology-contracts.md
with fractions.Fraction and nothing else: no integer tricks, no code shared with the
engine. Hypothesis drives both with inputs built to land on the edges: fees in whole
cents and at-risk shares with up to four decimals (so P often ends in exactly half a
cent), allocations of halves and quarters (so credits do too), allocations adding up to
more than 1 (so the cap binds), and actuals exactly on the target or the minimum. The
run is derandomized: the same examples every time, so it cannot flake.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from contracts.engine.credits import compute_credits, compute_credits_by_row

NAMES = ("a", "b", "c", "d")


def as_fraction(value) -> Fraction:
    """A number as the decimal it is written as (a float by its shortest form)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def round_half_up_to_cents(amount: Fraction) -> Fraction:
    cents = amount * 100
    whole = math.floor(cents)
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def shares_to_cents(amounts: list[Fraction], total: Fraction) -> list[Fraction]:
    """Largest remainder: floor each to the cent, the leftover cents to the largest
    remainders, the first on a tie."""
    floors = [Fraction(math.floor(a * 100), 100) for a in amounts]
    leftover = round((total - sum(floors)) * 100)
    order = sorted(range(len(amounts)), key=lambda i: (-(amounts[i] - floors[i]), i))
    for i in order[:leftover]:
        floors[i] += Fraction(1, 100)
    return floors


def judge(sla: dict, actual) -> str:
    if actual is None:
        return "not measured"
    value, target = as_fraction(actual), as_fraction(sla["target"])
    minimum = None if sla["minimum"] is None else as_fraction(sla["minimum"])
    if sla["direction"] == "higher":
        if value >= target:
            return "met"
        return "critical" if minimum is not None and value < minimum else "breach"
    if value <= target:
        return "met"
    return "critical" if minimum is not None and value > minimum else "breach"


def reference(slas: list[dict], periods: list[dict], fee, pct) -> list[dict]:
    pool = round_half_up_to_cents(as_fraction(fee) * as_fraction(pct))
    names = [s["name"] for s in slas]
    months = []
    for period in periods:
        verdicts = {s["name"]: judge(s, period.get(s["name"])) for s in slas}
        multiple = {"met": 0, "not measured": 0, "breach": 1, "critical": 2}
        shares = [multiple[verdicts[s["name"]]] * as_fraction(s["allocation"]) for s in slas]
        share_sum = sum(shares, Fraction(0))
        raw = [share * pool for share in shares]
        raw_sum = sum(raw, Fraction(0))
        # The cap binds when the shares of P claimed add up to more than the whole of P.
        capped = share_sum > 1
        if capped:
            credits = shares_to_cents([share / share_sum * pool for share in shares], pool)
        else:
            credits = shares_to_cents(raw, round_half_up_to_cents(raw_sum))
        months.append(
            {
                "at_risk_amount": pool,
                "verdicts": verdicts,
                "raw_credits": dict(zip(names, map(round_half_up_to_cents, raw), strict=True)),
                "raw_total": round_half_up_to_cents(raw_sum),
                "cap_applied": capped,
                "credits": dict(zip(names, credits, strict=True)),
                "total": sum(credits, Fraction(0)),
            }
        )
    for index, month in enumerate(months):
        later = months[index + 1 : index + 4]
        earned, status = {}, {}
        for sla in slas:
            name = sla["name"]
            if month["credits"][name] == 0:
                continue
            if not sla["earn_back"]:
                status[name] = "no earn-back"
            elif any(m["verdicts"][name] != "met" for m in later):
                status[name] = "not earned back"
            elif len(later) < 3:
                status[name] = "pending"
            else:
                status[name] = "earned back"
                earned[name] = month["credits"][name]
        month["earned_back"] = earned
        month["earned_back_total"] = sum(earned.values(), Fraction(0))
        month["net_total"] = month["total"] - month["earned_back_total"]
        month["earn_back_status"] = status
    return months


def exact(amount: float) -> Fraction:
    """An engine money figure as the decimal it prints as."""
    return Fraction(repr(amount))


def assert_agrees(engine: list[dict], expected: list[dict]) -> None:
    assert len(engine) == len(expected)
    for got, want in zip(engine, expected, strict=True):
        assert exact(got["at_risk_amount"]) == want["at_risk_amount"]
        verdicts = want["verdicts"]
        assert got["measured"] == {n: v != "not measured" for n, v in verdicts.items()}
        assert got["met"] == {n: v == "met" for n, v in verdicts.items()}
        assert got["breach"] == {n: v in ("breach", "critical") for n, v in verdicts.items()}
        assert got["critical"] == {n: v == "critical" for n, v in verdicts.items()}
        assert {n: exact(a) for n, a in got["raw_credits"].items()} == want["raw_credits"]
        assert exact(got["raw_total"]) == want["raw_total"]
        assert got["cap_applied"] == want["cap_applied"]
        assert {n: exact(a) for n, a in got["credits"].items()} == want["credits"]
        assert exact(got["total"]) == want["total"]
        assert {n: exact(a) for n, a in got["earned_back"].items()} == want["earned_back"]
        assert exact(got["earned_back_total"]) == want["earned_back_total"]
        assert exact(got["net_total"]) == want["net_total"]
        assert got["earn_back_status"] == want["earn_back_status"]


# --- strategies ---------------------------------------------------------------------


def half_cent_fee(pct: str, start: int) -> int:
    """The first fee in cents from `start` whose product with `pct` ends in exactly half
    a cent (every share in TIE_SHARES has one within 80 cents)."""
    share = Fraction(pct)
    return next(c for c in range(start, start + 100) if (c * share) % 1 == Fraction(1, 2))


TIE_SHARES = ("0.05", "0.15", "0.25", "0.35", "0.075", "0.125", "0.0125")


@st.composite
def pools(draw) -> tuple[int, str]:
    """A fee in cents and an at-risk share with up to four decimals; half the time the
    exact P ends in half a cent, where rounding a float product can go wrong."""
    if draw(st.booleans()):
        pct = draw(st.sampled_from(TIE_SHARES))
        return half_cent_fee(pct, draw(st.integers(0, 10**10))), pct
    return draw(st.integers(0, 10**10)), f"{draw(st.integers(1, 10_000)) / 10_000:.4f}"


# Halves and quarters of an odd number of cents are where credits tie; repeated values
# make capped months split P evenly, which ties too.
allocation_text = st.one_of(
    st.sampled_from(["0", "0.5", "0.25", "0.125", "0.75", "1", "1.5", "0.3333"]),
    st.integers(0, 30_000).map(lambda n: f"{n / 10_000:.4f}"),
)


@st.composite
def contracts(draw):
    count = draw(st.integers(1, len(NAMES)))
    slas = []
    for name in NAMES[:count]:
        direction = draw(st.sampled_from(["higher", "lower"]))
        target = draw(st.integers(2, 98))
        gap = draw(st.none() | st.integers(0, 5))
        minimum = None if gap is None else (target - gap if direction == "higher" else target + gap)
        allocation = Decimal(draw(allocation_text))
        slas.append(
            {
                "name": name,
                "target": target,
                "direction": direction,
                "minimum": minimum,
                "allocation": draw(st.sampled_from([allocation, float(allocation)])),
                "earn_back": draw(st.booleans()),
            }
        )
    periods = []
    for _ in range(draw(st.integers(1, 7))):
        period = {}
        if draw(st.integers(0, 2)) == 0:  # every target met: earn-back needs runs of these
            periods.append({sla["name"]: sla["target"] for sla in slas})
            continue
        for sla in slas:
            levels = [sla["target"], sla["target"] + 1, sla["target"] - 1]
            if sla["minimum"] is not None:
                levels += [sla["minimum"], sla["minimum"] + 1, sla["minimum"] - 1]
            actual = draw(
                st.none() | st.sampled_from(levels) | st.integers(0, 100).map(lambda n: n + 0.5)
            )
            if actual is not None:
                period[sla["name"]] = draw(st.sampled_from([actual, Decimal(str(actual))]))
        periods.append(period)
    cents, pct_text = draw(pools())
    fee = draw(st.sampled_from([Decimal(cents).scaleb(-2), cents / 100]))
    pct = Decimal(pct_text)
    return slas, periods, fee, draw(st.sampled_from([pct, float(pct)]))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(contracts())
@example(
    (
        [
            {
                "name": "a",
                "target": 99,
                "direction": "higher",
                "minimum": 98,
                "allocation": Decimal("1"),
                "earn_back": False,
            }
        ],
        [{"a": 90}],
        Decimal("50000.10"),
        Decimal("0.15"),
    )
)
@example(
    (
        [
            {
                "name": "a",
                "target": 99,
                "direction": "higher",
                "minimum": None,
                "allocation": Decimal("0.5"),
                "earn_back": True,
            },
            {
                "name": "b",
                "target": 4,
                "direction": "lower",
                "minimum": 8,
                "allocation": Decimal("1.5"),
                "earn_back": True,
            },
        ],
        [{"a": 98, "b": 9}, {"a": 99, "b": 4}, {"a": 99, "b": 4}, {"a": 99, "b": 4}],
        Decimal("1000.10"),
        Decimal("0.15"),
    )
)
def test_the_engine_matches_the_exact_reference_to_the_cent(case):
    slas, periods, fee, pct = case
    expected = reference(slas, periods, fee, pct)
    assert_agrees(compute_credits(slas, periods, fee, pct), expected)
    rows = [[period.get(sla["name"]) for sla in slas] for period in periods]
    assert_agrees(compute_credits_by_row(slas, rows, fee, pct), expected)


def test_the_reference_reproduces_the_worked_example():
    # METHODOLOGY 7: fee 100,000, 12 % at risk; month 2 is capped to 5,454.55 + 6,545.45.
    slas = [
        {
            "name": "availability",
            "target": Decimal("99.5"),
            "direction": "higher",
            "minimum": Decimal("99.0"),
            "allocation": Decimal("0.5"),
            "earn_back": True,
        },
        {
            "name": "response",
            "target": 4,
            "direction": "lower",
            "minimum": 8,
            "allocation": Decimal("0.4"),
            "earn_back": False,
        },
        {
            "name": "csat",
            "target": 85,
            "direction": "higher",
            "minimum": 75,
            "allocation": Decimal("0.6"),
            "earn_back": True,
        },
    ]
    met = {"availability": Decimal("99.7"), "response": 3, "csat": 90}
    periods = [
        {"availability": Decimal("99.6"), "response": 5, "csat": 80},
        {"availability": Decimal("98.5"), "response": 3, "csat": 70},
        met,
        met,
        met,
    ]
    expected = reference(slas, periods, 100_000, Decimal("0.12"))
    assert expected[1]["credits"] == {
        "availability": Fraction("5454.55"),
        "response": 0,
        "csat": Fraction("6545.45"),
    }
    assert expected[1]["net_total"] == 0
    assert_agrees(compute_credits(slas, periods, 100_000, Decimal("0.12")), expected)
