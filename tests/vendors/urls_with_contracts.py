"""The project's URLs with a stand-in contracts page named contracts:new-from-award."""

from django.http import HttpResponse
from django.urls import include, path

from outsourcing import urls


def new_from_award(request, award_pk: int) -> HttpResponse:
    return HttpResponse(f"draft contract for award {award_pk}")


contracts = ([path("from-award/<int:award_pk>/", new_from_award, name="new-from-award")],
             "contracts")
urlpatterns = [path("contracts/", include(contracts)),
               *(p for p in urls.urlpatterns if getattr(p, "namespace", None) != "contracts")]
