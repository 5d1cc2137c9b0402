"""The response portal's pages, under /portal/: reached only through an invitation link."""

from django.urls import path

from vendors.portal import views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.portal_home, name="portal-home"),
    path("<str:token>/respond/", views.portal_respond, name="portal-respond"),
    path("<str:token>/ask/", views.portal_ask, name="portal-ask"),
    path("<str:token>/documents/<int:pk>/", views.portal_document, name="portal-document"),
]
