"""The titles and designations Wulong holds, each with its year and the page it was read from."""
from __future__ import annotations

import pandas as pd

from twomountains.i18n import t
from twomountains.sources import note_label, source_label


def title_lines(titles: pd.DataFrame, sources: pd.DataFrame, lang: str) -> list[str]:
    """One line per title, oldest first: "2018 · name — holder · source (note)"."""
    lines = []
    for title in titles.sort_values(["year", "code"]).itertuples():
        note = note_label(title.note, lang)
        lines.append(t("verdict.title_line", lang, year=title.year, name=getattr(title, f"name_{lang}"),
                       holder=getattr(title, f"holder_{lang}"), source=source_label(title.source, sources, lang))
                     + (t("verdict.title_note", lang, note=note) if note else ""))
    return lines
