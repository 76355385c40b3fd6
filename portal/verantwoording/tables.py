"""The stand van zaken as tables with Dutch labels: one model that the page, the charts, the
CSV and XLSX exports and the Word report all read, in the full and the Woo-safe version.

A table knows which cells add up (a total row sums its column; a total column sums its
row), so the publication step (publication.py) can protect a hidden number from being
recomputed from the totals."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from portal.fields import euro, format_dutch_number
from portal.registrations.lifecycle import RevocationReason
from portal.templating import local_date
from portal.verantwoording.figures import OUTFLOW, OUTFLOW_LABELS, StandVanZaken

COUNT, HOURS, AMOUNT, MEAN, TEXT = "aantal", "uren", "bedrag", "gemiddelde", "tekst"
MARK = "*"


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | str | None
    kind: str = COUNT
    hidden: bool = False  # suppressed in the publication version (value is then None)

    @property
    def text(self) -> str:
        if self.hidden:
            return MARK
        if self.value is None:
            return "—"
        if self.kind == AMOUNT:
            return euro(self.value)
        if self.kind in (HOURS, MEAN):
            return format_dutch_number(self.value, 2)
        if self.kind == COUNT:
            return format_dutch_number(self.value, 0)
        return str(self.value)

    def hide(self) -> Cell:
        return replace(self, value=None, hidden=True)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    total: bool = False  # this row sums the column over the other summed rows
    summed: bool = True  # False: shown in the table but not part of its total


@dataclass
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]  # the header of each value column
    rows: list[Row]
    head: str = "Onderdeel"
    total_column: int | None = None  # this column sums the row's other count cells
    note: str = ""
    chart: str | None = None  # "bars", "weeks" or "budget": drawn beside the table


@dataclass
class Report:
    start: object
    end: object
    tables: list[Table] = field(default_factory=list)
    published: bool = False

    @property
    def period(self) -> str:
        return f"{local_date(self.start)} t/m {local_date(self.end)}"

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _counts(*values) -> tuple[Cell, ...]:
    return tuple(Cell(int(v)) for v in values)


def _registrations(report: StandVanZaken) -> list[Table]:
    r = report.registrations
    main = Table("registraties", "Registraties (tippelzone)", ("Aantal",), [
        Row("Aangevraagd", _counts(r.requested)), Row("Verleend", _counts(r.issued)),
        Row("Afgewezen", _counts(r.refused))])
    reasons = [Row(reason.label, _counts(r.revoked.get(reason, 0)))
               for reason in RevocationReason]
    revoked = Table("intrekkingen", "Ingetrokken registraties naar reden", ("Aantal",),
                    [*reasons, Row("Ingetrokken (totaal)", _counts(r.revoked_total),
                                   total=True)])
    return [main, revoked]


def _women(report: StandVanZaken) -> Table:
    return Table("vrouwen", "Vrouwen in beeld", ("Aantal",), [
        Row("Actief in de periode (caseload Stapteam)", _counts(report.active_women))],
        note="Een vrouw telt mee als haar status op enig moment in de periode 'actief' was.")


def _trajecten(report: StandVanZaken) -> Table:
    return Table("trajecten", "Trajecten", ("Liep in de periode", "Gestart", "Beëindigd"), [
        Row(t.label, _counts(t.overlapping, t.started, t.ended)) for t in report.trajecten],
        note="Een traject telt mee als het in de periode liep: gestart vóór of in de periode "
             "en niet beëindigd vóór het begin ervan.")


def _overdrachten(report: StandVanZaken) -> Table:
    rows = [Row(OUTFLOW_LABELS[kind], _counts(report.overdrachten[kind])) for kind in OUTFLOW]
    rows.append(Row("Totaal", _counts(report.overdrachten_total), total=True))
    rows.append(Row("Teruggekomen in dezelfde periode (niet meegeteld)",
                    _counts(report.overdrachten_reversed), summed=False))
    return Table("overdrachten", "Uitstroom en overdrachten naar soort", ("Vrouwen",), rows,
                 chart="bars",
                 note="Per vrouw telt de laatste uitstroom in de periode; wie in dezelfde "
                      "periode terugkwam in de caseload telt niet mee. 'Stapteam 2.0' is geen "
                      "status in het portaal en staat daarom niet als soort in dit overzicht.")


def _caseload(report: StandVanZaken) -> Table:
    rows = [Row(name, _counts(count)) for name, count in report.caseload.items()]
    rows.append(Row("Totaal (verschillende vrouwen)", _counts(report.caseload_total),
                    total=True))
    return Table("caseload", f"Caseload per organisatie op {local_date(report.end)}",
                 ("Vrouwen",), rows,
                 note="Actieve vrouwen op de laatste dag van de periode, bij de organisatie van "
                      "hun casemanager(s) op dat moment; een vrouw met casemanagers van twee "
                      "organisaties telt bij beide.")


def _zrm(report: StandVanZaken) -> Table | None:
    if not report.zrm:
        return None
    rows = [Row(o.domain, (Cell(o.rose), Cell(o.stayed), Cell(o.fell), Cell(o.clients),
                           Cell(o.mean_difference, MEAN)))
            for o in report.zrm]
    return Table("zrm", "Voortgang ZRM per domein", ("Vooruit", "Gelijk", "Achteruit",
                                                     "Vrouwen", "Gemiddeld verschil"),
                 rows, head="Domein", total_column=3,
                 note="Eerste meting tegenover de laatste in de periode, van vrouwen met ten "
                      "minste twee metingen op het domein.")


def _hours(report: StandVanZaken) -> Table | None:
    if report.hours is None:
        return None
    rows = [Row(f"{local_date(w.week_start)} · {w.organisation}",
                (Cell(w.hours, HOURS), Cell(w.target_hours, HOURS))) for w in report.hours]
    return Table("uren", "Uren casemanagement tegenover de norm, per week", ("Uren", "Norm"),
                 rows, head="Week (maandag) en organisatie", chart="weeks",
                 note="Geschreven uren casemanagement per week en organisatie; de norm is "
                      "het gesubsidieerde aantal uren voor de dagen van die week in de periode.")


def _budget(report: StandVanZaken) -> Table | None:
    if report.budget is None:
        return None
    from portal.budget.figures import budget_total

    rows = [Row(p.post, (Cell(p.begroot, AMOUNT), Cell(p.realised, AMOUNT),
                         Cell(p.remaining, AMOUNT))) for p in report.budget]
    if report.budget:
        total = budget_total(report.budget)
        rows.append(Row("Totaal", (Cell(total.begroot, AMOUNT), Cell(total.realised, AMOUNT),
                                   Cell(total.remaining, AMOUNT)), total=True))
    return Table("budget", "Budget per post", ("Begroot", "Gerealiseerd", "Resterend"), rows,
                 head="Post", chart="budget",
                 note="Begroting van de subsidies die de periode raken; gerealiseerd tot en met "
                      "de laatste dag van de periode.")


def report_tables(report: StandVanZaken) -> Report:
    tables = [*_registrations(report), _women(report), _trajecten(report),
              _overdrachten(report), _caseload(report), _zrm(report), _hours(report),
              _budget(report)]
    return Report(report.start, report.end, [t for t in tables if t is not None])
