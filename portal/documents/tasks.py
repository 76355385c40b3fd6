"""Queued work of the document store: text extraction after an upload, the daily purge."""

from __future__ import annotations

from portal import jobs
from portal.documents import indexing, trash


@jobs.task(retries=2, retry_delay=60)
def index_document_version(version_id: int, previous_id: int | None):
    """Extract a stored document's text into the full-text index."""
    return indexing.index_stored_version(version_id, previous_id)


@jobs.periodic(hour="3", minute="15")
def purge_trash_daily():
    return trash.purge_due()
