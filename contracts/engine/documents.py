"""What a contract document may be: the one rule for uploaded documents, kept in
``accounts/engine/documents.py`` since the vendor response portal (vendors) checks its
uploads the same way and may not import contracts."""

from accounts.engine.documents import (
    ALLOWED,
    MAX_DOCUMENT_BYTES,
    DocumentProblem,
    check_document,
    megabytes,
)

__all__ = ["ALLOWED", "MAX_DOCUMENT_BYTES", "DocumentProblem", "check_document", "megabytes"]
