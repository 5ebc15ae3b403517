"""How a goal's status was computed, for the detail page: the rule in words and the numbers that went in."""
from __future__ import annotations

from twomountains.explain import formatted_facts
from twomountains.formatting import number
from twomountains.i18n import t
from twomountains.progress import MODERATE_RATIO, ON_TRACK_RATIO

# Facts shown, in reading order; each has a label method.fact.<key> that may use the years in the facts.
SHOWN_FACTS = ("base", "latest", "target", "target_rate", "required_growth", "observed_growth",
               "required_pace", "observed_pace", "implied_level", "verdict_value", "met_in", "done_in")


def rule_text(target_type: str, base_year: int, target_year: int, lang: str, year_on_year: bool = False) -> str:
    """The rule for this kind of target, with its thresholds (and the 逐年 rule where the plan asks for it)."""
    rule = t(f"method.rule.{target_type}", lang, base_year=base_year, target_year=target_year,
             on_track=number(ON_TRACK_RATIO, 2), moderate=number(MODERATE_RATIO, 2))
    return rule + (" " if lang == "en" else "") + t("method.rule.year_on_year", lang) if year_on_year else rule


def fact_rows(facts: dict, ratio: float | None, unit: dict, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the numbers behind the status, formatted for the reader."""
    shown = formatted_facts(facts, unit, lang)
    years = {key: facts.get(key, "") for key in ("base_year", "latest_year", "target_year")}
    rows = [(t(f"method.fact.{key}", lang, **years), shown[key]) for key in SHOWN_FACTS
            if key in facts and facts[key] is not None]
    if ratio is not None:
        rows.append((t("method.fact.ratio", lang), number(ratio, 2)))
    return rows
