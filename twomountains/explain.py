"""Why a goal has its status, in words a leader understands, built from the numbers that decided it."""
from __future__ import annotations

from twomountains.formatting import number, percent, value_with_unit
from twomountains.i18n import t

VALUE_FACTS = ("latest", "target", "base", "verdict_value", "implied_level", "previous")
RATE_FACTS = ("observed_growth", "required_growth", "target_rate")
PACE_FACTS = ("observed_pace", "required_pace")


def formatted_facts(facts: dict, unit: dict, lang: str) -> dict[str, str]:
    out = {}
    for key, value in facts.items():
        if value is None:
            out[key] = t("value.missing", lang)
        elif key in VALUE_FACTS and unit["style"] == "rank":
            out[key] = number(value, 0)  # the templates say "No. {latest}" / "第{latest}名" themselves
        elif key in VALUE_FACTS:
            out[key] = value_with_unit(value, unit, lang)
        elif key in RATE_FACTS:
            out[key] = percent(value, lang)
        elif key in PACE_FACTS:
            out[key] = number(value, 1)
        elif key == "curvature":
            out[key] = number(value, 2)
        else:
            out[key] = str(value)
    return out


def reason_text(reason: str, facts: dict, ratio: float | None, unit: dict, lang: str) -> str:
    params = formatted_facts(facts, unit, lang)
    params["ratio"] = number(ratio, 2) if ratio is not None else t("value.missing", lang)
    return t(reason, lang, **params)


def lead_units_text(lead_units, departments, lang: str, short: bool = False) -> str:
    """The plan's lead units (牵头单位) for a goal, or a sentence saying the plan names none.

    The catalog lists a lead unit only where part 二 of the plan names one for the task the goal comes
    from; the goals of part 一(三) were never assigned, and the dashboard must not invent an owner."""
    if not isinstance(lead_units, str) or not lead_units:
        return t("verdict.no_lead_unit_short" if short else "verdict.no_lead_unit", lang)
    names = [departments.loc[code, f"name_{lang}"] for code in lead_units.split(";")]
    return ("、" if lang == "zh" else "; ").join(names)
