"""A Word or Excel document whose zip directory lists absurdly many parts is refused before
zipfile builds that directory (one object per part: some 100 MB for 200,000 parts)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.engine.documents import DocumentProblem, check_document
from contracts.models import ContractDocument
from tests.contracts.builders import make_contract

PARTS = 100_000  # about 8.5 MB packed, well inside the 20 MB upload limit
REFUSED = "is refused: it is built unlike any"


def office_archive(main_part: str, extra_parts: int, *, content: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        for index in range(extra_parts):
            archive.writestr(zipfile.ZipInfo(f"{index:x}"), content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def many_parts_docx() -> bytes:
    return office_archive("word/document.xml", PARTS)


def test_a_document_of_a_hundred_thousand_parts_is_refused_in_words(many_parts_docx):
    with pytest.raises(DocumentProblem) as refused:
        check_document("Schedule.docx", len(many_parts_docx), io.BytesIO(many_parts_docx))
    assert str(refused.value) == (
        "'Schedule.docx' is refused: it is built unlike any Word file, with too many parts "
        "(at most 1,000 are accepted) or parts that unpack to far more than their stored "
        "size, as files made to exhaust a server's memory are. Save it again from Word, or "
        "attach it as a PDF."
    )


def test_the_refusal_comes_before_the_directory_is_built(many_parts_docx):
    # Building the directory of 100,000 parts takes some 50 MB; the refusal reads only the
    # archive's end record, so it needs little beyond one copy of the upload.
    stream = io.BytesIO(many_parts_docx)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(DocumentProblem):
            check_document("Schedule.docx", len(many_parts_docx), stream)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(many_parts_docx) + 2 * 1024 * 1024
    assert elapsed < 2
    assert stream.tell() == 0


def test_a_workbook_of_many_parts_is_refused_too():
    data = office_archive("xl/workbook.xml", 5_000)
    with pytest.raises(DocumentProblem, match="built unlike any Excel file"):
        check_document("Figures.xlsx", len(data), io.BytesIO(data))


def test_a_part_that_unpacks_a_thousand_times_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/media/blank.bin", b"\0" * (64 * 1024 * 1024))
    data = buffer.getvalue()
    with pytest.raises(DocumentProblem, match=REFUSED):
        check_document("Bomb.docx", len(data), io.BytesIO(data))


def test_a_real_sized_document_with_hundreds_of_images_is_accepted():
    data = office_archive("word/document.xml", 600, content=b"\x89PNG" + bytes(range(256)) * 8)
    assert check_document("Annual report.docx", len(data), io.BytesIO(data)) == "docx"


@pytest.mark.django_db
def test_uploading_it_to_a_contract_is_refused_and_nothing_stored(cast, media, many_parts_docx):
    contract = make_contract(cast.manager)
    response = cast.client_for("manager").post(
        reverse("contracts:document-upload", args=[contract.pk]),
        {"file": SimpleUploadedFile("Schedule.docx", many_parts_docx), "description": ""},
    )
    assert response.status_code == 400
    assert REFUSED in response.content.decode().replace("&#x27;", "'")
    assert not ContractDocument.objects.exists()
