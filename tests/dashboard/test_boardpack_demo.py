"""The board pack of both demo organisations, read back as a board would read it.

The PDF is drawn with the real Chromium and read with poppler (``pdftotext`` with word
boxes, ``pdftoppm``); the XLSX with openpyxl. Every headline label on the first page must
carry a formatted value: money with its currency and thousands separators, percentages
with "%", counts with their noun, dates in words. Locally a missing Chromium or poppler
skips these tests with a hint; with CI=true it fails them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation
from outsourcing.dashboard.boardpacks.documents import build_pdf, build_xlsx
from outsourcing.dashboard.boardpacks.summary import (
    PackInputs,
    decisions_needed,
    headline_figures,
)
from outsourcing.dashboard.figures import FIGURES
from outsourcing.dashboard.selectors import (
    DashboardData,
    DashboardFilters,
    dashboard_data,
    pending_awards,
)
from tests.realparts import unavailable

# The database is only set up when a test asks for it; the demo is read once per module.
pytestmark = pytest.mark.django_db
DEMO = ("Acme Holdings", "Globex")
XHTML = "{http://www.w3.org/1999/xhtml}"
SECTIONS = (
    "1 · Assessment and recommendations",
    "2 · Roadmap and savings projection",
    "3 · Vendors",
    "4 · Contracts and SLAs",
    "5 · Relationship: issues and realised savings",
)
# "GBP 1,234,567", "GBP −140,220", "EUR 3,200.00": a currency, then grouped digits.
MONEY = re.compile(
    r"^(?P<currency>[A-Z]{3}) (?P<sign>[−-]?)(?P<digits>\d{1,3}(?:,\d{3})*)"
    r"(?P<cents>\.\d\d)?$"
)
PERCENT = re.compile(r"^(?P<number>\d{1,3}(?:\.\d)?) %$")
COUNT = re.compile(r"^(?P<number>\d[\d,]*) (?P<noun>[a-z]+)$")
PAYBACK = re.compile(r"^month (?P<month>\d+) \(year (?P<year>\d+)\)$")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> dict[str, tuple[DashboardData, PackInputs]]:
    """Both demo organisations' dashboard data, read once; the database is left as found."""
    from outsourcing.celery import app

    packs = {}
    # A module-wide fixture runs before the per-test fixture that makes tasks run
    # in-process, so it asks for that itself: with REDIS_URL set (as in CI) the demo's
    # projections would otherwise wait in the queue for a worker that never comes.
    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    with django_db_blocker.unblock(), transaction.atomic():
        # The demo's projections run when its transaction commits, as they would for real.
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0)
        finally:
            app.conf.task_always_eager = previous
        today = timezone.localdate()
        for name in DEMO:
            organisation = Organisation.objects.get(name=name)
            filters = DashboardFilters()
            packs[name] = (
                dashboard_data(organisation, filters, today),
                PackInputs(filters=filters, awards=pending_awards(organisation, today)),
            )
        transaction.set_rollback(True)
    return packs


@pytest.fixture(scope="module")
def poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm", "pdfinfo") if not shutil.which(tool)]
    if missing:
        unavailable(
            f"Board-pack PDF tests need poppler ({', '.join(missing)} missing): "
            "apt-get install poppler-utils"
        )


@pytest.fixture(scope="module")
def pdfs(demo, chromium_path, poppler, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("board-packs")
    paths = {}
    for name, (data, inputs) in demo.items():
        figures = {key: build(data) for key, (_, build) in FIGURES.items()}
        paths[name] = folder / f"{name.split()[0].lower()}.pdf"
        paths[name].write_bytes(build_pdf(data, figures, inputs))
    return paths


def page_text(pdf: Path, first: int, last: int | None = None) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(first), "-l", str(last or first), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def blocks(pdf: Path, page: int) -> list[tuple[float, float, float, str]]:
    """The page's text blocks as (x min, y min, x max, text), from ``pdftotext -bbox``."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    found = []
    for block in root.iter(f"{XHTML}block"):
        words = " ".join(" ".join((word.text or "").split()) for word in block.iter(f"{XHTML}word"))
        found.append(
            (float(block.get("xMin")), float(block.get("yMin")), float(block.get("xMax")), words)
        )
    return found


def value_beside(found: list[tuple[float, float, float, str]], label: str) -> str:
    """The text printed to the right of ``label`` on the same row of its table."""
    rows = [b for b in found if b[3] == label]
    assert len(rows) == 1, f"{label!r} is not printed once on the first page"
    x_min, y_min, x_max, _ = rows[0]
    beside = [b for b in found if abs(b[1] - y_min) <= 4 and b[0] > x_max - 1 and b[3] != label]
    assert beside, f"{label!r} has no value beside it"
    return min(beside, key=lambda b: b[0])[3]


def assert_reads_as(figure, printed: str, currency: str) -> None:
    """The printed text is the figure's value, formatted for its kind (or words)."""
    value = figure.value
    if value is None:
        assert re.fullmatch(r"[a-z][a-z ;,'()-]+", printed), (figure.label, printed)
        return
    kind = figure.column.kind
    if figure.key == "payback_month":
        match = PAYBACK.fullmatch(printed)
        assert match and int(match["month"]) == value and int(match["year"]) == value // 12 + 1
    elif kind == "money":
        match = MONEY.fullmatch(printed)
        assert match, (figure.label, printed)
        assert match["currency"] == currency
        shown = Decimal(match["digits"].replace(",", "") + (match["cents"] or ""))
        shown = -shown if match["sign"] else shown
        step = Decimal("0.005") if match["cents"] else Decimal("0.5")
        assert abs(shown - Decimal(repr(float(value)))) <= step, (figure.label, printed, value)
    elif kind == "share":
        match = PERCENT.fullmatch(printed)
        assert match, (figure.label, printed)
        assert abs(float(match["number"]) - 100 * value) <= 0.05, (figure.label, printed)
    elif kind == "count":
        match = COUNT.fullmatch(printed)
        assert match and int(match["number"].replace(",", "")) == value, (figure.label, printed)
    else:
        assert printed == value, (figure.label, printed)


@pytest.mark.parametrize("name", DEMO)
def test_the_first_page_names_the_organisation_date_assessment_and_currency(pdfs, demo, name):
    data, _ = demo[name]
    first = " ".join(page_text(pdfs[name], 1).split())
    today = data.today
    assert f"Board pack: {name}" in first
    assert f"{today.day} {today:%B %Y}" in first
    assert f"Organisation: {name}" in first
    assert f"Assessment: “{data.assessment['name']}”" in first
    assert f"scoring engine {data.assessment['engine_version']}" in first
    assert f"Currency: {data.currency}" in first


@pytest.mark.parametrize("name", DEMO)
def test_every_headline_label_on_the_first_page_has_a_formatted_value(pdfs, demo, name):
    data, inputs = demo[name]
    found = blocks(pdfs[name], 1)
    checked = 0
    for _, group in headline_figures(data, inputs.filters):
        for figure in group:
            label = figure.label + (" *" if figure.scope else "")  # * = ignores the filter
            assert_reads_as(figure, value_beside(found, label), data.currency)
            checked += 1
    assert checked >= 20
    # the headline NPV is the Monte Carlo median, with the NPV at the modes labelled as such
    labels = [b[3] for b in found]
    assert labels.index("Projected NPV, median of the trials (P50)") < labels.index(
        "NPV at the modes: every driver at its most likely value"
    )


@pytest.mark.parametrize("name", DEMO)
def test_no_page_prints_a_raw_or_missing_value(pdfs, name):
    text = page_text(pdfs[name], 1, page_count(pdfs[name]))
    assert not re.search(r"\b(None|nan|NaN|inf)\b", text), "a missing value printed raw"
    for raw in ("2,026.1", "Decimal(", "[]", "{}"):
        assert raw not in text
    # the engine's reasons quote weights such as +0.075; float noise runs longer
    assert not re.search(r"\d\.\d{4,}", text), "a number printed with float noise"
    assert not re.search(r"\d{5,}", text), "a large number printed without separators"


@pytest.mark.parametrize("name", DEMO)
def test_the_summary_fits_one_page_with_both_charts_risks_and_decisions(pdfs, demo, name):
    data, inputs = demo[name]
    first = " ".join(page_text(pdfs[name], 1).split())
    for heading in (
        "Roadmap: transitions wave by wave",
        "Cumulative net savings: projected range and realised",
        "Top risks",
        "Decisions needed",
    ):
        assert heading in first
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(pdfs[name])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(images.strip().splitlines()) - 2 >= 2  # two header lines, then one per image
    # every decision the figures call for is on the first page, up to five
    for decision in decisions_needed(data, inputs.awards)[:5]:
        assert decision.title in first
    second = " ".join(page_text(pdfs[name], 2).split())
    assert second.startswith(SECTIONS[0])


def test_the_renewals_due_within_ninety_days_are_decisions(demo):
    data, inputs = demo["Acme Holdings"]
    due = data.renewals[data.renewals["days_to_deadline"].between(0, 90)]
    assert not due.empty  # the demo has contracts near their notice deadline
    titles = [d.title for d in decisions_needed(data, inputs.awards)]
    for row in due.itertuples():
        assert f"Renew or exit: {row.contract} ({row.vendor})" in titles


@pytest.mark.parametrize("name", DEMO)
def test_one_section_per_lifecycle_stage_follows_in_order(pdfs, name):
    pdf = pdfs[name]
    starts = []
    for page in range(2, page_count(pdf) + 1):
        text = " ".join(page_text(pdf, page).split())
        starts += [(page, s) for s in SECTIONS if text.startswith(s)]
    assert [s for _, s in starts] == list(SECTIONS)


@pytest.mark.parametrize("name", DEMO)
def test_every_page_renders_to_an_image(pdfs, name, tmp_path):
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdfs[name]), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == page_count(pdfs[name])
    with Image.open(pages[0]) as first:
        grey = first.convert("L")
        inked = grey.histogram()[:200]
        inked = sum(inked)
        assert inked / (grey.width * grey.height) > 0.05  # figures, charts and lists


# The workbook -----------------------------------------------------------------------------


def workbook_of(demo, name):
    data, inputs = demo[name]
    return data, load_workbook(io.BytesIO(build_xlsx(data, inputs)))


@pytest.mark.parametrize("name", DEMO)
def test_no_column_of_the_workbook_is_always_empty(demo, name):
    _, book = workbook_of(demo, name)
    for sheet in book.worksheets:
        if sheet.max_row < 2:
            continue
        for column in sheet.iter_cols(min_row=1):
            header, *cells = column
            assert any(c.value not in (None, "") for c in cells), (
                f"{sheet.title}: {header.value!r} is always empty"
            )


@pytest.mark.parametrize("name", DEMO)
def test_money_and_shares_are_numbers_with_their_formats_and_units(demo, name):
    data, book = workbook_of(demo, name)
    currency = f"({data.currency})"
    money_columns = shares = 0
    for sheet in book.worksheets:
        if sheet.title == "Summary":
            continue
        header = [c.value for c in sheet[1]]
        for index, title in enumerate(header):
            cells = [
                row[index] for row in sheet.iter_rows(min_row=2) if row[index].value is not None
            ]
            numbers = [c for c in cells if isinstance(c.value, int | float)]
            if title.endswith(currency):
                money_columns += 1
                assert numbers and all(c.number_format == "#,##0.00" for c in numbers), title
                assert all(round(c.value, 2) == c.value for c in numbers), title
            elif title.endswith("(%)"):
                shares += 1
                assert all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in numbers)
    assert money_columns >= 10 and shares >= 5
    vendors = book["Vendors"]
    header = [c.value for c in vendors[1]]
    assert header[:4] == ["Vendor", "Contracts", f"Annual spend {currency}", "Scorecard (0 to 100)"]
    assert "SLA attainment (%)" in header and "Issue health (%)" in header
    for row in vendors.iter_rows(min_row=2):
        assert row[3].value == round(row[3].value, 1)


@pytest.mark.parametrize("name", DEMO)
def test_the_summary_sheet_holds_the_dashboards_headline(demo, name):
    data, book = workbook_of(demo, name)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["Organisation"].value == name
    assert summary["Date"].value == dt.datetime.combine(data.today, dt.time())
    assert summary["Assessment"].value == data.assessment["name"]
    assert summary["Currency"].value == data.currency
    h = data.headline
    cur = data.currency
    cents = Decimal("0.01")
    for label, key in (
        ("Annual in-house spend", "total_spend"),
        ("Projected NPV, median of the trials (P50)", "npv_p50"),
        ("NPV P10 (1 in 10 trials below)", "npv_p10"),
        ("NPV P90 (1 in 10 trials above)", "npv_p90"),
        ("Expected NPV (mean of the trials)", "npv_mean"),
        ("NPV at the modes: every driver at its most likely value", "npv_at_modes"),
        ("Service credits, gross", "credits_gross"),
        ("Service credits, net of earn-back", "credits_net"),
    ):
        cell = summary[f"{label} ({cur})"]
        assert Decimal(repr(cell.value)).quantize(cents) == Decimal(repr(float(h[key]))).quantize(
            cents
        ), label
        assert cell.number_format == "#,##0.00"
    assert summary["Probability NPV < 0 (%)"].value == round(h["prob_npv_negative"], 4)
    assert summary["Processes assessed (processes)"].value == h["processes"]
    assert summary["Open critical issues (issues)"].value == h["open_critical_issues"]
    if h["sla_attainment_quarter"] is not None:
        assert summary["SLA attainment this quarter (%)"].number_format == "0.0%"
