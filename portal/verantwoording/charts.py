"""Server-rendered SVG charts of the stand van zaken, drawn from the same tables the page
shows beside them (so the Woo-safe version draws no hidden number): horizontal bars per
category (overdrachten by kind, budget per post) and columns per week with the target as a
line (hours). The ZRM line chart of one client lives in portal/plans/chart.py; these are
the report's own. Each chart carries a text description for screen readers; the table
beside it holds the numbers. No JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.templating import local_date
from portal.verantwoording.tables import Cell, Table

WIDTH = 340
LABEL_H, BAR_H, GAP, LEFT, RIGHT = 16, 14, 10, 4, 70
FILLS = ("#1d5c87", "#ffffff")  # solid and outlined: the legend says which is which
STROKE = "#1d5c87"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    text: str
    text_x: float


@dataclass
class Category:
    label: str
    label_y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    series: list[tuple[str, str]]  # (name, fill) for the legend
    categories: list[Category]
    width: int = WIDTH
    height: float = 0
    kind: str = "bars"


def _number(cell: Cell) -> float:
    return float(cell.value) if cell.value is not None and not cell.hidden else 0.0


def bar_chart(table: Table, columns: tuple[int, ...] = (0,), include_total: bool = False,
              unit: str = "") -> BarChart:
    rows = [row for row in table.rows if row.summed and (include_total or not row.total)]
    largest = max((_number(row.cells[c]) for row in rows for c in columns), default=0) or 1
    inner = WIDTH - LEFT - RIGHT
    categories, y, spoken = [], 0.0, []
    for row in rows:
        category = Category(row.label, y + 12)
        y += LABEL_H
        for n, c in enumerate(columns):
            cell = row.cells[c]
            length = max(inner * _number(cell) / largest, 0 if cell.hidden else 1)
            category.bars.append(Bar(LEFT, y, round(length, 1), BAR_H, FILLS[n % 2],
                                     cell.text, round(LEFT + length + 5, 1)))
            y += BAR_H + 2
        y += GAP
        categories.append(category)
        spoken.append(f"{row.label}: " + ", ".join(
            f"{table.columns[c].lower()} {_spoken(row.cells[c], unit)}" for c in columns))
    series = [(table.columns[c], FILLS[n % 2]) for n, c in enumerate(columns)]
    return BarChart(table.key, table.caption, f"{table.caption}. " + "; ".join(spoken) + ".",
                    series, categories, height=round(y, 1))


def _spoken(cell: Cell, unit: str) -> str:
    if cell.hidden:
        return "niet openbaar (Woo art. 5.1.2e)"
    return f"{cell.text}{unit}"


@dataclass
class Column:
    x: float
    y: float
    height: float
    label: str  # spoken: week and hours


@dataclass
class WeekChart:
    key: str
    title: str
    description: str
    columns: list[Column]
    target: str  # polyline points; empty without a target
    gridlines: list[tuple[float, str]]
    first: str
    last: str
    width: int = WIDTH
    height: int = 170
    kind: str = "weeks"
    bottom: float = 150


def _scale_step(largest: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if largest / step <= 5:
            return step
    return 2000


def week_charts(table: Table, weeks) -> list[WeekChart]:
    """One chart per organisation: hours per week as columns, the target as a line."""
    charts = []
    for organisation in sorted({w.organisation for w in weeks}):
        rows = [w for w in weeks if w.organisation == organisation]
        charts.append(_week_chart(f"{table.key}-{len(charts) + 1}", organisation, rows))
    return charts


def _week_chart(key: str, organisation: str, rows) -> WeekChart:
    top, bottom, left, right = 10, 150, 34, 8
    largest = max([float(w.hours) for w in rows]
                  + [float(w.target_hours) for w in rows if w.target_hours is not None]) or 1
    step = _scale_step(largest)
    ceiling = step * (int(largest // step) + 1)
    slot = (WIDTH - left - right) / max(len(rows), 1)

    def y(value) -> float:
        return round(bottom - (bottom - top) * float(value) / ceiling, 1)

    columns = [Column(round(left + i * slot + slot * 0.15, 1), y(w.hours),
                      round(bottom - y(w.hours), 1),
                      f"week van {local_date(w.week_start)}: {_hours(w.hours)} uur")
               for i, w in enumerate(rows)]
    target = " ".join(f"{left + i * slot:.1f},{y(w.target_hours)} "
                      f"{left + (i + 1) * slot:.1f},{y(w.target_hours)}"
                      for i, w in enumerate(rows) if w.target_hours is not None)
    total = sum(w.hours for w in rows)
    norm = sum(w.target_hours for w in rows if w.target_hours is not None)
    above = sum(1 for w in rows if w.target_hours is not None and w.hours >= w.target_hours)
    description = (f"Uren casemanagement per week, {organisation}: {len(rows)} weken, samen "
                   f"{_hours(total)} uur tegenover een norm van {_hours(norm)} uur; in {above} "
                   f"weken is de norm gehaald. De tabel ernaast geeft elke week.")
    grid = [(y(v), _hours(v)) for v in range(0, ceiling + 1, step)]
    return WeekChart(key, f"Uren tegenover de norm: {organisation}", description, columns,
                     target, grid, local_date(rows[0].week_start),
                     local_date(rows[-1].week_start))


def _hours(value) -> str:
    from portal.fields import format_dutch_number

    return format_dutch_number(value, 0 if float(value) == int(value) else 1)


def charts_for(report, weeks=None) -> dict[str, list]:
    """The charts per table key, for the tables that want one."""
    found: dict[str, list] = {}
    for table in report.tables:
        if table.chart == "bars":
            found[table.key] = [bar_chart(table)]
        elif table.chart == "budget":
            found[table.key] = [bar_chart(table, (0, 1))]
        elif table.chart == "weeks" and weeks:
            found[table.key] = week_charts(table, weeks)
    return found
