"""The project's URLs as they were before the contracts app: the award lands on the event."""

from outsourcing import urls

urlpatterns = [p for p in urls.urlpatterns
               if getattr(p, "namespace", None) != "contracts"]
