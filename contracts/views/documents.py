"""Contract documents: upload, download (only through this access-checked view), delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import MemberRequest
from contracts import services
from contracts.access import get_contract_for, get_document_for
from contracts.forms import DocumentForm


@require_POST
def document_upload(request: MemberRequest, pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "contracts/document_form.html",
            {"contract": contract, "form": form},
            status=400,
        )
    document = services.document_upload(
        contract=contract,
        file=form.cleaned_data["file"],
        kind=form.cleaned_data["kind"],
        description=form.cleaned_data["description"],
        user=request.user,
    )
    messages.success(request, f"“{document.original_name}” attached.")
    return redirect(f"{contract.get_absolute_url()}#documents")


@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    contract = get_contract_for(request, pk)
    document = get_document_for(request, contract, document_pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    contract = get_contract_for(request, pk, write=True)
    document = get_document_for(request, contract, document_pk, write=True)
    name = document.original_name
    services.document_delete(document=document)
    messages.success(request, f"“{name}” removed.")
    return redirect(f"{contract.get_absolute_url()}#documents")
