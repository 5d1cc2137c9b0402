"""Contract documents: PDF, DOCX and XLSX only, checked by name and content, size-limited,
stored under unguessable names and served only to the organisation's members."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.engine.documents import MAX_DOCUMENT_BYTES
from contracts.models import ContractDocument
from tests.contracts.builders import make_contract
from tests.contracts.conftest import PDF

pytestmark = pytest.mark.django_db


def office_file(name: str, part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, contract, file, description: str = "Signed copy"):
    return client.post(
        reverse("contracts:document-upload", args=[contract.pk]),
        {"file": file, "description": description},
    )


@pytest.mark.parametrize(
    ("file", "kind"),
    [
        (SimpleUploadedFile("MSA <final>.pdf", PDF), "pdf"),
        (office_file("Schedule 2.docx", "word/document.xml"), "docx"),
        (office_file("Price book.XLSX", "xl/workbook.xml"), "xlsx"),
    ],
)
def test_a_manager_attaches_a_document_stored_under_an_unguessable_name(cast, media, file, kind):
    contract = make_contract(cast.manager)
    content = file.read()
    file.seek(0)
    response = upload(cast.client_for("manager"), contract, file)
    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert document.kind == kind and document.original_name == file.name
    stored = Path(document.file.path)
    assert stored.is_relative_to(media) and stored.read_bytes() == content
    assert file.name.split(".")[0] not in stored.name and len(stored.stem) == 32


def test_members_download_the_document_under_its_own_name(cast, media):
    contract = make_contract(cast.manager)
    upload(cast.client_for("manager"), contract, SimpleUploadedFile("MSA.pdf", PDF))
    document = ContractDocument.objects.get()
    response = cast.client_for("cio").get(
        reverse("contracts:document-download", args=[contract.pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="MSA.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("invoice.exe", b"MZ\x90\x00"), "is not a PDF, Word (.docx) or Excel"),
        (SimpleUploadedFile("notes.txt", b"hello"), "is not a PDF, Word (.docx) or Excel"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"), "its content is not a PDF"),
        (SimpleUploadedFile("fake.docx", b"%PDF-1.4 really a pdf"), "is not a Word file"),
        (office_file("sheet.docx", "xl/workbook.xml"), "is not a Word file"),
        (SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 truncated"), "is damaged"),
        (SimpleUploadedFile("empty.pdf", b""), "The submitted file is empty."),
        (
            SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES),
            "is 20.0 MB; the limit is 20.0 MB",
        ),
    ],
)
def test_a_wrong_or_oversized_file_is_refused_in_words_and_nothing_stored(
    cast, media, file, message
):
    contract = make_contract(cast.manager)
    response = upload(cast.client_for("manager"), contract, file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContractDocument.objects.exists()
    assert not Path(media).exists() or not any(Path(media).rglob("*.*"))


def test_removing_a_document_deletes_the_row_and_the_file(
    cast, media, django_capture_on_commit_callbacks
):
    contract = make_contract(cast.manager)
    upload(cast.client_for("manager"), contract, SimpleUploadedFile("MSA.pdf", PDF))
    document = ContractDocument.objects.get()
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("admin").post(
            reverse("contracts:document-delete", args=[contract.pk, document.pk])
        )
    assert response.status_code == 302
    assert not ContractDocument.objects.exists() and not path.exists()


def test_a_document_of_another_contract_is_not_found_under_ours(cast, media):
    ours = make_contract(cast.manager, title="Ours")
    other = make_contract(cast.manager, title="Other")
    upload(cast.client_for("manager"), other, SimpleUploadedFile("MSA.pdf", PDF))
    document = ContractDocument.objects.get()
    response = cast.client_for("manager").get(
        reverse("contracts:document-download", args=[ours.pk, document.pk])
    )
    assert response.status_code == 404


def test_the_media_url_does_not_serve_documents(cast, media, client):
    contract = make_contract(cast.manager)
    upload(cast.client_for("manager"), contract, SimpleUploadedFile("MSA.pdf", PDF))
    name = ContractDocument.objects.get().file.name
    response = cast.client_for("manager").get(f"/media/{name}")
    assert response.status_code == 404
