"""/api/v1/me/: who the caller is, in which organisation, with which role and token."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import membership_of
from accounts.api.authentication import token_of
from accounts.api.views import ApiView


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organisation = serializers.CharField()
    organisation_id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=["manager", "cio", "admin"])
    can_write = serializers.BooleanField()
    token = serializers.CharField(
        allow_null=True, help_text="The token's name, or null for a browser session."
    )
    token_read_only = serializers.BooleanField()


class MeView(ApiView):
    @extend_schema(
        summary="Who am I",
        description="The person, organisation and role the request acts as.",
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "A manager's token",
                value={
                    "username": "manager",
                    "organisation": "Acme Manufacturing",
                    "organisation_id": 1,
                    "role": "manager",
                    "can_write": True,
                    "token": "ERP import",
                    "token_read_only": False,
                },
            )
        ],
    )
    def get(self, request: Request) -> Response:
        membership = membership_of(request._request)
        token = token_of(request)
        read_only = bool(token and token.read_only)
        return Response(
            MeSerializer(
                {
                    "username": request.user.get_username(),
                    "organisation": membership.organisation.name,
                    "organisation_id": membership.organisation_id,
                    "role": membership.role,
                    "can_write": membership.can_edit and not read_only,
                    "token": token.name if token else None,
                    "token_read_only": read_only,
                }
            ).data
        )


urlpatterns = [path("me/", MeView.as_view(), name="api-me")]
