"""Refuse an oversized upload while it arrives, before it is read whole.

Two checks run before Django reads a portal form's body: the request's declared length
(``Content-Length``) against the most the form can carry, and, as each file streams in,
its bytes so far against the document limit. A file past the limit is skipped (its
remaining bytes are discarded, not stored) and the form says which one and why.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from accounts.engine.documents import MAX_DOCUMENT_BYTES

FORM_OVERHEAD_BYTES = 1024 * 1024  # the text fields of the form, generously


def declared_too_large(request: HttpRequest, files: int) -> int | None:
    """The declared body length when it is more than ``files`` documents could make."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    limit = max(files, 1) * MAX_DOCUMENT_BYTES + FORM_OVERHEAD_BYTES
    return length if length > limit else None


class SizeCappedUploadHandler(FileUploadHandler):
    """First in the chain: counts each file's bytes, skips a file past the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.refused: list[str] = []  # field names of the files skipped
        self.sizes: dict[str, int] = {}

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_DOCUMENT_BYTES:
            self.refused.append(self.field_name)
            self.sizes[self.field_name] = self.received
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
