"""Numbers with their units, the way each language writes them (万/亿 in Chinese, millions/billions in English)."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from twomountains.i18n import t


def text_or_empty(value) -> str:
    """Metadata text that may be missing (None or NaN from a blank CSV cell)."""
    return value if isinstance(value, str) else ""


def number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _english_scaled(value: float, multiplier: float, base: str) -> str:
    absolute = value * multiplier
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(absolute) >= size:
            scaled = absolute / size
            text = f"{scaled:,.2f}".rstrip("0").rstrip(".")
            return f"{base} {text} {word}" if base == "CNY" else f"{text} {word} {base}"
    return f"{base} {absolute:,.0f}" if base == "CNY" else f"{absolute:,.0f} {base}"


def value_with_unit(value: float | None, unit: dict, lang: str) -> str:
    """`unit` is a row of units.csv (style, symbol_zh/en, decimals, base_multiplier, base_en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("value.missing", lang)
    decimals = int(unit["decimals"])
    style = unit["style"]
    symbol = text_or_empty(unit[f"symbol_{lang}"])
    if style == "milestone":
        return t("value.milestone_done" if value >= 1 else "value.milestone_pending", lang)
    if style == "rank":
        return t("value.rank", lang, rank=number(value, 0))
    if style == "scaled" and lang == "en":
        return _english_scaled(value, float(unit["base_multiplier"]), text_or_empty(unit["base_en"]))
    if style == "suffix" or lang == "zh":
        return f"{number(value, decimals)}{symbol}"
    return f"{number(value, decimals)} {symbol}".rstrip()


def target_text(target_type: str, target: float | None, direction: int, unit: dict, lang: str) -> str:
    """The target as a leader reads it: '≥ 65.0%', 'grows ≥ 20% a year', 'top 10', 'done by 2022'."""
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return t("target.none", lang)
    if target_type == "cagr":
        return t("target.cagr", lang, rate=number(target, 0))
    if target_type == "rank":
        return t("target.rank", lang, rank=number(target, 0))
    if target_type == "milestone":
        return t("target.milestone", lang)
    comparator = "≥" if direction > 0 else "≤"
    return f"{comparator} {value_with_unit(target, unit, lang)}"


def percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    if fraction is None:
        return t("value.missing", lang)
    return f"{fraction * 100:.{decimals}f}%"


def label_each(values: pd.Series, label: Callable[[object], str]) -> pd.Series:
    """`label` of every value, called once per distinct value.

    Columns such as source, quality or note repeat a handful of codes over thousands of rows, and a
    label may cost a dictionary lookup in a translation table; calling it per row made large pages slow.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    labels = np.array([label(None if _missing(v) else v) for v in distinct], dtype=object)
    return pd.Series(labels[codes] if len(codes) else [], index=values.index, dtype=object)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
