"""The overview's logic: what needs attention, search, the compact goal table and each card's text (the
headline counts are scorecard.headline, shared with the forum).

Pure functions (no Streamlit): pages/overview.py lays out what they return. Text from the catalog
and the database is escaped here (text.markdown_text) wherever it goes into Markdown.
"""
from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd

from twomountains.explain import lead_units_text
from twomountains.formatting import target_text, value_with_unit
from twomountains.i18n import t
from twomountains.scorecard import bucket_of
from twomountains.sources import value_qualifier
from twomountains.text import html_text, markdown_text
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


# The colours of st.markdown's badges (Streamlit's light theme), for the same badges drawn in HTML.
_BADGE_COLOURS = {"green": ("#158237", "#dcf5e4"), "blue": ("#1c6bd1", "#e0edff"), "orange": ("#b35300", "#fff0dc"),
                  "red": ("#bd2b2b", "#ffe5e5"), "violet": ("#6d3fc0", "#f0e8ff"), "gray": ("#555867", "#eef0f4"),
                  "grey": ("#555867", "#eef0f4"), "yellow": ("#8a6d00", "#fff8d6"), "primary": ("#1c6bd1", "#e0edff")}

# The goal cards' grid: at most three columns of at least 280 px, one column on a phone; the cards of a row
# equally tall (a grid stretches its items); a card never splits over two printed pages.
CARDS_CSS = """<style>
.tm-cards { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(max(280px, calc((100% - 1.5rem) / 3)), 1fr)); }
.tm-card { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.75rem 1rem; break-inside: avoid;
  display: flex; flex-direction: column; gap: 0.4rem; line-height: 1.5; }
.tm-card p { margin: 0; }
.tm-card .tm-name { font-weight: 600; }
.tm-card .tm-muted { color: rgba(49, 51, 63, 0.6); }
.tm-badge { display: inline-block; border-radius: 0.25rem; padding: 0 0.4rem; font-size: 0.875rem; font-weight: 600; }
.tm-card img { display: block; max-width: 100%; height: auto; }
.tm-card .tm-details { margin-top: auto; }
.tm-card .tm-details a { text-decoration: none; }
@media print { .tm-card .tm-details { display: none; } }
</style>"""


def badge_html(text: str, colour: str) -> str:
    """A badge like st.markdown's :colour-badge[text], its text escaped."""
    foreground, background = _BADGE_COLOURS.get(colour, _BADGE_COLOURS["gray"])
    return (f'<span class="tm-badge" style="color: {foreground}; background: {background}">'
            f'{html_text(text)}</span>')


def card_html(code: str, indicator: pd.Series, goal, lang: str, statuses: pd.DataFrame,
              source_label: Callable[[str], str], shared_source: str | None, trend_svg: str | None,
              details_href: str) -> str:
    """A goal card as HTML: name, status, the latest value with its year and quality badge next to the verdict
    with the year it is about ("116 (2025) · 2022: 94, missed · met in 2023", verdicts.verdict_text), why a
    published value is uncertain, the target, the value's source unless it is the one said above the cards,
    the trend as an <img> of its SVG and the link to the indicator page. Every text from the catalog or the
    database goes through text.html_text.

    HTML, not Streamlit elements: st.html draws a group's cards as one element, and the browser's time to
    draw the overview grows with its elements (docs/scaling.md)."""
    unit = indicator.to_dict()
    wording = verdict_text(goal, unit, statuses, lang)
    quality, note = shown_value_quality(goal)
    status = statuses.loc[goal.status]
    lines = [f'<p class="tm-name">{html_text(indicator[f"name_{lang}"])}</p>',
             f"<p>{badge_html(status[f'name_{lang}'], status.badge)}</p>",
             f"<p>{html_text(t('overview.latest', lang))}: <strong>{html_text(wording.latest)}</strong> · "
             f"{html_text(wording.verdict)}"
             + (f" {badge_html(t(f'quality.{quality}', lang), QUALITY_BADGES.get(quality, 'gray'))}" if quality else "")
             + "</p>"]
    qualifier = value_qualifier(quality, note, lang)
    if note and qualifier:
        lines.append(f'<p class="tm-muted">{html_text(qualifier)}</p>')
    lines.append(f"<p>{html_text(t('overview.target', lang))}: " + html_text(target_text(
        indicator.target_type, goal.target, indicator.direction, unit, lang)) + "</p>")
    source = shown_value_source(goal)
    if source and source != shared_source:
        lines.append(f'<p class="tm-muted">{html_text(t("overview.source", lang))}: {html_text(source_label(source))}</p>')
    if trend_svg:
        encoded = base64.b64encode(trend_svg.encode("utf-8")).decode("ascii")
        lines.append(f'<img src="data:image/svg+xml;base64,{encoded}" alt="{html_text(indicator[f"name_{lang}"])}">')
    lines.append(f'<p class="tm-details"><a href="{html_text(details_href)}" target="_self">'
                 f'{html_text(t("overview.details", lang))} →</a></p>')
    return f'<div class="tm-card tm-card_{html_text(code)}" data-code="{html_text(code)}">' + "".join(lines) + "</div>"


def indicator_href(params: dict) -> str:
    """The indicator page's link with these query parameters (relative: the app's own host)."""
    return "indicator?" + urlencode(params)
