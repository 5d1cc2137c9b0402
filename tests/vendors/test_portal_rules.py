"""The portal's pure rules: tokens, the deadline, opening, declared capabilities."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from vendors.engine import portal as rules
from vendors.engine.shortlist import RiskFlag, Scope, ScopeProcess, VendorProfile

LONDON = ZoneInfo("Europe/London")


def test_a_new_token_carries_256_bits_and_differs_every_time():
    tokens = {rules.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 43 and rules.well_formed(t) for t in tokens)


def test_a_token_matches_its_own_hash_only():
    token = rules.new_token()
    assert rules.token_matches(token, rules.token_hash(token))
    assert not rules.token_matches(rules.new_token(), rules.token_hash(token))
    assert len(rules.token_hash(token)) == rules.TOKEN_HASH_LENGTH


def test_junk_is_not_a_token():
    for junk in ("", "csv", "a" * 42, "x" * 200, "é" * 50, "../../etc/passwd" + "a" * 40):
        assert not rules.well_formed(junk)


def test_responses_close_at_the_end_of_the_deadline_day_in_the_zone():
    closes = rules.closes_at(date(2027, 3, 31), LONDON)
    assert closes == datetime(2027, 4, 1, 0, 0, tzinfo=LONDON)
    assert not rules.is_closed(closes - timedelta(seconds=1), date(2027, 3, 31), LONDON)
    assert rules.is_closed(closes, date(2027, 3, 31), LONDON)


def test_a_revoked_link_fails_before_an_expired_one_and_an_open_one_works():
    now = datetime(2027, 1, 1, tzinfo=UTC)
    later = now + timedelta(days=1)
    assert (
        rules.link_state(now=now, expires_at=later, revoked=True, event_receiving=True).reason
        == "revoked"
    )
    assert (
        rules.link_state(now=later, expires_at=later, revoked=False, event_receiving=True).reason
        == "expired"
    )
    assert (
        rules.link_state(now=now, expires_at=later, revoked=False, event_receiving=False).reason
        == "closed"
    )
    assert rules.link_state(now=now, expires_at=later, revoked=False, event_receiving=True).usable


def test_responses_open_only_after_the_deadline_and_only_once():
    deadline = date(2027, 3, 31)
    before = datetime(2027, 3, 31, 23, 0, tzinfo=UTC)
    after = datetime(2027, 4, 2, tzinfo=UTC)
    assert "sealed until the deadline" in rules.may_open(
        now=before, deadline=deadline, zone=UTC, opened=False
    )
    assert rules.may_open(now=after, deadline=deadline, zone=UTC, opened=False) is None
    assert "once" in rules.may_open(now=after, deadline=deadline, zone=UTC, opened=True)


def test_the_price_is_the_sum_per_process_rounded_half_up_to_the_cent():
    assert rules.total_price([Decimal("0.005"), Decimal("1")]) == Decimal("1.01")
    assert rules.parse_amount("nonsense") is None
    assert rules.parse_amount("Infinity") is None


def test_languages_certifications_and_countries_are_read_from_plain_answers():
    assert rules.parse_languages("German: native, French (fluent); Polish") == {
        "German": "native",
        "French": "fluent",
        "Polish": "fluent",
    }
    assert rules.parse_certifications("ISO/IEC 27001 until 2028; SOC 2 Type II") == [
        "iso_27001",
        "soc_2",
    ]
    assert rules.parse_countries("India\nPoland, India") == ["India", "Poland"]
    assert rules.parse_yes_no(" yes ") is True and rules.parse_yes_no("No") is False
    assert rules.parse_yes_no("maybe") is None


def test_the_difference_report_names_each_contradiction_of_the_record():
    declared = rules.declared_from(
        {
            "languages": "English: native, German: native",
            "certifications": "SOC 2",
            "delivery_centres": "United Kingdom, India",
        }
    )
    report = rules.differences(
        languages={"English": "native", "German": "fluent"},
        certifications=["iso_27001"],
        countries=["United Kingdom", "Poland"],
        declared=declared,
        labels={"soc_2": "SOC 2"},
    )
    assert report == [
        "Declares delivery centres in India, which the registry does not record.",
        "Does not declare the registry's delivery centres in Poland.",
        "Declares German as native; the registry records it as fluent.",
        "Claims SOC 2, which the registry does not record.",
    ]


def test_unanswered_questions_contradict_nothing():
    report = rules.differences(
        languages={"English": "native"},
        certifications=["iso_27001"],
        countries=["Poland"],
        declared=rules.declared_from({}),
        labels={},
    )
    assert report == []


def test_declared_centres_and_languages_count_for_the_risk_flags():
    profile = VendorProfile(
        id=1, name="V", languages={"English": "native"}, delivery_centres=[("Poland", "Europe")]
    )
    declared = rules.declared_from({"delivery_centres": "India", "languages": "English: fluent"})
    seen = rules.with_declared(profile, declared, lambda country: "Asia")
    assert ("India", "Asia") in seen.delivery_centres and (
        "Poland",
        "Europe",
    ) in seen.delivery_centres
    assert seen.languages["English"] == "native"  # a weaker claim never lowers the record


SCOPE = Scope(
    model="BPO",
    home_country="United Kingdom",
    home_continent="Europe",
    customer_languages=["English"],
    planned_start=date(2027, 6, 1),
    processes=[ScopeProcess("Payroll processing", data_sensitivity=5)],
)


def test_saying_the_data_leaves_the_country_raises_the_residency_flag_once():
    leaves = rules.declared_from({"data_residency": "No"})
    flags = rules.declared_flags(leaves, SCOPE, [])
    assert [f.code for f in flags] == ["data_residency"]
    assert "would not stay in United Kingdom" in flags[0].message
    already = [RiskFlag("data_residency", "A centre abroad.")]
    assert rules.declared_flags(leaves, SCOPE, already) == already
    stays = rules.declared_from({"data_residency": "Yes"})
    assert rules.declared_flags(stays, SCOPE, []) == []
    assert rules.declared_flags(None, SCOPE, []) == []
