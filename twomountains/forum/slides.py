"""The forum's slides as plain data: a title that states the finding, a subtitle that says what is
measured, big numbers, a list, one chart, the source line at the foot, and speaker notes that say the
numbers.

The presentation page (plotly), the PowerPoint deck and the PDF summary draw these same slides, so what
the hall sees and what officials take away agree. The sentences come from `findings`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from twomountains import geo
from twomountains.charts.rural_map import LANDMARK_COLOR, ROUTE_COLOR, TYPE_COLORS, TYPE_SHAPES
from twomountains.explain import lead_units_text, reason_text
from twomountains.forum import findings
from twomountains.forum.data import ForumData
from twomountains.forum.findings import counted, goal_line, name, series, short_value, status_counts
from twomountains.formatting import number, value_with_unit
from twomountains.i18n import t
from twomountains.progress import cagr
from twomountains.sources import source_label

ACCENT = "#0072B2"       # the one colour that carries the message
CONTEXT = "#8C8C8C"      # targets, paths and everything that only gives context
FOREST = "#009E73"
PANDEMIC_YEARS = (2020, 2022)  # shaded on the tourism chart; the slide states the values, not a cause
HEADLINE_CODES = ("forest_cover", "tourism_revenue", "rural_tourism_demo_points")  # the few that matter most
ECOLOGY_CODES = ("air_good_days_ratio", "surface_water_class3_ratio", "urban_sewage_treatment_rate",
                 "soil_erosion_control_rate")


@dataclass(frozen=True)
class Series:
    name: str
    values: list            # y values (None for a gap); for maps, (lon, lat) pairs with None between parts
    color: str
    style: str = "line"     # line | dash | markers | bar | area (the district) | route
    point_colors: tuple = ()  # one colour per bar, where bars stand for statuses
    end_label: str = ""     # the label written at the series' last value (a direct label, no legend)
    symbol: str = "circle"  # markers on a map: the map page's shape for the type


@dataclass(frozen=True)
class Chart:
    kind: str               # bar | line | map
    title: str
    categories: list = field(default_factory=list)
    series: list = field(default_factory=list)
    x_title: str = ""
    y_title: str = ""
    target: float | None = None   # a level target: a horizontal line labelled on the line
    target_label: str = ""
    verdict_year: int | None = None  # the year the plan's verdict is about, marked by a vertical line
    verdict_label: str = ""
    foot: str = ""          # source and demonstration marking, small at the chart's foot
    whole_numbers: bool = False  # a count axis: ticks 0, 1, 2 … never 0.5
    landmarks: tuple = ()   # maps: (name, lon, lat)
    scale_label: str = ""   # maps: the scale bar's text, "{km} km"
    shaded: tuple = ()      # (first year, last year, label): a span of years shaded, e.g. the pandemic


@dataclass(frozen=True)
class BigNumber:
    value: str
    label: str
    detail: str = ""
    color: str = ACCENT


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    subtitle: str = ""
    bullets: list = field(default_factory=list)
    chart: Chart | None = None
    notes: str = ""
    kind: str = "chart"     # cover | headline | chart | closing
    figures: list = field(default_factory=list)   # big numbers
    foot: str = ""          # the slide's source line


def _years_text(years: list[int], lang: str = "en") -> str:
    """2019, 2020, 2021 → '2019–2021'; gaps listed."""
    years = sorted(set(years))
    runs, start = [], None
    for index, year in enumerate(years):
        start = year if start is None else start
        if index + 1 == len(years) or years[index + 1] != year + 1:
            runs.append(str(year) if start == year else f"{start}–{year}")
            start = None
    return ("、" if lang == "zh" else ", ").join(runs)


FOOT_SOURCES = 2  # sources named in a chart's foot; more are counted there and named in the speaker notes


def source_foot(data: ForumData, codes, lang: str) -> str:
    """'Source: … · Demonstration data: 2023–2025' for the figures of these indicators. A group's chart may
    draw on many reports: the foot then counts them (a foot of ten titles would crowd out the chart) and the
    speaker notes, in the deck too, name each one."""
    labels, demo_years = [], []
    for code in codes:
        frame = series(data, code)
        for source in frame.source:
            label = source_label(source, data.sources, lang)
            if label and label not in labels and source != "demo":
                labels.append(label)
        demo_years += frame[frame.quality == "demo"].year.astype(int).tolist()
    parts = [t("forum.foot.source", lang, sources="; ".join(labels)) if len(labels) <= FOOT_SOURCES
             else t("forum.foot.sources_many", lang, count=len(labels))] if labels else []
    if demo_years:
        parts.append(t("forum.foot.demo_years", lang, years=_years_text(demo_years, lang)))
    return " · ".join(parts) or t("forum.foot.demo", lang)


def _sources_note(data: ForumData, codes, lang: str) -> str:
    """Speaker notes: where every figure on the slide comes from, and which are demonstration data."""
    lines = []
    for code in codes:
        frame = series(data, code)
        if frame.empty:
            continue
        labels = sorted({source_label(s, data.sources, lang) for s in frame.source})
        demo_years = frame[frame.quality == "demo"].year.astype(int).tolist()
        line = t("forum.note.sources", lang, name=name(data, code, lang), sources="; ".join(labels))
        if demo_years:
            line += " " + t("forum.note.demo_years", lang, years=_years_text(demo_years, lang))
        lines.append(line)
    return "\n".join(lines + [t("forum.note.demo", lang)])


def _notes(title: str, say: list[str], data: ForumData, codes, lang: str) -> str:
    """What to say (the finding and every number the slide shows), then the sources."""
    head = [t("forum.note.say", lang), title, *say, "", t("forum.note.sources_head", lang)]
    return "\n".join(head) + "\n" + _sources_note(data, codes, lang)


def figure_lines(figures) -> list[str]:
    """The big numbers as the presenter says them: value, what it counts, target and status."""
    return [f"{f.value} {f.label}" + (f" ({f.detail})" if f.detail else "") for f in figures]


def _status_count_chart(data: ForumData, codes, title: str, lang: str) -> Chart:
    """How many of these goals have each status: the same goals the slide's list names."""
    order = data.statuses.sort_values("order").index.tolist()
    counts = status_counts(data, codes)
    shown = [s for s in order if counts[s]]
    return Chart(kind="bar", title=title, categories=[data.statuses.loc[s, f"name_{lang}"] for s in shown],
                 series=[Series(t("forum.chart.goals", lang), [counts[s] for s in shown], ACCENT, style="bar",
                                point_colors=tuple(data.statuses.loc[s, "color"] for s in shown))],
                 y_title=t("forum.chart.goals", lang), whole_numbers=True,
                 foot=source_foot(data, codes, lang))


def forum_date_text(day: dt.date, lang: str) -> str:
    return t("forum.date", lang, year=day.year, month=day.month, day=day.day,
             month_name=day.strftime("%B"))


def cover_slide(data: ForumData, lang: str, forum_date: dt.date) -> Slide:
    title = t("forum.cover.district", lang)
    subtitle = t("forum.title", lang)
    lines = [t("forum.cover.event", lang, date=forum_date_text(forum_date, lang)),
             t("forum.cover.data", lang, year=data.as_of)]
    if data.plan is not None:  # a later plan: its name and how certain its text is (issue 14)
        subtitle = t("plans.forum.subtitle", lang, plan=data.plan[f"name_{lang}"], year=data.as_of)
        lines.append(data.plan[f"certainty_note_{lang}"])
    return Slide("title", title, subtitle, bullets=lines, kind="cover",
                 notes=_notes(title, [subtitle, *lines], data, [], lang))


def headline_slide(data: ForumData, lang: str) -> Slide:
    """How many goals were achieved, missed or have no data, and the few that matter most as big figures."""
    codes = counted(data, data.catalog.index)
    counts = status_counts(data, codes)
    colors = data.statuses.color
    lagging = sum(counts[s] for s in ("moderate", "limited", "deteriorating"))
    figures = [BigNumber(str(counts["achieved"]), t("forum.headline.achieved", lang), color=colors["achieved"]),
               BigNumber(str(counts["missed"]), t("forum.headline.missed", lang), color=colors["missed"]),
               BigNumber(str(counts["no_data"]), t("forum.headline.no_data", lang), color=colors["no_data"])]
    others = counts["on_track"] + counts["in_progress"] + lagging
    if others:
        figures.append(BigNumber(str(others), t("forum.headline.other", lang, on_track=counts["on_track"] + counts[
            "in_progress"], lagging=lagging), color=colors["on_track"]))
    key_codes = [c for c in HEADLINE_CODES if c in data.goals]  # a later plan may set none of them
    key_figures = []
    for code in key_codes:
        goal = data.goals[code]
        if goal.latest_value is None:
            continue
        key_figures.append(BigNumber(
            findings.latest_text(data, code, lang),
            t("forum.headline.key_label", lang, name=name(data, code, lang), year=goal.latest_period),
            findings.figure_detail(data, code, lang), color=data.statuses.loc[goal.status, "color"]))
    title = findings.headline_title(data, lang)
    subtitle = t("forum.headline.subtitle", lang, total=len(codes), year=data.as_of)
    say = figure_lines(figures + key_figures)
    return Slide("scorecard", title, subtitle, kind="headline", figures=figures + key_figures,
                 foot=source_foot(data, key_codes, lang),
                 notes=_notes(title, [subtitle, *say, t("forum.note.method", lang)], data, key_codes, lang))


def _goal_lines(data: ForumData, codes, lang: str) -> list[str]:
    """A line per goal with data, and one line counting the goals that have none yet (a slide stays readable;
    the chart counts them too)."""
    without = [c for c in codes if data.goals[c].status == "no_data"]
    lines = [goal_line(data, code, lang) for code in codes if code not in without]
    if without:
        lines.append(t("verdict.group_no_data", lang, count=len(without)))
    return lines


def group_slides(data: ForumData, lang: str) -> list[Slide]:
    slides = []
    groups = data.catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
    for group in groups.itertuples():
        codes = counted(data, data.catalog.index[data.catalog.goal_group == group.goal_group])
        group_name = getattr(group, f"group_{lang}")
        order = data.statuses["order"]
        codes = sorted(codes, key=lambda c: order[data.goals[c].status])  # the list in the chart's order
        title = findings.group_title(data, group_name, codes, lang)
        bullets = _goal_lines(data, codes, lang)
        counts = status_counts(data, codes)
        # A short list leaves room for the one number that answers the slide's question.
        figures = [] if len(codes) > 6 else [BigNumber(
            t("forum.group.share", lang, achieved=counts["achieved"], total=len(codes)),
            t("forum.headline.achieved", lang), color=data.statuses.loc["achieved", "color"])]
        slides.append(Slide(
            f"group_{group.goal_group}", title,
            t("forum.group.subtitle", lang, total=len(codes), year=data.as_of), bullets=bullets,
            chart=_status_count_chart(data, codes, t("forum.group.chart", lang), lang),
            figures=figures, foot=source_foot(data, codes, lang),
            notes=_notes(title, figure_lines(figures) + bullets, data, codes, lang)))
    return slides


def _years_and_values(data: ForumData, code: str) -> tuple[list[int], list[float]]:
    frame = series(data, code)
    return frame.year.astype(int).tolist(), frame.value.astype(float).tolist()


def tourism_slide(data: ForumData, lang: str) -> Slide:
    code = "tourism_revenue"
    indicator = data.catalog.loc[code]
    years, values = _years_and_values(data, code)
    rate = float(indicator.target_value) / 100
    base_year = int(indicator.base_year)
    base = dict(zip(years, values)).get(base_year)
    path_years = [y for y in years if base is not None and y >= base_year]
    required = [round(base * (1 + rate) ** (y - base_year), 2) if y in path_years else None for y in years]
    goal = data.goals[code]
    unit = findings.unit(data, code)
    latest = value_with_unit(goal.latest_value, unit, lang)
    found = findings.growth(data, code)
    figures = [BigNumber(latest, t("forum.headline.key_label", lang, name=name(data, code, lang),
                                   year=goal.latest_period), findings.figure_detail(data, code, lang),
                         color=data.statuses.loc[goal.status, "color"])]
    if found:
        first, last, rate_found = found
        figures.append(BigNumber(t("forum.tourism.rate", lang, rate=number(rate_found * 100, 1)),
                                 t("forum.tourism.rate_label", lang, first=first, last=last,
                                   target=number(rate * 100, 0)), color=ACCENT))
    bullets = [reason_text(goal.reason, goal.facts, goal.ratio, unit, lang)]
    # What the data shows in the pandemic years, and no cause: none is sourced.
    first_year, last_year = PANDEMIC_YEARS
    in_pandemic = [(y, v) for y, v in zip(years, values) if first_year <= y <= last_year]
    if in_pandemic:
        bullets.append(t("forum.tourism.pandemic_years", lang, values=("；" if lang == "zh" else "; ").join(
            t("verdict.value_in_year", lang, value=value_with_unit(v, unit, lang), year=y) for y, v in in_pandemic)))
    end_value = number(values[-1], 1) if values else ""
    chart = Chart(kind="line", title=t("forum.tourism.chart", lang), categories=years,
                  series=[Series(name(data, code, lang), [round(v, 2) for v in values], ACCENT,
                                 end_label=end_value),
                          Series(t("forum.chart.required", lang), required, CONTEXT, style="dash",
                                 end_label=t("forum.chart.required", lang))],
                  x_title="", y_title=unit[f"symbol_{lang}"], verdict_year=int(indicator.target_year),
                  verdict_label=t("forum.chart.verdict_year", lang, year=int(indicator.target_year)),
                  shaded=(first_year, last_year, t("forum.chart.pandemic", lang)) if in_pandemic else (),
                  foot=source_foot(data, [code], lang))
    title = findings.growth_title(data, code, lang)
    say = figure_lines(figures) + bullets
    return Slide("tourism", title, t("forum.tourism.subtitle", lang, base=base_year, rate=number(rate * 100, 0)),
                 bullets=bullets, chart=chart, figures=figures, foot=chart.foot,
                 notes=_notes(title, say, data, [code, "tourist_visits"], lang))


def ecology_slide(data: ForumData, lang: str) -> Slide:
    code = "forest_cover"
    indicator = data.catalog.loc[code]
    years, values = _years_and_values(data, code)
    goal = data.goals[code]
    target = float(indicator.target_value)
    target_label = t("forum.chart.target", lang, target=short_value(target, data, code, lang),
                     year=int(indicator.target_year))
    chart = Chart(kind="line", title=name(data, code, lang), categories=years,
                  series=[Series(name(data, code, lang), values, FOREST,
                                 end_label=findings.latest_text(data, code, lang))],
                  y_title=indicator[f"symbol_{lang}"], target=target, target_label=target_label,
                  verdict_year=int(indicator.target_year),
                  verdict_label=t("forum.chart.verdict_year", lang, year=int(indicator.target_year)),
                  foot=source_foot(data, [code], lang))
    figures = [BigNumber(findings.latest_text(data, code, lang),
                         t("forum.headline.key_label", lang, name=name(data, code, lang), year=goal.latest_period),
                         findings.figure_detail(data, code, lang), color=data.statuses.loc[goal.status, "color"])]
    others = [c for c in ECOLOGY_CODES if c in data.goals]
    bullets = [goal_line(data, c, lang) for c in others]
    title = findings.level_title(data, code, lang)
    say = figure_lines(figures) + bullets
    return Slide("ecology", title, t("forum.ecology.subtitle", lang, name=name(data, code, lang)),
                 bullets=bullets, chart=chart, figures=figures, foot=source_foot(data, [code, *others], lang),
                 notes=_notes(title, say, data, [code, *others], lang))


def link_slide(data: ForumData, lang: str) -> Slide:
    """Ecology against prosperity: forest cover and tourism revenue, both indexed to their first common year."""
    forest = series(data, "forest_cover").set_index("year").value
    revenue = series(data, "tourism_revenue").set_index("year").value
    years = [int(y) for y in sorted(set(forest.index) & set(revenue.index))]
    codes = ["forest_cover", "tourism_revenue"]
    if len(years) < 2:
        return Slide("link", t("forum.link.title", lang), bullets=[t("forum.link.none", lang)],
                     notes=_sources_note(data, codes, lang), foot=source_foot(data, codes, lang))
    first, last = years[0], years[-1]
    forest_index = [round(forest[y] / forest[first] * 100, 1) for y in years]
    revenue_index = [round(revenue[y] / revenue[first] * 100, 1) for y in years]
    growth = cagr(revenue[first], revenue[last], last - first)
    series_list = [
        Series(name(data, "tourism_revenue", lang), revenue_index, ACCENT,
               end_label=f"{name(data, 'tourism_revenue', lang)} {number(revenue_index[-1], 0)}"),
        Series(name(data, "forest_cover", lang), forest_index, FOREST,
               end_label=f"{name(data, 'forest_cover', lang)} {number(forest_index[-1], 0)}"),
    ]
    bullets = [t("forum.link.line", lang, first=first, last=last, forest_from=f"{forest[first]:.1f}",
                 forest_to=f"{forest[last]:.1f}", growth=f"{growth * 100:.1f}")]
    chart = Chart(kind="line", title=t("forum.link.chart", lang, year=first), categories=years,
                  series=series_list, y_title=t("forum.link.index", lang, year=first),
                  foot=source_foot(data, codes, lang))
    figures = [BigNumber(t("forum.tourism.rate", lang, rate=number(growth * 100, 1)),
                         t("forum.link.revenue_label", lang, first=first, last=last), color=ACCENT),
               BigNumber(f"{forest[first]:.1f}% → {forest[last]:.1f}%",
                         t("forum.link.forest_label", lang, first=first, last=last), color=FOREST)]
    title = findings.link_title(data, first, last, float(forest[first]), float(forest[last]), growth, lang)
    return Slide("link", title, t("forum.link.subtitle", lang, year=first), bullets=bullets, chart=chart,
                 figures=figures, foot=chart.foot, notes=_notes(title, figure_lines(figures) + bullets, data, codes, lang))


def _parts(lines: list[list[tuple[float, float]]]) -> list:
    """Several lines or rings as one series: (lon, lat) pairs with None between the parts."""
    values = []
    for line in lines:
        if values:
            values.append(None)
        values += [(round(x, 4), round(y, 4)) for x, y in line]
    return values


def map_chart(data: ForumData, points, routes, lang: str) -> Chart:
    """The district filled, routes drawn through their stops, villages and points in the map page's
    colours and shapes, a few landmarks named."""
    rings = [polygon[0] for polygon in geo.polygons(data.outline)]
    series_list = [Series(t("forum.map.outline", lang), _parts(rings), "#3E5E47", style="area")]
    by_id = points.set_index("id")
    route_lines = [[(by_id.loc[p, "lon"], by_id.loc[p, "lat"]) for p in ids.split(";") if p in by_id.index]
                   for ids in routes.point_ids]
    if route_lines:
        series_list.append(Series(t("map.legend.route_line", lang), _parts(route_lines), ROUTE_COLOR, style="route"))
    for kind in TYPE_COLORS:
        group = points[points.type == kind]
        if not group.empty:
            series_list.append(Series(t(f"map.type.{kind}", lang),
                                      list(zip(group.lon.round(4), group.lat.round(4))), TYPE_COLORS[kind],
                                      style="markers", symbol=TYPE_SHAPES[kind]))
    landmarks = tuple((row[f"name_{lang}"], float(row.lon), float(row.lat))
                      for _, row in data.landmarks.iterrows()) if data.landmarks is not None else ()
    return Chart(kind="map", title=t("forum.map.chart", lang), series=series_list, landmarks=landmarks,
                 scale_label=t("forum.map.scale", lang),
                 foot=source_foot(data, ["rural_tourism_demo_points", "boutique_routes"], lang) + " · "
                 + t("forum.map.approximate", lang))


def map_slide(data: ForumData, lang: str) -> Slide:
    points = data.points[data.points.year_designated <= data.as_of]
    routes = data.routes[data.routes.year_completed <= data.as_of]
    point_target = int(data.catalog.loc["rural_tourism_demo_points", "target_value"])
    route_target = int(data.catalog.loc["boutique_routes", "target_value"])
    counts = points.type.value_counts()
    figures = [BigNumber(str(len(points)), t("forum.map.points_label", lang, target=point_target,
                                             villages=int(counts.get("village", 0)),
                                             points=int(counts.get("point", 0))),
                         color=TYPE_COLORS["village"]),
               BigNumber(str(len(routes)), t("forum.map.routes_label", lang, target=route_target),
                         color=ROUTE_COLOR)]
    bullets = [t("forum.map.approximate", lang)]
    title = findings.map_title(data, len(points), lang)
    chart = map_chart(data, points, routes, lang)
    say = figure_lines(figures) + bullets
    return Slide("map", title, t("forum.map.subtitle", lang, year=data.as_of), bullets=bullets, chart=chart,
                 figures=figures, foot=chart.foot,
                 notes=_notes(title, say, data, ["rural_tourism_demo_points", "boutique_routes"], lang))


def next_steps_slide(data: ForumData, lang: str) -> Slide:
    """Every lagging or missed goal, by category: the list and the chart count the same goals."""
    behind = findings.lagging(data)
    categories = data.catalog[["category", f"category_{lang}"]].drop_duplicates()
    by_category = {row[f"category_{lang}"]: [c for c in behind if data.catalog.loc[c, "category"] == row.category]
                   for _, row in categories.iterrows()}
    counts = {label: len(codes) for label, codes in by_category.items()}
    bullets, lead_lines = [], []
    for codes in by_category.values():
        for code in codes:
            status = data.statuses.loc[data.goals[code].status, f"name_{lang}"]
            bullets.append(t("forum.next.short", lang, name=name(data, code, lang), status=status))
            leads = lead_units_text(data.catalog.loc[code, "lead_units"], data.departments, lang, short=True)
            lead_lines.append(t("forum.next.line", lang, goal=goal_line(data, code, lang), leads=leads))
    chart = Chart(kind="bar", title=t("forum.next.chart", lang), categories=list(counts),
                  series=[Series(t("forum.chart.goals", lang), list(counts.values()), "#D55E00", style="bar")],
                  y_title=t("forum.chart.goals", lang), whole_numbers=True, foot=source_foot(data, behind, lang))
    title = findings.next_title(data, counts, lang)
    return Slide("next", title, t("forum.next.subtitle", lang, year=data.as_of),
                 bullets=bullets or [t("forum.next.none", lang)], chart=chart, foot=chart.foot,
                 notes=_notes(title, lead_lines, data, behind, lang))


def closing_slide(data: ForumData, lang: str) -> Slide:
    title = t("forum.closing.title", lang)
    lines = [t("forum.closing.line", lang)]
    return Slide("closing", title, t("forum.closing.subtitle", lang), bullets=lines, kind="closing",
                 notes=_notes(title, lines, data, [], lang))


def build(data: ForumData, lang: str, forum_date: dt.date | None = None) -> list[Slide]:
    """The whole sequence: cover, headline numbers, one per goal group, tourism, ecology, the link, map,
    next steps, closing. A later plan (issue 14) has no tourism, ecology, link or map slides: they show the
    base plan's own goals."""
    if data.plan is not None:
        return [cover_slide(data, lang, forum_date or dt.date.today()), headline_slide(data, lang),
                *group_slides(data, lang), next_steps_slide(data, lang), closing_slide(data, lang)]
    return [cover_slide(data, lang, forum_date or dt.date.today()), headline_slide(data, lang),
            *group_slides(data, lang), tourism_slide(data, lang), ecology_slide(data, lang), link_slide(data, lang),
            map_slide(data, lang), next_steps_slide(data, lang), closing_slide(data, lang)]
