from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Invitation, Membership, Organisation


def platform_operators_only(request: HttpRequest) -> bool:
    """Django admin sees every organisation, so only platform superusers may use it.

    Organisation admins manage their own people on the app's pages (/accounts/members/).
    """
    user = request.user
    return user.is_active and user.is_staff and user.is_superuser


admin.site.has_permission = platform_operators_only


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "home_country", "currency", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are issued and withdrawn by organisation admins in the app."""

    list_display = ["email", "organisation", "role", "invited_by", "created_at", "expires_at",
                    "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
