"""Entry point: language, navigation and the demo-data notice shared by every page."""
import streamlit as st

from twomountains.database import ensure_database
from twomountains.i18n import LANGUAGES, t
from twomountains.paths import ROOT, db_path
from twomountains.ui.session import language
from twomountains.ui.url_state import adopt_from_url, publish_to_url

st.set_page_config(page_title="武隆两山 · Wulong Two Mountains", page_icon=str(ROOT / "assets" / "icon.png"), layout="wide")

if not db_path().exists():
    with st.spinner(t("app.database_missing", language())):
        ensure_database()

adopt_from_url("lang", list(LANGUAGES))
with st.sidebar:
    lang = st.segmented_control(
        t("app.language", language()), LANGUAGES, key="lang", default="zh", required=True,
        format_func=lambda code: t(f"lang.{code}", code),
    )
publish_to_url("lang", lang)

pages = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:",
            url_path="overview", default=True),
    st.Page("pages/indicator.py", title=t("nav.indicator", lang), icon=":material/monitoring:",
            url_path="indicator"),
]
navigation = st.navigation(pages)
st.sidebar.caption(t("app.demo_banner", lang))
navigation.run()
