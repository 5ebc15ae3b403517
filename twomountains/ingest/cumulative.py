"""Year-to-date (cumulative) values, as Chinese statistics usually publish them, turned into single periods.

A period text may itself declare a cumulative value: '2024年1-8月', '2024年1—3季度', '2024年前三季度',
'2024Q3累计'. Otherwise the uploader declares it (the cumulative option or a 累计 column).
The single value of a period is its cumulative value minus the cumulative value of the period before
it in the same year; the earlier months or quarters come from the same file or from the database.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from twomountains.periods import CHINESE_NUMERALS, Period, PeriodError, normalise_text, parse_period

_DASH = r"[-–—~至到]"
_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_CUMULATIVE_PATTERNS = [
    (re.compile(rf"^(\d{{4}})年?1{_DASH}{_NUMBER}月(?:份)?(?:累计)?$"), "M"),
    (re.compile(rf"^(\d{{4}})年?前{_NUMBER}个?月(?:累计)?$"), "M"),
    (re.compile(rf"^(\d{{4}})年?(?:第?[1一]){_DASH}(?:第)?{_NUMBER}季度?(?:累计)?$"), "Q"),
    (re.compile(rf"^(\d{{4}})年?前{_NUMBER}(?:个)?季度?(?:累计)?$"), "Q"),
    (re.compile(rf"^(\d{{4}})[Qq]1{_DASH}[Qq]?([1-4])$"), "Q"),
]
_TRUE = {"1", "true", "yes", "y", "是", "累计", "是(累计)", "ytd", "cumulative"}
_FALSE = {"", "0", "false", "no", "n", "否", "当期", "单期", "single"}


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CHINESE_NUMERALS[text]


@functools.lru_cache(maxsize=65536)   # a file repeats the same few periods on every row
def read_period(text) -> tuple[Period, bool]:
    """The period a text names and whether the text itself says the value is cumulative."""
    cleaned = normalise_text(text).replace(" ", "")
    for pattern, kind in _CUMULATIVE_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            year, end = int(match[1]), _number(match[2])
            if kind == "M" and 1 <= end <= 12:
                return Period(year, month=end), True
            if kind == "Q" and 1 <= end <= 4:
                return Period(year, quarter=end), True
            raise PeriodError(f"not a period: {text!r}")
    if cleaned.endswith("累计"):
        return parse_period(cleaned[:-2]), True
    return parse_period(cleaned), False


def read_flag(text) -> bool | None:
    """A cumulative column's cell: True, False, or None when it is neither."""
    cleaned = normalise_text(text).lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    return None


def periods_before(period: Period) -> list[Period]:
    """The periods of the same kind from the start of the year up to the one before `period`."""
    out = []
    current = period.previous_in_year()
    while current is not None:
        out.append(current)
        current = current.previous_in_year()
    return list(reversed(out))


@dataclass(frozen=True)
class Single:
    value: float
    derived_from: tuple[Period, ...]   # the earlier periods subtracted


class CumulativeGap(ValueError):
    """An earlier period of the year is missing, so a cumulative value cannot be split."""

    def __init__(self, missing: list[Period]):
        super().__init__(", ".join(map(str, missing)))
        self.missing = missing


def single_value(period: Period, cumulative: float, singles: dict[Period, float]) -> Single:
    """The value of `period` alone, given its year-to-date total and the single values known before it."""
    if period.kind == "Y":
        return Single(cumulative, ())
    before = periods_before(period)
    missing = [p for p in before if p not in singles]
    if missing:
        raise CumulativeGap(missing)
    return Single(cumulative - sum(singles[p] for p in before), tuple(before))
