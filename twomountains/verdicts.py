"""A goal's status in words that name the year they are about: the one wording every view shows.

"116 (2025) · 2022: 94, missed · met in 2023" — the latest value with its year, then the verdict with the
year it judges. Overview cards, the forum's slides, deck and PDF summary, and `status` all call
`verdict_text`, so no view can show a latest value next to a verdict about another year without saying so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from twomountains.formatting import value_with_unit
from twomountains.i18n import t
from twomountains.scorecard import GoalStatus

SEPARATOR = " · "


@dataclass(frozen=True)
class VerdictText:
    latest: str    # "116 (2025)"
    verdict: str   # "2022: 94, missed · met in 2023"

    @property
    def full(self) -> str:
        return SEPARATOR.join(part for part in (self.latest, self.verdict) if part)


def status_word(status: str, statuses: pd.DataFrame, lang: str) -> str:
    """A status name to sit inside a sentence: lower case in English ("missed"), as is in Chinese."""
    name = statuses.loc[status, f"name_{lang}"]
    return name[:1].lower() + name[1:] if lang == "en" else name


def latest_text(goal: GoalStatus, unit: dict, lang: str) -> str:
    """The latest value with its year: "116 (2025)"; a milestone says the year it was done by."""
    if goal.latest_value is None:
        return t("value.missing", lang)
    done_in = goal.facts.get("done_in")
    if goal.target_type == "milestone" and done_in is not None:
        return t("verdict.done_by", lang, year=int(done_in))
    value = value_with_unit(goal.latest_value, unit, lang)
    return t("verdict.value_in_year", lang, value=value, year=goal.latest_period) if goal.latest_period else value


def shown_value_quality(goal: GoalStatus) -> tuple[str | None, str | None]:
    """(quality, note) of the value `latest_text` shows: the year a milestone was done by, else the latest."""
    if goal.target_type == "milestone" and goal.facts.get("done_in") is not None:
        return goal.decided_quality, goal.decided_note
    return goal.latest_quality, goal.latest_note


def shown_value_source(goal: GoalStatus) -> str | None:
    """The source of the value `latest_text` shows (a milestone's: the record of the year it was done by)."""
    if goal.target_type == "milestone" and goal.facts.get("done_in") is not None:
        return goal.decided_source
    return goal.latest_source


def _value_at_target_year(goal: GoalStatus, unit: dict, lang: str) -> str:
    if goal.target_type == "milestone":
        done_in = goal.facts.get("done_in")
        done = done_in is not None and int(done_in) <= int(goal.target_year)
        return t("value.milestone_done" if done else "verdict.milestone_not_done", lang)
    return value_with_unit(goal.facts.get("verdict_value"), unit, lang)


def verdict_part(goal: GoalStatus, statuses: pd.DataFrame, lang: str, unit: dict, with_value: bool = True) -> str:
    """The status with the year it is about; `with_value=False` leaves out the target year's value (a narrow
    column that shows the latest value beside it: "2022: missed · met in 2023")."""
    word = status_word(goal.status, statuses, lang)
    if not goal.is_goal:
        if goal.status == "no_data":
            return t("verdict.context_no_trend", lang)
        return t("verdict.context" if with_value else "verdict.context_trend", lang, status=word,
                 base_year=goal.base_year)
    target_year = goal.target_year
    if goal.as_of is not None and goal.as_of >= target_year:
        if goal.status == "no_data":
            return t("verdict.no_value", lang, year=target_year)
        text = (t("verdict.at_target_year", lang, year=target_year, value=_value_at_target_year(goal, unit, lang),
                  status=word) if with_value else t("verdict.status_in_year", lang, year=target_year, status=word))
        if goal.met_in:
            text += SEPARATOR + t("overview.met_in", lang, year=int(goal.met_in))
        return text
    return t("verdict.trajectory", lang, status=word, as_of=goal.as_of, target_year=target_year)


def verdict_text(goal: GoalStatus, unit: dict, statuses: pd.DataFrame, lang: str,
                 with_value: bool = True) -> VerdictText:
    """The latest value and the verdict, each naming its year (see the module's docstring)."""
    return VerdictText(latest_text(goal, unit, lang), verdict_part(goal, statuses, lang, unit, with_value))
