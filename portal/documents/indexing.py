"""Text extraction into the full-text index: the work of the indexing job."""

from __future__ import annotations

import logging
from typing import BinaryIO

from portal.documents import search, storage, text, validation
from portal.documents.models import DocumentVersion
from portal.extensions import db

log = logging.getLogger(__name__)


def index_stored_version(version_id: int, previous_id: int | None) -> None:
    """The job: decrypt into an unnamed temporary file, extract, index."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        return
    file_format = {v: k for k, v in validation.MIME_TYPES.items()}.get(version.mime_type)
    with storage.plaintext_copy(version.storage_key, version.sha256) as plain:
        index_text(version, previous_id, plain, file_format)


def index_text(version: DocumentVersion, previous_id: int | None, stream: BinaryIO,
               file_format: str) -> None:
    """Extract and index; a failure never loses the upload, it only marks the text 'mislukt'."""
    try:
        content = text.extract_text(stream, file_format)
        search.replace_text(previous_id, version.id, content)
        version.text_status = "geïndexeerd" if content.strip() else "geen tekst"
        db.session.commit()
    except Exception:  # noqa: BLE001 - extraction is best effort; the file is already safe
        db.session.rollback()
        log.exception("text extraction failed for version %s", version.id)
        version = db.session.get(DocumentVersion, version.id)
        version.text_status = "mislukt"
        db.session.commit()
