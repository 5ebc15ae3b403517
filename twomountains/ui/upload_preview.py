"""One preview of an upload, for every kind of file (values, the catalog, points, plan workbooks, task reports).

What the check found: a verdict (errors, so nothing will be written; warnings; or clean), the problems as a
table (row as the spreadsheet shows it, column as written, the cell, the problem and what to do) and the
same table to download. What a commit will change: the counts of new, changed and unchanged records (and
removed, for a file that replaces a list) and the changes themselves, one tab per kind of change.

The pages (upload, its plan-workbook section, reporting) decide what their kind's preview says, in their
own i18n keys, and which parts it has; this module draws every part the same way. Text from the file only
ever reaches a table cell (or a markdown line the caller escaped), never Markdown of its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from twomountains.ui.session import tr
from twomountains.ui.tables import full_height

ROW_HEIGHT = 72      # tall enough for a problem's message to wrap onto three lines
MAX_HEIGHT = 600


@dataclass(frozen=True)
class Verdict:
    """The banners above the problems, as the page words them (None leaves a banner out)."""
    errors: str | None = None              # the file has errors: nothing can be written
    warnings: str | None = None            # the file may be committed, but read these
    clean: str | None = None               # no problem at all
    warnings_beside_errors: bool = True    # the warnings' banner also when there are errors
    icons: bool = True


def verdict(errors: int, warnings: int, said: Verdict) -> None:
    icon = (lambda name: f":material/{name}:") if said.icons else (lambda name: None)
    if errors and said.errors:
        st.error(said.errors, icon=icon("error"))
    elif not errors and not warnings and said.clean:
        st.success(said.clean, icon=icon("check_circle"))
    if warnings and said.warnings and (said.warnings_beside_errors or not errors):
        st.warning(said.warnings, icon=icon("warning"))


def problems(frame: pd.DataFrame, label: Callable[[str], str], *, key: str | None = None,
             tall_rows: bool = False, wide_message: bool = False) -> None:
    """The problems table (columns severity, row, column, value, message); `label(column)` names a column."""
    config: dict = {c: label(c) for c in frame.columns}
    sizes: dict = {}
    if tall_rows:      # a long report: rows the message wraps in, the table scrolls past MAX_HEIGHT
        sizes = {"row_height": ROW_HEIGHT, "height": min(full_height(len(frame), ROW_HEIGHT), MAX_HEIGHT)}
        config["severity"] = st.column_config.TextColumn(label("severity"), width="small")
        config["row"] = st.column_config.TextColumn(label("row"), width="small")
    if tall_rows or wide_message:
        config["message"] = st.column_config.TextColumn(label("message"), width="large")
    # A problem of the whole file or row has no column: a dash, not "None".
    st.dataframe(frame, hide_index=True, width="stretch", key=key, column_config=config, placeholder="—", **sizes)


def download(label: str, data: bytes, file_name: str, key: str | None = None) -> None:
    """The problems as a CSV file (the caller makes it with exports.csv_bytes: formulas neutralised)."""
    st.download_button(label, data, file_name, "text/csv", icon=":material/download:", on_click="ignore", key=key)


def counts(text: str, boxed: bool = False) -> None:
    """The line saying how many records are new, changed, unchanged (and removed)."""
    (st.info if boxed else st.markdown)(text)


def changes_by_kind(counts: dict[str, int], labels: dict[str, str], frame_of: Callable[[str], pd.DataFrame],
                    label: Callable[[str], str]) -> None:
    """One tab per kind of change (insert, update, unchanged, ...: `labels` gives each its i18n key), each
    saying its count; the first kind with any change is open."""
    tabs = {kind: tr("upload.preview.tab", label=tr(key), count=counts[kind]) for kind, key in labels.items()}
    first = next((kind for kind in labels if counts[kind]), "unchanged")
    changes({tabs[kind]: frame_of(kind) for kind in labels}, label, default=tabs[first])


def changes(frames: dict[str, pd.DataFrame], label: Callable[[str], str], *, default: str | None = None,
            key: str | None = None) -> None:
    """The changes: one tab per kind of change (tab label -> frame), or one table when given one unlabeled."""
    if list(frames) == [""]:
        frame = frames[""]
        st.dataframe(frame, hide_index=True, width="stretch", key=key,
                     column_config={c: label(c) for c in frame.columns})
        return
    tabs = st.tabs(list(frames), default=default)
    for tab, frame in zip(tabs, frames.values()):
        tab.dataframe(frame, hide_index=True, width="stretch", column_config={c: label(c) for c in frame.columns})
