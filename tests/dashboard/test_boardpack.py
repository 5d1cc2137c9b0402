"""The board pack's contents: real numbers and dates, neutralised text, a decision record."""

import datetime as dt
import io
import shutil

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from assessments.engine.rules import W
from outsourcing.dashboard.boardpacks.documents import build_pdf, build_xlsx
from outsourcing.dashboard.figures import FIGURES
from outsourcing.dashboard.selectors import DashboardFilters, dashboard_data
from tests.assessments.builders import PAYROLL
from tests.dashboard.test_dashboard import add_contract, submitted
from tests.realparts import unavailable


@pytest.fixture
def data(cast):
    submitted(
        cast.manager,
        processes=[('=HYPERLINK("http://evil")', PAYROLL, "HR"), ("Payroll", PAYROLL, "HR")],
    )
    add_contract(cast.manager, title="@SUM(1)")
    return dashboard_data(cast.org, DashboardFilters(), dt.date.today())


def test_the_workbook_has_one_sheet_per_section(data):
    book = load_workbook(io.BytesIO(build_xlsx(data)))
    assert book.sheetnames == [
        "Summary",
        "Risks",
        "Decisions",
        "Recommendations",
        "Roadmap",
        "Projection",
        "Waves",
        "Vendors",
        "Contracts",
        "SLA record",
        "Issues",
        "Decision weights 2026.1",
        "Decision inputs",
    ]


def test_numbers_and_dates_are_real_cells(data):
    book = load_workbook(io.BytesIO(build_xlsx(data)))
    recs = book["Recommendations"]
    assert isinstance(recs["C2"].value, int | float)
    contracts = book["Contracts"]
    assert isinstance(contracts["E2"].value, dt.datetime)
    projection = book["Projection"]
    assert isinstance(projection["C3"].value, int | float)


def test_formula_like_text_is_neutralised(data):
    book = load_workbook(io.BytesIO(build_xlsx(data)))
    names = [row[0].value for row in book["Recommendations"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil")' in names
    assert book["Contracts"]["A2"].value == "'@SUM(1)"


def test_the_decision_record_states_the_engine_version_weights_and_inputs(data):
    book = load_workbook(io.BytesIO(build_xlsx(data)))
    weights = book["Decision weights 2026.1"]
    assert weights["A1"].value == "Question"
    assert weights["B2"].value == pytest.approx(float(W[0][0]))
    inputs = book["Decision inputs"]
    row = [c.value for c in next(inputs.iter_rows(min_row=3, max_row=3))]
    assert row[0] == "Payroll" and row[1] == "2026.1" and row[4:] == list(PAYROLL)


def test_the_pdf_holds_the_headline_and_charts(data, chromium_path):
    figures = {name: build(data) for name, (_, build) in FIGURES.items()}
    pdf = build_pdf(data, figures)
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 20_000


def test_the_pdf_ends_with_every_glossary_term_in_the_glossary_s_words(data, chromium_path):
    import subprocess

    from assessments.engine.glossary import TERMS

    if not shutil.which("pdftotext"):
        unavailable("Board-pack PDF tests need poppler: apt-get install poppler-utils")
    figures = {name: build(data) for name, (_, build) in FIGURES.items()}
    pages = (
        subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=build_pdf(data, figures),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\f")
    )
    last = " ".join(next(page for page in reversed(pages) if page.strip()).split())
    assert "6 · Terms used in this pack" in last
    for term in TERMS:
        assert term.term in last
        # Two columns: each definition is read word by word, in order, on the page.
        words = term.meaning.split()
        assert " ".join(words[:4]) in last and " ".join(words[-3:]) in last


def test_the_task_builds_a_filtered_pdf_pack_that_names_its_selection(
    cast, chromium_path, settings, tmp_path
):
    import subprocess

    from outsourcing.dashboard.boardpacks.tasks import request_board_pack
    from outsourcing.models import BoardPack, PackStatus

    if not shutil.which("pdftotext"):
        unavailable("Board-pack PDF tests need poppler: apt-get install poppler-utils")
    settings.MEDIA_ROOT = tmp_path
    submitted(cast.manager)
    with TestCase.captureOnCommitCallbacks(execute=True):
        pack = request_board_pack(
            organisation=cast.org,
            user=cast.cio.user,
            pack_format="pdf",
            filters=DashboardFilters(business_function="HR"),
        )
    pack = BoardPack.objects.get(pk=pack.pk)
    assert pack.status == PackStatus.DONE, pack.message
    content = pack.file.read()
    assert content[:5] == b"%PDF-"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Processes: business function HR." in " ".join(text.split())
