"""What every page needs from the session: the language, the database, cached query results.

Every result read from the database is cached with `kept` (below), keyed on the data version; no page uses
st.cache_data (`st.cache_data.clear()` after a commit is therefore not needed: the new version is a new key)."""
from __future__ import annotations

import copy
import dataclasses
import functools

import pandas as pd
import streamlit as st

from twomountains import access, scorecard
from twomountains.access import Database
from twomountains.i18n import DEFAULT_LANGUAGE, normalise_language, t
from twomountains.paths import db_path
from twomountains.text import markdown_text
from twomountains.ui import entry


def language() -> str:
    """The session's language; every page asks first, so this is also where routing is put right."""
    entry.run_inside_app()
    return normalise_language(st.session_state.get("lang", DEFAULT_LANGUAGE))


def tr(key: str, **params) -> str:
    """Translate into the session's language."""
    return t(key, language(), **params)


def db() -> Database:
    return access.database(db_path())


_PINNED = "_data_version"


def _this_run() -> object | None:
    """An object Streamlit makes anew as each script run starts and keeps for the whole run (None outside one)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.cursors


def data_version() -> int:
    """The data version this script run reads at: the version when the run first asked.

    Every write increments it and the caches below are keyed on it, so a commit shows everywhere at
    once. Every read checks it (access.Snapshot), so no run shows some data from before a commit and
    some from after: the read raises access.DataChanged and app.py draws the page again.
    """
    run = _this_run()
    if run is None:
        return db().version()
    pinned = st.session_state.get(_PINNED)
    if pinned is not None and pinned[0] is run:
        return pinned[1]
    version = db().version()
    st.session_state[_PINNED] = (run, version)
    return version


def _copy(value):
    """What a caller gets of a kept result: its own DataFrame objects over the shared data (pandas 3 copies a
    column only when someone writes to it: copy-on-write), its own dict, list, tuple and dataclass."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):      # the task book: frames inside
        clone = copy.copy(value)
        for field in dataclasses.fields(value):
            object.__setattr__(clone, field.name, _copy(getattr(value, field.name)))
        return clone
    return value


def kept(func):
    """Cached per data version and shared by every session of the process, handed out without unpickling.

    st.cache_data pickles a result once and unpickles a copy at every call: profiled under forum-day load
    (bench/profile_server.py), unpickling the Arrow-backed frames of these few functions was a fifth of
    every page run (the plans frame alone is asked for a dozen times per run). st.cache_resource keeps the
    object; _copy gives each caller a shallow copy, which pandas' copy-on-write keeps from changing the
    kept one. The key holds the data version, so a commit still shows at once."""
    cached = st.cache_resource(show_spinner=False, max_entries=64)(func)

    @functools.wraps(func)
    def call(*args, **kwargs):
        # Within one script run the same call is answered from a dict: Streamlit's own lookup hashes the
        # arguments and takes a lock, ~1 ms a call under the profiler, and the overview asks ~70 times.
        memo = _run_memo()
        key = (func.__module__, func.__qualname__, args, tuple(sorted(kwargs.items())))
        if memo is not None and key in memo:
            return _copy(memo[key])
        value = cached(*args, **kwargs)
        if memo is not None:
            memo[key] = value
        return _copy(value)
    call.clear = cached.clear
    return call


_MEMO = "_kept_this_run"


def _run_memo() -> dict | None:
    """A dict for this script run only (None outside one)."""
    run = _this_run()
    if run is None:
        return None
    held = st.session_state.get(_MEMO)
    if held is None or held[0] is not run:
        held = (run, {})
        st.session_state[_MEMO] = held
    return held[1]


@kept
def _plans(path: str, version: int) -> pd.DataFrame:
    from twomountains.plans import store as plan_store
    return plan_store.plans(access.database(path).at(version))


@kept
def _catalog(path: str, version: int, plan: str | None = None) -> pd.DataFrame:
    """A plan's goals in the shape of the indicator catalog (default: the default plan's, as before plans)."""
    from twomountains.plans import goals as plan_goals, store as plan_store
    plans_frame = _plans(path, version)
    return plan_store.goals(access.database(path).at(version), plan or plan_goals.default_plan(plans_frame),
                            plans_frame)


@kept
def _plan_targets(path: str, version: int) -> pd.DataFrame:
    from twomountains.plans import store as plan_store
    return plan_store.all_targets(access.database(path).at(version))


@kept
def _full_catalog(path: str, version: int) -> pd.DataFrame:
    return access.database(path).at(version).query("indicator_catalog")


@kept
def _annual(path: str, version: int, region: str) -> pd.DataFrame:
    return access.database(path).at(version).query("annual_values", region=region)


@kept
def _observations(path: str, version: int, indicator: str) -> pd.DataFrame:
    return access.database(path).at(version).query("indicator_observations", indicator=indicator)


@kept
def _scorecard(path: str, version: int, as_of: int, plan: str | None = None) -> dict[str, scorecard.GoalStatus]:
    catalog = _catalog(path, version, plan)
    annual = _annual(path, version, scorecard.DISTRICT)
    return {goal.code: goal for goal in scorecard.compute(catalog, annual, as_of)}


_PLAN_TABLES_CHECKED: set[str] = set()


def _ensure_plan_tables() -> None:
    """A database built before plans were data gets their tables (once per file and process)."""
    path = str(db_path())
    if path not in _PLAN_TABLES_CHECKED:
        from twomountains.plans import store as plan_store
        plan_store.ensure_tables(db())
        _PLAN_TABLES_CHECKED.add(path)


def plans() -> pd.DataFrame:
    """Every plan (plans.csv and uploaded ones), in order."""
    _ensure_plan_tables()
    return _plans(str(db_path()), data_version())


@kept
def _plans_by_code(path: str, version: int) -> pd.DataFrame:
    return _plans(path, version).set_index("code")


@kept
def _default_plan(path: str, version: int) -> str:
    from twomountains.plans import goals as plan_goals
    return plan_goals.default_plan(_plans(path, version))


def plans_by_code() -> pd.DataFrame:
    """plans() indexed by code (asked for by every navigation entry: made once per data version)."""
    _ensure_plan_tables()
    return _plans_by_code(str(db_path()), data_version())


def default_plan() -> str:
    """The code of the default plan."""
    _ensure_plan_tables()
    return _default_plan(str(db_path()), data_version())


@kept
def _targets_across_plans(path: str, version: int, code: str, as_of: int):
    from twomountains.plans import goals as plan_goals
    catalog_frame = _full_catalog(path, version)
    in_time = plan_goals.targets_in_time(code, _plans(path, version), catalog_frame, _plan_targets(path, version))
    if len(in_time) < 2:
        return in_time, None, []
    annual_frame = _annual(path, version, scorecard.DISTRICT)
    annual_frame = annual_frame[(annual_frame.indicator_code == code) & (annual_frame.year <= as_of)]
    return in_time, annual_frame, plan_goals.statuses_across_plans(code, in_time, catalog_frame, annual_frame, as_of)


def targets_across_plans(code: str, as_of: int):
    """An indicator's target in every plan (plan_goals.targets_in_time), its district values up to `as_of` and
    its status against each target: (in_time, annual, statuses), annual None when fewer than two plans."""
    _ensure_plan_tables()
    return _targets_across_plans(str(db_path()), data_version(), code, as_of)


def catalog(plan: str | None = None) -> pd.DataFrame:
    """A plan's goals (default: the default plan's, the 2019-2022 goals)."""
    _ensure_plan_tables()
    return _catalog(str(db_path()), data_version(), plan)


def full_catalog() -> pd.DataFrame:
    """Every indicator, whichever plan tracks it (the base plan's targets in their columns)."""
    _ensure_plan_tables()
    return _full_catalog(str(db_path()), data_version())


def plan_targets() -> pd.DataFrame:
    """Every later plan's targets (queries/plan_targets_all.sql)."""
    _ensure_plan_tables()
    return _plan_targets(str(db_path()), data_version())


def annual(region: str = scorecard.DISTRICT) -> pd.DataFrame:
    return _annual(str(db_path()), data_version(), region)


def observations(indicator: str) -> pd.DataFrame:
    return _observations(str(db_path()), data_version(), indicator)


def goal_statuses(as_of: int, plan: str | None = None) -> dict[str, scorecard.GoalStatus]:
    """Every goal's status as of a year, by code, in catalog order (default: the default plan's goals)."""
    _ensure_plan_tables()
    return _scorecard(str(db_path()), data_version(), as_of, plan)


# The metadata files under data/ do not change while the server runs: these lookups are made once and
# shared, so callers must not modify them.
@functools.cache
def departments() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("departments").set_index("code")


@functools.cache
def sources() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("sources").set_index("code")


def source_label(source) -> str:
    from twomountains.sources import source_label as label
    return label(source, sources(), language())


@functools.cache
def statuses() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("statuses").set_index("code")


def status_label(status: str, lang: str | None = None) -> str:
    return statuses().loc[status, f"name_{lang or language()}"]


def status_badge_markdown(status: str) -> str:
    """A status as Markdown (what st.badge draws), to share one Markdown element with other lines."""
    row = statuses().loc[status]
    return f":{row.badge}-badge[:material/{row.icon}: {markdown_text(row[f'name_{language()}'])}]"


def status_badge(status: str, container=st) -> None:
    """Status by icon and text, never by colour alone."""
    row = statuses().loc[status]
    container.badge(markdown_text(row[f"name_{language()}"]), icon=f":material/{row.icon}:", color=row.badge)


# --- What changed (pages/overview.py) ---------------------------------------------------------------
@kept
def _stored_table(path: str, version: int, name: str) -> pd.DataFrame:
    """A query of queries/ that takes no parameter, at a data version (its own few cache entries: a query asked
    for many parameters, such as an indicator's observations, keeps a function of its own)."""
    return access.database(path).at(version).query(name)


def latest_upload_revisions() -> pd.DataFrame:
    """The values the latest standing observations upload added or revised (empty before any upload)."""
    return _stored_table(str(db_path()), data_version(), "latest_upload_revisions")


# --- Rural tourism map (pages/map.py) -------------------------------------------------------------
@kept
def _map_points_and_routes(path: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from twomountains import rural_tourism
    with access.database(path).at(version).reading() as cursor:
        return rural_tourism.read(cursor)


def map_points_and_routes() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Villages/points and boutique routes as the database holds them (a points upload shows at once)."""
    return _map_points_and_routes(str(db_path()), data_version())


def map_outline() -> dict:
    from twomountains import geo
    return geo.outline()


def map_landmarks() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("map_landmarks")


def map_townships() -> pd.DataFrame:
    """Current townships (after the 2020 reform), by code, in code order."""
    from twomountains.metadata import load_table
    regions = load_table("regions")
    current = regions[(regions.level == "township") & regions.successor_code.isna()]
    return current.set_index("code").sort_index()


# Indicator detail, tourism and ecology pages.
@kept
def _township_values(path: str, version: int, indicator: str) -> pd.DataFrame:
    return access.database(path).at(version).query("indicator_township_values", indicator=indicator)


@kept
def _tourism_quarters(path: str, version: int, region: str) -> pd.DataFrame:
    from twomountains.tourism import REVENUE, VISITS
    return access.database(path).at(version).query("tourism_quarters", region=region, revenue=REVENUE,
                                                   visits=VISITS)


@kept
def _scenic(path: str, name: str) -> pd.DataFrame:
    from twomountains.tourism import scenic_paths
    areas, quarters = scenic_paths()
    return access.database(path).query(name, areas=str(areas), quarters=str(quarters))


@kept
def _township_breakdown(path: str, version: int, indicator: str, additive: bool) -> pd.DataFrame:
    from twomountains import townships
    values = _township_values(path, version, indicator)
    return townships.by_successor(values, regions(), additive)


def township_breakdown(indicator: str, additive: bool) -> pd.DataFrame:
    """An indicator's township values mapped onto today's units (townships.by_successor)."""
    return _township_breakdown(str(db_path()), data_version(), indicator, additive)


def tourism_quarters(region: str = scorecard.DISTRICT) -> pd.DataFrame:
    return _tourism_quarters(str(db_path()), data_version(), region)


@kept
def _quarterly(path: str, version: int, region: str) -> pd.DataFrame:
    from twomountains import tourism
    return tourism.quarterly_frame(_tourism_quarters(path, version, region))


def quarterly(region: str = scorecard.DISTRICT) -> pd.DataFrame:
    """tourism.quarterly_frame of the region's tourism quarters (single quarters from year-to-date figures)."""
    return _quarterly(str(db_path()), data_version(), region)


@kept
def _latest_quarter(path: str, version: int, as_of: int):
    from twomountains import what_changed
    return what_changed.latest_quarter(_tourism_quarters(path, version, scorecard.DISTRICT), as_of)


def latest_quarter(as_of: int):
    """what_changed.latest_quarter of the district's tourism quarters up to a year."""
    return _latest_quarter(str(db_path()), data_version(), as_of)


@kept
def _years(path: str, version: int) -> list[int]:
    annual_frame = _annual(path, version, scorecard.DISTRICT)
    return sorted(annual_frame.year.unique().astype(int).tolist(), reverse=True)


def years() -> list[int]:
    """The years with district values, newest first."""
    return _years(str(db_path()), data_version())


@kept
def _catalog_by_code(path: str, version: int, plan: str | None) -> pd.DataFrame:
    return _catalog(path, version, plan).set_index("code")


def catalog_by_code(plan: str | None = None) -> pd.DataFrame:
    """catalog(plan) indexed by code."""
    _ensure_plan_tables()
    return _catalog_by_code(str(db_path()), data_version(), plan)


def scenic_area_years() -> pd.DataFrame:
    return _scenic(str(db_path()), "scenic_area_years")


def scenic_area_quarters() -> pd.DataFrame:
    return _scenic(str(db_path()), "scenic_area_quarters")


def regions() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("regions")


def ecology_themes() -> pd.DataFrame:
    from twomountains.environment import load_themes
    return load_themes()


@kept
def _ecology_glance(path: str, version: int, as_of: int) -> pd.DataFrame:
    from twomountains import environment
    statuses = {code: goal.status for code, goal in _scorecard(path, version, as_of).items()}
    return environment.small_multiples_frame(_annual(path, version, scorecard.DISTRICT),
                                             _catalog(path, version).set_index("code"), ecology_themes(), statuses,
                                             as_of)


def ecology_glance(as_of: int) -> pd.DataFrame:
    """Every environment goal's yearly values up to a year, with target and status (the ecology page's glance)."""
    _ensure_plan_tables()
    return _ecology_glance(str(db_path()), data_version(), as_of)


# --- Data upload (pages/upload.py) -----------------------------------------------------------------
def upload_regions() -> pd.DataFrame:
    """Every region, old townships included, for naming the values an upload changes."""
    return _stored_table(str(db_path()), data_version(), "upload_regions")


# --- Key tasks and monthly reports (issue 6: pages/tasks.py, department.py, reporting.py, half_year.py) ---
@kept
def _task_book(path: str, version: int):
    from twomountains.tasks.book import load_database
    return load_database(access.database(path).at(version))


def task_book():
    """The tasks, their units, indicator links, milestones and every monthly report as stored now.

    A database built before the task tables existed gets them first (filled from data/tasks/)."""
    from twomountains.tasks.store import ensure_tables
    ensure_tables(db())
    return _task_book(str(db_path()), data_version())


@kept
def _task_table(path: str, version: int, as_of: int | None) -> pd.DataFrame:
    from twomountains.tasks import views
    return views.task_table(_task_book(path, version), goal_status_codes(as_of))


def task_table(as_of: int | None = None) -> pd.DataFrame:
    """The task list with each task's latest status and its goals' statuses as of a year (default: latest)."""
    task_book()
    return _task_table(str(db_path()), data_version(), as_of)


def goal_status_codes(as_of: int | None = None) -> dict[str, str]:
    """{indicator code: status} as of a year (default: the latest year with data)."""
    year = as_of if as_of is not None else scorecard.default_as_of(annual())
    return {code: goal.status for code, goal in goal_statuses(year).items()}


# --- Verdict wording (issue 11): one package function for every view ---------------------------------
def verdict_text(goal: scorecard.GoalStatus, unit: dict):
    """The latest value and the verdict, each naming its year, in the session's language."""
    from twomountains.verdicts import verdict_text as wording
    return wording(goal, unit, statuses(), language())


def value_qualifier(quality: str | None, note: str | None) -> str:
    """A value's quality and, where the source is uncertain, why, in the session's language."""
    from twomountains.sources import value_qualifier as qualifier
    return qualifier(quality, note, language())


def title_lines() -> list[str]:
    """The titles Wulong holds, a line each with year and source, in the session's language."""
    from twomountains.metadata import load_table
    from twomountains.titles import title_lines as lines
    return lines(load_table("titles"), sources(), language())
