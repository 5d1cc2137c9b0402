"""Django admin for the platform's operators only.

Django admin sees every organisation, so only platform superusers may use it.
Organisation admins manage their own people on the app's pages (/accounts/members/).
``OperatorsAdminConfig`` (in INSTALLED_APPS in place of ``django.contrib.admin``) makes
``OperatorsAdminSite`` the default ``admin.site``.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class OperatorsAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_superuser


class OperatorsAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.OperatorsAdminSite"
