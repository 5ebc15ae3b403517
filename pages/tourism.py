"""Tourism: revenue and visits by quarter and year, growth against the ≥ 20 % target, seasons,
the pandemic years, scenic areas (demo) and revenue per visit."""
import streamlit as st

from twomountains import tourism
from twomountains.charts.goal import goal_charts
from twomountains.charts.tourism import (quarter_growth_chart, quarter_label, quarterly_chart, per_visit_chart,
                                         scenic_per_visit_bars, scenic_trend_chart, seasonality_chart)
from twomountains.explain import reason_text
from twomountains.formatting import label_each, percent, text_or_empty, value_with_unit
from twomountains.scorecard import DISTRICT
from twomountains.text import markdown_text
from twomountains.trajectory import growth_since_base, year_on_year
from twomountains.ui import charts, session
from twomountains.ui.downloads import table_buttons
from twomountains.ui.layout import hinted_on_phone
from twomountains.ui.session import tr
from twomountains.ui.tables import full_height, row_height, wrapped_lines
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
catalog = session.catalog().set_index("code")
SCENIC_DECIMALS = {"visits": 1, "revenue": 2, "yuan_per_visit": 0}   # 10k visits, CNY 100 million, yuan
SCENIC_SOURCE_WIDTH = 250   # px: the scenic areas' table's other six columns take ~630 of ~938 at 1400 px
annual = session.annual()
source_names = session.sources()[f"name_{lang}"].to_dict()
district_name = session.regions().set_index("code").loc[DISTRICT, f"name_{lang}"]
years = sorted(annual.year.unique().tolist(), reverse=True)

st.title(tr("tourism.title"))
st.caption(tr("tourism.subtitle"))
adopt_from_url("as_of", years, int, key="tourism.as_of")
left, right = st.columns([1, 2], vertical_alignment="bottom")
as_of = left.selectbox(tr("overview.as_of"), years, key="tourism.as_of", help=tr("overview.as_of_help"))
publish_to_url("as_of", as_of)
basis = right.segmented_control(tr("tourism.basis"), ["single", "ytd"], key="tourism.basis",
                                default="single", required=True, format_func=lambda b: tr(f"tourism.basis.{b}"))
goals = session.goal_statuses(as_of)

quarters = session.quarterly(DISTRICT)
latest_year = int(quarters.year.max()) if not quarters.empty else as_of
quarter_limit = as_of if as_of < max(years) else latest_year
quarters = quarters[quarters.year <= quarter_limit]
st.info(tr("tourism.basis_note.derived" if quarters.derived.any() else "tourism.basis_note.single"),
        icon=":material/info:")

# Headline: the growth target and where it stands.
revenue = catalog.loc[tourism.REVENUE]
revenue_goal = goals[tourism.REVENUE]
revenue_series = annual[(annual.indicator_code == tourism.REVENUE) & (annual.year <= as_of)]
visits_series = annual[(annual.indicator_code == tourism.VISITS) & (annual.year <= as_of)]
base_year = int(revenue.base_year)
growth = growth_since_base(dict(zip(revenue_series.year, revenue_series.value)), base_year)
yoy = year_on_year(dict(zip(revenue_series.year, revenue_series.value)))
metrics = st.columns(3)
for column, code, series in ((metrics[0], tourism.REVENUE, revenue_series),
                             (metrics[1], tourism.VISITS, visits_series)):
    if series.empty:
        column.metric(markdown_text(catalog.loc[code, f"name_{lang}"]), tr("value.missing"), border=True)
        continue
    last = series.sort_values("year").iloc[-1]
    change = year_on_year(dict(zip(series.year, series.value))).get(int(last.year))
    column.metric(markdown_text(f"{catalog.loc[code, f'name_{lang}']} ({int(last.year)})"),
                  value_with_unit(float(last.value), catalog.loc[code].to_dict(), lang),
                  delta=tr("tourism.yoy_delta", rate=percent(change, lang)) if change is not None else None,
                  help=markdown_text(f"{tr(f'quality.{last.quality}')} · {session.source_label(last.source)}"), border=True)
since = max(growth) if growth else None
metrics[2].metric(tr("tourism.growth_since", year=base_year),
                  percent(growth[since], lang) if since else tr("value.missing"),
                  delta=tr("tourism.target_rate", rate=f"{revenue.target_value:g}"), delta_color="off",
                  delta_arrow="off", help=tr("tourism.growth_since_help", year=base_year, until=since or as_of),
                  border=True)
verdict_label, verdict_badge = st.columns([1, 3], vertical_alignment="center")
verdict_label.markdown(f"**{tr('tourism.verdict_label')}**")
session.status_badge(revenue_goal.status, verdict_badge)
st.markdown(markdown_text(reason_text(revenue_goal.reason, revenue_goal.facts, revenue_goal.ratio,
                                      revenue.to_dict(), lang)))
st.caption(tr("tourism.pandemic_note"))

st.subheader(tr("tourism.annual"))
for code in (tourism.REVENUE, tourism.VISITS):
    indicator = catalog.loc[code].to_dict() | {"code": code}
    series = annual[annual.indicator_code == code]
    drawn = charts.build(goal_charts, indicator, series, goals[code].status, as_of, district_name, lang,
                         source_names)
    for position, chart in enumerate(drawn):
        charts.show(chart, f"{code}_{as_of}_{position + 1}", key=f"annual_{code}_{position}")
    st.page_link("pages/indicator.py", label=tr("tourism.details", name=markdown_text(indicator[f"name_{lang}"])),
                 icon=":material/arrow_forward:", query_params={"indicator": code, "lang": lang, "as_of": str(as_of)})

st.subheader(tr("tourism.quarterly"))
with_ytd = tourism.quarter_year_on_year(tourism.with_year_to_date(quarters))
with_ytd["shown"] = with_ytd.ytd if basis == "ytd" else with_ytd.value
tabs = st.tabs([markdown_text(catalog.loc[code, f"name_{lang}"]) for code in tourism.TOURISM_CODES])
for tab, code in zip(tabs, tourism.TOURISM_CODES):
    indicator = catalog.loc[code]
    unit_label = text_or_empty(indicator[f"symbol_{lang}"])
    part = with_ytd[with_ytd.indicator_code == code]
    with tab:
        if part.empty:
            st.info(tr("indicator.no_series"))
            continue
        bars = charts.build(quarterly_chart, part.assign(value=part.shown).dropna(subset=["value"]),
                            indicator[f"name_{lang}"], unit_label, int(indicator.decimals), basis, lang)
        charts.show(bars, f"{code}_quarters_{basis}", key=f"quarters_{code}")
        growth_quarters = tourism.quarter_year_on_year(part, column="shown")
        chart = charts.build(quarter_growth_chart, growth_quarters, indicator[f"name_{lang}"], lang)
        charts.show(chart, f"{code}_quarter_growth_{basis}", key=f"quarter_growth_{code}")
        seasons = tourism.seasonality(part)
        if not seasons.empty:
            chart = charts.build(seasonality_chart, seasons, indicator[f"name_{lang}"], lang)
            charts.show(chart, f"{code}_seasonality", key=f"seasonality_{code}")
        table = part.assign(
            period=[quarter_label(y, q, lang) for y, q in zip(part.year, part.quarter)],
            quality=label_each(part.quality, lambda q: tr(f"quality.{q}")),
            source=label_each(part.source, session.source_label),
            derived=part.derived.map(lambda d: tr("tourism.derived_yes" if d else "tourism.derived_no")),
        )[["period", "value", "ytd", "yoy", "quality", "source", "derived"]].rename(columns={
            "period": tr("indicator.col.period"), "value": tr("tourism.col.single", unit=unit_label),
            "ytd": tr("tourism.col.ytd", unit=unit_label), "yoy": tr("tourism.col.yoy"),
            "quality": tr("indicator.col.quality"), "source": tr("indicator.col.source"),
            "derived": tr("tourism.derived_title")})
        with st.expander(tr("tourism.quarter_table")):
            st.dataframe(table, hide_index=True, width="stretch", placeholder="—")
            table_buttons(table, f"{code}_quarters", key=f"quarter_table_{code}")

st.subheader(tr("tourism.per_visit"))
per_visit = tourism.per_visit_frame(annual[annual.year <= as_of])
if per_visit.empty:
    st.info(tr("indicator.no_series"))
else:
    charts.show(charts.build(per_visit_chart, per_visit, lang), f"revenue_per_visit_{as_of}", key="per_visit")

st.subheader(tr("tourism.scenic"))
st.warning(tr("tourism.scenic_demo"), icon=":material/science:")
scenic = session.scenic_area_years()
scenic = scenic[scenic.year <= as_of].assign(area=lambda f: f[f"name_{lang}"])
scenic["source_label"] = label_each(scenic.source, session.source_label)
if scenic.empty:
    st.info(tr("indicator.no_series"))
else:
    measure = st.segmented_control(tr("tourism.scenic_measure"), ["visits", "revenue", "yuan_per_visit"],
                                   key="tourism.scenic_measure", default="visits", required=True,
                                   format_func=lambda m: tr(f"tourism.measure.{m}"))
    units = {"visits": (catalog.loc[tourism.VISITS, f"symbol_{lang}"], 1),
             "revenue": (catalog.loc[tourism.REVENUE, f"symbol_{lang}"], 2),
             "yuan_per_visit": (tr("tourism.yuan_per_visit"), 0)}
    chart = charts.build(scenic_trend_chart, scenic, measure, text_or_empty(units[measure][0]), units[measure][1], lang)
    charts.show(chart, f"scenic_{measure}", key="scenic_trend")
    scenic_year = int(scenic.year.max())
    chart = charts.build(scenic_per_visit_bars, scenic[scenic.year == scenic_year], scenic_year, lang)
    charts.show(chart, f"scenic_per_visit_{scenic_year}", key="scenic_bars")
    table = scenic.round(SCENIC_DECIMALS).assign(
        quality=label_each(scenic.quality, lambda q: tr(f"quality.{q}")))[
        ["area", "year", "visits", "revenue", "yuan_per_visit", "quality", "source_label"]].rename(columns={
            "area": tr("tourism.scenic_area"), "year": tr("chart.year"),
            "visits": tr("tourism.measure.visits"), "revenue": tr("tourism.measure.revenue"),
            "yuan_per_visit": tr("tourism.measure.yuan_per_visit"), "quality": tr("indicator.col.quality"),
            "source_label": tr("indicator.col.source")})
    # The source's name (~60 characters in English) wraps in a column the six short ones leave at 1400 px (it
    # was cut by ~20 px), in rows as tall as it needs; the other columns are as wide as their headers.
    source = tr("indicator.col.source")
    rows = row_height(wrapped_lines(table[source], SCENIC_SOURCE_WIDTH))
    # On a phone it scrolls sideways in its box (the area, year and visits in view): a hint there says so.
    with hinted_on_phone("scenic_areas", tr("review23.sideways.columns")), st.container(key="scenic_area_table"):
        st.dataframe(table, hide_index=True, width="stretch", placeholder="—", row_height=rows,
                     height=full_height(min(len(table), 10), rows),
                     column_config={source: st.column_config.TextColumn(width=SCENIC_SOURCE_WIDTH), **{
                         # Every figure of a column to the same decimals (rounding dropped the trailing zeros:
                         # 1169 beside 1097.4 visits, 5.7 beside 5.24 revenue).
                         tr(f"tourism.measure.{measure}"): st.column_config.NumberColumn(format=f"%.{decimals}f")
                         for measure, decimals in SCENIC_DECIMALS.items()}})
    table_buttons(table, "scenic_areas", key="scenic_table")
