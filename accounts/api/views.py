"""The base of every /api/v1/ endpoint: authentication, organisation access, throttles and
the one error format (drf-standardized-errors), marked as not needing the login page's
session (the API authenticates each request itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rest_framework import viewsets
from rest_framework.views import APIView

from accounts.api.errors import exception_handler
from accounts.api.permissions import OrganisationMember

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass  # the stubs' name, as APIView


class ApiMixin:
    permission_classes: Sequence[_PermissionClass] = [OrganisationMember]

    def get_exception_handler(self) -> Any:
        return exception_handler

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)  # type: ignore[misc]
        # The API answers 401/403 in its error format instead of redirecting to the login
        # page (accounts.middleware.LoginRequiredOrganisationMiddleware reads this).
        view.login_required = False
        return view


class ApiView(ApiMixin, APIView):
    pass


class ApiViewSet(ApiMixin, viewsets.GenericViewSet):
    pass


class ApiModelViewSet(ApiMixin, viewsets.ModelViewSet):
    pass


class ApiReadOnlyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    pass
