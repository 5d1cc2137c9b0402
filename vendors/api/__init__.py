"""/api/v1/ endpoints of the vendor registry and sourcing events (see ``routes.py``)."""
