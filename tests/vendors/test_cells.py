"""Reading the cells of a vendor import file: forgiving about case, strict about meaning."""

from datetime import date

import pytest

from vendors.engine import cells


def test_lists_match_names_case_insensitively_and_come_back_canonical():
    assert cells.models("ito, bpo") == ("BPO", "ITO")
    assert cells.service_lines("Service desk; INFRASTRUCTURE AND CLOUD; payroll") == [
        "service_desk",
        "infrastructure_cloud",
        "payroll",
    ]
    assert cells.languages("english:Native; French:fluent") == [
        ("English", "native"),
        ("French", "fluent"),
    ]
    assert cells.country("united kingdom") == "United Kingdom"


def test_certifications_accept_the_names_people_write():
    assert cells.certifications("ISO 27001:2027-03-31; soc_2:2026-11-30") == [
        ("iso_27001", date(2027, 3, 31)),
        ("soc_2", date(2026, 11, 30)),
    ]


def test_delivery_centres_read_country_and_city():
    assert cells.delivery_centres("India:Bengaluru; Poland:Kraków") == [
        ("India", "Bengaluru"),
        ("Poland", "Kraków"),
    ]


@pytest.mark.parametrize(
    ("reader", "cell", "message"),
    [
        (cells.models, "ITO; SaaS", "Unknown sourcing model"),
        (cells.service_lines, "Catering", "Unknown service line"),
        (cells.languages, "English", "needs a"),
        (cells.languages, "English:perfect", "not native or fluent"),
        (cells.languages, "Klingon:native", "Unknown language"),
        (cells.certifications, "ISO 27001:next year", "not a date"),
        (cells.certifications, "ISO 27001:2027-01-01; ISO 27001:2028-01-01", "listed twice"),
        (cells.delivery_centres, "Narnia:Cair Paravel", "Unknown country"),
        (cells.delivery_centres, "India:", "Give the city"),
        (cells.financial_stability, "excellent", "not strong, adequate or weak"),
    ],
)
def test_a_bad_cell_says_what_is_wrong(reader, cell, message):
    with pytest.raises(ValueError, match=message):
        reader(cell)


def test_numbers_from_spreadsheets_and_thousands_separators_are_read():
    assert cells.whole_number(1200.0, what="headcount") == 1200
    assert cells.whole_number("12,500", what="headcount") == 12500
    with pytest.raises(ValueError, match="not a whole number"):
        cells.whole_number("-3", what="headcount")
    with pytest.raises(ValueError, match="from 1800 to 2026"):
        cells.year_founded("2031", this_year=2026)


def test_yes_and_no_are_read_and_blank_keeps_the_default():
    assert cells.yes_no("Yes", default=False) is True
    assert cells.yes_no("0", default=True) is False
    assert cells.yes_no("", default=True) is True
    with pytest.raises(ValueError, match="not yes or no"):
        cells.yes_no("maybe", default=True)


def test_written_cells_read_back_to_the_same_values():
    pairs = [("iso_27001", date(2027, 3, 31)), ("cmmi_5", date(2028, 1, 1))]
    assert cells.certifications(cells.join_certifications(pairs)) == sorted(pairs)
    assert cells.service_lines(cells.join_service_lines(["payroll", "back_office"])) == [
        "payroll",
        "back_office",
    ]
