"""Finding the header row and the layout, and cutting a sheet into one raw record per value.

- long: one row per value, with an indicator, a period and a value column (what `export observations` writes);
- wide: one row per indicator (and region), one column per period, as statistical tables are kept;
- catalog: the indicator catalog, as `export catalog` writes it;
- rural_tourism_points: the map's villages and points (twomountains/ingest/points.py), by its headers.
A title above the header (a common first row of statistical tables) is skipped; row numbers stay
the spreadsheet's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from twomountains.ingest import kinds
from twomountains.ingest import problems as p
from twomountains.ingest.cumulative import read_period
from twomountains.ingest.headers import INDICATOR_FIELDS, REQUIRED_LONG, bracketed_unit, field_of, normalise_header
from twomountains.ingest.numbers import is_blank
from twomountains.ingest.point_headers import LAYOUT as POINTS
from twomountains.ingest.point_headers import is_points_header
from twomountains.ingest.reading import Sheet
from twomountains.periods import PeriodError

HEADER_SEARCH_ROWS = 30
# The headers that tell a catalog file (data/ingest/kind_fields.csv: kind catalog, role distinctive).
CATALOG_MARKERS = frozenset(kinds.with_role("catalog", "distinctive"))


@dataclass
class Record:
    """One value of the file: the texts of its fields and the headers they came from."""
    row: int
    cells: dict[str, str]
    columns: dict[str, str]

    def text(self, name: str) -> str:
        return self.cells.get(name, "").strip()

    def given(self, name: str) -> bool:
        return name in self.cells


@dataclass
class Layout:
    kind: str                                # long, wide, catalog, rural_tourism_points, or unknown
    header_row: int | None = None
    header: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    period_columns: list[tuple[int, str]] = field(default_factory=list)
    header_unit: str | None = None           # a unit in the value header's brackets: 数值(亿元)
    records: list[Record] = field(default_factory=list)
    data_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[p.Problem] = field(default_factory=list)


def _is_period(text: str) -> bool:
    if not text.strip():
        return False
    try:
        read_period(text)
        return True
    except (PeriodError, KeyError, ValueError):
        return False


def _classify(cells: list[str]) -> tuple[dict[str, list[int]], list[int]]:
    fields: dict[str, list[int]] = {}
    periods = []
    for index, cell in enumerate(cells):
        name = field_of(cell) if cell.strip() else None
        if name:
            fields.setdefault(name, []).append(index)
        elif _is_period(cell):
            periods.append(index)
    return fields, periods


def _is_header(fields: dict, periods: list) -> bool:
    has_indicator = any(f in fields for f in INDICATOR_FIELDS)
    if has_indicator and ("period" in fields or "value" in fields or periods):
        return True
    return len(fields) >= 3


def detect(sheet: Sheet, records: bool = True) -> Layout:
    """The layout of a sheet; `records=False` leaves the records of an observation file to the normalise
    stage (normalise.records builds them as columns)."""
    rows = [(number, cells) for number, cells in sheet.rows if any(c.strip() for c in cells)]
    if not rows:
        return Layout("unknown", problems=[p.error("empty_file")])
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        normalised = {normalise_header(c) for c in cells}
        if is_points_header(cells):
            return Layout(POINTS, header_row=number, header=cells,
                          data_rows=[(n, c) for n, c in sheet.rows if n > number])
        if CATALOG_MARKERS <= normalised:
            return Layout("catalog", header_row=number, header=cells,
                          data_rows=[(n, c) for n, c in sheet.rows if n > number])
        fields, periods = _classify(cells)
        if _is_header(fields, periods):
            return _observations_layout(sheet, number, cells, fields, periods, records)
    # No row looks like a header: say what is missing next to what the first row has.
    number, cells = rows[0]
    fields, _ = _classify(cells)
    return Layout("unknown", header_row=number, header=cells, problems=[_missing_columns(number, cells, fields, [])])


def _missing_columns(number: int, cells: list[str], fields: dict, periods: list) -> p.Problem:
    missing = []
    if not any(f in fields for f in INDICATOR_FIELDS):
        missing.append("indicator")
    if not periods:
        missing += [f for f in REQUIRED_LONG[1:] if f not in fields]
    unexpected = [c.strip() for i, c in enumerate(cells)
                  if c.strip() and not field_of(c) and i not in periods]
    return p.error("missing_columns", row=number, missing_fields=missing, unexpected=unexpected)


def _observations_layout(sheet: Sheet, number: int, cells: list[str], fields: dict, periods: list,
                         records: bool = True) -> Layout:
    problems = []
    for indexes in fields.values():
        for extra in indexes[1:]:
            problems.append(p.error("duplicate_column", row=number, column=cells[extra].strip(),
                                    first=cells[indexes[0]].strip()))
    single = {name: indexes[0] for name, indexes in fields.items()}
    wide = "period" not in single and bool(periods)
    kind = "wide" if wide else "long"
    has_indicator = any(f in single for f in INDICATOR_FIELDS)
    missing = not has_indicator or (not wide and ("period" not in single or "value" not in single))
    if missing:
        problems.append(_missing_columns(number, cells, fields, periods if wide else []))
    else:
        ignored = set(single.values()) | (set(periods) if wide else set())
        unexpected = [c.strip() for i, c in enumerate(cells) if c.strip() and i not in ignored]
        if wide and "value" in single:
            unexpected.append(cells[single["value"]].strip())
        if unexpected:
            problems.append(p.warning("unexpected_columns", row=number, unexpected=unexpected))
    header_unit = bracketed_unit(cells[single["value"]]) if "value" in single else None
    layout = Layout(kind, header_row=number, header=cells, fields=single,
                    period_columns=[(i, cells[i].strip()) for i in periods] if wide else [],
                    header_unit=header_unit, problems=problems)
    if not missing and records:
        layout.records = list(_records(sheet, layout))
    return layout


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _records(sheet: Sheet, layout: Layout):
    header = layout.header
    for number, cells in sheet.rows:
        if number <= layout.header_row or not any(c.strip() for c in cells):
            continue
        base = {name: _cell(cells, index) for name, index in layout.fields.items()
                if name not in ("period", "value")}
        base_columns = {name: header[index].strip() for name, index in layout.fields.items()}
        if layout.kind == "long":
            base["period"] = _cell(cells, layout.fields["period"])
            base["value"] = _cell(cells, layout.fields["value"])
            yield Record(number, base, base_columns)
            continue
        for index, label in layout.period_columns:
            text = _cell(cells, index)
            if is_blank(text):
                continue
            yield Record(number, {**base, "period": label, "value": text},
                         {**base_columns, "period": label, "value": label})
