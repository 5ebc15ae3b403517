"""Start the dashboard: `python -m twomountains.serve [streamlit options]` (what `make run` does).

The same as `streamlit run app.py`, except that Streamlit's old pages-folder mode is switched off before
the first session starts. Streamlit keeps that mode while a `pages/` folder exists and no session has
called st.navigation yet, so the first visitor of a fresh server who opens a shared page link would
run the page file on its own; twomountains.ui.entry puts that right with a rerun, which can drop that
visitor's first click. Started here, no session ever sees the old mode; the guard stays for servers
started with plain `streamlit run app.py`.
"""
from __future__ import annotations

import sys

from twomountains.paths import ROOT


def main(options: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False   # no public setting; read once, when it is still None
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *options]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
