"""Server-rendered charts of one ZRM domain over time: coordinates for an SVG line chart
(time on the x axis, the scale's levels on the y axis) and the text that describes it to a
screen reader. No JavaScript; the template draws the elements."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.templating import local_date

WIDTH, HEIGHT = 250, 150
LEFT, RIGHT, TOP, BOTTOM = 26, 14, 10, 28


@dataclass
class Point:
    x: float
    y: float
    score: int
    label: str  # date as the user reads it


@dataclass
class DomainChart:
    domain_id: int
    name: str
    points: list[Point] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # polyline point lists, split at gaps
    gridlines: list[tuple[float, int]] = field(default_factory=list)  # (y, level)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, date)
    description: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: float = HEIGHT - BOTTOM


def _x(index: int, days: list[int]) -> float:
    span = days[-1] - days[0]
    inner = WIDTH - LEFT - RIGHT
    if span == 0:
        return LEFT + inner / 2 if len(days) == 1 else LEFT + inner * index / (len(days) - 1)
    return LEFT + inner * (days[index] - days[0]) / span


def _y(score: int, low: int, high: int) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (high - score) / max(high - low, 1)


def domain_chart(domain, assessments, levels) -> DomainChart:
    """The chart of one domain across the assessments (oldest first); a domain not scored in
    an assessment breaks the line there."""
    low, high = min(levels), max(levels)
    chart = DomainChart(domain.id, domain.name)
    chart.gridlines = [(_y(level, low, high), level) for level in range(low, high + 1)]
    days = [a.assessed_on.toordinal() for a in assessments]
    run: list[str] = []
    spoken = []
    for index, assessment in enumerate(assessments):
        x = _x(index, days)
        chart.ticks.append((x, local_date(assessment.assessed_on)))
        row = assessment.score_for(domain.id)
        if row is None or row.score is None:
            spoken.append(f"{local_date(assessment.assessed_on)}: niet gescoord")
            if run:
                chart.segments.append(" ".join(run))
            run = []
            continue
        y = _y(row.score, low, high)
        chart.points.append(Point(round(x, 1), round(y, 1), row.score,
                                  local_date(assessment.assessed_on)))
        run.append(f"{x:.1f},{y:.1f}")
        spoken.append(f"{local_date(assessment.assessed_on)}: {row.score}")
    if run:
        chart.segments.append(" ".join(run))
    chart.description = f"{domain.name}, score per meting: " + "; ".join(spoken) + "."
    return chart
