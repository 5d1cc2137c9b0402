"""One figure, one number: every page, export and JSON endpoint that shows a figure shows
the value its one function computes, for both demo organisations.

Each figure has a reference: the pure function or selector that is its single
implementation (the vendor scorecard, the credit totals, the projection headline). The
test reads every place that shows the figure (HTML pages, the dashboard's figure JSON,
the board pack XLSX, the board pack PDF's text) and checks that what is shown is the
reference rounded to the precision shown. A second formula anywhere (a dashboard that
drops the savings part of the scorecard, a list that sums credits its own way, a
headline that reads the NPV at the modes) shows another number, and this test fails:
the last test proves it for the 58/47 vendor score that once slipped through.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Organisation
from assessments.models import ProjectionStatus
from assessments.projections.results import headline
from contracts.models import Contract
from contracts.selectors.scorecards import contract_scorecard, vendor_scorecards
from contracts.selectors.slas import credit_rows, credit_totals
from outsourcing.dashboard.boardpacks.documents import build_pdf, build_xlsx
from outsourcing.dashboard.boardpacks.summary import PackInputs
from outsourcing.dashboard.figures import FIGURES
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data, pending_awards
from tests.realparts import unavailable

pytestmark = pytest.mark.django_db
DEMO_USERS = {"Acme Holdings": "cio", "Globex": "globex"}
ALL_TIME = DashboardFilters(period_months=0)
NPV_KEYS = ("npv_p50", "npv_p10", "npv_p90", "npv_mean", "npv_at_modes")
CREDIT_KEYS = ("credits_gross", "credits_earned_back", "credits_net")
# Board pack Summary sheet and PDF first page: label -> headline key.
SUMMARY_LABELS = {
    "Projected NPV, median of the trials (P50)": "npv_p50",
    "NPV P10 (1 in 10 trials below)": "npv_p10",
    "NPV P90 (1 in 10 trials above)": "npv_p90",
    "Expected NPV (mean of the trials)": "npv_mean",
    "NPV at the modes: every driver at its most likely value": "npv_at_modes",
    "Service credits, gross": "credits_gross",
    "Service credits earned back by the vendor": "credits_earned_back",
    "Service credits, net of earn-back": "credits_net",
}
NUMBER = re.compile(r"[−-]?\d[\d,]*(?:\.\d+)?")


# ---------------------------------------------------------------- reading what is shown


def shown_number(text: Any) -> tuple[Decimal, int]:
    """The number a person reads and how many decimals it shows: "GBP −1,234.50" ->
    (-1234.50, 2); a number from a workbook keeps the decimals it was stored with."""
    if isinstance(text, int | float | Decimal):
        value = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
        return value, max(0, -value.as_tuple().exponent)
    match = NUMBER.search(str(text))
    assert match, f"no number in {text!r}"
    digits = match.group().replace(",", "").replace("−", "-")
    value = Decimal(digits)
    return value, max(0, -value.as_tuple().exponent)


def agrees(shown: Any, exact: Any) -> bool:
    """``shown`` is ``exact`` rounded half-up to the decimals shown; a figure with no
    value (a scorecard with no data) shows words or a dash, not a number."""
    if exact is None:
        return shown is None or not NUMBER.search(str(shown))
    value, places = shown_number(shown)
    reference = Decimal(repr(exact)) if isinstance(exact, float) else Decimal(exact)
    return value == reference.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Figures(HTMLParser):
    """Every element with ``data-figure`` (or ``data-scorecard-total``): its text, keyed
    by the figure and by the vendor or contract row it sits in."""

    VOID = {"br", "img", "input", "hr", "meta", "link", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[tuple[int, tuple[str, ...], list[str]]] = []
        self.found: dict[tuple[str, ...], list[str]] = defaultdict(list)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        self.stack.append((tag, attributes))
        name = attributes.get("data-figure")
        if "data-scorecard-total" in attributes:
            name = "score"
        if name:
            row = tuple(
                f"{k}={v}"
                for _, a in self.stack
                for k, v in a.items()
                if k in ("data-vendor-id", "data-contract-id")
            )
            self.open.append((len(self.stack), (*row, name), []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        depth = len(self.stack)
        while self.open and self.open[-1][0] >= depth:
            _, key, parts = self.open.pop()
            self.found[key].append(" ".join("".join(parts).split()))
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, _, parts in self.open:
            parts.append(data)


def page_figures(client: Client, url: str) -> dict[tuple[str, ...], list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Figures()
    parser.feed(response.content.decode())
    return parser.found


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_value(text: str, label: str) -> str:
    """The money printed after ``label`` on the same line of the summary page (a long
    label may wrap, so its first words are enough)."""
    words = label.split()
    for count in range(len(words), 2, -1):
        pattern = r"\s+".join(re.escape(w) for w in words[:count])
        match = re.search(pattern + r"[^\n]*?([A-Z]{3} [−-]?\d[\d,]*(?:\.\d+)?)", text)
        if match:
            return match.group(1)
    raise AssertionError(f"{label!r} has no value in the PDF")


# ---------------------------------------------------------------- the ledger


@dataclass
class Ledger:
    """What each source showed for each figure, beside the figure's one reference."""

    reference: dict[tuple, Any] = field(default_factory=dict)
    shown: dict[tuple, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def show(self, key: tuple, source: str, value: Any) -> None:
        self.shown[key].append((source, value))

    def disagreements(self) -> list[str]:
        problems = []
        for key, reference in self.reference.items():
            for source, value in self.shown.get(key, []):
                if not agrees(value, reference):
                    problems.append(
                        f"{key}: {source} shows {value!r}, the rule gives {reference!r}"
                    )
        return problems

    def sources(self, key: tuple) -> set[str]:
        return {source for source, _ in self.shown.get(key, [])}


def client_for(organisation: Organisation) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=DEMO_USERS[organisation.name]))
    return client


def collect(organisation: Organisation, chromium_path: str | None) -> Ledger:
    today = timezone.localdate()
    ledger = Ledger()
    client = client_for(organisation)
    contracts = list(Contract.objects.for_org(organisation).order_by("pk"))

    # References: each figure's one implementation.
    cards = vendor_scorecards(organisation, today)
    for vendor_id, view in cards.items():
        ledger.reference[("vendor", vendor_id, "score")] = view.scorecard.total
    totals = {}
    for contract in contracts:
        totals[contract.pk] = credit_totals(credit_rows(contract))
        ledger.reference[("contract", contract.pk, "score")] = contract_scorecard(
            contract, today
        ).scorecard.total
        for key, value in zip(
            CREDIT_KEYS,
            (
                totals[contract.pk].total,
                totals[contract.pk].earned_back,
                totals[contract.pk].net_total,
            ),
            strict=True,
        ):
            ledger.reference[("contract", contract.pk, key)] = value
    for key, attribute in zip(CREDIT_KEYS, ("total", "earned_back", "net_total"), strict=True):
        ledger.reference[("organisation", key)] = sum(
            (getattr(t, attribute) for t in totals.values()), Decimal("0.00")
        )
    data = dashboard_data(organisation, ALL_TIME, today)
    assessment = data.assessment
    # The assessment's own projection: a scenario's runs are not its plan.
    projection = (
        organisation.assessments.get(pk=assessment["id"])
        .projections.filter(status=ProjectionStatus.DONE, scenario__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    npv = headline(projection.result)
    for key in NPV_KEYS:
        ledger.reference[("assessment", key)] = npv["npv" if key == "npv_at_modes" else key]

    # Pages.
    dashboard = page_figures(client, reverse("dashboard") + "?period=0")
    for key in (*NPV_KEYS, *CREDIT_KEYS):
        scope = "assessment" if key in NPV_KEYS else "organisation"
        for value in dashboard.get((key,), []):
            ledger.show((scope, key), "dashboard page", value)
    for (*row, name), values in dashboard.items():
        if name == "vendor_score" and row:
            ledger.show(
                ("vendor", int(row[-1].split("=")[1]), "score"), "dashboard page", values[0]
            )
    for url, source in (
        (reverse("assessments:results", args=[assessment["id"]]), "results page"),
        (
            reverse("assessments:projection-detail", args=[assessment["id"], projection.pk]),
            "projection page",
        ),
    ):
        found = page_figures(client, url)
        for key in NPV_KEYS:
            for value in found.get((key,), []):
                ledger.show(("assessment", key), source, value)
    listing = page_figures(client, reverse("contracts:list"))
    for (*row, name), values in listing.items():
        if row and name in CREDIT_KEYS:
            ledger.show(("contract", int(row[-1].split("=")[1]), name), "contract list", values[0])
    for contract in contracts:
        found = page_figures(client, reverse("contracts:detail", args=[contract.pk]))
        for name in CREDIT_KEYS:
            for value in found.get((name,), []):
                ledger.show(("contract", contract.pk, name), "contract page", value)
        for value in found.get(("score",), []):
            ledger.show(("contract", contract.pk, "score"), "contract page", value)
    for vendor_id in cards:
        found = page_figures(client, reverse("contracts:vendor-record", args=[vendor_id]))
        for value in found.get(("score",), []):
            ledger.show(("vendor", vendor_id, "score"), "vendor record", value)

    # The dashboard's figure JSON: the quadrant plots each vendor's score.
    names = {row["vendor"]: row["vendor_id"] for row in data.vendors.to_dict("records")}
    chart = client.get(reverse("dashboard-figure", args=["vendors"]) + "?period=0").json()
    for trace in chart.get("data", []):
        for name, score in zip(trace.get("text", []), trace.get("y", []), strict=False):
            if name in names:
                ledger.show(("vendor", names[name], "score"), "vendors.json", score)

    # The board pack, as a board reads it.
    inputs = PackInputs(filters=ALL_TIME, awards=pending_awards(organisation, today))
    workbook = load_workbook(io.BytesIO(build_xlsx(data, inputs)))
    for label, value in workbook["Summary"].iter_rows(min_row=2, values_only=True):
        for prefix, key in SUMMARY_LABELS.items():
            if label and label.startswith(prefix) and value is not None:
                scope = "assessment" if key in NPV_KEYS else "organisation"
                ledger.show((scope, key), "board pack XLSX", value)
    sheet = workbook["Vendors"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] in names and row[header.index("Scorecard (0 to 100)")] is not None:
            ledger.show(
                ("vendor", names[row[0]], "score"),
                "board pack XLSX",
                row[header.index("Scorecard (0 to 100)")],
            )
    by_title = defaultdict(lambda: defaultdict(Decimal))
    sheet = workbook["SLA record"]
    header = [cell.value for cell in sheet[1]]
    columns = {
        key: next(i for i, h in enumerate(header) if h and h.startswith(prefix))
        for key, prefix in (
            ("credits_gross", "Service credits, gross"),
            ("credits_earned_back", "Earned back"),
            ("credits_net", "Service credits, net"),
        )
    }
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0]:
            for key, column in columns.items():
                by_title[row[0]][key] += Decimal(repr(row[column] or 0))
    for contract in contracts:
        if contract.title in by_title and contract.is_live:
            for key in CREDIT_KEYS:
                ledger.show(
                    ("contract", contract.pk, key), "board pack XLSX", by_title[contract.title][key]
                )
    if chromium_path:
        figures = {key: build(data) for key, (_, build) in FIGURES.items()}
        text = pdf_text(build_pdf(data, figures, inputs))
        for label, key in SUMMARY_LABELS.items():
            scope = "assessment" if key in NPV_KEYS else "organisation"
            ledger.show((scope, key), "board pack PDF", pdf_value(text, label))
        for line in text.splitlines():
            cells = re.split(r"\s{2,}", line.strip())
            if cells[0] in names and len(cells) >= 4:
                ledger.show(("vendor", names[cells[0]], "score"), "board pack PDF", cells[3])
    return ledger


@pytest.fixture
def demo(module_demo) -> dict[str, Organisation]:
    return {name: Organisation.objects.get(name=name) for name in DEMO_USERS}


@pytest.fixture
def pdf_reader(chromium_path) -> str:
    if not (
        Path("/usr/bin/pdftotext").exists()
        or subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0
    ):
        unavailable(
            "The figures-agree test reads the board pack PDF with pdftotext: "
            "apt-get install poppler-utils"
        )
    return chromium_path


def test_every_place_shows_each_figure_as_its_one_rule_computes_it(demo, pdf_reader):
    for name, organisation in demo.items():
        ledger = collect(organisation, pdf_reader)
        assert ledger.disagreements() == [], name
        # Each figure is really read from every place that shows it: a marker that went
        # missing would otherwise let a wrong number through unseen.
        assert ledger.sources(("assessment", "npv_p50")) == {
            "dashboard page",
            "results page",
            "projection page",
            "board pack XLSX",
            "board pack PDF",
        }, name
        assert ledger.sources(("organisation", "credits_net")) == {
            "dashboard page",
            "board pack XLSX",
            "board pack PDF",
        }, name
        vendors = [key for key in ledger.reference if key[0] == "vendor"]
        on_dashboard = [key for key in vendors if "dashboard page" in ledger.sources(key)]
        assert on_dashboard, name
        for key in vendors:
            assert "vendor record" in ledger.sources(key), (name, key)
        for key in on_dashboard:
            assert ledger.sources(key) >= {
                "vendor record",
                "vendors.json",
                "board pack XLSX",
                "board pack PDF",
            }, (name, key)
        contracts = [
            key
            for key in ledger.reference
            if key[0] == "contract" and key[2] == "credits_gross" and ledger.reference[key] > 0
        ]
        assert contracts, name
        for key in contracts:
            assert {"contract list", "contract page"} <= ledger.sources(key), (name, key)
        assert any("board pack XLSX" in ledger.sources(key) for key in contracts), name


def test_a_second_scorecard_formula_would_be_caught(demo, pdf_reader):
    """The dashboard once scored vendors without the savings part (47 against 58). Score
    the demo vendors that way and the ledger no longer agrees with the pages."""
    organisation = demo["Acme Holdings"]
    ledger = collect(organisation, pdf_reader)
    today = timezone.localdate()
    changed = 0
    for vendor_id, view in vendor_scorecards(organisation, today).items():
        # The old dashboard formula: the same parts, the savings part left out and the
        # other weights rescaled.
        kept = [
            p
            for p in view.scorecard.parts
            if p.key != "savings_realisation" and p.value is not None
        ]
        if not kept:
            continue
        without_savings = 100 * sum(p.value * p.weight for p in kept) / sum(p.weight for p in kept)
        if not agrees(f"{without_savings:.0f}", view.scorecard.total):
            ledger.reference[("vendor", vendor_id, "score")] = without_savings
            changed += 1
    assert changed, "no demo vendor's score depends on its savings part"
    problems = ledger.disagreements()
    assert any("dashboard page" in p for p in problems)
    assert any("board pack XLSX" in p for p in problems)
