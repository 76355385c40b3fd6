"""Request class that spools uploaded files to unnamed temporary files in instance/tmp."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Request, current_app


class PortalRequest(Request):
    """Uploads never sit under a name on disk: the temporary file is unlinked from the start
    (O_TMPFILE on Linux) and vanishes when the request ends or the process dies."""

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        directory = Path(current_app.instance_path) / "tmp"
        directory.mkdir(mode=0o700, exist_ok=True)
        return tempfile.TemporaryFile(dir=directory)
