"""st.file_uploader in the reader's language.

Streamlit draws the uploader's button ("Upload") and its size line ("200MB per file • CSV, XLSX") in
English whatever the page's language, and the size it names is Streamlit's, not this dashboard's
limit. The widget has no option for either text, so a stylesheet hides both and shows ours.
"""
from __future__ import annotations

import json

import streamlit as st

from twomountains.ingest import reading
from twomountains.ui.session import language, tr

_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {button}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {limits}; font-size: 0.875rem; }}
</style>"""


def _css_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3c ")


def file_uploader(label: str, key: str, types: list[str], help: str | None = None):
    """The uploaded file (or None), with the button and the limits in the page's language."""
    separator = "、" if language() == "zh" else ", "
    limits = tr("upload.widget.limits", mb=f"{reading.max_bytes() / 1024 / 1024:g}", rows=f"{reading.max_rows():,}",
                types=separator.join(t.upper() for t in types))
    st.html(_CSS.format(button=_css_string(tr("upload.widget.button")), limits=_css_string(limits)))
    return st.file_uploader(label, type=types, key=key, help=help)
