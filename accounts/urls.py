from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.audit import views as audit_views
from accounts.views import members as views_members
from accounts.views import mfa as views_mfa
from accounts.views import session as views
from accounts.views import tokens as views_tokens
from accounts.webhooks import views as webhook_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("switch/", views.switch_organisation, name="switch-organisation"),
    # API tokens for the REST API (accounts/api/).
    path("tokens/", views_tokens.api_tokens, name="api-tokens"),
    path("tokens/<str:token_key>/revoke/", views_tokens.api_token_revoke, name="api-token-revoke"),
    # Signed webhooks, for the organisation's admins (accounts/webhooks/).
    path("webhooks/", webhook_views.webhook_list, name="webhook-list"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook-detail"),
    path("webhooks/<int:pk>/test/", webhook_views.webhook_test, name="webhook-test"),
    path("webhooks/<int:pk>/secret/", webhook_views.webhook_rotate, name="webhook-rotate"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook-delete"),
    # The organisation's audit trail, for its admins (accounts/audit/).
    path("audit/", audit_views.audit_trail, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit-export"),
    # Password reset by e-mail (Django's views, our templates under registration/).
    path(
        "password/reset/",
        views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Two-factor authentication (accounts/services/mfa.py).
    path("mfa/", views_mfa.mfa_settings, name="mfa"),
    path("mfa/verify/", views_mfa.mfa_verify_view, name="mfa-verify"),
    path("mfa/setup/", views_mfa.mfa_setup, name="mfa-setup"),
    path("mfa/recovery-codes/", views_mfa.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("mfa/replace/", views_mfa.mfa_replace, name="mfa-replace"),
    path("mfa/disable/", views_mfa.mfa_disable, name="mfa-disable"),
    path("members/require-mfa/", views_mfa.organisation_require_mfa, name="require-mfa"),
    # People and roles: an organisation's admins; invitation links for anyone holding one.
    path("members/", views_members.members, name="members"),
    path("members/invite/", views_members.member_invite, name="member-invite"),
    path("members/<int:pk>/role/", views_members.member_role, name="member-role"),
    path("members/<int:pk>/remove/", views_members.member_remove, name="member-remove"),
    path(
        "members/invitations/<int:pk>/withdraw/",
        views_members.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "invitations/<str:token>/",
        views_members.invitation_accept_view,
        name="invitation-accept",
    ),
]
