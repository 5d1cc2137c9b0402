"""The portfolio dashboard, its figures as JSON, and board-pack exports."""

from __future__ import annotations

import functools
import hashlib

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import Engine
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from accounts.access import (
    MemberRequest,
    get_for,
    membership_of,
    organisation_of,
    roles_required,
    scoped,
)
from accounts.models import Role
from assessments.chart_cache import code_version
from assessments.models import Assessment
from assessments.services.portfolio import PORTFOLIO_ROLES
from outsourcing.dashboard.boardpacks import services, tasks
from outsourcing.dashboard.figures import (
    CACHE_SECONDS,
    FIGURES,
    DashboardParts,
    cached_figure_json,
)
from outsourcing.dashboard.forms import DashboardFilterForm
from outsourcing.dashboard.selectors import (
    DashboardFilters,
    submitted_assessments,
    with_default_assessment,
)
from outsourcing.engine.headline import quarter_start
from outsourcing.models import BoardPack, PackFormat, PackStatus

# Who may export the board pack (``board_pack_start``); the page shows the buttons to them.
BOARD_PACK_ROLES = (Role.CIO, Role.ADMIN)


def _filters(
    request: HttpRequest,
) -> tuple[DashboardFilterForm, DashboardFilters, list[Assessment], Assessment | None]:
    """The bound filter form, the filters it gives (an unnamed assessment resolved to the
    current portfolio, else the newest submitted), the submitted assessments, and the one
    that opens by default."""
    organisation = organisation_of(request)
    assessments = list(submitted_assessments(organisation))
    form = DashboardFilterForm(request.GET or None, assessments=assessments)
    filters, default, marked = with_default_assessment(organisation, form.filters(), assessments)
    form.show_default(default, marked=marked)
    return form, filters, assessments, default


# The templates the dashboard's body is drawn with, and the code of their filters.
BODY_TEMPLATES = (
    "dashboard/dashboard.html",
    "dashboard/_headline.html",
    "dashboard/_figure.html",
    "assessments/_chart.html",
)
BODY_TAGS = (
    "accounts.templatetags.formatting",
    "assessments.templatetags.projection_tags",
    "assessments.templatetags.glossary",
)


@functools.cache
def _body_version() -> str:
    """A digest of what draws the dashboard's body: a new release never serves a body
    drawn by the old one's templates."""
    digest = hashlib.sha256()
    for name in BODY_TEMPLATES:
        digest.update(Engine.get_default().get_template(name).source.encode())
    for module in BODY_TAGS:
        digest.update(code_version(module).encode())
    return digest.hexdigest()[:16]


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters, assessments, default = _filters(request)
    parts = DashboardParts(organisation_of(request), filters, timezone.localdate(), assessments)
    body = SimpleLazyObject(parts.body)  # read only if the drawn body is not cached
    query = request.GET.urlencode()
    packs = scoped(request, BoardPack.objects.all())[:5]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "data": parts.summary,
            "tables": SimpleLazyObject(lambda: body["tables"]),
            "figures": SimpleLazyObject(lambda: body["figures"]),
            # The body (headline, figures, tables) is drawn once per state of the data,
            # filters (as typed: its links repeat them) and templates.
            "body_key": f"{parts.digest}:{_body_version()}:{query}",
            "body_seconds": CACHE_SECONDS,
            "figure_titles": {name: title for name, (title, _) in FIGURES.items()},
            "packs": packs,
            "query": query,
            "can_export_board_pack": membership_of(request).role in BOARD_PACK_ROLES,
            "default_assessment": default,
            "quarter_start": quarter_start(timezone.localdate()),
            "can_mark_portfolio": membership_of(request).role in PORTFOLIO_ROLES,
        },
    )


@require_GET
def figure_json(request: HttpRequest, name: str) -> HttpResponse:
    """The figure's JSON as cached, sent as it is."""
    if name not in FIGURES:
        raise Http404("No such figure.")
    _, filters, assessments, _ = _filters(request)
    return HttpResponse(
        cached_figure_json(
            organisation_of(request), filters, timezone.localdate(), name, assessments
        ),
        content_type="application/json",
    )


@roles_required(*BOARD_PACK_ROLES)
@require_POST
def board_pack_start(request: MemberRequest) -> HttpResponse:
    pack_format = request.POST.get("format", "")
    if pack_format not in PackFormat.values:
        messages.error(request, "Choose XLSX or PDF for the board pack.")
        return redirect("dashboard")
    _, filters, _, _ = _filters(request)
    try:
        pack = tasks.request_board_pack(
            organisation=organisation_of(request),
            user=request.user,
            pack_format=pack_format,
            filters=filters,
        )
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
    stalled = services.board_pack_stalled(pack)
    return JsonResponse(
        {
            "status": pack.status,
            "status_label": pack.get_status_display(),
            "progress": pack.progress,
            "message": pack.message,
            "stalled": stalled,
            "stalled_message": services.STALLED if stalled else None,
            "download_url": reverse("board-pack-download", args=[pack.pk])
            if pack.status == PackStatus.DONE
            else None,
        }
    )


@require_GET
def board_pack_download(request: HttpRequest, pk: int) -> FileResponse:
    pack = get_for(request, BoardPack.objects.all(), pk=pk)
    if pack.status != PackStatus.DONE or not pack.file:
        raise Http404("This board pack is not ready.")
    content_type = (
        "application/pdf"
        if pack.format == PackFormat.PDF
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        pack.file.open("rb"), as_attachment=True, filename=pack.filename, content_type=content_type
    )
