"""The REST API's JSON parser: hostile bodies get a 400 with a plain message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from accounts.engine.json_bodies import JsonBodyError, load_json


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, but too-deep nesting, NaN and Infinity are a 400, not a 500."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        read = -1 if limit is None else limit + 1
        body = b"" if stream is None else stream.read(read)
        if limit is not None and len(body) > limit:
            raise ParseError(f"The request body is larger than {limit:,} bytes.")
        try:
            return load_json(body)
        except JsonBodyError as error:
            raise ParseError(str(error)) from None
