"""Every record of an observation file checked before anything is written.

Errors (the file is rejected): unknown indicator or region, a value that is not a number or is out of
the unit's range, a period in the future, the same value given twice with different numbers, a unit
that disagrees with the catalog, a cumulative value that cannot be split. Warnings (the file may
still be committed): an old township mapped to its successor, a duplicate row, a row without value.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from twomountains.ingest import field_checks
from twomountains.ingest import problems as p
from twomountains.ingest.cumulative import CumulativeGap, read_flag, read_period, single_value
from twomountains.ingest.headers import INDICATOR_FIELDS, REGION_FIELDS
from twomountains.ingest.layout import Layout, Record
from twomountains.ingest.lookup import DISTRICT, Lookup
from twomountains.ingest.numbers import NotANumber, is_blank, parse_number
from twomountains.periods import Period, PeriodError

QUALITY_WORDS = {"published": "published", "已公布": "published", "公布": "published", "官方": "published",
                 "reported": "reported", "上报": "reported", "demo": "demo", "演示": "demo"}
_HOW = {"indicator_code": "code", "indicator_name": "name", "indicator": "any",
        "region_code": "code", "region_name": "name", "region": "any"}


@dataclass
class Value:
    """One checked value, ready to be compared with the database."""
    row: int
    indicator_code: str
    region_code: str
    period: Period
    value: float
    source: str | None          # None: the file gives no source for it
    quality: str | None         # None: the file does not say
    note: str | None            # None: the file has no note column
    cumulative_value: float | None = None   # the year-to-date figure the value was derived from
    given_region: str | None = None
    columns: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.indicator_code, self.region_code, str(self.period)


@dataclass
class Checked:
    values: list[Value]
    problems: list[p.Problem]
    skipped: int = 0
    existing: pd.DataFrame | None = None   # the stored observations of the file's indicators

    @property
    def errors(self) -> list[p.Problem]:
        return [x for x in self.problems if x.is_error]


@dataclass
class Options:
    cumulative: bool = False            # the uploader declared every value year-to-date
    today: date = field(default_factory=date.today)


def _resolve_indicator(record: Record, lookup: Lookup, problems: list) -> str | None:
    found = {}
    for name in INDICATOR_FIELDS:
        text = record.text(name)
        if not record.given(name) or not text:
            continue
        code = lookup.indicator(text, _HOW[name])
        if code is None:
            suggestion = lookup.suggest_indicator(text)
            problems.append(p.error("unknown_indicator" if suggestion is None else "unknown_indicator_suggest",
                                    record.row, record.columns[name], text,
                                    suggestion=suggestion or ""))
            return None
        found[name] = code
    if not found:
        column = next(record.columns[n] for n in INDICATOR_FIELDS if record.given(n))
        problems.append(p.error("missing_indicator", record.row, column, ""))
        return None
    if len(set(found.values())) > 1:
        names = list(found)
        problems.append(p.error("indicator_mismatch", record.row, record.columns[names[1]],
                                record.text(names[1]), other=record.text(names[0]),
                                other_column=record.columns[names[0]]))
        return None
    return next(iter(found.values()))


def _resolve_region(record: Record, lookup: Lookup, problems: list) -> tuple[str | None, str | None]:
    """The region code a record names and the column it came from (None, None: no region column)."""
    present = [n for n in REGION_FIELDS if record.given(n)]
    if not present:
        return DISTRICT, None
    found = {}
    for name in present:
        text = record.text(name)
        if not text:
            continue
        code = lookup.region(text, _HOW[name])
        if code is None:
            suggestion = lookup.suggest_region(text)
            problems.append(p.error("unknown_region" if suggestion is None else "unknown_region_suggest",
                                    record.row, record.columns[name], text,
                                    suggestion=lookup.region_names(suggestion) if suggestion else ""))
            return None, None
        found[name] = code
    if not found:
        problems.append(p.error("missing_region", record.row, record.columns[present[0]], ""))
        return None, None
    if len(set(found.values())) > 1:
        names = list(found)
        problems.append(p.error("region_mismatch", record.row, record.columns[names[1]], record.text(names[1]),
                                other=record.text(names[0]), other_column=record.columns[names[0]]))
        return None, None
    name = next(iter(found))
    return found[name], record.columns[name]


def check_record(record: Record, layout: Layout, lookup: Lookup, options: Options,
                 problems: list) -> Value | None:
    value_text = record.text("value")
    if is_blank(value_text):
        if record.text("period"):
            problems.append(p.warning("no_value", record.row, record.columns["value"], value_text))
        return None
    errors_before = sum(1 for x in problems if x.is_error)
    indicator = _resolve_indicator(record, lookup, problems)
    region, region_column = _resolve_region(record, lookup, problems)

    period = None
    period_text = record.text("period")
    declared_cumulative = False
    try:
        period, declared_cumulative = read_period(period_text)
    except (PeriodError, KeyError, ValueError):
        problems.append(p.error("bad_period" if period_text else "missing_period",
                                record.row, record.columns["period"], period_text))
    if period is not None and period.start_date > options.today:
        problems.append(p.error("future_period", record.row, record.columns["period"], period_text,
                                period=str(period), today=options.today.isoformat()))
        period = None

    number = None
    try:
        number = parse_number(value_text)
    except NotANumber:
        problems.append(p.error("not_a_number", record.row, record.columns["value"], value_text))

    cumulative = options.cumulative or declared_cumulative
    if record.given("cumulative"):
        flag = read_flag(record.text("cumulative"))
        if flag is None:
            problems.append(p.error("bad_cumulative_flag", record.row, record.columns["cumulative"],
                                    record.text("cumulative")))
        else:
            cumulative = cumulative or flag

    quality = None
    if record.given("quality") and record.text("quality"):
        quality = QUALITY_WORDS.get(record.text("quality").lower())
        if quality is None:
            problems.append(p.error("bad_quality", record.row, record.columns["quality"], record.text("quality")))

    for declared in field_checks.declared("observations", "max_length"):   # data/ingest/field_checks.csv
        name, limit = declared.field, declared.parameters["limit"]
        if len(record.text(name)) > limit:
            problems.append(p.error("too_long", record.row, record.columns[name], record.text(name)[:40] + "…",
                                    limit=limit))

    if indicator is not None:
        unit_text = record.text("unit") if record.given("unit") else (layout.header_unit or "")
        if unit_text and not lookup.unit_matches(indicator, unit_text):
            column = record.columns.get("unit") or record.columns["value"]
            problems.append(p.error("unit_mismatch", record.row, column, unit_text,
                                    expected=lookup.unit_label(indicator), indicator=lookup.names(indicator)))
        if number is not None:
            if number.percent_sign and not lookup.is_percent(indicator):
                problems.append(p.error("percent_not_allowed", record.row, record.columns["value"], value_text,
                                        expected=lookup.unit_label(indicator)))
            low, high = lookup.bounds(indicator)
            if not (cumulative and period is not None and period.kind != "Y"):
                _check_range(number.value, low, high, record, value_text, lookup, indicator, problems)
        if cumulative and period is not None and period.kind != "Y" and not lookup.is_flow(indicator):
            problems.append(p.error("cumulative_not_flow", record.row, record.columns["period"], period_text,
                                    indicator=lookup.names(indicator)))

    if sum(1 for x in problems if x.is_error) > errors_before:
        return None
    match = lookup.region_for_period(region, period)
    if match.mapped:
        problems.append(p.warning("old_region_mapped", record.row, region_column, _region_text(record),
                                  old=lookup.region_names(region), new=lookup.region_names(match.code),
                                  period=str(period)))
    return Value(
        row=record.row, indicator_code=indicator, region_code=match.code, period=period, value=number.value,
        source=(record.text("source") or None) if record.given("source") else None,
        quality=quality,
        note=record.text("note") if record.given("note") else None,
        cumulative_value=number.value if cumulative and period.kind != "Y" else None,
        given_region=region, columns=record.columns,
    )


def _region_text(record: Record) -> str:
    for name in REGION_FIELDS:
        if record.given(name) and record.text(name):
            return record.text(name)
    return ""


def _check_range(value, low, high, record, text, lookup, indicator, problems):
    if low is not None and value < low:
        problems.append(p.error("below_minimum", record.row, record.columns["value"], text,
                                minimum=low, unit=lookup.unit_label(indicator)))
    elif high is not None and value > high:
        problems.append(p.error("above_maximum", record.row, record.columns["value"], text,
                                maximum=high, unit=lookup.unit_label(indicator)))


def _drop_duplicates(values: list[Value], problems: list) -> list[Value]:
    first: dict[tuple, Value] = {}
    kept = []
    for v in values:
        seen = first.get(v.key)
        if seen is None:
            first[v.key] = v
            kept.append(v)
            continue
        same = seen.value == v.value and (seen.cumulative_value is None) == (v.cumulative_value is None)
        if same and seen.given_region == v.given_region:
            problems.append(p.warning("duplicate_same", v.row, v.columns.get("value"), _fmt(v.value),
                                      first_row=seen.row))
        elif seen.given_region != v.given_region:
            problems.append(p.error("duplicate_after_mapping", v.row, v.columns.get("value"), _fmt(v.value),
                                    first_row=seen.row, first_value=_fmt(seen.value), period=str(v.period)))
        else:
            problems.append(p.error("duplicate_conflict", v.row, v.columns.get("value"), _fmt(v.value),
                                    first_row=seen.row, first_value=_fmt(seen.value)))
    return kept


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _decumulate(values: list[Value], existing: pd.DataFrame, lookup: Lookup, problems: list) -> list[Value]:
    """Cumulative values become single-period values; singles from the file or the database fill the year."""
    groups: dict[tuple, list[Value]] = {}
    for v in values:
        if v.cumulative_value is not None:
            groups.setdefault((v.indicator_code, v.region_code, v.period.year, v.period.kind), []).append(v)
    if not groups:
        return values
    out = {id(v): v for v in values}
    for (indicator, region, year, kind), members in groups.items():
        singles: dict[Period, float] = {}
        stored = existing[(existing.indicator_code == indicator) & (existing.region_code == region)
                          & (existing.year == year) & (existing.period_kind == kind)]
        for row in stored.itertuples():
            singles[Period(year, quarter=None if pd.isna(row.quarter) else int(row.quarter),
                           month=None if pd.isna(row.month) else int(row.month))] = float(row.value)
        for v in values:
            if (v.cumulative_value is None and v.indicator_code == indicator and v.region_code == region
                    and v.period.year == year and v.period.kind == kind):
                singles[v.period] = v.value
        for v in sorted(members, key=lambda m: m.period):
            try:
                single = single_value(v.period, v.cumulative_value, singles)
            except CumulativeGap as gap:
                problems.append(p.error("cumulative_gap", v.row, v.columns.get("period"), str(v.period),
                                        missing=[str(m) for m in gap.missing]))
                out.pop(id(v))
                continue
            if single.value < 0:
                problems.append(p.error("cumulative_decrease", v.row, v.columns.get("value"), _fmt(v.cumulative_value),
                                        single=_fmt(round(single.value, 10))))
                out.pop(id(v))
                continue
            value = round(single.value, 10)
            low, high = lookup.bounds(indicator)
            if high is not None and value > high:
                problems.append(p.error("above_maximum", v.row, v.columns.get("value"), _fmt(v.cumulative_value),
                                        maximum=high, unit=lookup.unit_label(indicator)))
            singles[v.period] = value
            out[id(v)] = replace(v, value=value)
    return [out[id(v)] for v in values if id(v) in out]


def check(layout: Layout, lookup: Lookup, options: Options, load_existing) -> Checked:
    """All records of an observation file: the values to write and every problem, row by row.

    `load_existing(codes)` returns the stored observations of those indicators (a frame of
    queries/upload_existing_observations.sql).
    """
    problems = list(layout.problems)
    if any(x.is_error for x in problems):
        return Checked([], problems)
    values, skipped = [], 0
    for record in layout.records:
        if is_blank(record.text("value")):
            skipped += 1
        value = check_record(record, layout, lookup, options, problems)
        if value is not None:
            values.append(value)
    if not layout.records or (not values and not any(x.is_error for x in problems)):
        problems.append(p.error("no_values", layout.header_row))
    values = _drop_duplicates(values, problems)
    existing = load_existing(sorted({v.indicator_code for v in values}))
    values = _decumulate(values, existing, lookup, problems)
    return Checked(values, problems, skipped, existing)
