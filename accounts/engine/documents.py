"""What an uploaded document may be: PDF, DOCX or XLSX, checked by name and by content.

One rule for every document a person attaches: a contract's documents (contracts) and a
vendor's response to an RFP (the vendor response portal) both call ``check_document``.

Pure: no Django. The extension alone proves nothing, so the first bytes must match too
(``%PDF-`` for PDF; a ZIP holding the Word or Excel main part for DOCX and XLSX).

A DOCX or XLSX is a zip archive. Its directory is checked with the spreadsheet imports'
archive checks before zipfile builds it: within the size limit a crafted file could
declare some 250,000 parts, and zipfile would hold an object for each (about 125 MB).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import BinaryIO

from accounts.engine.spreadsheets.archive import MAX_PARTS, ZIP_MAGIC, open_archive
from accounts.engine.spreadsheets.limits import SpreadsheetRefused, SpreadsheetUnreadable

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ALLOWED = ("pdf", "docx", "xlsx")
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class DocumentProblem(ValueError):
    """The file cannot be stored; the message says why in words."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_document(
    name: str,
    size: int,
    stream: BinaryIO,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    attached_to: str = "a contract",
) -> str:
    """The document's kind ("pdf", "docx" or "xlsx"), or DocumentProblem.

    ``stream`` is read from the start and left at the start.
    """
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise DocumentProblem(
            f"{name!r} is not a PDF, Word (.docx) or Excel (.xlsx) file; only those can be "
            f"attached to {attached_to}."
        )
    if size == 0:
        raise DocumentProblem(f"{name!r} is empty.")
    if size > max_bytes:
        raise DocumentProblem(
            f"{name!r} is {megabytes(size)}; the limit is {megabytes(max_bytes)}. "
            "Compress it or attach it in parts."
        )
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise DocumentProblem(f"{name!r} is named .pdf but its content is not a PDF.")
        return extension
    label = "Word" if extension == "docx" else "Excel"
    if not head.startswith(ZIP_MAGIC):
        raise DocumentProblem(f"{name!r} is named .{extension} but is not a {label} file.")
    try:
        with open_archive(stream.read(max_bytes + 1)) as archive:
            parts = set(archive.namelist())
    except SpreadsheetRefused:
        raise DocumentProblem(
            f"{name!r} is refused: it is built unlike any {label} file, with too many parts "
            f"(at most {MAX_PARTS:,} are accepted) or parts that unpack to far more than "
            "their stored size, as files made to exhaust a server's memory are. Save it "
            f"again from {label}, or attach it as a PDF."
        ) from None
    except (SpreadsheetUnreadable, OSError):
        raise DocumentProblem(
            f"{name!r} is named .{extension} but is damaged or not a {label} file."
        ) from None
    finally:
        stream.seek(0)
    if _OFFICE_PART[extension] not in parts:
        raise DocumentProblem(f"{name!r} is named .{extension} but is not a {label} file.")
    return extension
