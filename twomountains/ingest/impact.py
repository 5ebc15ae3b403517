"""The affected goals' statuses before and after an upload, computed by the scorecard itself.

The annual values after the upload come from the same query the dashboard uses (queries/annual_values.sql),
run on an in-memory copy of the affected indicators' district observations with the changes applied.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from twomountains import scorecard
from twomountains.database import read_sql
from twomountains.ingest.changes import UNCHANGED, Change
from twomountains.observations import with_period_parts


@dataclass(frozen=True)
class StatusChange:
    code: str
    as_of: int
    before: str
    after: str
    before_value: float | None
    after_value: float | None
    before_period: str | None
    after_period: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def annual_after(con, catalog: pd.DataFrame, annual_before: pd.DataFrame, changes: list[Change]) -> pd.DataFrame:
    """The district's annual values with the changes applied."""
    written = [c for c in changes if c.kind != UNCHANGED and c.region_code == scorecard.DISTRICT]
    affected = sorted({c.indicator_code for c in written})
    if not affected:
        return annual_before
    stored = con.execute(read_sql("upload_existing_observations"), {"indicators": affected}).df()
    stored = stored[stored.region_code == scorecard.DISTRICT]
    replaced = {c.key for c in written}
    replaced_mask = pd.Series([k in replaced for k in zip(stored.indicator_code, stored.region_code, stored.period)],
                              index=stored.index, dtype=bool)
    keep = stored[~replaced_mask]
    new = pd.DataFrame([{"indicator_code": c.indicator_code, "region_code": c.region_code, "period": c.period,
                         **c.new} for c in written])
    new = with_period_parts(new)
    columns = ["indicator_code", "region_code", "period", "period_kind", "year", "quarter", "month",
               "value", "source", "quality", "note"]
    observations = pd.concat([keep[columns], new[columns]], ignore_index=True)
    observations["value"] = observations["value"].astype(float)
    memory = duckdb.connect(":memory:")
    try:
        memory.register("observations", observations)
        memory.register("indicators", catalog[["code", "aggregation"]])
        recomputed = memory.execute(read_sql("annual_values"), {"region": scorecard.DISTRICT}).df()
    finally:
        memory.close()
    others = annual_before[~annual_before.indicator_code.isin(affected)]
    return pd.concat([others, recomputed], ignore_index=True).sort_values(["indicator_code", "year"])


def compare(catalog_before: pd.DataFrame, catalog_after: pd.DataFrame, annual_before: pd.DataFrame,
            annual_after_: pd.DataFrame, codes: list[str]) -> list[StatusChange]:
    """Statuses of `codes` as of the latest year with data, before and after."""
    if not codes:
        return []
    as_of = max(scorecard.default_as_of(annual_before), scorecard.default_as_of(annual_after_))
    before = {g.code: g for g in scorecard.compute(catalog_before[catalog_before.code.isin(codes)], annual_before, as_of)}
    after = {g.code: g for g in scorecard.compute(catalog_after[catalog_after.code.isin(codes)], annual_after_, as_of)}
    out = []
    for code in codes:
        b, a = before.get(code), after.get(code)
        out.append(StatusChange(code, as_of, b.status if b else "no_data", a.status if a else "no_data",
                                b.latest_value if b else None, a.latest_value if a else None,
                                b.latest_period if b else None, a.latest_period if a else None))
    return out


def observation_impact(con, changes: list[Change]) -> list[StatusChange]:
    """Statuses of the goals whose district values an observation upload changes."""
    codes = sorted({c.indicator_code for c in changes if c.kind != UNCHANGED and c.region_code == scorecard.DISTRICT})
    if not codes:
        return []
    catalog = con.execute(read_sql("indicator_catalog")).df()
    before = con.execute(read_sql("annual_values"), {"region": scorecard.DISTRICT}).df()
    after = annual_after(con, catalog, before, changes)
    return compare(catalog, catalog, before, after, codes)
