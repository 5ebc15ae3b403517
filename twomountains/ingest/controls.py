"""Control characters in uploaded text: refused, so that nothing stored can rewrite a terminal or a report.

A source, a note or a name with an escape sequence (ESC [ ...), a carriage return, a bell or a
right-to-left override would be printed raw by `ingest` and `uploads --show` and could hide or fake what
the analyst reads. Line feeds (Excel's Alt+Enter in a cell, also as CR LF) and tabs are kept.
"""
from __future__ import annotations

import re

from twomountains.ingest.problems import Problem, error
from twomountains.text import terminal_text

# C0 and C1 controls except tab and line feed, DEL, a CR not followed by LF, and the bidirectional
# overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
SHOWN = 80   # characters of the cell shown in the report (escaped)


def control_characters(text: str) -> list[str]:
    """The control characters in `text`, each as its escape (\\x1b, \\u202e), in order, once each."""
    return list(dict.fromkeys(terminal_text(m.group(0)[0]) for m in _CONTROL.finditer(text)))


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _problem(row, column, cell: str, found: list[str]) -> Problem:
    return error("control_characters", row, column, terminal_text(cell[:SHOWN]), characters=" ".join(found))


def sheet_problems(rows: list[tuple[int, list[str]]]) -> list[Problem]:
    """One error per cell that holds a control character (row number, column letter, the escaped cell)."""
    problems = []
    for number, cells in rows:
        for index, cell in enumerate(cells):
            if cell and _CONTROL.search(cell):
                problems.append(_problem(number, column_letter(index), cell, control_characters(cell)))
    return problems


def record_problems(row, record: dict[str, str]) -> list[Problem]:
    """The same for a form's fields (the column is the field's name)."""
    return [_problem(row, name, value, control_characters(value)) for name, value in record.items()
            if isinstance(value, str) and _CONTROL.search(value)]
