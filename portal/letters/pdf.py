"""Letters as PDF (PDF/A-2b) and as a picture of the first page, when LibreOffice is present.

Each conversion runs LibreOffice headless with its own throw-away profile in a private
temporary folder, so conversions side by side (workers, tests) never share a profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# LibreOffice's PDF export filter with PDF/A-2b (SelectPdfVersion 2).
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
TIMEOUT_SECONDS = 120


class ConversionError(Exception):
    """LibreOffice did not produce a PDF (the message is Dutch)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def available() -> bool:
    return soffice() is not None


def for_mail(config) -> bool:
    """Whether mailed letters go as PDF: LibreOffice is there and LETTER_MAIL_PDF is on."""
    return bool(config.get("LETTER_MAIL_PDF", True)) and available()


def to_pdf(docx: bytes, workdir: str | Path | None = None) -> bytes:
    """The letter as PDF/A-2b; raises ConversionError when LibreOffice is missing or fails."""
    binary = soffice()
    if binary is None:
        raise ConversionError("LibreOffice is niet geïnstalleerd; er is geen PDF gemaakt.")
    with tempfile.TemporaryDirectory(dir=workdir) as work:
        folder = Path(work)
        source = folder / "brief.docx"
        source.write_bytes(docx)
        profile = (folder / "profiel").as_uri()
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, our own binary
                [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", PDFA_FILTER, "--outdir", str(folder), str(source)],
                check=True, timeout=TIMEOUT_SECONDS, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise ConversionError("LibreOffice kon de brief niet omzetten naar PDF.") from error
        result = folder / "brief.pdf"
        if not result.exists():
            raise ConversionError("LibreOffice kon de brief niet omzetten naar PDF.")
        return result.read_bytes()


def first_page_png(pdf: bytes, workdir: str | Path | None = None, dpi: int = 60) -> bytes:
    """The first page as a PNG (poppler's pdftoppm); raises ConversionError without it."""
    binary = pdftoppm()
    if binary is None:
        raise ConversionError("pdftoppm is niet geïnstalleerd; er is geen afbeelding gemaakt.")
    with tempfile.TemporaryDirectory(dir=workdir) as work:
        source = Path(work) / "brief.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, our own binary
                [binary, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                 str(source), str(Path(work) / "pagina")],
                check=True, timeout=TIMEOUT_SECONDS, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            raise ConversionError("De eerste pagina kon niet als afbeelding worden gemaakt.") \
                from error
        return (Path(work) / "pagina.png").read_bytes()
