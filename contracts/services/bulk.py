"""Inserting many new rows at once.

On PostgreSQL this uses COPY: Django's ``bulk_create`` of a portfolio's credit months
(7,200 rows of 11 columns) spends about two seconds building and binding one huge
VALUES list, where COPY takes a quarter of a second, and COPY streams: the database
stores rows while the caller is still computing the next ones. Elsewhere it is
``bulk_create``. Like ``bulk_create``, neither calls ``save()`` nor sends signals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import connection, models

BATCH_SIZE = 2_000
Row = Sequence[Any]


@contextmanager
def row_writer(model: type[models.Model], fields: Sequence[str]) -> Iterator[Callable[[Row], None]]:
    """A ``write(row)`` function inserting rows (values in the order of ``fields``, by
    attribute name) into ``model``'s table, in the current transaction; every row is in
    once the block ends."""
    concrete = [_column(model, name) for name in fields]
    if connection.vendor != "postgresql":
        pending: list[models.Model] = []

        def collect(row: Row) -> None:
            pending.append(
                model(**{f.attname: value for f, value in zip(concrete, row, strict=True)})
            )

        yield collect
        model._default_manager.bulk_create(pending, batch_size=BATCH_SIZE)
        return

    from psycopg.types.json import Jsonb

    compact = partial(json.dumps, separators=(",", ":"))

    # psycopg adapts ints, dates, Decimals and strings itself; only JSON needs wrapping
    # (Field.get_db_prep_save per value would double the time).
    json_columns = [i for i, f in enumerate(concrete) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in concrete)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:

        def send(row: Row) -> None:
            if json_columns:
                row = list(row)
                for i in json_columns:
                    row[i] = None if row[i] is None else Jsonb(row[i], dumps=compact)
            copy.write_row(row)

        yield send


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert ``rows`` at once (see ``row_writer``)."""
    with row_writer(model, fields) as write:
        for row in rows:
            write(row)


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field of ``model`` named ``name``, which must be one of its table's columns."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{name} is a relation of {model.__name__}, not a column.")
    return field
