"""Cached forum slides and exports for the presentation page."""
from __future__ import annotations

import streamlit as st

from twomountains import access
from twomountains.forum import data, deck, slides as slide_builder, summary
from twomountains.paths import db_path
from twomountains.ui.session import data_version


@st.cache_data(show_spinner=False)
def _forum_data(path: str, version: int, as_of: int) -> data.ForumData:
    return data.load(access.database(path).at(version), as_of)


def years() -> list[int]:
    return data.years_available(access.database(db_path()).at(data_version()))


def slides(as_of: int, lang: str) -> list:
    return slide_builder.build(_forum_data(str(db_path()), data_version(), as_of), lang)


@st.cache_data(show_spinner=False)
def _deck(path: str, version: int, as_of: int, lang: str) -> bytes:
    return deck.build_deck(slide_builder.build(_forum_data(path, version, as_of), lang))


@st.cache_data(show_spinner=False)
def _summary(path: str, version: int, as_of: int, lang: str) -> bytes:
    return summary.summary_pdf(_forum_data(path, version, as_of), lang)


# The two files are made when their button is pressed, after the run: from the data as it is then.
def deck_bytes(as_of: int, lang: str) -> bytes:
    return _deck(str(db_path()), access.database(db_path()).version(), as_of, lang)


def summary_bytes(as_of: int, lang: str) -> bytes:
    return _summary(str(db_path()), access.database(db_path()).version(), as_of, lang)
