"""Plotly figures as PNG and SVG files, made on the server with no network: the same figure the page
shows, drawn by plotly.js in a headless Chromium (Debian's `chromium`) that kaleido drives.

One browser per process, started on the first request and kept for the next ones (starting it takes
seconds, a drawing a fraction of one). plotly.js is loaded from the plotly package and MathJax not at
all, and the browser is given a proxy that does not exist, so it reaches no host, even by accident.
Requests are drawn one at a time; a browser that fails or hangs is closed and started again once.
"""
from __future__ import annotations

import asyncio
import atexit
import functools
import threading
from pathlib import Path

EXPORT_WIDTH = 1000
START_TIMEOUT = 60
DRAW_TIMEOUT = 60
NO_NETWORK = "http://127.0.0.1:9"   # the discard port: a request that tries to leave fails at once


@functools.cache
def available() -> bool:
    """Whether this machine has the Chromium that kaleido drives (`make run` installs Debian's)."""
    try:
        from choreographer.browsers.chromium import Chromium
        return Chromium.find_browser(skip_local=False) is not None
    except Exception:  # noqa: BLE001 - kaleido or its browser finder missing: no files, not an error
        return False


def _plotly_js() -> str:
    import plotly
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(path)
    return str(path)


class _Browser:
    """A headless Chromium on an event loop of its own thread, shared by the sessions of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def _start(self) -> None:
        import kaleido

        async def open_browser():
            browser = kaleido.Kaleido(n=1, timeout=DRAW_TIMEOUT, mathjax=False, plotlyjs=_plotly_js(),
                                      proxy_server=NO_NETWORK)
            await browser.open()
            return browser

        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="figure-export", daemon=True).start()
        self._loop = loop
        self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(START_TIMEOUT)

    def close(self) -> None:
        loop, browser, self._loop, self._kaleido = self._loop, self._kaleido, None, None
        if loop is None:
            return
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
            except Exception:  # noqa: BLE001 - a browser that will not close is left to die with its pipe
                pass
        loop.call_soon_threadsafe(loop.stop)

    def draw(self, figure: dict, opts: dict) -> bytes:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._kaleido is None:
                        self._start()
                    future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(figure, opts=opts), self._loop)
                    return future.result(DRAW_TIMEOUT)
                except Exception:
                    self.close()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")


_BROWSER = _Browser()
atexit.register(_BROWSER.close)


def _figure_dict(figure) -> dict:
    return figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)


def _size(figure: dict, width: int | None) -> tuple[int, int]:
    layout = figure.get("layout", {})
    return int(width or layout.get("width") or EXPORT_WIDTH), int(layout.get("height") or 450)


def png_bytes(figure, width: int | None = EXPORT_WIDTH, scale: float = 2.0) -> bytes:
    spec = _figure_dict(figure)
    w, h = _size(spec, width)
    return _BROWSER.draw(spec, {"format": "png", "width": w, "height": h, "scale": scale})


def svg_bytes(figure, width: int | None = EXPORT_WIDTH) -> bytes:
    spec = _figure_dict(figure)
    w, h = _size(spec, width)
    return _BROWSER.draw(spec, {"format": "svg", "width": w, "height": h, "scale": 1})
