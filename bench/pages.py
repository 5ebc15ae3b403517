"""Server-side run time of each page: the whole script run for one view, through AppTest.

Cold: caches cleared before the run (first visit after a start or an upload). Warm: caches filled
(every later visit). Run in a subprocess per database, so the database and caches of one size do not
leak into the next.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from twomountains.paths import DB_ENV_VAR, ROOT

VIEWS = [
    ("overview", None, {}),
    ("indicator", "pages/indicator.py", {"indicator": "forest_cover"}),
    ("indicator_tourism", "pages/indicator.py", {"indicator": "tourism_revenue"}),
    ("tourism", "pages/tourism.py", {}),
    ("ecology", "pages/ecology.py", {}),
    ("map", "pages/map.py", {}),
    ("present", "pages/present.py", {}),
    ("tasks", "pages/tasks.py", {}),
]


def _measure(repeats: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = {}
    for name, page, query in VIEWS:
        if page and not (ROOT / page).exists():
            continue

        def run_once(clear: bool) -> float:
            test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            for key, value in query.items():
                test.query_params[key] = value
            if page:
                test.run()
                test.switch_page(str(ROOT / page))
            if clear:
                st.cache_data.clear()
            started = time.perf_counter()
            test.run()
            elapsed = time.perf_counter() - started
            assert not test.exception, (name, test.exception)
            return elapsed

        run_once(False)  # imports and first compilation
        cold = [run_once(True) for _ in range(repeats)]
        warm = [run_once(False) for _ in range(repeats)]
        results[name] = {"cold": cold, "warm": warm}
    return results


def measure(db_path, repeats: int = 5) -> dict:
    """{view: {"cold": [seconds…], "warm": [seconds…]}} for the database at db_path."""
    env = {**os.environ, DB_ENV_VAR: str(db_path)}
    output = subprocess.run([sys.executable, "-m", "bench.pages", str(repeats)], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def summary(samples: list[float]) -> str:
    median = statistics.median(samples)
    return f"{median:.3f} s (min {min(samples):.3f}, max {max(samples):.3f}, n={len(samples)})"


if __name__ == "__main__":
    print(json.dumps(_measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
