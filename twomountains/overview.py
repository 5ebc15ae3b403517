"""The overview's logic: what needs attention, search, the compact goal table and each card's text (the
headline counts are scorecard.headline, shared with the forum).

Pure functions (no Streamlit): pages/overview.py lays out what they return. Text from the catalog
and the database is escaped here (text.markdown_text) wherever it goes into Markdown.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pandas as pd

from twomountains.explain import lead_units_text
from twomountains.formatting import target_text, value_with_unit
from twomountains.i18n import t
from twomountains.scorecard import bucket_of
from twomountains.sources import value_qualifier
from twomountains.text import markdown_text
from twomountains.verdicts import shown_value_quality, shown_value_source, verdict_text

# Badge colours of an observation's quality (st.markdown's :color-badge[...]): demo stands out.
QUALITY_BADGES = {"published": "green", "reported": "blue", "demo": "orange", "mixed": "orange"}


def needing_attention(goals: dict, statuses: pd.DataFrame) -> list[str]:
    """Missed goals, then lagging ones (worst status first), in catalog order within a status."""
    order = statuses["order"].to_dict()
    flagged = [code for code, goal in goals.items()
               if goal.is_goal and bucket_of(goal.status) in ("missed", "lagging")]
    return sorted(flagged, key=lambda code: (goals[code].status != "missed", -order[goals[code].status]))


def search(catalog: pd.DataFrame, query: str, departments: pd.DataFrame) -> set[str]:
    """Codes of goals whose name (either language), code, group or lead unit contains the query.

    catalog: the indicator catalog indexed by code; departments: departments.csv indexed by code.
    Case and surrounding spaces are ignored; several words must all match."""
    words = [w for w in query.casefold().split() if w]
    if not words:
        return set(catalog.index)
    found = set()
    for code, row in catalog.iterrows():
        units = [str(departments.loc[u, name]) for u in str(row.lead_units).split(";") if u in departments.index
                 for name in ("name_zh", "name_en")]
        haystack = " ".join([code, str(row.name_zh), str(row.name_en), str(row.group_zh), str(row.group_en),
                             *units]).casefold()
        if all(word in haystack for word in words):
            found.add(code)
    return found


def goal_table(catalog: pd.DataFrame, goals: dict, statuses: pd.DataFrame, departments: pd.DataFrame,
               lang: str) -> pd.DataFrame:
    """One row per goal for the compact table view, worst status first (see severity), catalog order within.

    Columns: code, name, status (its name), status_order, group, lead_units, latest, period, target."""
    rows = []
    for code, goal in goals.items():
        indicator = catalog.loc[code]
        unit = indicator.to_dict()
        rows.append({
            "code": code,
            "name": indicator[f"name_{lang}"],
            "status": statuses.loc[goal.status, f"name_{lang}"],
            "status_order": severity(goal.status, statuses),
            "group": indicator[f"group_{lang}"],
            "lead_units": lead_units_text(indicator.lead_units, departments, lang, short=True),
            "latest": value_with_unit(goal.latest_value, unit, lang),
            "period": period_label(goal.latest_period, lang),
            "target": target_text(indicator.target_type, goal.target, indicator.direction, unit, lang),
        })
    frame = pd.DataFrame(rows, columns=["code", "name", "status", "status_order", "group", "lead_units", "latest",
                                        "period", "target"])
    return frame.sort_values("status_order", kind="stable").reset_index(drop=True)


def severity(status: str, statuses: pd.DataFrame) -> int:
    """0 for the worst status: missed, the other lagging ones, then no data / in progress, on track, achieved."""
    order = int(statuses.loc[status, "order"])
    rank = 0 if bool(statuses.loc[status, "is_lagging"]) else 2 if status in ("achieved", "on_track") else 1
    return rank * 100 - order


def period_label(period: str | None, lang: str) -> str:
    """'2025年' / '2025', '2025年第3季度' / '2025 Q3', or the value.missing dash."""
    if not period:
        return t("value.missing", lang)
    text = str(period)
    if len(text) == 4 and text.isdigit():
        return t("period.year", lang, year=text)
    if len(text) == 6 and text[4] == "Q":
        return t("period.quarter", lang, year=text[:4], quarter=text[5])
    return text


def quality_badge(quality: str | None, lang: str) -> str:
    """An observation's quality (published, reported, demo) as a Markdown badge, '' without one."""
    if not quality:
        return ""
    return f":{QUALITY_BADGES.get(quality, 'gray')}-badge[{t(f'quality.{quality}', lang)}]"


def common_source(goals: dict) -> str | None:
    """The source most of the goals' latest values share (said once above the cards), or None."""
    counted = Counter(goal.latest_source for goal in goals.values() if goal.latest_source)
    if not counted:
        return None
    source, count = counted.most_common(1)[0]
    return source if count > 1 else None


def card_markdown(indicator: pd.Series, goal, lang: str, status_badge: str, source_label: Callable[[str], str],
                  shared_source: str | None, statuses: pd.DataFrame) -> str:
    """A goal card's text as one Markdown element: name, status, the latest value with its year and quality
    badge next to the verdict with the year it is about ("116 (2025) · 2022: 94, missed · met in 2023",
    verdicts.verdict_text), why a published value is uncertain, the target, and the value's source unless
    it is the one said above the cards.

    One element: the overview draws every goal's card, and the browser's time to draw them grows with their
    elements (docs/scaling.md)."""
    unit = indicator.to_dict()
    wording = verdict_text(goal, unit, statuses, lang)
    quality, note = shown_value_quality(goal)
    lines = [f"**{markdown_text(indicator[f'name_{lang}'])}**", status_badge,
             f"{t('overview.latest', lang)}: **{markdown_text(wording.latest)}** · {markdown_text(wording.verdict)} "
             f"{quality_badge(quality, lang)}".rstrip()]
    qualifier = value_qualifier(quality, note, lang)
    if note and qualifier:  # the badge names the quality; an uncertain source also says why
        lines.append(f":gray[{markdown_text(qualifier)}]")
    lines.append(f"{t('overview.target', lang)}: " + markdown_text(target_text(
        indicator.target_type, goal.target, indicator.direction, unit, lang)))
    source = shown_value_source(goal)
    if source and source != shared_source:
        lines.append(f":gray[{t('overview.source', lang)}: {markdown_text(source_label(source))}]")
    return "\n\n".join(lines)
