"""Start the dashboard: `python -m twomountains.serve [streamlit options]` (what `make run` does).

The same as `streamlit run app.py`, except that Streamlit's old pages-folder mode is switched off before
the first session starts. Streamlit keeps that mode while a `pages/` folder exists and no session has
called st.navigation yet, so the first visitor of a fresh server who opens a shared page link would
run the page file on its own; twomountains.ui.entry puts that right with a rerun, which can drop that
visitor's first click. Started here, no session ever sees the old mode; the guard stays for servers
started with plain `streamlit run app.py`.

Streamlit's own upload limit (server.maxUploadSize, 20 MB in .streamlit/config.toml: the dashboard's
limit, so a larger file is refused before it is held in the server's memory) follows
$TWOMOUNTAINS_UPLOAD_MAX_MB when an operator raises the dashboard's limit.
"""
from __future__ import annotations

import math
import os
import sys

from twomountains.paths import ROOT


def main(options: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False   # no public setting; read once, when it is still None
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *upload_limit(options), *options]
    return cli.main()


def upload_limit(options: list[str]) -> list[str]:
    """--server.maxUploadSize from the dashboard's limit when it is raised in the environment (and not given)."""
    from twomountains.ingest.reading import MAX_MB_ENV_VAR, max_bytes
    if not os.environ.get(MAX_MB_ENV_VAR) or any(o.startswith("--server.maxUploadSize") for o in options):
        return []
    return [f"--server.maxUploadSize={math.ceil(max_bytes() / 1024 / 1024)}"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
