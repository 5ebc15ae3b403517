"""Observations as the files under data/observations/ hold them: reading and checking them for build-db."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from twomountains.periods import parse_period

EXCHANGE_COLUMNS = ["indicator_code", "region_code", "period", "value", "unit", "source", "quality", "note"]
QUALITIES = ("published", "demo", "reported")


class DataFileError(ValueError):
    """A reviewed data file under data/ that breaks the rules; names the file and row."""


def with_period_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add period_kind, year, quarter and month columns, and write the period in its canonical form."""
    periods = [parse_period(p) for p in frame["period"]]
    out = frame.copy()
    out["period"] = [str(p) for p in periods]
    out["period_kind"] = [p.kind for p in periods]
    out["year"] = [p.year for p in periods]
    out["quarter"] = pd.array([p.quarter for p in periods], dtype="Int64")
    out["month"] = pd.array([p.month for p in periods], dtype="Int64")
    return out


def _reject_demo_beside_published(combined: pd.DataFrame) -> None:
    """A period is either published or demo, never both: the demo generator must pass through published figures."""
    key = ["indicator_code", "region_code", "period"]
    published = combined[combined.quality == "published"][key]
    both = combined[combined.quality == "demo"].merge(published, on=key)
    if not both.empty:
        first = both.iloc[0]
        raise DataFileError(
            f"{len(both)} demo value(s) for a period with a published figure, first {first.indicator_code} "
            f"{first.region_code} {first.period}: regenerate the demo data (python -m twomountains make-demo)")


def read_observation_files(data_dir: Path, indicators: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """All observation files, checked against the catalog; published figures win over demo ones."""
    frames = []
    units = dict(zip(indicators["code"], indicators["unit"]))
    for path in sorted((Path(data_dir) / "observations").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if list(frame.columns) != EXCHANGE_COLUMNS:
            raise DataFileError(f"{path}: columns must be {EXCHANGE_COLUMNS}, found {list(frame.columns)}")
        for index, row in frame.iterrows():
            where = f"{path.name} row {index + 2}"
            if row.indicator_code not in units:
                raise DataFileError(f"{where}: unknown indicator {row.indicator_code!r}")
            if row.unit != units[row.indicator_code]:
                raise DataFileError(f"{where}: unit {row.unit!r}, the catalog says {units[row.indicator_code]!r}")
            if row.region_code not in set(regions["code"]):
                raise DataFileError(f"{where}: unknown region {row.region_code!r}")
            if row.quality not in QUALITIES or not row.source:
                raise DataFileError(f"{where}: every value needs a source and a quality in {QUALITIES}")
        frames.append(frame)
    combined = with_period_parts(pd.concat(frames, ignore_index=True))
    _reject_demo_beside_published(combined)
    combined["value"] = combined["value"].astype(float)
    combined["note"] = combined["note"].replace("", None)
    combined["_rank"] = combined["quality"].map({"published": 0, "reported": 1, "demo": 2})
    combined = (combined.sort_values("_rank")
                .drop_duplicates(["indicator_code", "region_code", "period"])
                .drop(columns=["_rank", "unit"]))
    return combined.sort_values(["indicator_code", "region_code", "period"]).reset_index(drop=True)
