"""The zip archive of an .xlsx file: its directory checked before anything is unpacked,
then single parts streamed through expat with limits on their size and shape.

Why these limits: an ordinary workbook is a few dozen parts that unpack to 5 to 20
times their packed size. A decompression bomb is a small file whose parts unpack a
thousand times or more, or a directory of tens of thousands of parts. Python's zipfile
never unpacks a part beyond the size its directory declares (it stops there and the
checksum fails), so the declared sizes are a bound we can trust.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from accounts.engine.spreadsheets.limits import (
    MEGABYTE,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    size_in_words,
)

ZIP_MAGIC = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")

MAX_PARTS = 1_000
MAX_DIRECTORY_BYTES = 1 * MEGABYTE
MAX_PART_BYTES = 64 * MEGABYTE  # any one part, unpacked
MAX_UNPACKED_BYTES = 256 * MEGABYTE  # all parts together, unpacked
MAX_RATIO = 100  # the default of Apache POI, which reads Excel files for most of Java
RATIO_FLOOR_BYTES = 1 * MEGABYTE  # a smaller part cannot hurt, whatever its ratio
MAX_SHARED_TEXT_BYTES = 16 * MEGABYTE
MAX_XML_DEPTH = 64
CHUNK_BYTES = 64 * 1024

_NOT_A_WORKBOOK = (
    "The file is not an Excel workbook (.xlsx), or it is damaged. Open it in "
    "Excel and save it again as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'."
)
_SAVE_AGAIN = (
    "Copy the data into a new workbook, or save it as 'CSV UTF-8', and upload that instead."
)


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The workbook's archive, once its directory is within every limit."""
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetUnreadable(_NOT_A_WORKBOOK)
    _check_end_record(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise SpreadsheetUnreadable(_NOT_A_WORKBOOK) from None
    _check_directory(archive.infolist(), len(data))
    return archive


def _check_end_record(data: bytes) -> None:
    """Count the parts from the end record, before zipfile builds one object per part."""
    tail = data[-(_END_RECORD.size + 0xFFFF) :]
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        raise SpreadsheetUnreadable(_NOT_A_WORKBOOK)
    _, _, _, _, parts, directory_bytes, _, _ = _END_RECORD.unpack_from(tail, at)
    if parts > MAX_PARTS:
        shown = "65,535 or more" if parts == 0xFFFF else f"{parts:,}"
        raise SpreadsheetRefused(
            f"The workbook is made of {shown} parts; an Excel workbook has a few dozen, and "
            f"at most {MAX_PARTS:,} are accepted. {_SAVE_AGAIN}"
        )
    if directory_bytes > MAX_DIRECTORY_BYTES:
        raise SpreadsheetRefused(
            f"The workbook's table of contents is {size_in_words(directory_bytes)}; the "
            f"limit is {size_in_words(MAX_DIRECTORY_BYTES)}. {_SAVE_AGAIN}"
        )


def _check_directory(parts: list[zipfile.ZipInfo], packed_total: int) -> None:
    if len(parts) > MAX_PARTS:
        raise SpreadsheetRefused(
            f"The workbook is made of {len(parts):,} parts; at most {MAX_PARTS:,} are "
            f"accepted. {_SAVE_AGAIN}"
        )
    names = [part.filename for part in parts]
    if len(set(names)) != len(names):
        raise SpreadsheetUnreadable(_NOT_A_WORKBOOK)
    unpacked_total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise SpreadsheetUnreadable(
                "The workbook is password-protected. Remove the password in Excel (File > "
                "Info > Protect Workbook), save it and upload it again."
            )
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SpreadsheetUnreadable(_NOT_A_WORKBOOK)  # Excel only deflates
        if part.file_size > MAX_PART_BYTES:
            raise SpreadsheetRefused(
                f"The workbook's part {part.filename} unpacks to "
                f"{size_in_words(part.file_size)}; the limit for one part is "
                f"{size_in_words(MAX_PART_BYTES)}. {_SAVE_AGAIN}"
            )
        _check_ratio(f"The workbook's part {part.filename}", part.file_size, part.compress_size)
        unpacked_total += part.file_size
    if unpacked_total > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            f"The workbook unpacks to {size_in_words(unpacked_total)} in all; the limit is "
            f"{size_in_words(MAX_UNPACKED_BYTES)}. {_SAVE_AGAIN}"
        )
    _check_ratio("The workbook", unpacked_total, packed_total)


def _check_ratio(subject: str, unpacked: int, packed: int) -> None:
    if unpacked <= RATIO_FLOOR_BYTES:
        return
    ratio = unpacked / max(packed, 1)
    if ratio > MAX_RATIO:
        raise SpreadsheetRefused(
            f"{subject} grows from {size_in_words(packed)} to {size_in_words(unpacked)} when "
            f"unpacked, {ratio:,.0f} times its packed size; the limit is {MAX_RATIO} times. "
            "Files that grow this much are refused because they can exhaust the server's "
            f"memory (a \u201cdecompression bomb\u201d). {_SAVE_AGAIN}"
        )


def check_shared_text_size(archive: zipfile.ZipFile, name: str) -> None:
    size = archive.getinfo(name).file_size
    if size > MAX_SHARED_TEXT_BYTES:
        raise SpreadsheetRefused(
            f"The workbook's table of text values ({name}) unpacks to {size_in_words(size)}; "
            f"the limit is {size_in_words(MAX_SHARED_TEXT_BYTES)}. {_SAVE_AGAIN}"
        )


def part_path(source: str, target: str) -> str:
    """Where a relationship's target lives, relative to the part that names it."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relationships_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class XmlPart:
    """One XML part, streamed through expat: no tree is built, and a subclass sees each
    element as it passes. Refuses document type declarations (Excel never writes one;
    they are how "billion laughs" entity bombs work), nesting deeper than MAX_XML_DEPTH
    and more than `max_elements` elements."""

    def __init__(self, archive: zipfile.ZipFile, name: str, *, max_elements: int) -> None:
        self.archive, self.name, self.max_elements = archive, name, max_elements
        self.elements = 0
        self.depth = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.buffer_size = CHUNK_BYTES
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self.text

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """`tag` is the local name, without namespace."""

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

    def parse(self) -> None:
        for _ in self.chunks():
            pass

    def chunks(self) -> Iterator[None]:
        """Feed the part to the parser a chunk at a time, pausing after each chunk.

        The elements are first counted at C speed (every "<" that opens a tag), so a part
        with too many is refused in a fraction of a second rather than parsed for
        seconds; parsing then counts them again, exactly.
        """
        try:
            if self._tags() > self.max_elements:
                self.refuse_size()
            with self.archive.open(self.name) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    self.parser.Parse(chunk, False)
                    yield
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise SpreadsheetUnreadable(
                f"The workbook's part {self.name} is not well-formed XML (line "
                f"{error.lineno}): the file is damaged. {_SAVE_AGAIN}"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise SpreadsheetUnreadable(_NOT_A_WORKBOOK) from None
        yield

    def _tags(self) -> int:
        """How many start tags the part holds, at most: "<" not followed by "/", "?" or "!"."""
        tags = 0
        last = b""
        with self.archive.open(self.name) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                joined = last + chunk[:1]  # a "</" split between two chunks
                tags += (
                    chunk.count(b"<")
                    - chunk.count(b"</")
                    - chunk.count(b"<?")
                    - chunk.count(b"<!")
                    - (joined in (b"</", b"<?", b"<!"))
                )
                if tags > self.max_elements:
                    break
                last = chunk[-1:]
        return tags

    def refuse_size(self) -> None:
        raise SpreadsheetRefused(
            f"The workbook's part {self.name} holds more than {self.max_elements:,} XML "
            "elements, far more than the data of an import needs. " + _SAVE_AGAIN
        )

    def refuse_depth(self) -> None:
        raise SpreadsheetUnreadable(
            f"The workbook's part {self.name} is nested more than {MAX_XML_DEPTH} levels "
            "deep, which Excel never writes; the file is refused."
        )

    def _doctype(self, *args: object) -> None:
        raise SpreadsheetUnreadable(
            f"The workbook's part {self.name} declares a document type, which Excel never "
            "writes; the file is refused."
        )

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        self.depth += 1
        if self.elements > self.max_elements:
            self.refuse_size()
        if self.depth > MAX_XML_DEPTH:
            self.refuse_depth()
        self.start(name[name.rfind(" ") + 1 :], attrs)

    def _end(self, name: str) -> None:
        self.depth -= 1
        self.end(name[name.rfind(" ") + 1 :])
