"""Periods (years, quarters, months): parsing the many ways people write them, and arithmetic."""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                    "九": 9, "十": 10, "十一": 11, "十二": 12}


class PeriodError(ValueError):
    """A text that is not a period we understand."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def kind(self) -> str:
        if self.month is not None:
            return "M"
        if self.quarter is not None:
            return "Q"
        return "Y"

    def __str__(self) -> str:
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}Q{self.quarter}"
        return str(self.year)

    @property
    def end_date(self) -> date:
        if self.month is not None:
            last_month = self.month
        elif self.quarter is not None:
            last_month = self.quarter * 3
        else:
            last_month = 12
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def start_date(self) -> date:
        if self.month is not None:
            return date(self.year, self.month, 1)
        if self.quarter is not None:
            return date(self.year, self.quarter * 3 - 2, 1)
        return date(self.year, 1, 1)

    def previous_in_year(self) -> Period | None:
        """The period before this one in the same year, for turning year-to-date totals into single periods."""
        if self.month is not None:
            return Period(self.year, month=self.month - 1) if self.month > 1 else None
        if self.quarter is not None:
            return Period(self.year, quarter=self.quarter - 1) if self.quarter > 1 else None
        return None


def normalise_text(text: str) -> str:
    """Full-width digits and letters become ASCII; surrounding blanks go."""
    return unicodedata.normalize("NFKC", str(text)).strip()


_PATTERNS = [
    (re.compile(r"^(\d{4})(?:\.0)?$"), lambda m: Period(int(m[1]))),
    (re.compile(r"^(\d{4})年(?:度)?$"), lambda m: Period(int(m[1]))),
    (re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$"), lambda m: Period(int(m[1]), quarter=int(m[2]))),
    (re.compile(r"^(\d{4})年第?([1-4])季度?$"), lambda m: Period(int(m[1]), quarter=int(m[2]))),
    (re.compile(r"^(\d{4})年第?([一二三四])季度?$"),
     lambda m: Period(int(m[1]), quarter=CHINESE_NUMERALS[m[2]])),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), lambda m: _month(m[1], m[2])),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), lambda m: _month(m[1], m[2])),
    (re.compile(r"^(\d{4})年(十[一二]?|[一二三四五六七八九])月(?:份)?$"),
     lambda m: _month(m[1], CHINESE_NUMERALS[m[2]])),
]


def _month(year, month) -> Period:
    month = int(month)
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} is not between 1 and 12")
    return Period(int(year), month=month)


def parse_period(text) -> Period:
    """Read '2023', '2023Q3', '2023-Q3', '2023年第3季度', '2023年三季度', '2023-09', '2023年9月'."""
    cleaned = normalise_text(text).replace(" ", "")
    for pattern, build in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            return build(match)
    raise PeriodError(f"not a period: {text!r}")


def latest_complete_year(today: date) -> int:
    """The last calendar year that has ended."""
    return today.year - 1
