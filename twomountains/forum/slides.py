"""The forum's slides as plain data: titles, bullet points, one chart each, and speaker notes.

Both the presentation page (plotly) and the PowerPoint deck (native, editable charts) draw these
same slides, so what the hall sees and what officials take away agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from twomountains import geo
from twomountains.explain import lead_units_text, reason_text
from twomountains.forum.data import ForumData
from twomountains.formatting import value_with_unit
from twomountains.i18n import t
from twomountains.progress import cagr
from twomountains.scorecard import headline
from twomountains.sources import source_label
from twomountains.verdicts import verdict_text

LAGGING = ("moderate", "limited", "deteriorating", "missed")
PANDEMIC_YEARS = (2020, 2022)  # shaded on the tourism chart; the slide states the values, not a cause


@dataclass(frozen=True)
class Series:
    name: str
    values: list            # y values (None for a gap); for xy charts, pairs (x, y)
    color: str
    style: str = "line"     # line | dash | markers | bar
    point_colors: tuple = ()  # one colour per bar, where bars stand for statuses


@dataclass(frozen=True)
class Chart:
    kind: str               # bar | line | xy
    title: str
    categories: list = field(default_factory=list)
    series: list = field(default_factory=list)
    x_title: str = ""
    y_title: str = ""
    shaded: tuple = ()      # (first category, last category, label): a span of years shaded, e.g. the pandemic


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    subtitle: str = ""
    bullets: list = field(default_factory=list)
    chart: Chart | None = None
    notes: str = ""


def _name(row, lang):
    return row[f"name_{lang}"]


def _unit(data: ForumData, code: str) -> dict:
    return data.catalog.loc[code].to_dict()


def _series(data: ForumData, code: str) -> pd.DataFrame:
    frame = data.annual[(data.annual.indicator_code == code) & (data.annual.year <= data.as_of)]
    return frame.sort_values("year")


def _sources_note(data: ForumData, codes, lang: str) -> str:
    """Speaker notes: where every figure on the slide comes from, and which are demonstration data."""
    lines = []
    for code in codes:
        frame = _series(data, code)
        if frame.empty:
            continue
        labels = sorted({source_label(s, data.sources, lang) for s in frame.source})
        demo_years = frame[frame.quality == "demo"].year.astype(int).tolist()
        line = t("forum.note.sources", lang, name=_name(data.catalog.loc[code], lang), sources="; ".join(labels))
        if demo_years:
            line += " " + t("forum.note.demo_years", lang, years=", ".join(map(str, demo_years)))
        lines.append(line)
    return "\n".join(lines + [t("forum.note.demo", lang)])


def _status_count_chart(data: ForumData, codes, title: str, lang: str) -> Chart:
    order = data.statuses.sort_values("order").index.tolist()
    counts = {s: 0 for s in order}
    for code in codes:
        counts[data.goals[code].status] += 1
    shown = [s for s in order if counts[s]]
    return Chart(kind="bar", title=title, categories=[data.statuses.loc[s, f"name_{lang}"] for s in shown],
                 series=[Series(t("forum.chart.goals", lang), [counts[s] for s in shown], "#0072B2", style="bar",
                                point_colors=tuple(data.statuses.loc[s, "color"] for s in shown))],
                 y_title=t("forum.chart.goals", lang))


def _goal_line(data: ForumData, code: str, lang: str) -> str:
    """"Name: 116 (2025) · 2022: 94, missed · met in 2023": the verdict names the year it is about."""
    wording = verdict_text(data.goals[code], _unit(data, code), data.statuses, lang)
    return t("forum.goal_verdict_line", lang, name=_name(data.catalog.loc[code], lang), verdict=wording.full)


def _goal_codes(data: ForumData, codes=None) -> list[str]:
    """Goals with a target among `codes` (default: the whole catalog); context series are never counted."""
    return [c for c in (data.catalog.index if codes is None else codes) if data.goals[c].is_goal]


def _goal_lines(data: ForumData, codes, lang: str) -> list[str]:
    """A line per goal with data, and one line counting the goals that have none yet (a slide stays readable)."""
    with_data = [c for c in codes if data.goals[c].status != "no_data"]
    without = [c for c in codes if data.goals[c].status == "no_data"]
    lines = [_goal_line(data, code, lang) for code in with_data]
    if without:
        lines.append(t("verdict.group_no_data", lang, count=len(without)))
    return lines


def title_slide(data: ForumData, lang: str) -> Slide:
    if data.plan is not None:  # a later plan: its name on the title slide (issue 14)
        return Slide("title", t("forum.title", lang),
                     t("plans.forum.subtitle", lang, plan=data.plan[f"name_{lang}"], year=data.as_of),
                     bullets=[t("app.demo_banner", lang), data.plan[f"certainty_note_{lang}"]],
                     notes=t("forum.note.demo", lang))
    return Slide("title", t("forum.title", lang), t("forum.subtitle", lang, year=data.as_of),
                 bullets=[t("app.demo_banner", lang)], notes=t("forum.note.demo", lang))


def scorecard_slide(data: ForumData, lang: str) -> Slide:
    codes = _goal_codes(data)
    counts = headline(data.goals)
    bullets = [t("forum.scorecard.goals_line", lang, total=counts.goals, year=data.as_of, context=counts.context,
                 **{bucket: counts.counts[bucket] for bucket in ("achieved", "on_track", "lagging", "missed")})]
    return Slide("scorecard", t("forum.scorecard.title", lang, year=data.as_of), bullets=bullets,
                 chart=_status_count_chart(data, codes, t("forum.scorecard.chart", lang), lang),
                 notes=t("forum.note.method", lang) + "\n" + t("forum.note.demo", lang))


def group_slides(data: ForumData, lang: str) -> list[Slide]:
    slides = []
    groups = data.catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
    for group in groups.itertuples():
        codes = _goal_codes(data, data.catalog.index[data.catalog.goal_group == group.goal_group])
        slides.append(Slide(
            f"group_{group.goal_group}", getattr(group, f"group_{lang}"),
            bullets=_goal_lines(data, codes, lang),
            chart=_status_count_chart(data, codes, t("forum.group.chart", lang), lang),
            notes=_sources_note(data, codes, lang)))
    return slides


def tourism_slide(data: ForumData, lang: str) -> Slide:
    code = "tourism_revenue"
    indicator = data.catalog.loc[code]
    frame = _series(data, code)
    years = frame.year.astype(int).tolist()
    rate = float(indicator.target_value) / 100
    base_year = int(indicator.base_year)
    base = frame[frame.year == base_year].value
    required = [float(base.iloc[0]) * (1 + rate) ** (y - base_year) if not base.empty and y >= base_year else None
                for y in years]
    goal = data.goals[code]
    unit = _unit(data, code)
    # What the data shows in the pandemic years, and no cause: none is sourced.
    first, last = PANDEMIC_YEARS
    in_pandemic = frame[(frame.year >= first) & (frame.year <= last)]
    values = ("；" if lang == "zh" else "; ").join(
        t("verdict.value_in_year", lang, value=value_with_unit(row.value, unit, lang), year=int(row.year))
        for row in in_pandemic.itertuples())
    bullets = [_goal_line(data, code, lang), reason_text(goal.reason, goal.facts, goal.ratio, unit, lang)]
    if values:
        bullets.append(t("forum.tourism.pandemic_years", lang, values=values))
    shaded = (str(first), str(last), t("forum.chart.pandemic", lang)) if str(first) in map(str, years) else ()
    chart = Chart(kind="line", title=t("forum.tourism.chart", lang), categories=[str(y) for y in years],
                  shaded=shaded,
                  series=[Series(_name(indicator, lang), frame.value.round(2).tolist(), "#0072B2"),
                          Series(t("forum.chart.required", lang), [None if v is None else round(v, 2) for v in required],
                                 "#555555", style="dash")],
                  x_title=t("indicator.axis_year", lang), y_title=unit[f"symbol_{lang}"])
    return Slide("tourism", t("forum.tourism.title", lang), bullets=bullets, chart=chart,
                 notes=_sources_note(data, [code, "tourist_visits"], lang))


def ecology_slide(data: ForumData, lang: str) -> Slide:
    code = "forest_cover"
    indicator = data.catalog.loc[code]
    frame = _series(data, code)
    years = frame.year.astype(int).tolist()
    unit = _unit(data, code)
    ecology_codes = ["forest_cover", "air_good_days_ratio", "surface_water_class3_ratio",
                     "urban_sewage_treatment_rate", "soil_erosion_control_rate"]
    chart = Chart(kind="line", title=_name(indicator, lang), categories=[str(y) for y in years],
                  series=[Series(_name(indicator, lang), frame.value.tolist(), "#009E73"),
                          Series(t("indicator.target_line", lang), [float(indicator.target_value)] * len(years),
                                 "#555555", style="dash")],
                  x_title=t("indicator.axis_year", lang), y_title=unit[f"symbol_{lang}"])
    return Slide("ecology", t("forum.ecology.title", lang),
                 bullets=[_goal_line(data, c, lang) for c in ecology_codes if c in data.goals],
                 chart=chart, notes=_sources_note(data, ecology_codes, lang))


def link_slide(data: ForumData, lang: str) -> Slide:
    """Ecology against prosperity: forest cover and tourism revenue, both indexed to their first common year."""
    forest = _series(data, "forest_cover").set_index("year").value
    revenue = _series(data, "tourism_revenue").set_index("year").value
    years = sorted(set(forest.index) & set(revenue.index))
    first = years[0] if years else None
    series = []
    if first is not None:
        series = [
            Series(_name(data.catalog.loc["forest_cover"], lang),
                   [round(forest[y] / forest[first] * 100, 1) for y in years], "#009E73"),
            Series(_name(data.catalog.loc["tourism_revenue"], lang),
                   [round(revenue[y] / revenue[first] * 100, 1) for y in years], "#0072B2"),
        ]
    growth = cagr(revenue[first], revenue[years[-1]], years[-1] - first) if len(years) > 1 else None
    bullets = [t("forum.link.line", lang, first=first, last=years[-1] if years else "",
                 forest_from=f"{forest[first]:.1f}", forest_to=f"{forest[years[-1]]:.1f}",
                 growth=f"{growth * 100:.1f}")] if growth is not None else []
    chart = Chart(kind="line", title=t("forum.link.chart", lang, year=first), categories=[str(y) for y in years],
                  series=series, x_title=t("indicator.axis_year", lang), y_title=t("forum.link.index", lang, year=first))
    return Slide("link", t("forum.link.title", lang), bullets=bullets, chart=chart,
                 notes=_sources_note(data, ["forest_cover", "tourism_revenue"], lang))


def map_slide(data: ForumData, lang: str) -> Slide:
    outline = [(round(x, 4), round(y, 4)) for polygon in geo.polygons(data.outline) for x, y in polygon[0]]
    points = data.points[data.points.year_designated <= data.as_of]
    series = [Series(t("forum.map.outline", lang), outline, "#555555", style="line")]
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    for color, (kind, group) in zip(palette, points.groupby("type")):
        series.append(Series(t(f"map.type.{kind}", lang), list(zip(group.lon.round(4), group.lat.round(4))),
                             color, style="markers"))
    routes_done = int((data.routes.year_completed <= data.as_of).sum())
    bullets = [t("forum.map.points", lang, count=len(points), target=int(data.catalog.loc["rural_tourism_demo_points",
                                                                                        "target_value"])),
               t("forum.map.routes", lang, count=routes_done,
                 target=int(data.catalog.loc["boutique_routes", "target_value"])),
               t("forum.map.approximate", lang)]
    chart = Chart(kind="xy", title=t("forum.map.chart", lang), series=series,
                  x_title=t("forum.map.lon", lang), y_title=t("forum.map.lat", lang))
    return Slide("map", t("forum.map.title", lang), bullets=bullets, chart=chart,
                 notes=_sources_note(data, ["rural_tourism_demo_points", "boutique_routes"], lang))


def next_steps_slide(data: ForumData, lang: str) -> Slide:
    lagging = [c for c in _goal_codes(data) if data.goals[c].status in LAGGING]
    bullets = []
    for code in lagging[:8]:
        leads = lead_units_text(data.catalog.loc[code, "lead_units"], data.departments, lang, short=True)
        bullets.append(t("forum.next.line", lang, goal=_goal_line(data, code, lang), leads=leads))
    categories = data.catalog[["category", f"category_{lang}"]].drop_duplicates()
    counts = [sum(1 for c in lagging if data.catalog.loc[c, "category"] == cat) for cat in categories.category]
    chart = Chart(kind="bar", title=t("forum.next.chart", lang),
                  categories=categories[f"category_{lang}"].tolist(),
                  series=[Series(t("forum.chart.goals", lang), counts, "#D55E00", style="bar")],
                  y_title=t("forum.chart.goals", lang))
    return Slide("next", t("forum.next.title", lang), bullets=bullets or [t("forum.next.none", lang)],
                 chart=chart, notes=_sources_note(data, lagging, lang))


def closing_slide(data: ForumData, lang: str) -> Slide:
    return Slide("closing", t("forum.closing.title", lang), t("forum.closing.subtitle", lang),
                 bullets=[t("forum.closing.line", lang)], notes=t("forum.note.demo", lang))


def build(data: ForumData, lang: str) -> list[Slide]:
    """The whole sequence: title, scorecard, one per goal group, tourism, ecology, the link, map, next steps, closing.

    A later plan (issue 14) has no tourism, ecology, link or map slides: they show the base plan's own goals."""
    if data.plan is not None:
        return [title_slide(data, lang), scorecard_slide(data, lang), *group_slides(data, lang),
                next_steps_slide(data, lang), closing_slide(data, lang)]
    return [title_slide(data, lang), scorecard_slide(data, lang), *group_slides(data, lang),
            tourism_slide(data, lang), ecology_slide(data, lang), link_slide(data, lang), map_slide(data, lang),
            next_steps_slide(data, lang), closing_slide(data, lang)]
