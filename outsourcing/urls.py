"""Root URLs: each app's pages under its own prefix and namespace."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from outsourcing import views
from outsourcing.health import health

admin.site.site_header = "Sourcewise administration"
admin.site.site_title = "Sourcewise"


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("assessments/", include("assessments.urls")),
    path("vendors/", include("vendors.urls")),
    path("contracts/", include("contracts.urls")),
    path("dashboard/", include("outsourcing.dashboard.urls")),
    # The vendor response portal: no account, an invitation link's token (vendors/portal/).
    path("portal/", include("vendors.portal.urls")),
    # The REST API, its OpenAPI schema and docs (outsourcing/api/urls.py).
    path("api/v1/", include("outsourcing.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Each component (database, cache, broker, storage, worker): ok or failing.
    path("health/", health, name="health"),
]
