"""Sources and notes of observations, shown in the reader's language.

An observation's `source` is a code of data/sources.csv where one fits (so it can be named in both
languages) or the free text an analyst uploaded; its `note` is a code with a translation
(note.<code> in data/i18n) or free text.
"""
from __future__ import annotations

import pandas as pd

from twomountains.i18n import strings


def source_label(source: str | None, sources: pd.DataFrame, lang: str) -> str:
    if not isinstance(source, str) or not source:
        return ""
    labels = []
    for part in source.split("; "):
        labels.append(sources.loc[part, f"name_{lang}"] if part in sources.index else part)
    return "; ".join(labels)


def note_label(note: str | None, lang: str) -> str:
    if not isinstance(note, str) or not note:
        return ""
    return strings(lang).get(f"note.{note}", note)
