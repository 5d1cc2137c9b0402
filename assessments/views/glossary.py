"""The glossary page: every term of art the pages use, in words."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import membership_of
from assessments.engine.glossary import TERMS


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    membership_of(request)  # any member of an organisation; the text is the same for all
    return render(request, "assessments/glossary.html", {"terms": TERMS})
