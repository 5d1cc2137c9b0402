"""The portfolio dashboard, its figures as JSON, and board-pack exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import get_for, organisation_of, roles_required, scoped
from accounts.models import Role
from outsourcing.dashboard import services
from outsourcing.dashboard.figures import FIGURES, cached_dashboard
from outsourcing.dashboard.forms import DashboardFilterForm
from outsourcing.dashboard.selectors import DashboardFilters, submitted_assessments
from outsourcing.models import BoardPack, PackFormat, PackStatus


def _payload(request: HttpRequest) -> tuple[DashboardFilterForm, DashboardFilters, dict]:
    organisation = organisation_of(request)
    assessments = list(submitted_assessments(organisation))
    form = DashboardFilterForm(request.GET or None, assessments=assessments)
    filters = form.filters()
    payload = cached_dashboard(organisation, filters, timezone.localdate(), assessments)
    return form, filters, payload


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters, payload = _payload(request)
    packs = scoped(request, BoardPack.objects.all())[:5]
    return render(request, "dashboard/dashboard.html", {
        "form": form, "filters": filters, "data": payload["summary"],
        "tables": payload["tables"],
        "figures": payload["figures"],
        "figure_titles": {name: title for name, (title, _) in FIGURES.items()},
        "packs": packs, "query": request.GET.urlencode(),
    })


@require_GET
def figure_json(request: HttpRequest, name: str) -> JsonResponse:
    if name not in FIGURES:
        raise Http404("No such figure.")
    _, _, payload = _payload(request)
    return JsonResponse(payload["figures"][name])


@roles_required(Role.CIO, Role.ADMIN)
@require_POST
def board_pack_start(request: HttpRequest) -> HttpResponse:
    pack_format = request.POST.get("format", "")
    if pack_format not in PackFormat.values:
        messages.error(request, "Choose XLSX or PDF for the board pack.")
        return redirect("dashboard")
    assessments = list(submitted_assessments(organisation_of(request)).only("pk", "name"))
    filters = DashboardFilterForm(request.GET or None, assessments=assessments).filters()
    try:
        pack = services.board_pack_request(organisation=organisation_of(request),
                                           user=request.user, pack_format=pack_format,
                                           filters=filters)
    except services.BoardPackQuotaError as refusal:
        messages.error(request, str(refusal))
        return redirect(_dashboard_url(request))
    return redirect("board-pack", pk=pack.pk)


def _dashboard_url(request: HttpRequest) -> str:
    """The dashboard with the filters the pack was asked for (they travel in the query)."""
    query = request.GET.urlencode()
    return f"{reverse('dashboard')}?{query}" if query else reverse("dashboard")


@require_GET
def board_pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = get_for(request, BoardPack.objects.all(), pk=pk)
    return render(request, "dashboard/board_pack.html", {"pack": pack})


@require_GET
def board_pack_status(request: HttpRequest, pk: int) -> JsonResponse:
    pack = get_for(request, BoardPack.objects.all(), pk=pk)
    return JsonResponse({
        "status": pack.status, "progress": pack.progress, "message": pack.message,
        "download_url": reverse("board-pack-download", args=[pack.pk])
        if pack.status == PackStatus.DONE else None,
    })


@require_GET
def board_pack_download(request: HttpRequest, pk: int) -> FileResponse:
    pack = get_for(request, BoardPack.objects.all(), pk=pk)
    if pack.status != PackStatus.DONE or not pack.file:
        raise Http404("This board pack is not ready.")
    content_type = ("application/pdf" if pack.format == PackFormat.PDF else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return FileResponse(pack.file.open("rb"), as_attachment=True, filename=pack.filename,
                        content_type=content_type)
