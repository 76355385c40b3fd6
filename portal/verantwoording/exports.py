"""CSV and XLSX of the stand van zaken (full or Woo-safe): fixed labels and numbers only,
read from the same tables as the page, so the Woo-safe file holds no hidden number."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from portal.fields import format_dutch_number
from portal.verantwoording.publication import Settings
from portal.verantwoording.tables import AMOUNT, COUNT, HOURS, MARK, MEAN, Cell, Report

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {COUNT: "#,##0", HOURS: "#,##0.00", MEAN: "0.00", AMOUNT: '"€" #,##0.00'}


def title(report: Report) -> str:
    version = "versie voor publicatie" if report.published else "volledige versie"
    return f"Stand van zaken Stapteam, {report.period} ({version})"


def footnotes(report: Report, settings: Settings) -> list[str]:
    return [settings.footnote()] if report.published else []


def _csv_value(cell: Cell) -> str:
    if cell.hidden:
        return MARK
    if cell.value is None:
        return ""
    if cell.kind == COUNT:
        return str(int(cell.value))
    if cell.kind in (AMOUNT, HOURS, MEAN):
        return format_dutch_number(cell.value, 2).replace(".", "")
    return str(cell.value)


def as_csv(report: Report, settings: Settings) -> str:
    """Semicolon-separated with a BOM, as Dutch Excel opens it; amounts without €-sign."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title(report)])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.caption])
        writer.writerow([table.head, *table.columns])
        for row in table.rows:
            writer.writerow([row.label, *(_csv_value(c) for c in row.cells)])
    for line in footnotes(report, settings):
        writer.writerow([])
        writer.writerow([line])
    return "\ufeff" + buffer.getvalue()


def _xlsx_value(cell: Cell):
    return MARK if cell.hidden else cell.value


def as_xlsx(report: Report, settings: Settings) -> bytes:
    """One sheet; numbers as numbers (amounts exact, with a euro format), hidden as the mark."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Stand van zaken"
    sheet.append([title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    for table in report.tables:
        sheet.append([])
        sheet.append([table.caption])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append([table.head, *table.columns])
        for row in table.rows:
            sheet.append([row.label, *(_xlsx_value(c) for c in row.cells)])
            for offset, cell in enumerate(row.cells, start=2):
                if not cell.hidden and cell.kind in FORMATS:
                    sheet.cell(sheet.max_row, offset).number_format = FORMATS[cell.kind]
    for line in footnotes(report, settings):
        sheet.append([])
        sheet.append([line])
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
