"""When a Streamlit page in Chromium has settled: the script has finished running and the page has stopped
changing. The browser tests wait for it (conftest.wait_for_app); the benchmarks also read when it happened
(bench/browser.py: the upload preview's time to the whole page drawn).
"""
from __future__ import annotations

import time

# One snapshot of the page: [script running (Streamlit's status widget shows its running icon and Stop button
# 0.5 s into a run), elements left from the previous run (Streamlit marks every element stale the moment a
# rerun is requested, until the run draws it anew or ends), loading skeletons, text length, element count,
# plotly charts not yet drawn, data frames not yet drawn (a table in a tab not shown draws no canvas: a change
# of the snapshot, never a wait), images loaded].
APP_STATE = """() => [
    !!document.querySelector('[data-testid="stStatusWidget"] button, [data-testid="stStatusWidget"] img,'
                             + ' [data-testid="stStatusWidgetRunningIcon"]'),
    document.querySelectorAll('[data-stale="true"]').length,
    document.querySelectorAll('[data-testid="stSkeleton"]').length,
    document.body.innerText.length,
    document.querySelectorAll('.stElementContainer').length,
    document.querySelectorAll('[data-testid="stPlotlyChart"]').length
        - document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length / 2,
    document.querySelectorAll('[data-testid="stDataFrame"]').length
        - document.querySelectorAll('[data-testid="stDataFrame"] canvas').length,
    [...document.querySelectorAll('[data-testid="stImage"] img')].filter(i => i.complete && i.naturalWidth > 0)
        .length]"""


def _quiet(state: list) -> bool:
    """Nothing running, nothing stale, no skeleton, something drawn and every plotly chart drawn."""
    running, stale, skeletons, elements, charts_pending = state[0], state[1], state[2], state[4], state[5]
    return not running and not stale and not skeletons and elements > 0 and charts_pending <= 0


def settled_at(page, quiet: float = 1.0, poll: float = 0.05, timeout: float = 120.0) -> float:
    """The moment (time.perf_counter()) the page settled: the start of a `quiet`-second stretch, polled every
    `poll` seconds, in which the snapshot stayed the same and quiet. Without the running and stale marks a run
    that pauses (a slow query on a loaded machine) looked finished. TimeoutError after `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    previous, since = None, time.perf_counter()
    while time.perf_counter() < deadline:
        state = page.evaluate(APP_STATE)
        now = time.perf_counter()
        if state != previous or not _quiet(state):
            previous, since = state, now
        elif now - since >= quiet:
            return since
        page.wait_for_timeout(poll * 1000)
    raise TimeoutError(f"the page kept changing or running: {page.url} {previous}")
