"""A checked file as the reader sees it: the validation report, the preview tables, the JSON of the CLI."""
from __future__ import annotations

import pandas as pd

from twomountains.i18n import t
from twomountains.ingest import problems as p
from twomountains.ingest.changes import INSERT, UNCHANGED, UPDATE
from twomountains.ingest.diff import Changes
from twomountains.ingest.pipeline import Plan

REPORT_COLUMNS = ("severity", "row", "column", "value", "message")


def problems_frame(problems: list[p.Problem], lang: str) -> pd.DataFrame:
    """Errors first, then warnings, each in file order; the report downloadable as a file."""
    ordered = sorted(problems, key=lambda x: (not x.is_error, x.row if x.row is not None else -1))
    rows = [{"severity": t(f"upload.severity.{x.severity}", lang), "row": "" if x.row is None else str(x.row),
             "column": x.column or "", "value": x.value if x.value is not None else "",
             "message": p.message(x, lang)} for x in ordered]
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


def report_for_download(problems: list[p.Problem], lang: str) -> pd.DataFrame:
    table = problems_frame(problems, lang)
    return table.rename(columns={c: t(f"upload.report.col.{c}", lang) for c in table.columns})


def _number(value) -> float | None:
    return None if value is None else float(value)


def changes_frame(plan: Plan, catalog: pd.DataFrame, regions: pd.DataFrame, lang: str,
                  kinds=(INSERT, UPDATE, UNCHANGED)) -> pd.DataFrame:
    """One row per value of the file: what it is now and what it will be."""
    names = dict(zip(catalog.code, catalog[f"name_{lang}"]))
    region_names = dict(zip(regions.code, regions[f"name_{lang}"]))
    if plan.kind == "points":
        return points_frame(plan, region_names, lang, kinds)
    if plan.kind == "catalog":
        rows = [{"change": t(f"upload.change.{c.kind}", lang), "code": c.code,
                 "name": c.new.get(f"name_{lang}"), "fields": ", ".join(c.fields) if c.kind == UPDATE else "",
                 "old": "; ".join(f"{f}={c.old[f]}" for f in c.fields) if c.old and c.kind == UPDATE else "",
                 "new": "; ".join(f"{f}={c.new[f]}" for f in c.fields) if c.kind == UPDATE else "",
                 "row": c.row}
                for c in plan.changes if c.kind in kinds]
        return pd.DataFrame(rows, columns=["change", "code", "name", "fields", "old", "new", "row"])
    if isinstance(plan.changes, Changes):
        return _observation_changes_frame(plan.changes.frame, names, region_names, lang, kinds)
    rows = []
    for c in plan.changes:
        if c.kind not in kinds:
            continue
        rows.append({"change": t(f"upload.change.{c.kind}", lang), "indicator": names.get(c.indicator_code, c.indicator_code),
                     "region": region_names.get(c.region_code, c.region_code), "period": c.period,
                     "old": _number(c.old["value"]) if c.old else None, "new": _number(c.new["value"]),
                     "quality": t(f"quality.{c.new['quality']}", lang), "source": c.new["source"] or "",
                     "row": c.row})
    return pd.DataFrame(rows, columns=["change", "indicator", "region", "period", "old", "new", "quality",
                                       "source", "row"])


def _observation_changes_frame(frame: pd.DataFrame, names: dict, region_names: dict, lang: str,
                               kinds) -> pd.DataFrame:
    """The same table for a columnar plan, column by column (a file may hold 200,000 values)."""
    chosen = frame[frame["kind"].isin(list(kinds))]
    # diff.Changes holds its texts as Categoricals: shown as plain texts (None as missing)
    chosen = chosen.astype({c: object for c in ("kind", "indicator_code", "region_code", "period", "new_quality",
                                                "new_source")})
    qualities = {q: t(f"quality.{q}", lang) for q in chosen["new_quality"].dropna().unique()}
    return pd.DataFrame({
        "change": chosen["kind"].map({k: t(f"upload.change.{k}", lang) for k in (INSERT, UPDATE, UNCHANGED)}),
        "indicator": chosen["indicator_code"].map(names).fillna(chosen["indicator_code"]).astype(object),
        "region": chosen["region_code"].map(region_names).fillna(chosen["region_code"]).astype(object),
        "period": chosen["period"],
        "old": chosen["old_value"].where(chosen["has_old"], None).astype(float),
        "new": chosen["new_value"].astype(float),
        "quality": chosen["new_quality"].map(qualities),
        "source": chosen["new_source"].fillna(""),
        "row": chosen["row"],
    }, columns=["change", "indicator", "region", "period", "old", "new", "quality", "source", "row"]).reset_index(
        drop=True)


POINT_PREVIEW_COLUMNS = ["change", "point_id", "name", "township", "type", "year", "lat", "lon", "fields", "old",
                         "new", "row"]


def _point_value(record: dict, field: str, lang: str) -> str:
    value = record.get(field)
    if value is None:
        return ""
    if field == "type":
        return t(f"map.type.{value}", lang)
    if field == "coord_quality":
        return t(f"map.coord.{value}", lang)
    if field == "quality":
        return t(f"quality.{value}", lang)
    return f"{value:g}" if isinstance(value, float) else str(value)


def points_frame(plan: Plan, region_names: dict, lang: str, kinds=(INSERT, UPDATE, UNCHANGED, "delete")) -> pd.DataFrame:
    """One row per point of the list: added, changed (field: old → new), unchanged, or removed."""
    rows = []
    for c in plan.changes:
        if c.kind not in kinds:
            continue
        shown = c.new if c.new is not None else c.old
        changed = c.fields if c.kind == UPDATE else ()
        rows.append({"change": t(f"upload.change.{c.kind}", lang), "point_id": c.id, "name": shown[f"name_{lang}"],
                     "township": region_names.get(shown["township_code"], shown["township_code"]),
                     "type": t(f"map.type.{shown['type']}", lang), "year": int(shown["year_designated"]),
                     "lat": float(shown["lat"]), "lon": float(shown["lon"]),
                     "fields": t("upload.list_separator", lang).join(t(f"upload.point_field.{f}", lang)
                                                                     for f in changed),
                     "old": "; ".join(_point_value(c.old, f, lang) for f in changed),
                     "new": "; ".join(_point_value(c.new, f, lang) for f in changed),
                     "row": c.row})
    return pd.DataFrame(rows, columns=POINT_PREVIEW_COLUMNS).astype({"row": "Int64"})


def statuses_frame(plan: Plan, catalog: pd.DataFrame, statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = dict(zip(catalog.code, catalog[f"name_{lang}"]))
    rows = [{"indicator": names.get(s.code, s.code), "as_of": s.as_of,
             "before": statuses.loc[s.before, f"name_{lang}"], "after": statuses.loc[s.after, f"name_{lang}"],
             "changed": t("upload.status_changed" if s.changed else "upload.status_same", lang)}
            for s in plan.statuses]
    return pd.DataFrame(rows, columns=["indicator", "as_of", "before", "after", "changed"])


def as_json(plan: Plan, lang: str, upload_id: int | None = None, dry_run: bool = False) -> dict:
    """The one object `ingest --json` prints."""
    counts = plan.counts
    return {
        "file": plan.file_name,
        "sha256": plan.sha256,
        "encoding": plan.encoding,
        "layout": plan.layout,
        "kind": plan.kind,
        "rows": plan.rows,
        "inserted": counts[INSERT],
        "updated": counts[UPDATE],
        "unchanged": counts[UNCHANGED],
        "removed": plan.removed,
        "skipped": plan.skipped,
        "accepted": plan.accepted,
        "dry_run": dry_run,
        "warnings": [p.as_dict(x, lang) for x in plan.warnings],
        "errors": [p.as_dict(x, lang) for x in plan.errors],
        "upload_id": upload_id,
    }


def history_frame(uploads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The upload history with kinds and states in the reader's language."""
    columns = ["id", "kind", "user_name", "created_at", "file_name", "rows", "inserted", "updated", "unchanged",
               "state", "sha256"]
    if uploads.empty:
        return pd.DataFrame(columns=columns)
    out = uploads.copy()

    def state(row) -> str:
        if row["kind"] == "rollback":
            return t("upload.history.state.rollback_of", lang, of=int(row["rolls_back"]))
        if not pd.isna(row["rolled_back_by"]):
            return t("upload.history.state.rolled_back", lang, by=int(row["rolled_back_by"]))
        return t("upload.history.state.active", lang)

    out["state"] = [state(row) for row in out.to_dict("records")]
    out["kind"] = out["kind"].map(lambda k: t(f"upload.history.kind.{k}", lang))
    return out[columns]


def revisions_frame(revisions: pd.DataFrame, lang: str, catalog: pd.DataFrame | None = None,
                    regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One upload's changes, value by value (or catalog row by row), named in the reader's language."""
    if revisions.empty:
        return revisions
    out = revisions.copy()
    out["action"] = out["action"].map(lambda a: t(f"upload.rev.action.{a}", lang))
    if catalog is not None and "indicator_code" in out.columns:
        names = dict(zip(catalog.code, catalog[f"name_{lang}"]))
        out["indicator"] = out.indicator_code.map(lambda c: names.get(c, c))
    if regions is not None and "region_code" in out.columns:
        names = dict(zip(regions.code, regions[f"name_{lang}"]))
        out["region"] = out.region_code.map(lambda c: names.get(c, c))
    keep = [c for c in ("indicator", "indicator_code", "region", "period", "code", "point_id", "item", "key",
                        "task_code", "unit_code", "month",
                        "action", "old_value",
                        "new_value", "old_record", "new_record") if c in out.columns]
    return out[keep]


def rollback_candidates(uploads: pd.DataFrame) -> list[int]:
    """Uploads that are in effect (not rollbacks, not rolled back), newest first."""
    if uploads.empty:
        return []
    live = uploads[(uploads.kind != "rollback") & uploads.rolled_back_by.isna()]
    return [int(i) for i in live.id]


def listed(params: dict, lang: str) -> dict:
    """Message parameters with lists joined the way the language joins them."""
    return {k: t("upload.list_separator", lang).join(map(str, v)) if isinstance(v, list) else v
            for k, v in params.items()}
