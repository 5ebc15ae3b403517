"""Indicator detail: one goal's series, target, status and the reasons for it; reached by ?indicator=CODE."""
import streamlit as st

from twomountains.charts.series import series_figure
from twomountains.explain import reason_text
from twomountains.formatting import target_text, text_or_empty, value_with_unit
from twomountains.sources import note_label
from twomountains.text import markdown_text, plan_clause_label
from twomountains.ui import session
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
catalog = session.catalog().set_index("code")
annual = session.annual()
departments = session.departments()
years = sorted(annual.year.unique().tolist(), reverse=True)

requested = st.query_params.get("indicator")
if requested is not None and requested not in catalog.index:
    st.warning(tr("indicator.not_found", code=requested))
adopt_from_url("indicator", catalog.index.tolist(), key="indicator.code")
adopt_from_url("as_of", years, int, key="indicator.as_of")
choose, year = st.columns([3, 1])
code = choose.selectbox(tr("indicator.choose"), catalog.index.tolist(), key="indicator.code",
                        format_func=lambda c: catalog.loc[c, f"name_{lang}"])
as_of = year.selectbox(tr("overview.as_of"), years, key="indicator.as_of", help=tr("overview.as_of_help"))
publish_to_url("indicator", code)
publish_to_url("as_of", as_of)

indicator = catalog.loc[code]
unit = indicator.to_dict()
goal = session.goal_statuses(as_of)[code]
status_color = session.statuses().loc[goal.status, "color"]

st.title(indicator[f"name_{lang}"])
session.status_badge(goal.status)
summary = st.columns([1, 1.5, 0.7])
summary[0].metric(tr("overview.latest"), value_with_unit(goal.latest_value, unit, lang),
                  help=goal.latest_period or None, border=True)
summary[1].metric(tr("overview.target"),
                  target_text(indicator.target_type, goal.target, indicator.direction, unit, lang), border=True)
summary[2].metric(tr("indicator.target_year"), int(indicator.target_year), border=True)

st.subheader(tr("indicator.why"))
st.markdown(markdown_text(reason_text(goal.reason, goal.facts, goal.ratio, unit, lang)))

st.subheader(tr("indicator.series"))
series = annual[(annual.indicator_code == code) & (annual.year <= as_of)]
if series.empty:
    st.info(tr("indicator.no_series"))
else:
    target_line = goal.target if indicator.target_type in ("level", "count") else None
    st.plotly_chart(series_figure(series, indicator[f"name_{lang}"], text_or_empty(unit[f"symbol_{lang}"]),
                                  target_line, status_color, lang),
                    config={"displaylogo": False})

st.subheader(tr("indicator.observations"))
observations = session.observations(code)
table = observations.assign(
    region=observations[f"region_{lang}"],
    quality=observations.quality.map(lambda q: tr(f"quality.{q}")),
    source=observations.source.map(session.source_label),
    note=observations.note.map(lambda n: note_label(n, lang)),
)[["period", "region", "value", "quality", "source", "note"]]
st.dataframe(table, hide_index=True, column_config={
    column: tr(f"indicator.col.{column}") for column in table.columns})

st.subheader(tr("indicator.metadata"))
lead_units = "、".join if lang == "zh" else "; ".join
st.markdown("\n".join([
    f"- **{tr('indicator.definition')}**: {markdown_text(indicator[f'definition_{lang}'])}",
    f"- **{tr('indicator.unit')}**: {markdown_text(text_or_empty(unit[f'symbol_{lang}']) or '—')}",
    f"- **{tr('indicator.plan_clause')}**: {markdown_text(plan_clause_label(indicator.plan_clause, lang))}",
    f"- **{tr('indicator.lead_units')}**: " + markdown_text(lead_units(
        departments.loc[c, f"name_{lang}"] for c in indicator.lead_units.split(";"))),
    f"- **{tr('indicator.reading')}**: {markdown_text(indicator[f'reading_{lang}'])}",
    f"- **{tr('indicator.base_year')}**: {int(indicator.base_year)} · "
    f"**{tr('indicator.target_year')}**: {int(indicator.target_year)}",
]))
st.page_link("pages/overview.py", label=tr("indicator.back"), icon=":material/arrow_back:",
             query_params={"lang": lang, "as_of": str(as_of)})
