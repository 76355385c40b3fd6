"""Real-world files, made at test time by the programs people really use.

Nothing here writes PDF or DOCX bytes by hand: the sources are plain HTML, PostScript and
pictures, and LibreOffice (headless), Chromium's print to PDF (Playwright), Ghostscript's
ps2pdf, img2pdf, qpdf, python-docx, pypdf (an incremental update) and Pillow turn them into
the files a casemanager would upload. Every file carries one unusual Dutch word (its `word`) so
full-text search can find it; scans without a text layer have none.

`produce(producer, workdir)` returns that producer's files, or raises `Missing` with the reason
the producer cannot run here (tests skip with it outside CI, and fail with it in CI).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from docx import Document as WordDocument
from docx.oxml import parse_xml
from docx.shared import Cm
from PIL import Image, ImageDraw

TIMEOUT = 120
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Missing(Exception):
    """The producer is not installed here; the message says what to install."""


class RealFile(NamedTuple):
    producer: str
    name: str
    data: bytes
    format: str
    word: str | None  # a word inside the file that full-text search must find
    kind: str = "overig"


# --- Sources (plain text formats, not PDF or Word) ------------------------------------------

def _html(word: str, title: str) -> str:
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; }} h1 {{ font-size: 20pt; }}</style></head><body>
<h1>{title}</h1>
<p>Mevrouw vertelde over haar week. Het trefwoord van dit verslag is {word}.</p>
<h2>Afspraken</h2>
<ul><li>Volgende afspraak op dinsdag.</li><li>Contact met de huisarts.</li></ul>
<table border="1"><tr><th>Datum</th><th>Onderwerp</th></tr>
<tr><td>3 maart</td><td>Huisbezoek</td></tr></table>
<p>Meer informatie: <a href="https://www.nijmegen.nl/">gemeente Nijmegen</a> of mail
<a href="mailto:stapteam@nijmegen.invalid">het Stapteam</a>.</p>
<h2>Vervolg</h2><p>Zie <a href="#top">boven</a>.</p>
</body></html>"""


def _postscript(word: str) -> str:
    return f"""%!PS-Adobe-3.0
%%Title: Verslag
%%Pages: 2
%%EndComments
%%Page: 1 1
/Helvetica findfont 14 scalefont setfont
72 720 moveto (Verslag van het gesprek) show
72 690 moveto (Het trefwoord van dit verslag is {word}.) show
showpage
%%Page: 2 2
/Helvetica findfont 12 scalefont setfont
72 720 moveto (Tweede pagina met afspraken.) show
showpage
%%EOF
"""


def _text_layer_ps(word: str) -> str:
    """The text of a scanned page, for the layer under the picture (as OCR software adds)."""
    return f"""%!PS-Adobe-3.0
<< /PageSize [595 842] >> setpagedevice
/Helvetica findfont 12 scalefont setfont
72 760 moveto (Gescande brief met het trefwoord {word}) show
showpage
"""


def _scan_picture(text: str, size=(1240, 1754)) -> Image.Image:
    """A grey, slightly uneven page with dark lines where text would be: a scan, roughly."""
    page = Image.new("L", size, 235)
    draw = ImageDraw.Draw(page)
    for row in range(160, size[1] - 200, 48):
        draw.rectangle([120, row, size[0] - 160 - (row * 7) % 300, row + 14], fill=60)
    draw.text((120, 80), text, fill=20)
    return page


# --- Running programs ------------------------------------------------------------------------

def _need(program: str, package: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise Missing(f"{program} ontbreekt: installeer het Debian-pakket {package}")
    return found


def _run(arguments: list[str], cwd: Path) -> None:
    result = subprocess.run(arguments, cwd=cwd, capture_output=True, timeout=TIMEOUT,
                            check=False, env={**os.environ, "HOME": str(cwd)})
    if result.returncode != 0:
        raise RuntimeError(f"{arguments[0]} faalde ({result.returncode}): "
                           f"{result.stderr.decode(errors='replace')[-800:]}")


def _soffice(workdir: Path, source: Path, target: str, out: Path) -> Path:
    """One LibreOffice conversion in its own profile (other runs may use soffice too)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise Missing("LibreOffice ontbreekt: installeer libreoffice-writer-nogui")
    profile = (workdir / "lo-profiel").as_uri()
    out.mkdir(exist_ok=True)
    _run([binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
          "--convert-to", target, "--outdir", str(out), str(source)], workdir)
    produced = [p for p in out.iterdir() if p.stem == source.stem]
    if len(produced) != 1:
        raise RuntimeError(f"LibreOffice maakte geen bestand van {source.name}")
    return produced[0]


def _pdf_export(options: dict) -> str:
    return "pdf:writer_pdf_Export:" + json.dumps(
        {key: {"type": "boolean" if isinstance(value, bool) else "long",
               "value": str(value).lower() if isinstance(value, bool) else str(value)}
         for key, value in options.items()})


# --- Producers ---------------------------------------------------------------------------------

def libreoffice(workdir: Path) -> list[RealFile]:
    source = workdir / "verslag-lo.html"
    source.write_text(_html("kievitsbloem", "Verslag huisbezoek"), encoding="utf-8")
    odt = _soffice(workdir, source, "odt:writer8", workdir / "odt")
    variants = {
        "writer.pdf": ("pdf", {}, "kievitsbloem"),
        "writer-pdfa2b.pdf": ("pdf", {"SelectPdfVersion": 2}, "kievitsbloem"),
        "writer-tagged.pdf": ("pdf", {"UseTaggedPDF": True, "ExportBookmarks": True},
                              "kievitsbloem"),
        "writer-uit-odt.docx": ("docx", None, "kievitsbloem"),
    }
    files = []
    for number, (name, (fmt, options, word)) in enumerate(variants.items()):
        target = "docx:MS Word 2007 XML" if fmt == "docx" else _pdf_export(options)
        made = _soffice(workdir, odt, target, workdir / f"lo-{number}")
        files.append(RealFile("libreoffice", name, made.read_bytes(), fmt, word))
    return files


def chromium(workdir: Path) -> list[RealFile]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    if executable is None:
        raise Missing("Chromium ontbreekt: installeer het Debian-pakket chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(_html("zilverreiger", "Brief aan de huisarts"))
            plain = page.pdf(format="A4")
            tagged = page.pdf(format="A4", tagged=True, outline=True)
        finally:
            browser.close()
    return [RealFile("chromium", "chromium-afdrukken.pdf", plain, "pdf", "zilverreiger"),
            RealFile("chromium", "chromium-tagged-outline.pdf", tagged, "pdf", "zilverreiger")]


def ghostscript(workdir: Path) -> list[RealFile]:
    ps2pdf = _need("ps2pdf", "ghostscript")
    source = workdir / "verslag.ps"
    source.write_text(_postscript("boomklever"), encoding="latin-1")
    files = []
    for name, options in (("ps2pdf.pdf", []), ("ps2pdf-pdf14.pdf", ["-dCompatibilityLevel=1.4"]),
                          ("ps2pdf-pdf20.pdf", ["-dCompatibilityLevel=2.0"])):
        target = workdir / name
        _run([ps2pdf, *options, str(source), str(target)], workdir)
        files.append(RealFile("ghostscript", name, target.read_bytes(), "pdf", "boomklever"))
    return files


def img2pdf(workdir: Path) -> list[RealFile]:
    converter = _need("img2pdf", "img2pdf")
    scan = workdir / "scan.jpg"
    _scan_picture("Gescande brief").save(scan, "JPEG", quality=80, dpi=(150, 150))
    plain = workdir / "scan.pdf"
    _run([converter, "--pagesize", "A4", "-o", str(plain), str(scan)], workdir)
    files = [RealFile("img2pdf", "scan-img2pdf.pdf", plain.read_bytes(), "pdf", None)]
    # A scan with a text layer, as after OCR: the text lies under the opaque picture.
    qpdf, ps2pdf = _need("qpdf", "qpdf"), _need("ps2pdf", "ghostscript")
    layer_source = workdir / "tekstlaag.ps"
    layer_source.write_text(_text_layer_ps("rietzanger"), encoding="latin-1")
    layer = workdir / "tekstlaag.pdf"
    _run([ps2pdf, str(layer_source), str(layer)], workdir)
    ocr = workdir / "scan-met-tekstlaag.pdf"
    _run([qpdf, str(plain), "--underlay", str(layer), "--", str(ocr)], workdir)
    files.append(RealFile("img2pdf", "scan-met-tekstlaag.pdf", ocr.read_bytes(), "pdf",
                          "rietzanger"))
    return files


def qpdf(workdir: Path) -> list[RealFile]:
    binary = _need("qpdf", "qpdf")
    source = workdir / "bron.pdf"
    ps2pdf = _need("ps2pdf", "ghostscript")
    ps = workdir / "bron.ps"
    ps.write_text(_postscript("korhoen"), encoding="latin-1")
    _run([ps2pdf, str(ps), str(source)], workdir)
    variants = {
        "qpdf-gelineariseerd.pdf": ["--linearize"],
        "qpdf-objectstromen.pdf": ["--object-streams=generate", "--compress-streams=y"],
        "qpdf-leeg-wachtwoord-aes256.pdf": ["--encrypt", "", "eigenaar-2026", "256",
                                            "--print=none", "--modify=none", "--"],
        "qpdf-leeg-wachtwoord-rc4.pdf": ["--allow-weak-crypto", "--encrypt", "",
                                         "eigenaar-2026", "128", "--use-aes=n", "--"],
    }
    files = []
    for name, options in variants.items():
        target = workdir / name
        _run([binary, *options, str(source), str(target)], workdir)
        files.append(RealFile("qpdf", name, target.read_bytes(), "pdf", "korhoen"))
    return files


def pypdf_incremental(workdir: Path) -> list[RealFile]:
    """An incremental update (what signing and annotating tools append) to a Ghostscript PDF."""
    from pypdf import PdfWriter

    ghost = ghostscript(workdir)[0]
    writer = PdfWriter(io.BytesIO(ghost.data), incremental=True)
    writer.add_metadata({"/Title": "Verslag met aantekening"})
    buffer = io.BytesIO()
    writer.write(buffer)
    updated = buffer.getvalue()
    assert updated.startswith(ghost.data), "an incremental update only appends"
    return [RealFile("pypdf", "incrementele-update.pdf", updated, "pdf", "boomklever")]


def python_docx(workdir: Path) -> list[RealFile]:
    plain = WordDocument()
    plain.add_heading("Verslag huisbezoek", level=1)
    plain.add_paragraph("Het trefwoord van dit verslag is grutto.")
    table = plain.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Datum", "Huisbezoek"

    rich = WordDocument()
    section = rich.sections[0]
    section.header.paragraphs[0].text = "Stapteam Nijmegen — vertrouwelijk"
    section.footer.paragraphs[0].text = "Pagina-voettekst"
    paragraph = rich.add_paragraph("Afspraken met mevrouw over de woning (trefwoord tureluur).")
    rich.add_comment(paragraph.runs, text="Navragen bij de woningcorporatie.",
                     author="Casemanager", initials="CM")
    paragraph._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="Casemanager" w:date="2026-03-01T10:00:00Z">'
        "<w:r><w:t xml:space=\"preserve\"> Ingevoegd: een nieuwe afspraak.</w:t></w:r></w:ins>"))
    paragraph._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="2" w:author="Casemanager" w:date="2026-03-01T10:01:00Z">'
        "<w:r><w:delText xml:space=\"preserve\"> Geschrapt.</w:delText></w:r></w:del>"))
    rich.add_paragraph("Eerste punt", style="List Number")
    rich.add_paragraph("Tweede punt", style="List Number")
    picture = io.BytesIO()
    _scan_picture("Foto", size=(320, 200)).convert("RGB").save(picture, "PNG")
    rich.add_picture(picture, width=Cm(6))
    return [RealFile("python-docx", "python-docx-tabel.docx", _saved(plain), "docx", "grutto"),
            RealFile("python-docx", "python-docx-kop-opmerking-wijzigingen-foto.docx",
                     _saved(rich), "docx", "tureluur")]


def pillow(workdir: Path) -> list[RealFile]:
    page = _scan_picture("ID-controle")
    files = []
    for name, fmt, options in (("scan-pillow.jpg", "JPEG", {"quality": 85}),
                               ("scan-pillow-progressief.jpg", "JPEG",
                                {"quality": 70, "progressive": True}),
                               ("scan-pillow.png", "PNG", {"optimize": True})):
        buffer = io.BytesIO()
        page.save(buffer, fmt, **options)
        files.append(RealFile("pillow", name, buffer.getvalue(),
                              "jpeg" if fmt == "JPEG" else "png", None,
                              "registratiedocument"))
    return files


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PRODUCERS: dict[str, Callable[[Path], list[RealFile]]] = {
    "libreoffice": libreoffice,
    "chromium": chromium,
    "ghostscript": ghostscript,
    "img2pdf": img2pdf,
    "qpdf": qpdf,
    "pypdf": pypdf_incremental,
    "python-docx": python_docx,
    "pillow": pillow,
}
# The files each producer makes, known before anything runs (they become test ids).
EXPECTED = {
    "libreoffice": ["writer.pdf", "writer-pdfa2b.pdf", "writer-tagged.pdf",
                    "writer-uit-odt.docx"],
    "chromium": ["chromium-afdrukken.pdf", "chromium-tagged-outline.pdf"],
    "ghostscript": ["ps2pdf.pdf", "ps2pdf-pdf14.pdf", "ps2pdf-pdf20.pdf"],
    "img2pdf": ["scan-img2pdf.pdf", "scan-met-tekstlaag.pdf"],
    "qpdf": ["qpdf-gelineariseerd.pdf", "qpdf-objectstromen.pdf",
             "qpdf-leeg-wachtwoord-aes256.pdf", "qpdf-leeg-wachtwoord-rc4.pdf"],
    "pypdf": ["incrementele-update.pdf"],
    "python-docx": ["python-docx-tabel.docx", "python-docx-kop-opmerking-wijzigingen-foto.docx"],
    "pillow": ["scan-pillow.jpg", "scan-pillow-progressief.jpg", "scan-pillow.png"],
}


def produce(producer: str, workdir: Path) -> list[RealFile]:
    workdir.mkdir(parents=True, exist_ok=True)
    files = PRODUCERS[producer](workdir)
    assert [f.name for f in files] == EXPECTED[producer], "EXPECTED must list what is made"
    return files
