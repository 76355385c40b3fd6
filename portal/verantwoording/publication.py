"""The Woo-safe version ("voor publicatie") of the stand van zaken.

Primary suppression: every count below WOO_SUPPRESSION_THRESHOLD (default 5) is hidden, a
zero too unless WOO_SHOW_ZERO is set (Woo art. 5.1.2e: eerbiediging van de persoonlijke
levenssfeer). Secondary suppression: a table's total row and total column tie cells
together, so per group (the cells of a column with their total, or of a row with its total
column) a reader who knows the visible numbers must not be able to work out a hidden one.
All marks look the same, so she knows of a hidden cell only that it is at least 0 (at least
1 when zeros are shown). With the group's total visible, k hidden cells and their hidden sum
S, a hidden cell can be any value from `low` to S - (k - 1) * low: more than one value
exactly when k >= 2 and S > k * low. With the total hidden, one hidden cell beside it is
enough. Until every group is safe, the smallest visible non-zero cell of an unsafe group is
hidden as well (the total when there is none). Amounts and hours are not counts of people
and stay visible; a mean is hidden with the number of women it is taken over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app

from portal.verantwoording.tables import COUNT, MEAN, Report, Row, Table

GROUND = "Woo art. 5.1.2e"
FOOTNOTE = ("* Niet openbaar gemaakt op grond van artikel 5.1, tweede lid, onder e, van de Wet "
            "open overheid (eerbiediging van de persoonlijke levenssfeer): het aantal is kleiner "
            "dan {threshold}{zero}, of het is weggelaten zodat een verborgen aantal niet uit de "
            "andere aantallen en het totaal te berekenen is.")

Position = tuple[int, int, int]  # table, row, column


@dataclass(frozen=True)
class Settings:
    threshold: int = 5
    show_zero: bool = False

    @property
    def low(self) -> int:
        """The least a reader knows of a hidden count."""
        return 1 if self.show_zero else 0

    @classmethod
    def from_config(cls) -> Settings:
        config = current_app.config
        return cls(int(config.get("WOO_SUPPRESSION_THRESHOLD", 5)),
                   bool(config.get("WOO_SHOW_ZERO", False)))

    def footnote(self) -> str:
        return FOOTNOTE.format(threshold=self.threshold,
                               zero="" if self.show_zero else " (ook 0)")


@dataclass(frozen=True)
class Group:
    members: tuple[Position, ...]
    total: Position


def groups(tables: list[Table]) -> list[Group]:
    """The sums a reader can use: each count column of a table with a total row, and each
    row of a table with a total column."""
    found = []
    for t, table in enumerate(tables):
        total_rows = [r for r, row in enumerate(table.rows) if row.total]
        summed = [r for r, row in enumerate(table.rows) if row.summed and not row.total]
        for r in total_rows:
            for c, cell in enumerate(table.rows[r].cells):
                if cell.kind == COUNT:
                    found.append(Group(tuple((t, m, c) for m in summed), (t, r, c)))
        if table.total_column is not None:
            for r, row in enumerate(table.rows):
                members = tuple((t, r, c) for c, cell in enumerate(row.cells)
                                if cell.kind == COUNT and c != table.total_column)
                found.append(Group(members, (t, r, table.total_column)))
    return found


def _value(tables: list[Table], position: Position) -> int:
    t, r, c = position
    return tables[t].rows[r].cells[c].value or 0


def _primary(tables: list[Table], settings: Settings) -> set[Position]:
    hidden = set()
    for t, table in enumerate(tables):
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                value = cell.value or 0
                if cell.kind == COUNT and value < settings.threshold and not (
                        value == 0 and settings.show_zero):
                    hidden.add((t, r, c))
    return hidden


def is_safe(group: Group, tables: list[Table], hidden: set[Position], low: int) -> bool:
    secret = [m for m in group.members if m in hidden]
    if group.total in hidden:
        return bool(secret) or not group.members
    if not secret:
        return True
    hidden_sum = _value(tables, group.total) - sum(
        _value(tables, m) for m in group.members if m not in hidden)
    return len(secret) >= 2 and hidden_sum > len(secret) * low


def _next_to_hide(group: Group, tables: list[Table], hidden: set[Position]) -> Position:
    visible = [m for m in group.members if m not in hidden]
    non_zero = [m for m in visible if _value(tables, m) > 0]
    candidates = non_zero or (visible if group.total in hidden else [])
    if not candidates:
        return group.total
    return min(candidates, key=lambda m: (_value(tables, m), m))


def suppressed(tables: list[Table], settings: Settings) -> set[Position]:
    """The positions to hide: primary, then secondary until every group is safe."""
    hidden = _primary(tables, settings)
    all_groups = groups(tables)
    while True:
        unsafe = next((g for g in all_groups
                       if not is_safe(g, tables, hidden, settings.low)), None)
        if unsafe is None:
            return hidden
        hidden.add(_next_to_hide(unsafe, tables, hidden))


def _hidden_table(t: int, table: Table, hidden: set[Position]) -> Table:
    rows = []
    for r, row in enumerate(table.rows):
        row_hidden = table.total_column is not None and (t, r, table.total_column) in hidden
        cells = tuple(cell.hide() if (t, r, c) in hidden or (cell.kind == MEAN and row_hidden)
                      else cell for c, cell in enumerate(row.cells))
        rows.append(Row(row.label, cells, row.total, row.summed))
    return replace(table, rows=rows)


def publish(report: Report, settings: Settings | None = None) -> Report:
    """The Woo-safe copy: hidden cells carry no value at all, only the mark."""
    settings = settings or Settings.from_config()
    hidden = suppressed(report.tables, settings)
    tables = [_hidden_table(t, table, hidden) for t, table in enumerate(report.tables)]
    return Report(report.start, report.end, tables, published=True)
