"""A value cell's text to a number: full-width digits, thousands separators, a trailing % sign."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# What statistical tables write where there is no figure; such a cell carries no value.
NO_VALUE = {"", "-", "--", "—", "——", "/", "…", "...", "na", "n/a", "nan", "null", "无", "暂无", "空"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class NotANumber(ValueError):
    pass


@dataclass(frozen=True)
class Number:
    value: float
    percent_sign: bool   # the text ended with %


def is_blank(text) -> bool:
    return unicodedata.normalize("NFKC", str(text)).strip().lower() in NO_VALUE


def parse_number(text) -> Number:
    """'１２３．５' -> 123.5, '1,234.5' -> 1234.5, '95.2%' -> 95.2 (with percent_sign set)."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    cleaned = cleaned.replace("\u2212", "-").replace(" ", "").replace("\u00a0", "").replace("'", "")
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1].strip()
    if "," in cleaned:
        if not _GROUPED.match(cleaned):
            raise NotANumber(text)
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise NotANumber(text)
    value = float(cleaned)
    if not math.isfinite(value):
        raise NotANumber(text)
    return Number(value, percent)
