"""The audit trail of the current organisation, for its admins: a page and a CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import admins_only, organisation_of
from accounts.audit.changes import change_rows, kind_label
from accounts.audit.export import csv_lines
from accounts.audit.forms import AuditFilterForm
from accounts.audit.models import AuditEntry

PAGE_SIZE = 50
EXPORT_CHUNK = 500


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    organisation = organisation_of(request)
    form = AuditFilterForm(request.GET, organisation=organisation)
    entries = AuditEntry.objects.for_organisation(organisation).newest_first()
    return form, (form.apply(entries) if form.is_valid() else entries.none())


@admins_only
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {"entry": entry, "kind": kind_label(entry), "changes": change_rows(entry)}
                for entry in page
            ],
            "query": query.urlencode(),
        },
        status=200 if form.is_valid() else 400,
    )


@admins_only
@require_GET
def audit_export(request: HttpRequest) -> HttpResponseBase:
    form, entries = _filtered(request)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: "
            f"{' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponse(
            f"The filters are not valid. {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(entries.iterator(chunk_size=EXPORT_CHUNK))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="audit-trail-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response
