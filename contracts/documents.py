"""What a contract document may be: PDF, DOCX or XLSX, checked by name and by content.

Pure: no Django. The extension alone proves nothing, so the first bytes must match too
(``%PDF-`` for PDF; a ZIP holding the Word or Excel main part for DOCX and XLSX).
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import BinaryIO

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ALLOWED = ("pdf", "docx", "xlsx")
_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class DocumentProblem(ValueError):
    """The file cannot be stored; the message says why in words."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_document(name: str, size: int, stream: BinaryIO,
                   max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """The document's kind ("pdf", "docx" or "xlsx"), or DocumentProblem.

    ``stream`` is read from the start and left at the start.
    """
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise DocumentProblem(
            f"{name!r} is not a PDF, Word (.docx) or Excel (.xlsx) file; only those can be "
            "attached to a contract."
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
    if not head.startswith(_ZIP_MAGIC):
        raise DocumentProblem(f"{name!r} is named .{extension} but is not a {label} file.")
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise DocumentProblem(f"{name!r} is named .{extension} but is damaged or not a "
                              f"{label} file.") from None
    finally:
        stream.seek(0)
    if _OFFICE_PART[extension] not in parts:
        raise DocumentProblem(f"{name!r} is named .{extension} but is not a {label} file.")
    return extension
