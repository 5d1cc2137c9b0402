"""Model fields of the contracts app."""

from django.db import models


class WorkingJSONField(models.JSONField):
    """A JSONField that PostgreSQL bulk-inserts as plain query parameters.

    Django 5.2 bulk-inserts on PostgreSQL through ``UNNEST(array)``, and psycopg then
    quotes every JSON document into one array literal character by character: for the
    credit computations (megabytes of JSON per recompute of a portfolio) that quoting
    took seven seconds out of eight. A field with ``get_placeholder`` opts the insert out
    of UNNEST (see django/db/backends/postgresql/compiler.py), and the documents travel
    as ordinary parameters.
    """

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"
