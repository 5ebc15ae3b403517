"""The catalog's and a plan workbook's checks of their cells, as data: data/ingest/field_checks.csv (kinds
catalog and plan), like every other kind's.

These two kinds are checked as tables (pandera schemas: the same schemas check data/catalog/indicators.csv,
plans.csv and plan_targets.csv in the repository and an uploaded catalog or plan workbook). Each declared
row adds to one column of the schema: its type and whether it may be blank (`text`, `integer`, `number`,
`flag`, with `required`), `unique`, a `pattern`, a word `one_of` a list, a code of a metadata table
(`in_table`, `codes_in_table`), a `range`, a `direction`; or a check across columns (`after`, `not_before`,
`required_unless`). The schema's column order is the kind's fields' (data/ingest/kind_fields.csv), so
pandera finds a file's problems in the order it always did and the messages (the check's own text) stay
the same. tests/test_ingest_field_checks.py checks the declarations against these registries.
"""
from __future__ import annotations

from pathlib import Path

import pandera.pandas as pa

from twomountains.ingest import field_checks, kinds
from twomountains.paths import DATA_DIR

CATALOG = field_checks.Registry("catalog")
PLAN = field_checks.Registry("plan")
CHECKS = {"catalog": CATALOG, "plan": PLAN}      # field_checks.registry: this module's registry per kind


class Columns:
    """A table schema being built from the declarations: per field its type, blank allowed, unique and checks;
    and the checks across columns. `tables`: the codes of the metadata tables a cell may name (units, ...)."""

    def __init__(self, tables: dict[str, list]):
        self.tables = tables
        self.specs: dict[str, dict] = {}
        self.frame_checks: list[pa.Check] = []

    def spec(self, name: str) -> dict:
        return self.specs.setdefault(name, {"dtype": str, "nullable": True, "unique": False, "checks": []})

    def column(self, name: str) -> pa.Column:
        spec = self.specs[name]
        return pa.Column(spec["dtype"], nullable=spec["nullable"], unique=spec["unique"],
                         checks=spec["checks"] or None)


def _checks(*names: str, **registration):
    """Register one function in the registries of the kinds named."""
    def register(function):
        for kind in names:
            CHECKS[kind](function.__name__.strip("_"), **registration)(function)
        return function
    return register


# The checks that give a column its type (and say whether a cell may be blank), by the name the data uses.
TYPES = {"text": str, "integer": int, "number": float, "flag": bool}


def _typed(dtype):
    def typed(columns: Columns, name: str, required: bool) -> None:
        spec = columns.spec(name)
        spec["dtype"], spec["nullable"] = dtype, not required
    return typed


for _type, _dtype in TYPES.items():
    for _kind in ("catalog", "plan"):
        CHECKS[_kind](_type)(_typed(_dtype))


@_checks("catalog", "plan")
def _unique(columns: Columns, name: str) -> None:
    columns.spec(name)["unique"] = True


@_checks("catalog", "plan")
def _pattern(columns: Columns, name: str, pattern: str) -> None:
    columns.spec(name)["checks"].append(pa.Check.str_matches(pattern))


@_checks("catalog", "plan")
def _one_of(columns: Columns, name: str, values: list[str]) -> None:
    columns.spec(name)["checks"].append(pa.Check.isin(tuple(values)))


@_checks("catalog", "plan")
def _direction(columns: Columns, name: str) -> None:
    """1: more is better, -1: less is better."""
    columns.spec(name)["checks"].append(pa.Check.isin([1, -1]))


@_checks("catalog", "plan")
def _range(columns: Columns, name: str, low, high) -> None:
    columns.spec(name)["checks"].append(pa.Check.in_range(low, high))


@_checks("catalog")
def _in_table(columns: Columns, name: str, table: str) -> None:
    """A code of a metadata table (units, goal_groups, categories)."""
    columns.spec(name)["checks"].append(pa.Check.isin(list(columns.tables[table])))


@_checks("catalog")
def _codes_in_table(columns: Columns, name: str, table: str, separator: str, error: str) -> None:
    """Codes of a metadata table, `separator`-separated (a goal's lead units)."""
    known = set(columns.tables[table])

    def known_departments(cell: str) -> bool:     # the function's name is part of the check's text
        return all(code in known for code in cell.split(separator))

    columns.spec(name)["checks"].append(pa.Check(known_departments, element_wise=True, error=error))


@_checks("catalog", "plan", needs=("integer",))
def _after(columns: Columns, name: str, field: str) -> None:
    """A year later than another (the target year than the base year)."""
    columns.frame_checks.append(pa.Check(lambda df: df[name] > df[field], error=f"{name} must follow {field}"))


@_checks("plan", needs=("integer",))
def _not_before(columns: Columns, name: str, field: str) -> None:
    columns.frame_checks.append(pa.Check(lambda df: df[name] >= df[field], error=f"{name} must not precede {field}"))


@_checks("catalog", needs=("text", "number"))
def _required_unless(columns: Columns, name: str, field: str, value: str) -> None:
    """Blank allowed only where another field has one value (a context series has no target value)."""
    columns.frame_checks.append(pa.Check(lambda df: df[name].notna() | (df[field] == value),
                                         error=f"every {field.replace('_', ' ')} but {value} needs a {name}"))


def build(kind: str, fields, tables: dict | None = None, data_dir: Path = DATA_DIR) -> Columns:
    """The declared checks of `fields` (in their order) of a kind, as schema columns and checks across them."""
    columns = Columns(tables or {})
    fields = list(fields)
    for name in fields:
        columns.spec(name)
    for declared, function in CHECKS[kind].plan(data_dir):
        if declared.field in fields:
            function(columns, declared.field, **declared.arguments)
    return columns


def catalog_schema(units, groups, categories, departments) -> pa.DataFrameSchema:
    """The schema of the catalog (data/catalog/indicators.csv and an uploaded catalog)."""
    columns = build("catalog", kinds.fields("catalog"), {
        "units": units, "goal_groups": groups, "categories": categories, "departments": departments})
    return pa.DataFrameSchema({name: columns.column(name) for name in columns.specs},
                              checks=columns.frame_checks, strict=True, coerce=True)


def plan_columns(part: str) -> Columns:
    """The declared checks of a plan workbook's record or targets (data/ingest/kind_fields.csv's parts)."""
    return build("plan", kinds.fields("plan", part))
