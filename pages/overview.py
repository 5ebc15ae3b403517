"""Overview: how a plan's goals stand (default: the 2019-2022 plan), what changed, and every goal as a card or
a sortable table; the series without a target are shown apart, as context, never counted as goals.

The first screen answers "how are we doing" (the counts, then the missed and lagging goals), on a
phone too; filters (counts, search, groups, statuses, view) are kept in the link.
"""
import pandas as pd
import streamlit as st

from twomountains import overview, scorecard, what_changed
from twomountains.charts.sparkline import sparkline_svg
from twomountains.formatting import percent, value_with_unit
from twomountains.text import markdown_text
from twomountains.ui import forum, labels, plans_ui, session
from twomountains.ui.downloads import svg_buttons
from twomountains.ui.layout import print_view
from twomountains.ui.session import tr
from twomountains.ui.tables import full_height
from twomountains.ui.url_state import (adopt_from_url, adopt_list_from_url, adopt_text_from_url, publish_optional_to_url,
                                       publish_to_url, remember_overview_link)

lang = session.language()
plan = plans_ui.plan_picker("overview.plan", st.sidebar)
catalog = session.catalog(plan).set_index("code")
annual = session.annual()
years = sorted(annual.year.unique().tolist(), reverse=True)
statuses = session.statuses()
departments = session.departments()
print_view()

if plans_ui.is_default(plan):
    st.title(tr("overview.title"))
    st.caption(tr("app.subtitle"))
else:  # a later plan: its target year in the title, its name, source and certainty under it
    st.title(tr("plans.overview.title", year=int(catalog.target_year.max())))
    st.caption(plans_ui.plan_caption(plan))

left, middle, right = st.columns([1, 2, 1], vertical_alignment="bottom")
target_year = int(catalog.target_year.max())
left.button(tr("overview.target_year_button", year=target_year), icon=":material/flag:",
            on_click=lambda: st.session_state.update({"overview.as_of": target_year}))
adopt_from_url("as_of", years, int, key="overview.as_of")
as_of = middle.selectbox(tr("overview.as_of"), years, key="overview.as_of", help=tr("overview.as_of_help"))
publish_to_url("as_of", as_of)
if as_of in forum.years():
    right.download_button(tr("overview.pdf"), lambda: forum.summary_bytes(as_of, lang, plan), help=tr("overview.pdf_help"),
                          file_name=f"wulong-two-mountains-summary-{as_of}-{lang}{plans_ui.file_suffix(plan)}.pdf",
                          mime="application/pdf",
                          icon=":material/picture_as_pdf:", on_click="ignore", key="overview.pdf")
goals = session.goal_statuses(as_of, plan)
before_year = what_changed.previous_year(years, as_of)
before = session.goal_statuses(before_year, plan) if before_year is not None else None

# --- Headline counts: each one filters the goals below ------------------------------------------------
# Every count on this page counts goals (a target set): the context series are counted apart (scorecard.headline).
counts = scorecard.headline(goals)
buckets = counts.codes
deltas = what_changed.count_deltas(buckets, scorecard.headline(before).codes if before else None)
adopt_from_url("count", list(scorecard.BUCKETS), key="overview.bucket")
chosen_bucket = st.session_state.get("overview.bucket")
st.subheader(tr("verdict.headline", year=as_of, goals=counts.goals))
with st.grid(5, min_column_width=150, key="overview_counts"):
    for bucket in scorecard.BUCKETS:
        with st.container(border=True, key=f"count_{bucket}"):
            st.metric(tr(f"overview.count.{bucket}"), len(buckets[bucket]), delta=deltas[bucket],
                      delta_color={"achieved": "normal", "on_track": "normal"}.get(bucket, "inverse"),
                      delta_description=tr("overview.delta_since", year=before_year) if before_year else None)
            selected = chosen_bucket == bucket
            st.button(tr("overview.count_filter_clear") if selected else tr("overview.count_filter",
                                                                               count=len(buckets[bucket])),
                      key=f"overview.bucket.{bucket}", type="primary" if selected else "tertiary",
                      icon=":material/filter_alt_off:" if selected else ":material/filter_alt:",
                      disabled=not buckets[bucket] and not selected,
                      on_click=lambda b=bucket, s=selected: st.session_state.update({"overview.bucket": None if s else b}))
publish_optional_to_url("count", chosen_bucket)


def goal_link(code: str, container=st) -> None:
    """A goal's name and status, opening its indicator page at this year."""
    labels.page_link("pages/indicator.py", catalog.loc[code, f"name_{lang}"], session.status_label(goals[code].status),
                     container=container, icon=f":material/{statuses.loc[goals[code].status, 'icon']}:",
                     query_params={"indicator": code, "lang": lang, "as_of": str(as_of), **plans_ui.link_params(plan)})


attention = overview.needing_attention(goals, statuses)
st.subheader(tr("overview.attention", count=len(attention)))
if attention:
    with st.grid(3, min_column_width=260, gap="xsmall", key="overview_attention"):
        for code in attention:
            goal_link(code)
else:
    st.success(tr("overview.attention_none"))

# --- What changed since the year before and the last upload ----------------------------------------
title = tr("overview.changed.title", year=before_year) if before_year else tr("overview.changed.title_first")
with st.expander(title, expanded=True, icon=":material/update:"):
    if before is None:
        st.caption(tr("overview.changed.no_previous"))
    else:
        changes = what_changed.status_changes(before, goals)
        if changes:
            separator = "、" if lang == "zh" else "; "
            st.markdown(f"**{tr('overview.changed.statuses')}**\n\n" + "\n".join(
                f"- {session.status_badge_markdown(before_status)} → {session.status_badge_markdown(after_status)} "
                f"({len(codes)}): " + markdown_text(separator.join(catalog.loc[c, f"name_{lang}"] for c in codes))
                for before_status, after_status, codes in what_changed.by_transition(changes)))
        else:
            st.caption(tr("overview.changed.statuses_none", year=before_year))
    # The latest tourism quarter, where the plan shown tracks tourism (a later plan may not).
    quarter = [figure for figure in session.latest_quarter(as_of) or []
               if figure.indicator_code in catalog.index]
    indicators = session.full_catalog().set_index("code")  # every indicator, whichever plan is shown
    if quarter:
        period = overview.period_label(f"{quarter[0].year}Q{quarter[0].quarter}", lang)
        lines = []
        for figure in quarter:
            line = tr("overview.changed.tourism_line",
                      name=markdown_text(indicators.loc[figure.indicator_code, f"name_{lang}"]),
                      value=markdown_text(value_with_unit(figure.value, indicators.loc[figure.indicator_code].to_dict(),
                                                          lang)))
            if figure.year_on_year is not None:
                change = ("+" if figure.year_on_year > 0 else "") + percent(figure.year_on_year, lang)
                line += " · " + tr("overview.changed.yoy", change=markdown_text(change))
            lines.append(f"- {line} {overview.quality_badge(figure.quality, lang)}")
        st.markdown(f"**{tr('overview.changed.tourism', period=period)}**\n\n" + "\n".join(lines))
    upload = what_changed.upload_changes(session.latest_upload_revisions())
    if upload is None:
        st.caption(tr("overview.changed.no_upload"))
    else:
        st.markdown(markdown_text(tr("overview.changed.upload", id=upload.upload_id, user=upload.user_name,
                                     time=upload.created_at.strftime("%Y-%m-%d %H:%M"), added=len(upload.added),
                                     revised=len(upload.revised))))
        if upload.file_name:
            st.caption(markdown_text(tr("overview.changed.upload_file", file=upload.file_name)))
        values = pd.concat([upload.revised, upload.added.assign(old_value=None)], ignore_index=True)
        regions = session.upload_regions().set_index("code")[f"name_{lang}"]
        shown = pd.DataFrame({
            "indicator": [indicators[f"name_{lang}"].get(c, c) for c in values.indicator_code],
            "region": [regions.get(r, r) for r in values.region_code],
            "period": [overview.period_label(p, lang) for p in values.period],
            "old_value": values.old_value, "new_value": values.new_value})
        st.dataframe(shown, hide_index=True, width="stretch", placeholder="—", height=min(full_height(len(shown)), 300),
                     column_config={c: tr(f"overview.changed.col.{c}") for c in shown.columns})

# --- Find a goal: search, groups, statuses, cards or table ------------------------------------------
groups = catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
group_names = groups.set_index("goal_group")[f"group_{lang}"].to_dict()
status_names = {code: session.status_label(code) for code in statuses.index}
view_names = {view: tr(f"overview.view.{view}") for view in ("cards", "table")}
adopt_text_from_url("q", key="overview.search")
adopt_list_from_url("group", list(group_names), key="overview.groups")
adopt_list_from_url("status", list(status_names), key="overview.statuses")
adopt_from_url("view", list(view_names), key="overview.view")
st.session_state.setdefault("overview.view", "cards")
search, group_filter, status_filter, view_choice = st.columns([1.4, 1.4, 1.4, 1], vertical_alignment="bottom")
query = search.text_input(tr("overview.search"), key="overview.search", placeholder=tr("overview.search_placeholder"),
                          icon=":material/search:", max_chars=100)
chosen_groups = group_filter.multiselect(tr("overview.filter_group"), list(group_names), key="overview.groups",
                                         format_func=group_names.get, placeholder=tr("overview.filter_all"),
                                         select_all=False)
chosen_statuses = status_filter.multiselect(tr("overview.filter_status"), list(status_names), key="overview.statuses",
                                            format_func=status_names.get, placeholder=tr("overview.filter_all"),
                                            select_all=False)
view = view_choice.segmented_control(tr("overview.view"), list(view_names), key="overview.view",
                                     format_func=view_names.get, required=True)
publish_optional_to_url("q", query.strip())
publish_optional_to_url("group", chosen_groups)
publish_optional_to_url("status", chosen_statuses)
publish_optional_to_url("view", None if view == "cards" else view)
remember_overview_link()

found = overview.search(catalog, query, departments)
in_bucket = set(buckets[chosen_bucket]) if chosen_bucket else set(goals)
visible = {code: goal for code, goal in goals.items()
           if code in found and code in in_bucket
           and (not chosen_groups or catalog.loc[code, "goal_group"] in chosen_groups)
           and (not chosen_statuses or goal.status in chosen_statuses)}
shown_goals = sum(goal.is_goal for goal in visible.values())
shown_context = len(visible) - shown_goals
st.caption(tr("overview.showing", shown=shown_goals, total=counts.goals)
           + (tr("overview.showing_context", shown=shown_context, total=counts.context) if counts.context else ""))
if not visible:
    st.info(tr("overview.no_match"))

shared_source = overview.common_source(visible)
if shared_source and visible:
    st.caption(tr("overview.shared_source", source=markdown_text(session.source_label(shared_source))))

if view == "table" and visible:
    table = overview.goal_table(catalog, visible, statuses, departments, lang)
    colours = dict(zip(statuses[f"name_{lang}"], statuses.color))
    shown = table.drop(columns=["code", "status_order"])
    styled = shown.style.map(lambda name: f"color: {colours.get(name, '#222222')}; font-weight: 600",
                             subset=["status"])
    st.caption(tr("overview.table_help"))
    picked = st.dataframe(styled, hide_index=True, width="stretch", height=full_height(len(shown)),
                          on_select="rerun", selection_mode="single-row", key="overview.table",
                          column_config={c: st.column_config.TextColumn(tr(f"overview.col.{c}"),
                                                                        width="large" if c == "name" else None)
                                         for c in shown.columns})
    rows = picked.selection.rows if picked else []
    if rows:
        st.switch_page("pages/indicator.py", query_params={"indicator": table.code.iloc[rows[0]], "lang": lang,
                                                           "as_of": str(as_of), **plans_ui.link_params(plan)})
elif visible:
    series_of = dict(tuple(annual[annual.year <= as_of][["indicator_code", "year", "value"]].groupby("indicator_code")))
    # The goals by group, then the context series apart (no target: a trend, never a verdict).
    sections = [(group.goal_group, getattr(group, f"group_{lang}"),
                 [code for code in catalog.index[catalog.goal_group == group.goal_group]
                  if code in visible and visible[code].is_goal]) for group in groups.itertuples()]
    sections.append(("context", None, [code for code in catalog.index if code in visible and not visible[code].is_goal]))
    for section, heading, members in sections:
        if not members:
            continue
        if heading is None:
            st.subheader(tr("verdict.context_heading", count=len(members)))
            st.caption(tr("verdict.context_caption"))
        else:
            labels.subheader(heading, tr("overview.goals_in_group", count=len(members)))
        # One st.html element per group, not ~6 Streamlit elements per card: the browser's time to draw the
        # overview grows with its elements (docs/scaling.md). A CSS grid keeps the cards row by row (the
        # second goal stays second on a phone) and the cards of a row equally tall.
        cards, trends = [], {}
        for code in members:
            indicator, goal = catalog.loc[code], visible[code]
            points = series_of.get(code, annual.iloc[0:0])
            if len(points) > 1:
                trends[code] = sparkline_svg(list(zip(points.year.astype(int), points.value.astype(float))),
                                             goal.target if indicator.target_type in ("level", "count") else None,
                                             statuses.loc[goal.status, "color"], indicator[f"name_{lang}"])
            cards.append(overview.card_html(code, indicator, goal, lang, statuses, session.source_label, shared_source,
                                            trends.get(code), overview.indicator_href(
                                                {"indicator": code, "lang": lang, "as_of": str(as_of),
                                                 **plans_ui.link_params(plan)})))
        with st.container(key=f"cards_{section}"):
            st.html(overview.CARDS_CSS + '<div class="tm-cards">' + "".join(cards) + "</div>")
            if trends:
                # Every trend's PNG and SVG, from one menu per group; its buttons are made only once it is
                # opened (a rerun), so the page draws none of them on load.
                menu = st.popover(tr("overview.download_trends"), icon=":material/download:", type="tertiary",
                                  key=f"overview.trend_menu.{section}", on_change="rerun")
                if menu.open:
                    with menu:
                        for code, trend in trends.items():
                            st.caption(markdown_text(catalog.loc[code, f"name_{lang}"]))
                            row = st.container(horizontal=True, gap="small")
                            svg_buttons(trend, f"{code}-trend-{as_of}", key=f"trend_{code}", container=row)

# The published record of titles, beside the goals and not counted among them (issue 11).
st.subheader(tr("verdict.titles_heading"))
st.caption(tr("verdict.titles_caption"))
st.markdown("\n".join(f"- {markdown_text(line)}" for line in session.title_lines()))
st.caption(tr("overview.print_hint"))
