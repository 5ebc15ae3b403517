"""Labels made of data text (a goal's, group's or file's name) for the Streamlit calls that read Markdown:
titles, subheaders, page links. Escaped here, once, so a page cannot forget (text.markdown_text)."""
from __future__ import annotations

import streamlit as st

from twomountains.text import markdown_text


def label(*parts, separator: str = " · ") -> str:
    """Data text (several parts joined by `separator`) shown literally wherever Streamlit reads Markdown."""
    return markdown_text(separator.join(str(part) for part in parts))


def subheader(*parts, container=st, separator: str = " · ") -> None:
    container.subheader(label(*parts, separator=separator))


def page_link(page: str, *parts, container=st, separator: str = " · ", **options) -> None:
    """A link to one of the dashboard's pages named by data text (options: icon, query_params, ...)."""
    container.page_link(page, label=label(*parts, separator=separator), **options)
