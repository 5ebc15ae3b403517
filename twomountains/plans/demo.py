"""Demo series for the indicators only later plans track (data/observations/demo_plans.csv).

A generator of its own (own seed, own file), so the base plan's demo series in demo.csv stay exactly as
they were. Every row is quality=demo with the demo source. No official figure has been found for these
indicators (../shared/research/successor-plans.md section 3 gives targets only); were one published, it
would go in published.csv, which wins over demo rows, and its year would be added to the anchors here.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from twomountains.demo import DEMO_SOURCE, DISTRICT, FIRST_YEAR, LAST_YEAR, _interpolate, _row
from twomountains.paths import DATA_DIR
from twomountains.plans import records

SEED = 20250101
NOISE = 0.12  # percentage points (index points for the energy index) on years between anchors
ANCHORS: dict[str, dict[int, float]] = {
    "energy_intensity_index": {2015: 118.0, 2018: 106.0, 2020: 100.0, 2021: 97.2, 2022: 95.0, 2024: 89.5,
                               2025: 87.4},
    "non_fossil_energy_share": {2015: 15.0, 2018: 17.2, 2020: 18.9, 2022: 20.6, 2024: 22.1, 2025: 23.0},
    "bulk_industrial_solid_waste_reuse_rate": {2015: 52.0, 2018: 58.0, 2020: 61.5, 2022: 65.0, 2024: 68.4,
                                               2025: 70.6},
    "strategic_emerging_industry_share": {2015: 5.2, 2018: 7.0, 2020: 8.4, 2022: 10.1, 2024: 11.6, 2025: 12.4},
    "high_tech_industry_share": {2015: 14.0, 2018: 18.5, 2020: 21.0, 2022: 24.3, 2024: 27.9, 2025: 29.6},
}


def generate(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    indicators = records.load(data_dir).indicators.set_index("code")
    rows = []
    for code, anchors in ANCHORS.items():
        unit = indicators.loc[code, "unit"]
        for year, value in _interpolate(anchors, range(FIRST_YEAR, LAST_YEAR + 1)).items():
            if year not in anchors:
                value += rng.normal(0, NOISE)
            rows.append(_row(code, DISTRICT, year, f"{value:.1f}", unit))
    frame = pd.DataFrame(rows)
    assert (frame.source == DEMO_SOURCE).all()
    return frame


def write(path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    path = Path(path) if path else data_dir / "observations/demo_plans.csv"
    generate(data_dir).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
