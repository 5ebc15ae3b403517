"""The checks of an observation file's records, each a small function registered by name in `CHECKS`.

data/ingest/field_checks.csv (kind observations) says which of them run, on which field, with which
parameters and in which order; the order is also the order a record's problems are reported in (that of
`validate.check_record`, the row-by-row reference). `check.check` runs them over a `Checking`: the records
as columns (`normalise.Records`) and what the checks before found (the indicator and region of each
record as numbers, the periods, the values read, which records are year-to-date). Every check computes a
mask over the records from lookups made once per distinct text or combination (never per record) and
builds a `Problem` only for a record its mask marks.

A check says which checks it reads the results of (`needs`), and the registry refuses a declaration that
runs it before them; a check marked `last` reads which records every other check rejected and so runs
after all of them.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from twomountains.ingest import field_checks
from twomountains.ingest import problems as p
from twomountains.ingest import validate
from twomountains.ingest.cumulative import read_flag, read_period
from twomountains.ingest.headers import INDICATOR_FIELDS, REGION_FIELDS
from twomountains.ingest.layout import Record
from twomountains.ingest.lookup import DISTRICT, Lookup
from twomountains.ingest.normalise import Records, Texts, combine, numbers, object_array, spread
from twomountains.periods import PeriodError

CHECKS = field_checks.Registry("observations")


class _Problems:
    """Problems found per record, each with the position of its check in the declared order (its slot);
    built in the reference's order at the end: by record, and within a record by slot."""

    def __init__(self):
        self._parts: list[tuple[np.ndarray, int, object]] = []

    def add(self, slot: int, where: np.ndarray, build) -> None:
        """`build(i)` makes the problem of record i, for every i where `where` (a mask or indexes) holds."""
        indexes = np.nonzero(where)[0] if where.dtype == bool else where
        if len(indexes):
            self._parts.append((indexes, slot, build))

    def errors_per_record(self, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        for indexes, _, build in self._parts:
            if getattr(build, "is_error", True):
                out[indexes] = True
        return out

    def ordered(self) -> list[p.Problem]:
        if not self._parts:
            return []
        records = np.concatenate([indexes for indexes, _, _ in self._parts])
        slots = np.concatenate([np.full(len(indexes), slot) for indexes, slot, _ in self._parts])
        parts = np.concatenate([np.full(len(indexes), k) for k, (indexes, _, _) in enumerate(self._parts)])
        order = np.lexsort((slots, records))
        builders = [build for _, _, build in self._parts]
        return [builders[parts[k]](int(records[k])) for k in order]


def _warning(build):
    build.is_error = False
    return build


def _column_at(column, i: int) -> str:
    return column if isinstance(column, str) else column[i]


class _Names:
    """Codes (of indicators or regions) numbered 0, 1, ...; -1 stands for none. An array of numbers per record
    replaces an array of code strings, so the checks compare and group numbers."""

    def __init__(self):
        self.codes: list[str] = []
        self._number: dict[str, int] = {}

    def number(self, code: str | None) -> int:
        if code is None:
            return -1
        if code not in self._number:
            self._number[code] = len(self.codes)
            self.codes.append(code)
        return self._number[code]

    def numbers(self, codes) -> np.ndarray:
        return np.array([self.number(c) for c in codes], dtype=np.int64)

    def per_code(self, function, otype=object, missing=None) -> np.ndarray:
        """function(code) per code, and `missing` last (where -1 lands)."""
        out = np.empty(len(self.codes) + 1, dtype=otype)
        out[:-1] = [function(code) for code in self.codes]
        out[-1] = missing
        return out

    def strings(self) -> np.ndarray:
        return self.per_code(lambda code: code)


class Checking:
    """The records being checked and what the checks found so far; each check reads and adds to it.

    Before any check: every record is active, has no indicator (-1) and the district as its region; its
    period is unknown and it is not year-to-date. The checks fill in the rest (see each one's docstring)."""

    def __init__(self, recs: Records, lookup: Lookup, options: validate.Options):
        n = len(recs)
        self.recs, self.lookup, self.options, self.n = recs, lookup, options, n
        self.rows = recs.rows
        self.columns = dict(recs.columns)
        self.found = _Problems()
        self.slot = 0                               # the running check's position in the declared order
        self.raw_values = recs.texts["value"] if recs.given("value") else Texts.constant("", n)
        self.value_column = recs.column("value")
        self.period_column = recs.column("period")
        self.period_text = recs.stripped("period")
        self.blank = np.zeros(n, dtype=bool)
        self.active = np.ones(n, dtype=bool)        # records with a value: the ones every check looks at
        self.nums = None                            # normalise.Numbers of the value cells
        self.indicators = _Names()
        self.indicator = np.full(n, -1, dtype=np.int64)
        self.regions = _Names()
        self.region: np.ndarray | None = None       # the region check's; the district for every record without it
        self.region_column = lambda i: None
        self.region_text = lambda i: ""
        self.read = [(None, False)] * len(self.period_text.distinct)   # per distinct period text
        self.u_period = object_array([None] * len(self.period_text.distinct))
        self.not_year = np.zeros(n, dtype=bool)
        self.cumulative = np.zeros(n, dtype=bool)
        self.quality_text: Texts | None = None
        self.u_quality: np.ndarray | None = None
        self.kept: np.ndarray | None = None         # set before the first `last` check (settle)
        self.stored_region: np.ndarray | None = None
        # What check.check returns: the problems (the layout's first), the checked values as a frame, and a
        # number per value that is the same for the values of one key (check._values_frame).
        self.problems: list[p.Problem] = []
        self.values = None
        self.keys = None

    def add(self, where: np.ndarray, build) -> None:
        self.found.add(self.slot, where, build)

    def value_text(self, i: int) -> str:
        return str(self.raw_values.at(i)).strip()

    def the_district(self) -> None:
        """Every record's region is the district (the file has no region column)."""
        self.region = np.full(self.n, self.regions.number(DISTRICT), dtype=np.int64)

    def settle(self) -> None:
        """Which records every check so far accepts (a `last` check looks only at those)."""
        self.kept = self.active & ~self.found.errors_per_record(self.n)
        if self.region is None:
            self.the_district()
        self.stored_region = self.region.copy()

    def known(self) -> np.ndarray:
        return self.active & (self.indicator >= 0)

    def per_indicator(self, function, otype=object, missing=None) -> np.ndarray:
        return self.indicators.per_code(function, otype, missing)[self.indicator]

    def indicator_code(self, i: int) -> str:
        return self.indicators.codes[self.indicator[i]]


def _resolve(state: Checking, fields: list[str], resolver):
    """The reference's resolver once per distinct combination of the fields' cells: a code per record into
    the combinations, the combinations, and per combination (what it resolves to, its problem or None)."""
    recs = state.recs
    codes, uniques = (combine(*[recs.stripped(f).pair() for f in fields]) if fields
                      else (np.zeros(state.n, np.int64), [()]))
    results = []
    for combination in uniques:
        record = Record(0, dict(zip(fields, combination)), state.columns)
        found_problems: list = []
        results.append((resolver(record, state.lookup, found_problems), found_problems[0] if found_problems else None))
    return codes, uniques, results


@CHECKS("present")
def _present(state: Checking, name: str) -> None:
    """A record without a value: a warning when it names a period, and no other check (`active`). Reads the
    value cells once per distinct text (`nums`: blank, parsed, the number, a percent sign)."""
    state.nums = nums = numbers(state.raw_values)
    state.blank = blank = nums.blank
    period_text, rows, column = state.period_text, state.rows, state.value_column
    state.add(blank & period_text.spread(period_text.distinct != ""), _warning(
        lambda i: p.warning("no_value", int(rows[i]), _column_at(column, i), state.value_text(i))))
    state.active = ~blank


@CHECKS("indicator", needs=("present",))
def _indicator(state: Checking, name: str) -> None:
    """The indicator the code, name or either column names (they must agree): `indicator`, a number per record."""
    fields = [f for f in INDICATOR_FIELDS if state.recs.given(f)]
    codes, _, results = _resolve(state, fields, validate._resolve_indicator)
    state.indicator = state.indicators.numbers([r[0] for r in results] + [None])[:-1][codes]      # -1: none
    failing = spread(np.array([r[1] is not None for r in results], dtype=bool), codes) & state.active
    rows = state.rows
    state.add(failing, lambda i: replace(results[codes[i]][1], row=int(rows[i])))


@CHECKS("region", needs=("present",))
def _region(state: Checking, name: str) -> None:
    """The region (district or township, by code or name, old township names included) a record names:
    `region`, a number per record; the district where the file has no region column."""
    fields = [f for f in REGION_FIELDS if state.recs.given(f)]
    if not fields:
        state.the_district()
        return
    codes, uniques, results = _resolve(state, fields, validate._resolve_region)
    state.region = state.regions.numbers([r[0][0] for r in results] + [None])[:-1][codes]
    failing = spread(np.array([r[1] is not None for r in results], dtype=bool), codes) & state.active
    rows = state.rows
    state.add(failing, lambda i: replace(results[codes[i]][1], row=int(rows[i])))
    state.region_column = lambda i: results[codes[i]][0][1]
    state.region_text = lambda i: _region_text(dict(zip(fields, uniques[codes[i]])))


def _region_text(cells: dict) -> str:
    for name in REGION_FIELDS:
        if name in cells and cells[name]:
            return cells[name]
    return ""


@CHECKS("period", needs=("present",))
def _period(state: Checking, name: str) -> None:
    """The period each distinct text names (a year, quarter or month, in Chinese forms too) and whether the
    text says year-to-date (`read`, `u_period`); a text that names none is an error."""
    period_text, rows, column = state.period_text, state.rows, state.period_column
    read, status = [], []
    for text in period_text.distinct:
        try:
            read.append(read_period(text))
        except (PeriodError, KeyError, ValueError):
            read.append((None, False))
            status.append("bad_period" if text else "missing_period")
            continue
        status.append("ok")
    status = object_array(status)
    pcodes = period_text.codes
    state.read = read
    state.u_period = object_array([x for x, _ in read])
    state.add(state.active & period_text.spread(status != "ok"), lambda i: p.error(
        status[pcodes[i]], int(rows[i]), _column_at(column, i), period_text.at(i)))
    state.not_year = period_text.spread(np.array([x is not None and x.kind != "Y" for x in state.u_period],
                                                 dtype=bool))


@CHECKS("not_future", needs=("period",))
def _not_future(state: Checking, name: str) -> None:
    """A period that starts after today is an error (and no period for the checks after this one)."""
    period_text, rows, column, today = state.period_text, state.rows, state.period_column, state.options.today
    future = np.array([x is not None and x.start_date > today for x in state.u_period], dtype=bool)
    if not future.any():
        return
    pcodes, read = period_text.codes, state.read
    state.add(state.active & period_text.spread(future), lambda i: p.error(
        "future_period", int(rows[i]), _column_at(column, i), period_text.at(i),
        period=str(read[pcodes[i]][0]), today=today.isoformat()))
    state.u_period = object_array([None if f else x for x, f in zip(state.u_period, future)])
    state.not_year = period_text.spread(np.array([x is not None and x.kind != "Y" for x in state.u_period],
                                                 dtype=bool))


@CHECKS("number", needs=("present",))
def _number(state: Checking, name: str) -> None:
    """A value that is not a number (full-width digits, thousands separators and % are read) is an error."""
    rows, column = state.rows, state.value_column
    state.add(state.active & ~state.nums.parsed, lambda i: p.error(
        "not_a_number", int(rows[i]), _column_at(column, i), state.value_text(i)))


@CHECKS("year_to_date", needs=("period",))
def _year_to_date(state: Checking, name: str) -> None:
    """Which records are year-to-date (`cumulative`): the period text says so, the uploader declared every
    value so, or the file's flag column does; a flag that is neither yes nor no is an error."""
    recs, rows = state.recs, state.rows
    period_text = state.period_text
    cumulative = period_text.spread(np.array([bool(d) for _, d in state.read], dtype=bool)) | bool(
        state.options.cumulative)
    if recs.given(name):
        flag_text = recs.stripped(name)
        flags = [read_flag(t) for t in flag_text.distinct]
        bad_flag = flag_text.spread(np.array([f is None for f in flags], dtype=bool))
        column = state.columns[name]
        state.add(state.active & bad_flag, lambda i: p.error(
            "bad_cumulative_flag", int(rows[i]), column, flag_text.at(i)))
        cumulative |= flag_text.spread(np.array([bool(f) for f in flags], dtype=bool))
    state.cumulative = cumulative


@CHECKS("quality_word", needs=("present",))
def _quality_word(state: Checking, name: str) -> None:
    """The quality a record gives, in a word validate.QUALITY_WORDS knows (`u_quality`, per distinct text)."""
    quality_text = state.quality_text = state.recs.stripped(name)
    words = [validate.QUALITY_WORDS.get(t.lower()) if t else None for t in quality_text.distinct]
    bad = quality_text.spread(np.array([bool(t) and w is None for t, w in zip(quality_text.distinct, words)],
                                       dtype=bool))
    rows, column = state.rows, state.columns[name]
    state.add(state.active & bad, lambda i: p.error("bad_quality", int(rows[i]), column, quality_text.at(i)))
    state.u_quality = object_array(words)


@CHECKS("max_length", needs=("present",))
def _too_long(state: Checking, name: str, limit: int) -> None:
    texts = state.recs.stripped(name)
    too_long = texts.spread(np.array([len(t) > limit for t in texts.distinct], dtype=bool))
    rows, column = state.rows, state.recs.columns[name]
    state.add(state.active & too_long, lambda i: p.error(
        "too_long", int(rows[i]), column, texts.at(i)[:40] + "…", limit=limit))


@CHECKS("unit", needs=("indicator",))
def _unit(state: Checking, name: str) -> None:
    """The unit a record (or the header) gives must be its indicator's; once per indicator and unit text."""
    recs, lookup, rows, indicator = state.recs, state.lookup, state.rows, state.indicator
    names = state.indicators.strings()
    unit_text = recs.stripped(name) if recs.given(name) else Texts.constant(recs.header_unit or "", state.n)
    ucodes, uuniques = combine((indicator + 1, np.concatenate([[None], names[:-1]])), unit_text.pair())
    mismatch = spread(np.array([bool(code is not None and text and not lookup.unit_matches(code, text))
                                for code, text in uuniques], dtype=bool), ucodes)
    column = state.columns.get(name) or state.value_column
    state.add(state.known() & mismatch, lambda i: p.error(
        "unit_mismatch", int(rows[i]), _column_at(column, i), unit_text.at(i),
        expected=lookup.unit_label(state.indicator_code(i)), indicator=lookup.names(state.indicator_code(i))))


def _only_for_indicators(state: Checking, allowed, where: np.ndarray, code: str, column, text, details) -> None:
    """Error `code` for a record `where` marks whose indicator is not `allowed` (asked once per indicator);
    the problem names the record's cell in `column` (`text(i)` its text) and `details(indicator)`'s parameters."""
    rows = state.rows
    allows = state.per_indicator(allowed, bool, False)
    state.add(state.known() & where & ~allows, lambda i: p.error(
        code, int(rows[i]), _column_at(column, i), text(i), **details(state.indicator_code(i))))


@CHECKS("percent", needs=("indicator", "number"))
def _percent(state: Checking, name: str) -> None:
    """A value written with % only for an indicator measured in percent."""
    lookup, nums = state.lookup, state.nums
    _only_for_indicators(state, lookup.is_percent, nums.parsed & nums.percent, "percent_not_allowed",
                         state.value_column, state.value_text, lambda code: {"expected": lookup.unit_label(code)})


@CHECKS("range", needs=("indicator", "number", "period", "year_to_date"))
def _range(state: Checking, name: str) -> None:
    """A value within its indicator's unit's bounds (data/catalog/units.csv); a year-to-date value of part of
    a year is checked once split (validate._decumulate)."""
    lookup, rows, nums, column = state.lookup, state.rows, state.nums, state.value_column
    low = state.per_indicator(lambda c: lookup.bounds(c)[0], float, np.nan).astype(float)
    high = state.per_indicator(lambda c: lookup.bounds(c)[1], float, np.nan).astype(float)
    ranged = state.known() & nums.parsed & ~(state.cumulative & state.not_year)
    below = ranged & ~np.isnan(low) & (nums.value < np.where(np.isnan(low), 0, low))
    above = ranged & ~below & ~np.isnan(high) & (nums.value > np.where(np.isnan(high), 0, high))
    state.add(below, lambda i: p.error(
        "below_minimum", int(rows[i]), _column_at(column, i), state.value_text(i),
        minimum=lookup.bounds(state.indicator_code(i))[0], unit=lookup.unit_label(state.indicator_code(i))))
    state.add(above, lambda i: p.error(
        "above_maximum", int(rows[i]), _column_at(column, i), state.value_text(i),
        maximum=lookup.bounds(state.indicator_code(i))[1], unit=lookup.unit_label(state.indicator_code(i))))


@CHECKS("flow", needs=("indicator", "period", "year_to_date"))
def _flow(state: Checking, name: str) -> None:
    """A year-to-date value of part of a year only for an indicator that adds up over the year (a flow)."""
    lookup = state.lookup
    _only_for_indicators(state, lookup.is_flow, state.cumulative & state.not_year, "cumulative_not_flow",
                         state.period_column, state.period_text.at, lambda code: {"indicator": lookup.names(code)})


@CHECKS("reform", needs=("region", "period"), last=True)
def _reform(state: Checking, name: str) -> None:
    """An old township (before the 2020 township reform) named for a period after it: its successor takes the
    value (`stored_region`), a warning. Only the records no check rejected."""
    kept_index = np.flatnonzero(state.kept)
    if not len(kept_index):
        return
    lookup, regions, region, rows = state.lookup, state.regions, state.region, state.rows
    pcodes, u_period = state.period_text.codes, state.u_period
    stored_region = state.stored_region
    merged = regions.per_code(lookup.has_successor, bool, False)
    may_map = kept_index[merged[region[kept_index]]]          # only a merged unit can move to its successor
    mapped = np.zeros(state.n, dtype=bool)
    if len(may_map):
        mcodes, muniques = combine((region[may_map], regions.codes), (pcodes[may_map], u_period))
        matches = [lookup.region_for_period(code, period) for code, period in muniques]
        stored_region[may_map] = regions.numbers([m.code for m in matches] + [None])[:-1][mcodes]
        mapped[may_map] = np.array([m.mapped for m in matches] + [False], dtype=bool)[:-1][mcodes]
    region_codes = regions.strings()
    state.add(mapped, _warning(lambda i: p.warning(
        "old_region_mapped", int(rows[i]), state.region_column(i), state.region_text(i),
        old=lookup.region_names(region_codes[region[i]]), new=lookup.region_names(region_codes[stored_region[i]]),
        period=str(u_period[pcodes[i]]))))
