"""Sending a stored file to the browser: always as an attachment, never run or cached."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def attachment(chunks, mime_type: str, size: int, filename: str) -> Response:
    """A download that is never shown inline, sniffed, cached or allowed to run anything."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
    response = Response(chunks, mimetype=mime_type, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
