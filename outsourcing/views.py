"""The home page, which composes what each app offers the current role."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import membership_of


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"membership": membership_of(request)})
