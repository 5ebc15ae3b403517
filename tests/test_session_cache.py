"""One cache for data-versioned results (twomountains.ui.session.kept): shared by every session, handed out
without unpickling, and the forum's slides, deck and summary among them."""
from __future__ import annotations

import re

from twomountains.paths import ROOT
from twomountains.ui import forum, session


def test_no_page_or_module_caches_with_st_cache_data():
    """st.cache_data beside kept would be a second mechanism with other rules (pickled copies, no per-run memo)."""
    users = [str(path.relative_to(ROOT)) for folder in ("twomountains", "pages") for path in (ROOT / folder).rglob("*.py")
             if re.search(r"@st\.cache_data\b", path.read_text(encoding="utf-8"))]
    users += ["app.py"] if re.search(r"@st\.cache_data\b", (ROOT / "app.py").read_text(encoding="utf-8")) else []
    assert not users, users


def test_the_forum_slides_are_kept_not_unpickled_at_every_call(demo_db):
    """Two calls at one data version get the same slide objects (st.cache_data gave each an unpickled copy);
    each caller still gets a list of its own."""
    first = forum.slides(2022, "en")
    second = forum.slides(2022, "en")
    assert first is not second and len(first) == len(second) > 5
    assert all(a is b for a, b in zip(first, second))
    assert forum.slides(2022, "zh")[0].title != first[0].title          # the language is part of the key


def _twins_in_one_run():
    import streamlit as st
    from twomountains.ui import session

    def make(module: str):
        def twin(x):
            return module
        twin.__module__ = module
        twin.__qualname__ = "twin"
        return session.kept(twin)

    one, other = make("tests.one"), make("tests.other")
    st.text(one(1))
    st.text(other(1))


def test_a_kept_memo_tells_apart_functions_of_the_same_name_in_two_modules():
    """Within one script run the memo's key names the module too: forum's and session's functions may share a
    name, and one must not be answered with the other's result."""
    from streamlit.testing.v1 import AppTest
    run = AppTest.from_function(_twins_in_one_run, default_timeout=60).run()
    assert not run.exception, run.exception
    assert [element.value for element in run.text] == ["tests.one", "tests.other"]
