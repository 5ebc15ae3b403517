"""The plan files under data/catalog/: schemas (pandera) and reading them with their cross-references."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from twomountains import metadata, table_checks
from twomountains.paths import DATA_DIR

CODE = metadata.CODE


class PlanDataError(ValueError):
    """A plan file names a plan, indicator, unit or group that does not exist."""


_text = metadata._text   # the same text column as every metadata schema


# A plan's record and targets: their columns and checks as data/ingest/field_checks.csv declares them (kind
# plan); here only the columns a workbook does not give (a plan's place in the list, which one is the default,
# the plan a target belongs to).
_RECORD = table_checks.plan_columns("record")
_PLAN_COLUMNS = {name: _RECORD.column(name) for name in _RECORD.specs}
_PLAN_COLUMNS = {"code": _PLAN_COLUMNS.pop("code"), "order": pa.Column(int), **_PLAN_COLUMNS,
                 "is_default": pa.Column(bool)}
PLAN_RECORD = pa.DataFrameSchema(_PLAN_COLUMNS, checks=_RECORD.frame_checks, strict=True, coerce=True)  # one plan's record
PLANS = pa.DataFrameSchema(_PLAN_COLUMNS, checks=[
    *_RECORD.frame_checks, pa.Check(lambda df: df["is_default"].sum() == 1, error="exactly one plan is the default"),
], strict=True, coerce=True)

_TARGETS = table_checks.plan_columns("target")
PLAN_TARGETS = pa.DataFrameSchema({
    "plan_code": _text(checks=pa.Check.str_matches(CODE)),
    **{name: _TARGETS.column(name) for name in _TARGETS.specs},
}, checks=_TARGETS.frame_checks, unique=["plan_code", "indicator_code"], strict=True, coerce=True)

PLAN_INDICATOR_COLUMNS = ["code", "name_zh", "name_en", "unit", "goal_group", "category", "direction",
                          "aggregation", "lead_units", "definition_zh", "definition_en"]


def plan_indicator_schema(units, groups, categories, departments) -> pa.DataFrameSchema:
    """Indicators only later plans track: the catalog's definition columns and their checks, no base target."""
    catalog = metadata._indicator_schema(units, groups, categories, departments)
    return pa.DataFrameSchema({name: catalog.columns[name] for name in PLAN_INDICATOR_COLUMNS},
                              strict=True, coerce=True)


@dataclass(frozen=True)
class PlanFiles:
    plans: pd.DataFrame        # plans.csv, in order
    indicators: pd.DataFrame   # plan_indicators.csv
    targets: pd.DataFrame      # plan_targets.csv


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def validate_plans(frame: pd.DataFrame, schema: pa.DataFrameSchema = PLANS) -> pd.DataFrame:
    """Every plan (PLANS: exactly one default), or one plan's record (PLAN_RECORD)."""
    frame = frame.copy()
    for column in ("has_tasks", "is_default"):
        if not pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "是"))
    return schema.validate(frame, lazy=True).sort_values("order").reset_index(drop=True)


def validate_plan_indicators(frame: pd.DataFrame, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    schema = plan_indicator_schema(
        units=metadata.load_table("units", data_dir).code,
        groups=metadata.load_table("goal_groups", data_dir).code,
        categories=metadata.load_table("categories", data_dir).code,
        departments=metadata.load_table("departments", data_dir).code,
    )
    return schema.validate(frame, lazy=True)


def check_references(plans: pd.DataFrame, targets: pd.DataFrame, indicator_codes, group_codes) -> None:
    """Every target names a known plan (not the base plan, whose targets are in indicators.csv), indicator, group."""
    base = set(plans.code[plans.is_default])
    problems = []
    for row in targets.itertuples():
        where = f"plan_targets.csv {row.plan_code}/{row.indicator_code}"
        if row.plan_code not in set(plans.code):
            problems.append(f"{where}: unknown plan {row.plan_code!r}")
        elif row.plan_code in base:
            problems.append(f"{where}: the base plan's targets are the columns of indicators.csv")
        if row.indicator_code not in set(indicator_codes):
            problems.append(f"{where}: unknown indicator {row.indicator_code!r}")
        if row.goal_group not in set(group_codes):
            problems.append(f"{where}: unknown goal group {row.goal_group!r}")
    if problems:
        raise PlanDataError("; ".join(problems))


def load(data_dir: Path = DATA_DIR) -> PlanFiles:
    """The three plan files, each checked against its schema and the others."""
    data_dir = Path(data_dir)
    plans = validate_plans(_read(data_dir / "catalog/plans.csv"))
    indicators = validate_plan_indicators(_read(data_dir / "catalog/plan_indicators.csv"), data_dir)
    targets = PLAN_TARGETS.validate(_read(data_dir / "catalog/plan_targets.csv"), lazy=True)
    base_codes = metadata.load_table("indicators", data_dir).code
    clash = set(indicators.code) & set(base_codes)
    if clash:
        raise PlanDataError(f"plan_indicators.csv repeats indicators of indicators.csv: {sorted(clash)}")
    check_references(plans, targets, set(base_codes) | set(indicators.code),
                     metadata.load_table("goal_groups", data_dir).code)
    return PlanFiles(plans, indicators, targets)


def every_indicator(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """indicators.csv and plan_indicators.csv together: every code an observation file may name."""
    return pd.concat([metadata.load_table("indicators", data_dir), load(data_dir).indicators], ignore_index=True)
