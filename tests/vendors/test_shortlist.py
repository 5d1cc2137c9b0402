"""Shortlist rules and vendor risk flags (METHODOLOGY section 6)."""

from dataclasses import replace
from datetime import date

import pytest

from vendors.engine.shortlist import (
    BUSINESS_FUNCTIONS,
    CERTIFICATIONS,
    SERVICE_LINES,
    Scope,
    ScopeProcess,
    VendorProfile,
    service_lines_for,
    shortlist,
    vendor_risk_flags,
)

START = date(2026, 9, 1)

HELP_LINE = ScopeProcess(
    "Customer help line",
    "customer_support",
    customer_contact=5,
    data_sensitivity=3,
    onsite_need=1,
    location="onshore",
)
PAYROLL = ScopeProcess(
    "Payroll",
    "payroll",
    customer_contact=1,
    data_sensitivity=5,
    onsite_need=1,
    location="nearshore",
)
SCANNING = ScopeProcess(
    "Invoice scanning",
    "back_office",
    customer_contact=1,
    data_sensitivity=2,
    onsite_need=1,
    location="offshore",
)

SCOPE = Scope(
    model="BPO",
    home_country="Germany",
    home_continent="Europe",
    customer_languages=["German"],
    planned_start=START,
    processes=[HELP_LINE, PAYROLL, SCANNING],
)

# Meets every rule: native German, valid ISO 27001, a centre in Germany.
GOOD = VendorProfile(
    id=1,
    name="Rheinwerk Services",
    active=True,
    models={"BPO", "ITO"},
    service_lines={"customer_support", "payroll"},
    languages={"German": "native", "English": "fluent"},
    certifications=[("iso_27001", date(2028, 3, 31))],
    delivery_centres=[("Germany", "Europe"), ("Poland", "Europe")],
    financial_stability="strong",
)


def _entry(vendor, scope=SCOPE):
    return shortlist([vendor], scope)[0]


# --- Shortlist --------------------------------------------------------------------


def test_a_vendor_meeting_every_rule_is_included_with_its_reasons():
    entry = _entry(GOOD)
    assert entry.vendor_id == 1 and entry.included
    assert "Offers BPO." in entry.reasons
    assert "Covers customer support and payroll (2 of 3 service lines in scope)." in entry.reasons
    assert any(
        "Native German delivery for customer-facing 'Customer help line'" in r
        for r in entry.reasons
    )
    assert any(r.startswith("ISO/IEC 27001 valid until 2028-03-31") for r in entry.reasons)


def test_an_excluded_vendor_is_given_every_rule_it_fails_and_only_those():
    bad = replace(
        GOOD,
        active=False,
        models={"ITO"},
        languages={"German": "fluent"},
        certifications=[],
        delivery_centres=[("India", "Asia")],
    )
    entry = _entry(bad)
    assert not entry.included
    assert entry.reasons == [
        "Inactive in the vendor registry.",
        "Does not offer BPO.",
        "No native German delivery for customer-facing 'Customer help line' "
        "(customer contact 5/5).",
        "No delivery centre in Germany for onshore 'Customer help line'.",
        "No ISO/IEC 27001 or SOC 2 valid at the planned start (2026-09-01) for sensitive "
        "'Payroll' (data sensitivity 5/5).",
        "No delivery centre in Europe for nearshore 'Payroll'.",
    ]


def test_a_vendor_covering_none_of_the_service_lines_is_excluded():
    entry = _entry(replace(GOOD, service_lines={"legal_services"}))
    assert entry.reasons == [
        "Covers none of the service lines in scope "
        "(customer support, payroll and data entry and back office)."
    ]


def test_fluent_is_not_native_for_customer_facing_work():
    entry = _entry(replace(GOOD, languages={"German": "fluent"}))
    assert not entry.included


def test_every_customer_language_must_be_native():
    scope = replace(SCOPE, customer_languages=["German", "French"])
    entry = _entry(GOOD, scope)
    assert not entry.included
    assert any("No native French delivery" in r for r in entry.reasons)


def test_a_certificate_that_lapses_before_the_planned_start_does_not_count():
    entry = _entry(replace(GOOD, certifications=[("iso_27001", date(2026, 8, 31))]))
    assert not entry.included


def test_soc_2_counts_as_well_as_iso_27001():
    assert _entry(replace(GOOD, certifications=[("soc_2", START)])).included


def test_an_unrelated_certificate_does_not_cover_sensitive_data():
    assert not _entry(replace(GOOD, certifications=[("iso_9001", date(2030, 1, 1))])).included


def test_a_centre_elsewhere_on_the_home_continent_serves_nearshore_but_not_onshore():
    vendor = replace(GOOD, delivery_centres=[("Poland", "Europe")])
    entry = _entry(vendor)
    assert entry.reasons == ["No delivery centre in Germany for onshore 'Customer help line'."]


def test_offshore_processes_need_no_particular_delivery_centre():
    scope = replace(SCOPE, processes=[SCANNING])
    vendor = replace(GOOD, service_lines={"back_office"}, delivery_centres=[("India", "Asia")])
    assert _entry(vendor, scope).included


def test_dont_know_answers_trigger_no_rule():
    unknown = ScopeProcess("Unknown", "back_office", None, None, None, "offshore")
    vendor = replace(GOOD, service_lines={"back_office"}, languages={}, certifications=[])
    assert _entry(vendor, replace(SCOPE, processes=[unknown])).included


def test_countries_and_languages_match_whatever_their_case():
    vendor = replace(GOOD, languages={"german": "native"}, delivery_centres=[("GERMANY", "europe")])
    assert _entry(vendor).included


def test_the_shortlist_keeps_the_vendors_in_the_order_given():
    other = replace(GOOD, id=2, active=False)
    assert [e.vendor_id for e in shortlist([other, GOOD], SCOPE)] == [2, 1]


# --- Risk flags --------------------------------------------------------------------


def _codes(flags):
    return [flag.code for flag in flags]


def test_a_sound_vendor_raises_no_flag_except_data_residency_for_its_polish_centre():
    flags = vendor_risk_flags(GOOD, SCOPE, award_share=0.2)
    assert _codes(flags) == ["data_residency"]
    assert "delivers from Poland" in flags[0].message
    assert "Payroll holds highly sensitive data" in flags[0].message


def test_no_native_delivery_in_a_customer_language_is_a_language_mismatch():
    flags = vendor_risk_flags(replace(GOOD, languages={"German": "fluent"}), SCOPE)
    assert "language_mismatch" in _codes(flags)


def test_hands_on_work_without_a_home_country_centre_is_an_on_site_gap():
    scope = replace(SCOPE, processes=[replace(SCANNING, onsite_need=4)])
    vendor = replace(GOOD, delivery_centres=[("Poland", "Europe")])
    assert _codes(vendor_risk_flags(vendor, scope)) == ["on_site_gap"]


def test_highly_sensitive_data_delivered_only_at_home_raises_no_residency_flag():
    vendor = replace(GOOD, delivery_centres=[("Germany", "Europe")])
    assert vendor_risk_flags(vendor, SCOPE) == []


def test_a_certificate_expiring_within_12_months_of_the_start_is_flagged():
    vendor = replace(
        GOOD,
        delivery_centres=[("Germany", "Europe")],
        certifications=[("iso_27001", date(2027, 9, 1)), ("iso_9001", date(2027, 9, 2))],
    )
    flags = vendor_risk_flags(vendor, SCOPE)
    assert _codes(flags) == ["certification_expiring"]
    assert flags[0].message.startswith("ISO/IEC 27001 expires on 2027-09-01")


def test_a_renewed_certificate_supersedes_its_lapsed_record():
    vendor = replace(
        GOOD,
        delivery_centres=[("Germany", "Europe")],
        certifications=[("iso_27001", date(2025, 1, 1)), ("iso_27001", date(2029, 1, 1))],
    )
    assert vendor_risk_flags(vendor, SCOPE) == []


def test_an_award_above_40_percent_of_outsourced_spend_is_a_concentration_risk():
    vendor = replace(GOOD, delivery_centres=[("Germany", "Europe")])
    assert vendor_risk_flags(vendor, SCOPE, award_share=0.40) == []
    flags = vendor_risk_flags(vendor, SCOPE, award_share=0.45)
    assert _codes(flags) == ["concentration"]
    assert "45%" in flags[0].message


def test_an_award_share_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="fraction"):
        vendor_risk_flags(GOOD, SCOPE, award_share=45)


def test_a_weak_financial_rating_is_flagged():
    vendor = replace(GOOD, delivery_centres=[("Germany", "Europe")], financial_stability="weak")
    assert _codes(vendor_risk_flags(vendor, SCOPE)) == ["weak_financial_stability"]


def test_an_unknown_proficiency_is_refused_when_the_profile_is_built():
    with pytest.raises(ValueError, match="proficiency"):
        VendorProfile(id=3, name="X", languages={"German": "good"})


# --- Taxonomy ----------------------------------------------------------------------


def test_the_taxonomy_has_eighteen_service_lines_each_under_a_sourcing_model():
    assert len(SERVICE_LINES) == 18
    assert {line.model for line in SERVICE_LINES} == {"ITO", "BPO", "KPO"}
    assert len({line.code for line in SERVICE_LINES}) == 18


def test_the_certifications_include_the_two_that_cover_sensitive_data():
    codes = dict(CERTIFICATIONS)
    assert codes["iso_27001"] == "ISO/IEC 27001" and codes["soc_2"] == "SOC 2"
    assert len(CERTIFICATIONS) == 8


def test_every_business_function_maps_each_model_to_known_service_lines():
    known = {line.code for line in SERVICE_LINES}
    for function in BUSINESS_FUNCTIONS:
        for model in ("ITO", "BPO", "KPO"):
            lines = service_lines_for(function, model)
            assert lines and set(lines) <= known


def test_business_functions_match_whatever_their_case_and_retain_buys_nothing():
    assert service_lines_for("HR", "bpo") == ("payroll", "hr_administration")
    assert service_lines_for("Customer Service", "retain") == ()


def test_an_unknown_business_function_is_refused():
    with pytest.raises(ValueError, match="Unknown business function 'Catering'"):
        service_lines_for("Catering", "BPO")
