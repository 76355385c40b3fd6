"""The Woo-safe version: small counts hidden, and no hidden count can be worked out from the
published totals (an attacker's search over every value the published table allows)."""

from __future__ import annotations

import itertools

import pytest

from portal.verantwoording import publication
from portal.verantwoording.publication import Settings, publish
from portal.verantwoording.tables import MARK, MEAN, Cell, Report, Row, Table

DEFAULT = Settings()


def column_table(*values: int, key: str = "t", total: int | None = None) -> Table:
    rows = [Row(f"Soort {n}", (Cell(v),)) for n, v in enumerate(values)]
    rows.append(Row("Totaal", (Cell(sum(values) if total is None else total),), total=True))
    return Table(key, "Proef", ("Aantal",), rows)


def published(*tables: Table, settings: Settings = DEFAULT) -> Report:
    return publish(Report(None, None, list(tables)), settings)


def recover(table: Table, low: int) -> dict[str, set[int]]:
    """What an attacker can conclude from a published column table: for each hidden cell,
    every value that fits the visible cells and the total (a hidden cell is at least `low`).
    With the total hidden there is no sum to use; the search is bounded by 60."""
    cells = [(row.label, row.cells[0]) for row in table.rows if not row.total and row.summed]
    total_cell = next(row.cells[0] for row in table.rows if row.total)
    hidden = [label for label, cell in cells if cell.hidden]
    visible_sum = sum(cell.value for _, cell in cells if not cell.hidden)
    totals = [total_cell.value] if not total_cell.hidden else range(visible_sum, 60)
    possible: dict[str, set[int]] = {label: set() for label in hidden}
    for total in totals:
        for guess in itertools.product(range(low, 60), repeat=len(hidden)):
            if visible_sum + sum(guess) == total:
                for label, value in zip(hidden, guess, strict=True):
                    possible[label].add(value)
    return possible


def test_small_counts_are_hidden_with_the_mark_and_the_ground():
    report = published(Table("t", "Proef", ("Aantal",), [
        Row("Klein", (Cell(3),)), Row("Groot", (Cell(12),)), Row("Nul", (Cell(0),))]))
    cells = [row.cells[0] for row in report.tables[0].rows]
    assert [c.text for c in cells] == [MARK, "12", MARK]
    assert all(c.value is None for c in cells if c.hidden)  # nothing left to leak
    assert publication.GROUND == "Woo art. 5.1.2e"
    assert "artikel 5.1, tweede lid, onder e" in DEFAULT.footnote()


def test_zero_is_shown_only_when_configured():
    table = Table("t", "Proef", ("Aantal",), [Row("Nul", (Cell(0),)), Row("Twee", (Cell(2),))])
    shown = published(table, settings=Settings(show_zero=True))
    assert [r.cells[0].text for r in shown.tables[0].rows] == ["0", MARK]


def test_the_threshold_comes_from_the_configuration(app):
    with app.app_context():
        app.config["WOO_SUPPRESSION_THRESHOLD"] = 10
        table = Table("t", "Proef", ("Aantal",), [Row("Zeven", (Cell(7),))])
        assert publish(Report(None, None, [table])).tables[0].rows[0].cells[0].hidden


def test_one_hidden_cell_in_a_column_takes_the_next_smallest_with_it():
    report = published(column_table(6, 3, 7, 8))
    texts = [row.cells[0].text for row in report.tables[0].rows]
    assert texts == [MARK, MARK, "7", "8", "24"]


@pytest.mark.parametrize("values", [(6, 3, 7, 8), (1, 40, 9), (1, 5, 30), (2, 2, 30),
                                    (1, 1, 20), (4, 0, 0, 30), (3,), (12, 0, 7), (5, 1)])
@pytest.mark.parametrize("settings", [Settings(), Settings(show_zero=True),
                                      Settings(threshold=10)])
def test_no_hidden_cell_can_be_recovered_from_the_published_totals(values, settings):
    report = published(column_table(*values), settings=settings)
    table = report.tables[0]
    assert any(c.hidden for r in table.rows for c in r.cells) == any(
        v < settings.threshold and not (v == 0 and settings.show_zero) for v in values)
    for label, options in recover(table, settings.low).items():
        true_value = values[int(label.split()[-1])]
        assert true_value in options
        assert len(options) > 1, f"{label} is te herleiden tot {options}"


def test_the_naive_attack_total_minus_visible_finds_no_single_cell():
    table = published(column_table(6, 3, 7, 8)).tables[0]
    visible = sum(r.cells[0].value for r in table.rows if not r.total and not r.cells[0].hidden)
    remainder = table.rows[-1].cells[0].value - visible
    assert remainder == 9  # the two hidden cells together: neither 3 nor 6 on its own


def test_a_hidden_total_of_a_single_row_group():
    table = published(column_table(3)).tables[0]
    assert [r.cells[0].text for r in table.rows] == [MARK, MARK]


def test_rows_outside_the_total_are_checked_on_their_own():
    table = column_table(10, 12)
    table.rows.append(Row("Apart", (Cell(2),), summed=False))
    result = published(table).tables[0]
    assert [r.cells[0].text for r in result.rows] == ["10", "12", "22", MARK]


def test_a_total_column_protects_each_row_and_hides_the_mean_with_it():
    table = Table("zrm", "Proef", ("Vooruit", "Gelijk", "Achteruit", "Vrouwen", "Gemiddeld"), [
        Row("Financiën", (Cell(6), Cell(2), Cell(9), Cell(17), Cell(1, MEAN))),
        Row("Justitie", (Cell(1), Cell(1), Cell(1), Cell(3), Cell(0, MEAN))),
        Row("Wonen", (Cell(8), Cell(7), Cell(9), Cell(24), Cell(2, MEAN)))], total_column=3)
    rows = published(table).tables[0].rows
    assert [c.text for c in rows[0].cells[:4]] == [MARK, MARK, "9", "17"]
    assert rows[0].cells[4].text != MARK
    assert all(c.hidden for c in rows[1].cells)  # three women: everything, the mean too
    assert not any(c.hidden for c in rows[2].cells)


def test_amounts_and_hours_stay_visible():
    from decimal import Decimal

    from portal.verantwoording.tables import AMOUNT, HOURS

    table = Table("b", "Proef", ("Bedrag", "Uren"),
                  [Row("Post", (Cell(Decimal("3.00"), AMOUNT), Cell(Decimal("2.5"), HOURS)))])
    cells = published(table).tables[0].rows[0].cells
    assert [c.text for c in cells] == ["€ 3,00", "2,50"]
