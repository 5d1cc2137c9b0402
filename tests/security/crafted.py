"""Hostile spreadsheets, built on the fly (no binary fixtures): decompression bombs and
other files made to exhaust a server that reads them naively.

Each builder returns the file's bytes. Workbooks are written part by part with zipfile
so that a part of hundreds of megabytes is streamed into the archive, never held in
memory. `HOSTILE` lists every case with the header each import expects, so the same
bombs are thrown at the inventory, the measurements and the vendor registry.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

HEADERS = {
    "inventory": ("name", "annual_cost"),
    "measurements": ("sla", "period", "actual"),
    "vendors": ("name", "headquarters_country"),
}
GOOD_ROW = {
    "inventory": ("Payroll", 450000),
    "measurements": ("Availability", "2025-01", 99.5),
    "vendors": ("Acme Cloud", "United Kingdom"),
}


# ---------------------------------------------------------------- workbook parts


def _content_types(shared_strings: bool) -> str:
    strings = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared_strings
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{strings}</Types>"
    )


PACKAGE = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    f'xmlns:r="{RELS}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><cellXfs '
    'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    "</cellXfs></styleSheet>"
)


def _workbook_rels(shared_strings: bool) -> str:
    strings = (
        f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        if shared_strings
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>{strings}'
        "</Relationships>"
    )


def cell(value: object, reference: str = "") -> str:
    where = f' r="{reference}"' if reference else ""
    if isinstance(value, str):
        return f'<c{where} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f"<c{where}><v>{value}</v></c>"


def row(values: Iterable[object], number: int | None = None) -> str:
    where = f' r="{number}"' if number else ""
    return f"<row{where}>{''.join(cell(value) for value in values)}</row>"


def workbook(
    sheet: Iterable[str] | str,
    *,
    shared_strings: Iterable[str] | str | None = None,
    styles: str = STYLES,
    extra: dict[str, bytes] | None = None,
    level: int = 6,
) -> bytes:
    """An .xlsx whose first worksheet is `sheet`: its whole XML, or chunks of it streamed
    into the archive (so a part of hundreds of megabytes costs no memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", _content_types(shared_strings is not None))
        book.writestr("_rels/.rels", PACKAGE)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared_strings is not None))
        book.writestr("xl/styles.xml", styles)
        _stream(book, "xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            _stream(book, "xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def _stream(book: zipfile.ZipFile, name: str, chunks: Iterable[str] | str) -> None:
    with book.open(name, "w", force_zip64=False) as part:
        for chunk in [chunks] if isinstance(chunks, str) else chunks:
            part.write(chunk.encode())


def sheet_xml(rows: Iterable[str], *, dimension: str | None = None) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    batch: list[str] = []
    for text in rows:
        batch.append(text)
        if len(batch) == 10_000:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    yield "</sheetData></worksheet>"


def simple_workbook(rows: Iterable[Iterable[object]]) -> bytes:
    return workbook(sheet_xml(row(values, n) for n, values in enumerate(rows, start=1)))


# ---------------------------------------------------------------- the hostile files


def compressible_sheet(header: tuple) -> bytes:
    """3 million identical cells: about 80 MB of XML in a few hundred kilobytes."""
    cells = "<c><v>1</v></c>" * 30
    return workbook(
        sheet_xml([row(header, 1), *(f"<row>{cells}</row>" for _ in range(100_000))]), level=9
    )


def dense_sheet(header: tuple) -> bytes:
    """20,000 rows of distinct numbers: packs no better than ordinary data (a ratio under
    10) and holds no more elements than a full import, so only the row limit stops it."""
    rng = random.Random(12)
    return workbook(
        sheet_xml([row(header, 1), *(row([rng.randrange(10**9)], n) for n in range(2, 20_002))])
    )


def formatted_cells(header: tuple) -> bytes:
    """10,000 rows of 100 formatted but empty cells: within the row and column limits (no
    cell holds a value), far beyond any real import in size (a million cells)."""
    blanks = "".join(f'<c r="{_letters(c)}{{n}}" s="0"/>' for c in range(1, 101))
    return workbook(
        sheet_xml(
            [
                row(header, 1),
                *(f'<row r="{n}">{blanks.format(n=n)}</row>' for n in range(2, 10_002)),
            ]
        )
    )


def empty_rows(header: tuple) -> bytes:
    """Every row Excel allows, each empty but formatted: the classic 89 KB bomb."""
    return workbook(
        sheet_xml(
            [row(header, 1), *('<row ht="15" customHeight="1"/>' for _ in range(2, 1_048_577))]
        ),
        level=9,
    )


def empty_rows_then_a_value(header: tuple, good: tuple) -> bytes:
    """20,000 empty rows (too few to trip the unpacking checks) and one row below them:
    blank rows count towards the row limit."""
    return workbook(
        sheet_xml(
            [row(header, 1), *(f'<row r="{n}"/>' for n in range(2, 20_002)), row(good, 20_002)]
        )
    )


def huge_shared_strings(header: tuple) -> bytes:
    """A table of shared text that unpacks to 200 MB."""
    entry = "<si><t>" + "x" * 1_000 + "</t></si>"
    return workbook(
        sheet_xml([row(header, 1)]),
        shared_strings=_strings_xml(entry for _ in range(200_000)),
        level=9,
    )


def amplified_text(header: tuple) -> bytes:
    """One 30,000-character text used by every cell of 10,000 rows: 600 million characters
    once read, from a file of a few hundred kilobytes."""
    width = len(header)
    cells = '<c t="s"><v>0</v></c>' * width
    return workbook(
        sheet_xml([row(header, 1), *(f"<row>{cells}</row>" for _ in range(10_000))]),
        shared_strings=_strings_xml(["<si><t>" + "y" * 30_000 + "</t></si>"]),
    )


def many_parts(header: tuple) -> bytes:
    """A workbook of 20,000 tiny parts."""
    extra = {f"p{n}": b"" for n in range(20_000)}
    return workbook(sheet_xml([row(header, 1)]), extra=extra)


def huge_dimension(header: tuple, good: tuple) -> bytes:
    """A sheet that declares every cell Excel allows and holds two rows: not refused, the
    declaration is ignored and the two rows are read."""
    return workbook(sheet_xml([row(header, 1), row(good, 2)], dimension="A1:XFD1048576"))


def wide_header(header: tuple) -> bytes:
    """A header of 200,000 distinct column names."""
    names = [*header, *(f"column {n}" for n in range(200_000 - len(header)))]
    return workbook(sheet_xml([row(names, 1)]))


def many_cell_formats(header: tuple) -> bytes:
    """100,000 cell formats (each different, so they pack no better than real ones)."""
    rng = random.Random(7)
    formats = "".join(
        f'<xf numFmtId="{rng.randrange(200)}" fontId="{rng.randrange(999)}" '
        f'fillId="{rng.randrange(99)}" borderId="0" xfId="0"/>'
        for _ in range(100_000)
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
        f'<cellXfs count="100000">{formats}</cellXfs></styleSheet>'
    )
    return workbook(sheet_xml([row(header, 1)]), styles=styles)


def entity_expansion(header: tuple) -> bytes:
    """ "Billion laughs": ten levels of entities, each ten times the one before."""
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{"".join(levels)}]>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{row(header, 1)}'
        f'<row r="2"><c t="inlineStr"><is><t>&l9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return workbook(sheet)


def deep_nesting(header: tuple) -> bytes:
    """100,000 nested elements inside one cell."""
    return workbook(
        sheet_xml(
            [
                row(header, 1),
                '<row r="2"><c><is>' + "<r>" * 100_000 + "</r>" * 100_000 + "</is></c></row>",
            ]
        )
    )


def lying_sizes(header: tuple) -> bytes:
    """A sheet of 100 MB whose directory entry claims 4 KB (and whose packed size is too
    small for the ratio check to look at what it claims)."""
    data = workbook(sheet_xml([row(header, 1), *("<row/>" for _ in range(5_000_000))]), level=9)
    return _declare_size(data, "xl/worksheets/sheet1.xml", 4096)


def giant_csv_line(header: tuple) -> bytes:
    """A CSV whose second line is a single cell of 1.5 million characters."""
    return (",".join(header) + "\n" + "x" * 1_500_000 + "\n").encode()


def wide_csv_header(header: tuple) -> bytes:
    """A CSV header of 200,000 column names (the 81 MB error page)."""
    names = [*header, *(f"c{n}" for n in range(200_000 - len(header)))]
    return (",".join(names) + "\n").encode()


def blank_csv_lines(header: tuple, good: tuple) -> bytes:
    """Two million blank lines, then a row."""
    return (",".join(header) + "\n" * 2_000_000 + ",".join(map(str, good)) + "\n").encode()


def _strings_xml(entries: Iterable[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
    batch: list[str] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == 1_000:
            yield "".join(batch)
            batch = []
    yield "".join(batch)
    yield "</sst>"


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size the central directory declares for one part."""
    encoded = name.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            raise ValueError(name)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == encoded:
            return data[: at + 24] + struct.pack("<L", size) + data[at + 28 :]
        at += 4


@dataclass(frozen=True)
class Hostile:
    name: str  # what a test id and the benchmark call it
    filename: str
    build: Callable[[str], bytes]  # the import ("inventory", ...) -> the file's bytes
    refused: bool = True  # False: read correctly despite its trap


def _with_header(builder: Callable[[tuple], bytes]) -> Callable[[str], bytes]:
    return lambda importer: builder(HEADERS[importer])


def _with_good_row(builder: Callable[[tuple, tuple], bytes]) -> Callable[[str], bytes]:
    return lambda importer: builder(HEADERS[importer], GOOD_ROW[importer])


HOSTILE = (
    Hostile("compressible sheet", "bomb.xlsx", _with_header(compressible_sheet)),
    Hostile("dense sheet", "dense.xlsx", _with_header(dense_sheet)),
    Hostile("formatted empty cells", "formatted.xlsx", _with_header(formatted_cells)),
    Hostile("empty rows", "empty-rows.xlsx", _with_header(empty_rows)),
    Hostile("empty rows, then a value", "far-row.xlsx", _with_good_row(empty_rows_then_a_value)),
    Hostile("huge shared strings", "strings.xlsx", _with_header(huge_shared_strings)),
    Hostile("one text in every cell", "amplified.xlsx", _with_header(amplified_text)),
    Hostile("many parts", "parts.xlsx", _with_header(many_parts)),
    Hostile(
        "huge declared dimension", "dimension.xlsx", _with_good_row(huge_dimension), refused=False
    ),
    Hostile("200,000-column header", "wide.xlsx", _with_header(wide_header)),
    Hostile("100,000 cell formats", "styles.xlsx", _with_header(many_cell_formats)),
    Hostile("entity expansion", "laughs.xlsx", _with_header(entity_expansion)),
    Hostile("deep nesting", "deep.xlsx", _with_header(deep_nesting)),
    Hostile("lying sizes", "lying.xlsx", _with_header(lying_sizes)),
    Hostile("CSV with a giant line", "line.csv", _with_header(giant_csv_line)),
    Hostile("CSV with a 200,000-column header", "wide.csv", _with_header(wide_csv_header)),
    Hostile("CSV with 2 million blank lines", "blank.csv", _with_good_row(blank_csv_lines)),
)
