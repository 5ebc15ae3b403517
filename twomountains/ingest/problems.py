"""A problem found in an upload: where (row, column), what (value) and what to do (the message)."""
from __future__ import annotations

from dataclasses import dataclass, field

from twomountains.i18n import t

SHOWN_CHARACTERS = 200      # of a cell's text, or of a list of names, in a report
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str               # error blocks the upload; warning does not
    code: str                   # the message is upload.problem.<code> in data/i18n/<lang>/upload.yaml
    row: int | None = None      # the row number as the spreadsheet shows it (header is usually row 1)
    column: str | None = None   # the column header as written in the file
    value: str | None = None    # the cell's text as written in the file
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        # A report names the cell, it does not copy it: a hostile file's 100,000-character cell (or header
        # list) would otherwise be repeated in every message and in the JSON.
        if isinstance(self.value, str) and len(self.value) > SHOWN_CHARACTERS:
            object.__setattr__(self, "value", self.value[:SHOWN_CHARACTERS] + "…")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class HasProblems:
    """For results that carry `problems`: the errors (any blocks a write) and the warnings."""
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [x for x in self.problems if x.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [x for x in self.problems if not x.is_error]


def error(code: str, row=None, column=None, value=None, **params) -> Problem:
    return Problem(ERROR, code, row, column, value, params)


def warning(code: str, row=None, column=None, value=None, **params) -> Problem:
    return Problem(WARNING, code, row, column, value, params)


def _param_text(name: str, value, lang: str):
    """Lists of field names are shown in the reader's language; bilingual pairs pick their language."""
    if name.endswith("_fields"):
        return t("upload.list_separator", lang).join(t(f"upload.field.{f}", lang) for f in value) or "—"
    if isinstance(value, (list, tuple)):
        text = t("upload.list_separator", lang).join(str(v) for v in value) or "—"
        return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"
    if isinstance(value, dict) and set(value) == {"zh", "en"}:
        return value[lang]
    if isinstance(value, float):
        return f"{value:,.6g}"
    return value


def message(problem: Problem, lang: str) -> str:
    params = {name: _param_text(name, value, lang) for name, value in problem.params.items()}
    return t(f"upload.problem.{problem.code}", lang, **params)


def as_dict(problem: Problem, lang: str) -> dict:
    """The shape of the command line's JSON: row, column, value, message (and the code, for tools)."""
    return {"row": problem.row, "column": problem.column, "value": problem.value,
            "message": message(problem, lang), "code": problem.code}
