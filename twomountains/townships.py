"""Township breakdowns across the township reform of 2020-04-22.

Before the reform some series were reported by units that no longer exist (羊角镇 and 土坎镇 merged
into 羊角街道; 仙女山镇 and 凤来乡 became 仙女山街道 and 凤来镇). A breakdown shows every value
under today's unit where that is honest:

- `same`: the unit did not change.
- `renamed`: one old unit became one new unit with the same territory; the old value is shown under
  the successor.
- `merged`: several old units became one; for an additive quantity (a count, visits, revenue) their
  values are added up under the successor.
- `apart`: several old units became one and the quantity is not additive (a rate or a share, which
  would need the units' areas or populations to combine): the old units are kept as rows of their
  own, labelled with their successor.
"""
from __future__ import annotations

import re

import pandas as pd

# Quantities that add up across townships; rates and shares (percent, m² per person) do not.
ADDITIVE_UNITS = frozenset({"count", "routes", "rivers", "forums", "10k_visits", "100m_yuan"})
TREATMENTS = ("same", "renamed", "merged", "apart")


def is_additive(unit_code: str) -> bool:
    return unit_code in ADDITIVE_UNITS


def predecessors(regions: pd.DataFrame) -> dict[str, list[str]]:
    """Today's unit → the old units that became it (only units the reform changed)."""
    out: dict[str, list[str]] = {}
    for row in regions[regions.successor_code.notna() & (regions.level == "township")].itertuples():
        out.setdefault(row.successor_code, []).append(row.code)
    return {code: sorted(olds) for code, olds in out.items()}


def by_successor(values: pd.DataFrame, regions: pd.DataFrame, additive: bool) -> pd.DataFrame:
    """Township values mapped onto today's units.

    `values` has region_code, year, value, quality, source. The result has unit_code (the row's
    unit: today's unit, or the old unit itself when `apart`), successor_code (today's unit),
    year, value, quality, source, treatment and members (the reporting units, joined by ';').
    """
    columns = ["unit_code", "successor_code", "year", "value", "quality", "source", "treatment", "members"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    old_of = predecessors(regions)
    successor = {old: new for new, olds in old_of.items() for old in olds}
    rows = []
    for year, group in values.groupby("year", sort=True):
        by_new: dict[str, list] = {}
        for row in group.itertuples():
            by_new.setdefault(successor.get(row.region_code, row.region_code), []).append(row)
        for new_code, reported in sorted(by_new.items()):
            codes = sorted(r.region_code for r in reported)
            if codes == [new_code]:
                treatment = "same"
            elif len(old_of.get(new_code, [])) == 1:
                treatment = "renamed"
            elif additive:
                treatment = "merged"
            else:
                treatment = "apart"
            if treatment == "apart":
                for r in sorted(reported, key=lambda r: r.region_code):
                    rows.append([r.region_code, new_code, int(year), float(r.value), r.quality, r.source,
                                 treatment, r.region_code])
                continue
            quality = "demo" if any(r.quality == "demo" for r in reported) else min(r.quality for r in reported)
            rows.append([new_code, new_code, int(year), float(sum(r.value for r in reported)), quality,
                         "; ".join(sorted({r.source for r in reported})), treatment, ";".join(codes)])
    return pd.DataFrame(rows, columns=columns)


def unit_label(unit_code: str, successor_code: str, treatment: str, members: str,
               names: dict[str, str], templates: dict[str, str]) -> str:
    """A row label in the reader's language: the unit's name, and what the reform did to it.

    `names` maps region codes to names; `templates` holds the translated patterns for the
    treatments other than `same`, with {name}, {successor} and {members} placeholders.
    """
    if treatment == "same":
        return names[unit_code]

    def bare(code):  # "Xiannüshan Town (before 2020)" → "Xiannüshan Town": the label says when itself
        return _TRAILING_NOTE.sub("", names[code])

    member_names = templates.get("separator", "、").join(bare(c) for c in members.split(";"))
    return templates[treatment].format(name=bare(unit_code), successor=bare(successor_code), members=member_names)


_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]$")


def latest_by_unit(mapped: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """For each row unit, its value in the latest year up to `as_of` (old units keep their last year)."""
    shown = mapped[mapped.year <= as_of].sort_values("year")
    return shown.groupby("unit_code", as_index=False).tail(1).reset_index(drop=True)


def wide_by_year(mapped: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """One row per unit, one column per year up to `as_of`: the sortable table of a breakdown."""
    shown = mapped[mapped.year <= as_of]
    if shown.empty:
        return pd.DataFrame()
    table = shown.pivot_table(index=["unit_code", "successor_code"], columns="year", values="value",
                              aggfunc="first")
    table.columns = [str(c) for c in table.columns]
    table = table.reset_index()
    changed = shown[shown.treatment != "same"].groupby("unit_code")[["treatment", "members"]].first()
    table.insert(2, "treatment", table.unit_code.map(changed.treatment).fillna("same"))
    table.insert(3, "members", table.unit_code.map(changed.members).fillna(table.unit_code))
    return table
