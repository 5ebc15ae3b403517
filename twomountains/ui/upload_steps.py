"""The upload page's outline and its confirmations: what a commit or a rollback will change, in words.

Pure functions on the checked plan and on an upload's revisions (twomountains.ingest decides
everything; these only count and name), so the confirmation names exactly what the button does.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from twomountains.ingest import kinds

STEPS = ("template", "upload", "preview", "commit", "history")


@dataclass(frozen=True)
class ChangeSummary:
    added: int          # values (rows, points) that are new
    changed: int        # values that replace another
    removed: int        # values that go away
    names: list[str]    # the indicators (or catalog rows, points) touched, in first-seen order


def named(codes, names: dict) -> list[str]:
    """Codes in first-seen order, named where a name is known."""
    seen = list(dict.fromkeys(str(c) for c in codes if c is not None and not pd.isna(c)))
    return [names.get(code, code) for code in seen]


def commit_summary(plan, names: dict) -> ChangeSummary:
    """What committing a checked plan writes: its counts and the indicators (or codes) it touches."""
    if hasattr(plan.changes, "touched_indicators"):     # an observation file's changes, read as columns
        touched = plan.changes.touched_indicators()
    else:
        touched = [getattr(c, "indicator_code", None) or getattr(c, "code", None) or getattr(c, "id", None)
                   for c in plan.changes if c.kind in ("insert", "update")]
    return ChangeSummary(added=int(plan.counts.get("insert", 0)), changed=int(plan.counts.get("update", 0)),
                         removed=int(plan.removed or 0), names=named(touched, names))


def rollback_summary(revisions: pd.DataFrame, names: dict) -> ChangeSummary:
    """What undoing an upload does, from its revisions: values it added go, values it changed or removed
    come back as they were."""
    if revisions.empty:
        return ChangeSummary(0, 0, 0, [])
    actions = revisions["action"]
    code_column = next((c for c in ("indicator_code", "code", "id", "point_id") if c in revisions.columns), None)
    return ChangeSummary(added=0, changed=int(actions.isin(["update", "delete"]).sum()),
                         removed=int((actions == "insert").sum()),
                         names=named(revisions[code_column], names) if code_column else [])


def rollback_text_key(kind: str) -> str:
    """The i18n key of the rollback's confirmation for an upload of `kind`: each kind names what it changed
    (values, reports, indicator definitions, points, plan items), declared in data/ingest/kinds.csv."""
    return kinds.kind(kind)["rollback_text"]


def short_list(names: list[str], lang: str, limit: int = 5) -> str:
    """'森林覆盖率、旅游综合收入等7项' / 'Forest coverage, Total tourism revenue and 5 more'."""
    separator = "、" if lang == "zh" else ", "
    shown = separator.join(names[:limit])
    rest = len(names) - limit
    if rest <= 0:
        return shown
    return f"{shown}等{len(names)}项" if lang == "zh" else f"{shown} and {rest} more"
