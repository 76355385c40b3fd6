"""Upload and download a large document through the whole stack; print speed and peak memory.

    .venv/bin/python bench/documents.py [size in MB ...]     (default: 10 100)

Each size is uploaded as a casemanager through the Flask test client (multipart body streamed
from a file on disk, so the client side holds nothing), validated, encrypted and stored, then
downloaded and checked byte for byte. Peak memory is Python's own allocation peak
(tracemalloc) during each step: it must stay flat as the file grows.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from contextlib import redirect_stderr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.roles import Role  # noqa: E402
from tests.conftest import base_config, csrf_token, log_in  # noqa: E402
from tests.factories import make_client, make_user  # noqa: E402

BOUNDARY = "----stapportaal-bench"
MB = 1024 * 1024


PAGE_IMAGE = 512 * 1024


def large_pdf(path: Path, size: int) -> str:
    """A scan-like PDF: one page per 512 kB image with a line of text; returns its SHA-256.

    Written object by object with its own cross-reference table, so making a 100 MB file
    takes no more memory than one image."""
    pages = max(1, size // PAGE_IMAGE)
    offsets: list[int] = []
    digest = hashlib.sha256()
    with path.open("wb") as out:
        def emit(data: bytes) -> None:
            out.write(data)
            digest.update(data)

        def obj(number: int, body: bytes) -> None:
            offsets.append(out.tell())
            emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

        emit(b"%PDF-1.7\n")
        kids = b" ".join(b"%d 0 R" % (4 + 3 * i) for i in range(pages))
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
        obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for i in range(pages):
            page, content, image = 4 + 3 * i, 5 + 3 * i, 6 + 3 * i
            obj(page, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                      b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im %d 0 R >> >> >>"
                % (content, image))
            text = b"q 595 0 0 800 0 0 cm /Im Do Q BT /F1 12 Tf 40 20 Td (Pagina %d) Tj ET" % i
            obj(content, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
            pixels = os.urandom(PAGE_IMAGE)
            obj(image, b"<< /Type /XObject /Subtype /Image /Width 512 /Height 1024 "
                       b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\n"
                       b"stream\n%s\nendstream" % (len(pixels), pixels))
        xref = out.tell()
        emit(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            emit(b"%010d 00000 n \n" % offset)
        emit(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
             % (len(offsets) + 1, xref))
    return digest.hexdigest()


def multipart_body(path: Path, pdf: Path, token: str) -> int:
    fields = {"csrf_token": token, "kind": "overig", "title": "Benchmark", "document_date": "",
              "note": ""}
    with path.open("wb") as out:
        for name, value in fields.items():
            out.write(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                      f"{value}\r\n".encode())
        out.write(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
                  f"filename=\"groot.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".encode())
        with pdf.open("rb") as source:
            while block := source.read(MB):
                out.write(block)
        out.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path.stat().st_size


def measure(step):
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


def run(size_mb: int, work: Path) -> None:
    root = work / f"run{size_mb}"
    root.mkdir()
    app = create_app({**base_config(root, f"sqlite:///{root / 'bench.db'}"),
                      "MAX_CONTENT_LENGTH": (size_mb + 10) * MB})
    with app.app_context(), open(os.devnull, "w") as quiet, redirect_stderr(quiet):
        upgrade(directory=app.extensions["migrate"].directory)  # silence alembic's log
    with app.app_context():
        user = make_user(Role.CASEMANAGER)
        ref = make_client(casemanagers=[user]).ref
    client = app.test_client()
    log_in(client, user)
    pdf, body = root / "groot.pdf", root / "body.bin"
    expected = large_pdf(pdf, size_mb * MB)
    length = multipart_body(body, pdf, csrf_token(client, f"/documenten/client/{ref}/nieuw"))

    def upload():
        with body.open("rb") as stream:
            return client.post(f"/documenten/client/{ref}/nieuw", input_stream=stream,
                               content_length=length,
                               content_type=f"multipart/form-data; boundary={BOUNDARY}")

    response, up_seconds, up_peak = measure(upload)
    assert response.status_code == 302, response.status_code
    document_ref = response.location.rsplit("/", 1)[-1]

    def download():
        digest = hashlib.sha256()
        reply = client.get(f"/documenten/{document_ref}/download/1", buffered=False)
        for chunk in reply.response:
            digest.update(chunk)
        reply.close()
        return digest.hexdigest()

    received, down_seconds, down_peak = measure(download)
    assert received == expected, "download differs from upload"
    print(f"{size_mb:>6} MB | upload {size_mb / up_seconds:7.1f} MB/s, peak {up_peak / MB:6.2f} MB"
          f" | download {size_mb / down_seconds:7.1f} MB/s, peak {down_peak / MB:6.2f} MB")


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10, 100]
    print("  size | upload (validate + encrypt + store)     | download (verify + decrypt)")
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            run(size, Path(work))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; "
          "peak = tracemalloc allocation peak during the step")


if __name__ == "__main__":
    main()
