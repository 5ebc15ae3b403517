"""Sources and notes of observations, shown in the reader's language.

An observation's `source` is a code of data/sources.csv where one fits (so it can be named in both
languages) or the free text an analyst uploaded; its `note` is a code with a translation
(note.<code> in data/i18n) or free text.
"""
from __future__ import annotations

import pandas as pd

from twomountains.i18n import strings, t


def source_label(source: str | None, sources: pd.DataFrame, lang: str) -> str:
    if not isinstance(source, str) or not source:
        return ""
    labels = []
    for part in source.split("; "):
        labels.append(sources.loc[part, f"name_{lang}"] if part in sources.index else part)
    return "; ".join(labels)


def note_label(note: str | None, lang: str) -> str:
    """A note's codes ("year_uncertain; mirror") in words; free text stays as it was written."""
    if not isinstance(note, str) or not note:
        return ""
    known = strings(lang)
    parts = note.split("; ")
    if not all(f"note.{part}" in known for part in parts):
        return known.get(f"note.{note}", note)
    return ("；" if lang == "zh" else "; ").join(known[f"note.{part}"] for part in parts)


def value_qualifier(quality: str | None, note: str | None, lang: str) -> str:
    """What to show beside a value: its quality and, where the source is uncertain, why ("published: ...")."""
    if not isinstance(quality, str) or not quality:
        return ""
    label = strings(lang).get(f"quality.{quality}", quality)
    notes = note_label(note, lang)
    return t("verdict.qualified", lang, quality=label, notes=notes) if notes else label
