"""The parts of a workbook that the rows of one worksheet depend on: which part is the
sheet, which cell formats are dates, the table of shared text, and the date system.

Read the way openpyxl reads them (it is the reference for what a cell means), but
streamed with limits instead of built whole: openpyxl's read-only mode still builds the
whole stylesheet, and a 23 KB file declaring 100,000 cell formats took it 80 MB.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from accounts.engine.spreadsheets.archive import (
    XmlPart,
    check_shared_text_size,
    part_path,
    relationships_path,
)
from accounts.engine.spreadsheets.limits import (
    MAX_CELL_CHARS,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
)

# Elements each part may hold: several times what a large real workbook has, and few
# enough that parsing a part to its limit takes about a second.
MAX_RELATIONSHIP_ELEMENTS = 10_000
MAX_WORKBOOK_ELEMENTS = 50_000  # sheets and defined names
MAX_STYLE_ELEMENTS = 200_000
MAX_CELL_FORMATS = 64_000  # Excel's own limit of distinct cell formats in a workbook
MAX_SHARED_TEXTS = 150_000  # 10,000 rows of 15 distinct texts
ELEMENTS_PER_SHARED_TEXT = 3  # <si><t>, and room for formatted runs in some of them
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"
_CHARTSHEET = "/chartsheet"
_SHARED_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_RELATIONSHIP_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"


@dataclass
class Workbook:
    sheet: str  # the part holding the chosen worksheet
    epoch: datetime = CALENDAR_WINDOWS_1900
    shared_texts: list[str] = field(default_factory=list)
    date_styles: frozenset[int] = frozenset()
    duration_styles: frozenset[int] = frozenset()


def read_workbook(archive: zipfile.ZipFile, *, sheet: Literal["first", "active"]) -> Workbook:
    names = set(archive.namelist())
    package = _relationships(archive, "", names)
    workbook_part = next(
        (target for kind, target in package.values() if kind.endswith(_OFFICE_DOCUMENT)),
        "xl/workbook.xml",
    )
    if workbook_part not in names:
        raise SpreadsheetUnreadable(
            "The file is not an Excel workbook: it has no workbook "
            "part. Save it again from Excel as .xlsx."
        )
    book = _WorkbookPart(archive, workbook_part)
    book.parse()
    relations = _relationships(archive, workbook_part, names)
    chosen = _choose_sheet(book, relations, names, sheet)
    result = Workbook(
        sheet=chosen, epoch=CALENDAR_MAC_1904 if book.date1904 else CALENDAR_WINDOWS_1900
    )
    styles = _target(relations, _STYLES, names) or _existing("xl/styles.xml", names)
    if styles:
        stylesheet = _Styles(archive, styles)
        stylesheet.parse()
        result.date_styles, result.duration_styles = stylesheet.date_and_duration_styles()
    texts = _target(relations, _SHARED_STRINGS, names) or _existing("xl/sharedStrings.xml", names)
    if texts:
        check_shared_text_size(archive, texts)
        table = _SharedTexts(archive, texts)
        table.parse()
        result.shared_texts = table.texts
    return result


def _existing(name: str, names: set[str]) -> str | None:
    return name if name in names else None


def _target(relations: dict[str, tuple[str, str]], kind: str, names: set[str]) -> str | None:
    for rel_type, target in relations.values():
        if rel_type.endswith(kind) and target in names:
            return target
    return None


def _relationships(
    archive: zipfile.ZipFile, part: str, names: set[str]
) -> dict[str, tuple[str, str]]:
    """{id: (type, part)} of a part's relationships; the package's own for part ""."""
    path = relationships_path(part) if part else "_rels/.rels"
    if path not in names:
        return {}
    relations = _Relationships(archive, path, source=part)
    relations.parse()
    return relations.found


def _choose_sheet(
    book: _WorkbookPart, relations: dict[str, tuple[str, str]], names: set[str], which: str
) -> str:
    # openpyxl's order: sheets whose part exists, worksheets and chart sheets alike.
    sheets = [
        relations[rid]
        for rid in book.sheet_ids
        if rid in relations
        and relations[rid][1] in names
        and relations[rid][0].endswith((_WORKSHEET, _CHARTSHEET))
    ]
    if which == "active":
        if not 0 <= book.active < len(sheets):
            raise SpreadsheetUnreadable(
                "The workbook's active sheet is missing. Open it in "
                "Excel, select the sheet with the data and save it."
            )
        kind, target = sheets[book.active]
        if kind.endswith(_CHARTSHEET):
            raise SpreadsheetUnreadable(
                "The workbook was saved with a chart as its active "
                "sheet. Open it in Excel, select the sheet with the "
                "data and save it again."
            )
        return target
    worksheets = [target for kind, target in sheets if kind.endswith(_WORKSHEET)]
    if not worksheets:
        raise SpreadsheetUnreadable("The workbook has no worksheet to read.")
    return worksheets[0]


class _Relationships(XmlPart):
    def __init__(self, archive: zipfile.ZipFile, name: str, *, source: str) -> None:
        super().__init__(archive, name, max_elements=MAX_RELATIONSHIP_ELEMENTS)
        self.source = source
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            self.found[attrs.get("Id", "")] = (
                attrs.get("Type", ""),
                part_path(self.source, target),
            )


class _WorkbookPart(XmlPart):
    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        super().__init__(archive, name, max_elements=MAX_WORKBOOK_ELEMENTS)
        self.sheet_ids: list[str] = []
        self.date1904 = False
        self.active = 0  # the first workbookView's activeTab
        self._view_seen = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet":
            self.sheet_ids.append(attrs.get(_RELATIONSHIP_ID, ""))
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif tag == "workbookView" and not self._view_seen:
            self._view_seen = True
            self.active = _integer(attrs.get("activeTab", "0"), self.name)


class _Styles(XmlPart):
    """Only what tells a date from a number: each cell format's number format."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        super().__init__(archive, name, max_elements=MAX_STYLE_ELEMENTS)
        self.custom: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.in_cell_formats = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            self.custom[_integer(attrs.get("numFmtId", "0"), self.name)] = attrs.get(
                "formatCode", ""
            )
        elif tag == "cellXfs":
            self.in_cell_formats = True
        elif tag == "xf" and self.in_cell_formats:
            if len(self.cell_formats) >= MAX_CELL_FORMATS:
                raise SpreadsheetRefused(
                    f"The workbook defines more than {MAX_CELL_FORMATS:,} cell formats, the "
                    "most Excel itself allows. Copy the data into a new workbook and upload "
                    "that."
                )
            self.cell_formats.append(_integer(attrs.get("numFmtId", "0"), self.name))

    def end(self, tag: str) -> None:
        if tag == "cellXfs":
            self.in_cell_formats = False

    def date_and_duration_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        dates, durations = set(), set()
        codes: dict[int, str | None] = {}
        for index, format_id in enumerate(self.cell_formats):
            if format_id not in codes:
                codes[format_id] = self.custom.get(format_id, builtin_format_code(format_id))
            code = codes[format_id]
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return frozenset(dates), frozenset(durations)


class _SharedTexts(XmlPart):
    """The shared string table: each entry's plain text (runs joined, phonetic guides
    left out), as openpyxl's read_string_table gives it."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        super().__init__(
            archive, name, max_elements=ELEMENTS_PER_SHARED_TEXT * MAX_SHARED_TEXTS + 50_000
        )
        self.texts: list[str] = []
        self.parts: list[str] | None = None
        self.capture = False
        self.length = 0
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            if len(self.texts) >= MAX_SHARED_TEXTS:
                raise SpreadsheetRefused(
                    f"The workbook's table of text values has more than "
                    f"{MAX_SHARED_TEXTS:,} entries; the limit is {MAX_SHARED_TEXTS:,}. Copy "
                    "the data into a new workbook and upload that."
                )
            self.parts, self.length = [], 0
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.parts is not None and not self.phonetic:
            self.capture = True

    def end(self, tag: str) -> None:
        if tag == "t":
            self.capture = False
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "si" and self.parts is not None:
            self.texts.append("".join(self.parts).replace("x005F_", ""))
            self.parts = None

    def text(self, data: str) -> None:
        if self.capture and self.parts is not None:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise SpreadsheetRefused(
                    f"Text value {len(self.texts) + 1:,} of the workbook holds more than "
                    f"{MAX_CELL_CHARS:,} characters, more than Excel itself allows in one "
                    "cell."
                )
            self.parts.append(data)


def _integer(text: str, part: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SpreadsheetUnreadable(
            f"The workbook's part {part} holds {text[:20]!r} where "
            "a whole number belongs: the file is damaged."
        ) from None
