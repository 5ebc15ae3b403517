"""Each kind's checks of its cells, as data: data/ingest/field_checks.csv.

A row of the file names a kind, one of its fields (data/ingest/kind_fields.csv), a check and the check's
parameters (a JSON object: a limit, a range, a pattern, a default); within a kind the rows are in the
order the checks run on a row of the file, which is the order a row's problems are reported in. A check
is a small function the kind's module registers by name in its `Registry` (the module is kinds.csv's
`checks` column; its registry is the module's `CHECKS`), so the messages stay the kind's own while what
is checked, with which limits and in which order, is data. The parameter `absent` says what a field's
value is when the file has no column for it (the check then does not run); without it the check runs
anyway (e.g. a check that reads a second column instead).

The catalog and plan workbooks are checked as tables: their rows here build the columns of the pandera
schemas (twomountains/table_checks.py) that check both the repository's files and an uploaded one.
This vocabulary module imports no stage; tests/test_ingest_field_checks.py checks the file against the
registries.
"""
from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from twomountains import metadata
from twomountains.ingest import kinds
from twomountains.paths import DATA_DIR

_NOT_GIVEN = object()


@dataclass(frozen=True)
class FieldCheck:
    kind: str
    field: str
    check: str
    parameters: dict = field(hash=False, compare=True)

    @property
    def arguments(self) -> dict:
        """The parameters the check function takes (all but `absent`)."""
        return {k: v for k, v in self.parameters.items() if k != "absent"}

    @property
    def when_absent(self):
        """The field's value when the file has no column for it, or _NOT_GIVEN: the check runs anyway."""
        return self.parameters.get("absent", _NOT_GIVEN)

    def skipped(self, given_fields) -> bool:
        return self.when_absent is not _NOT_GIVEN and self.field not in given_fields


@lru_cache(maxsize=None)
def _declared(kind: str, data_dir: Path) -> tuple[FieldCheck, ...]:
    table = metadata.load_table("ingest_field_checks", data_dir)
    table = table[table.kind == kind]
    return tuple(FieldCheck(kind, f, c, json.loads(params))
                 for f, c, params in zip(table.field, table.check, table.parameters))


def declared(kind: str, check: str | None = None, data_dir: Path = DATA_DIR) -> tuple[FieldCheck, ...]:
    """A kind's checks in the order they run (only those of one check function, if given)."""
    found = _declared(kind, Path(data_dir))
    return found if check is None else tuple(c for c in found if c.check == check)


def parameter(kind: str, field_name: str, check: str, name: str, data_dir: Path = DATA_DIR):
    """One parameter of one declared check (e.g. the length limit a page's text box shows)."""
    for found in declared(kind, check, data_dir):
        if found.field == field_name:
            return found.parameters[name]
    raise KeyError((kind, field_name, check, name))


class Registry:
    """A kind's check functions by name; the data chooses which run on which field, with what parameters.

    A function may read what other checks found: `needs` names them, and a declaration that runs it before
    any of them is refused; a `last` function reads which rows every other check rejected, and a declaration
    that runs another check after it is refused (`plan`)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.functions: dict[str, Callable] = {}
        self.needs: dict[str, tuple[str, ...]] = {}
        self.last: set[str] = set()

    def __call__(self, name: str, needs: tuple[str, ...] = (), last: bool = False) -> Callable[[Callable], Callable]:
        def register(function: Callable) -> Callable:
            if name in self.functions:
                raise ValueError(f"check {name!r} of {self.kind} registered twice")
            self.functions[name] = function
            self.needs[name] = tuple(needs)
            if last:
                self.last.add(name)
            return function
        return register

    def plan(self, data_dir: Path = DATA_DIR) -> tuple[tuple[FieldCheck, Callable], ...]:
        """The declared checks with their functions, in order; a name nobody registered, or a check declared
        before one it needs (or after a `last` one it is not itself), is an error here."""
        out, before = [], set()
        for found in declared(self.kind, data_dir=data_dir):
            where = f"data/ingest/field_checks.csv: {self.kind}"
            if found.check not in self.functions:
                raise KeyError(f"{where} has no check {found.check!r} (registered: {sorted(self.functions)})")
            missing = [need for need in self.needs[found.check] if need not in before]
            if missing:
                raise ValueError(f"{where} runs {found.check!r} on {found.field} before {missing}, which it needs")
            if found.check not in self.last and before & self.last:
                raise ValueError(f"{where} runs {found.check!r} on {found.field} after {sorted(before & self.last)}, "
                                 f"which must run after every other check")
            before.add(found.check)
            out.append((found, self.functions[found.check]))
        return tuple(out)


def registry(kind: str, data_dir: Path = DATA_DIR) -> Registry | None:
    """The registry of the module kinds.csv names for the kind: its `CHECKS`, or CHECKS[kind] where the module
    registers the checks of several kinds (twomountains/table_checks.py: the catalog and plan workbooks)."""
    module = kinds.kind(kind, data_dir).get("checks")
    if not isinstance(module, str) or not module:
        return None
    found = importlib.import_module(module).CHECKS
    return found[kind] if isinstance(found, dict) else found
