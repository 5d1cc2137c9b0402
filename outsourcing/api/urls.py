"""/api/v1/: one router over every app's endpoints, the OpenAPI schema and Swagger UI.

Each app lists its endpoints in ``<app>/api/routes.py``: ``ROUTES`` (prefix, viewset,
basename) for the router and ``urlpatterns`` for anything else. The schema is generated
by drf-spectacular from the serializers and views; Swagger UI is served from
drf-spectacular-sidecar's files, so the docs work offline and under the strict CSP (the
"split" view loads its script from a URL instead of an inline block).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.routers import APIRootView, DefaultRouter

from accounts.api.views import ApiMixin, ApiView

APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")


class _RootView(ApiMixin, APIRootView):  # the class DefaultRouter.APIRootView names
    """/api/v1/: the list of endpoints, for members of an organisation."""


class _Router(DefaultRouter):
    include_format_suffixes = False
    APIRootView = _RootView


class SchemaView(ApiMixin, SpectacularAPIView):
    permission_classes: list = []


class DocsView(ApiMixin, SpectacularSwaggerSplitView):
    permission_classes: list = []


class NotFoundView(ApiView):
    """Any other path under /api/v1/ (an unknown endpoint, an id that is not a number):
    a 404 in the API's error format, where Django would send its HTML page. It is still
    the API: an anonymous caller is told to authenticate first."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> None:
        detail = "No such endpoint: the endpoints are listed in /api/v1/schema/."
        if not request.path.endswith("/"):
            try:
                if resolve(f"{request.path}/").url_name != "api-not-found":
                    detail = f"No such endpoint. Did you mean {request.path}/ (with the slash)?"
            except Resolver404:
                pass
        raise NotFound(detail)

    post = put = patch = delete = get


router = _Router()
extra: list[URLPattern | URLResolver] = []
for app in APPS:
    try:
        routes = import_module(f"{app}.api.routes")
    except ModuleNotFoundError as error:
        if error.name != f"{app}.api.routes" and error.name != f"{app}.api":
            raise
        continue
    for prefix, viewset, basename in getattr(routes, "ROUTES", ()):
        router.register(prefix, viewset, basename=basename)
    extra.extend(getattr(routes, "urlpatterns", ()))

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *extra,
    path("", include(router.urls)),
    re_path(r"^.*$", NotFoundView.as_view(), name="api-not-found"),
]
