"""Forum presentation: full screen, the slides of the deck one at a time, driven by keys or a clicker;
with ?notes=1 the speaker notes of the slide the presentation shows, for a second window."""
import time

import streamlit as st

from twomountains.charts.slide_chart import slide_figure
from twomountains.forum import live
from twomountains.ui import forum, plans_ui
from twomountains.ui.downloads import figure_buttons
from twomountains.ui.session import language, tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = language()
DENSE = 6  # more list lines than this: the list wider, in two columns, the chart narrower
# px: the figure's own height, that of its PNG and SVG files. On the page the chart's box is sized by the
# window's height instead (forum.PRESENT_CSS) and Streamlit's plotly element redraws the figure to that box.
CHART_HEIGHT = {False: 520, True: 470}
st.html(forum.PRESENT_CSS)

years = forum.years()
adopt_from_url("as_of", years, int, key="present.as_of")
forum_date = forum.forum_date()

if st.query_params.get("notes") == "1":
    forum.notes_window(lang)
    st.stop()

plan = plans_ui.adopt("present.plan")  # the picker is in the settings below
slides = forum.slides(st.session_state.get("present.as_of", years[0]), lang, forum_date, plan)
total = len(slides)
# A press of a button or key wins over the link, which may still carry the slide before it.
if not st.session_state.pop("present.moved", False):
    adopt_from_url("slide", list(range(1, total + 1)), int, key="present.slide")
index = min(max(st.session_state.get("present.slide", 1), 1), total)
talk = forum.talk()


def move(step: int) -> None:
    st.session_state["present.slide"] = min(max(index + step, 1), total)
    st.session_state["present.moved"] = True


slide = slides[index - 1]
scale = forum.chart_scale()
figure = file_figure = None
if slide.kind in ("cover", "closing"):
    forum.cover(slide)
elif slide.kind == "headline":
    forum.header(slide)
    forum.headline(slide)
else:
    forum.header(slide)
    dense = len(slide.bullets) > DENSE
    # A dense list gets the wider column; a map the widest chart (it keeps its proportions).
    text, chart = st.columns([2, 1] if dense else [1, 2] if slide.chart and slide.chart.kind == "map" else [2, 3],
                             gap="large")
    with text:
        forum.side_panel(slide, dense)
    if slide.chart is not None:
        figure = slide_figure(slide.chart, height=CHART_HEIGHT[dense], narrow=dense, scale=scale)
        # The files are drawn at their own size: the lettering of 1280x720.
        file_figure = figure if scale == 1 else slide_figure(slide.chart, height=CHART_HEIGHT[dense], narrow=dense)
        # No Streamlit theme: the hall sees the figure as its PNG and SVG files are drawn (only taller on a
        # tall screen). The container's key is what the CSS sizes; the chart's own key changes with the slide.
        chart.container(key="slide_chart").plotly_chart(
            figure, theme=None, config={"displaylogo": False, "displayModeBar": False},
            key=f"slide_chart_{slide.key}")

# The control bar stays at the foot of the screen on every slide (st.bottom), with the demonstration notice.
with st.bottom:
    bar = st.container(key="present_bar")
    previous, counter, following, switch, notes, settings = bar.columns([1.7, 1.5, 1.7, 2, 2, 2.6],
                                                                         vertical_alignment="center")
    # ← and → through Streamlit's own shortcuts; Page Up / Page Down (what a clicker sends) in forum.keys().
    previous.button(tr("present.previous"), icon=":material/chevron_left:", on_click=move, args=(-1,),
                    disabled=index == 1, width="stretch", key="present_previous", shortcut="Left")
    counter.container(key="slide_counter").markdown(tr("present.counter", n=index, total=total))
    following.button(tr("present.next"), icon=":material/chevron_right:", on_click=move, args=(1,),
                     disabled=index == total, width="stretch", key="present_next", shortcut="Right")
    forum.language_switch(switch, lang)
    notes.link_button(tr("present.notes_window"), forum.notes_link(talk, lang), icon=":material/speaker_notes:",
                      help=tr("present.notes_help"), width="stretch")
    with settings.popover(tr("present.controls"), icon=":material/settings:", width="stretch"):
        plans_ui.plan_picker("present.plan")
        st.selectbox(tr("present.as_of"), years, key="present.as_of")
        st.date_input(tr("present.forum_date"), key="present.forum_date")
        auto = st.toggle(tr("present.auto"), key="present.auto")
        seconds = st.slider(tr("present.seconds"), 5, 60, 15, key="present.seconds")
        chosen_year = st.session_state["present.as_of"]
        # Callables: the deck and the PDF are made only when someone clicks.
        st.download_button(tr("present.download_deck"), lambda: forum.deck_bytes(chosen_year, lang, forum_date, plan),
                           file_name=f"wulong-two-mountains-{chosen_year}-{lang}{plans_ui.file_suffix(plan)}.pptx",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           icon=":material/slideshow:")
        st.download_button(tr("present.download_summary"), lambda: forum.summary_bytes(chosen_year, lang, plan),
                           file_name=f"wulong-two-mountains-summary-{chosen_year}-{lang}{plans_ui.file_suffix(plan)}.pdf",
                           mime="application/pdf", icon=":material/picture_as_pdf:")
        if file_figure is not None:
            st.caption(tr("present.chart_files"))
            figure_buttons(file_figure, f"wulong-{slide.key}-{chosen_year}-{lang}", key=f"slide_chart_file_{slide.key}")
        st.caption(tr("present.keys"))
        st.page_link("pages/overview.py", label=tr("nav.overview"), icon=":material/dashboard:",
                     query_params={"lang": lang, **plans_ui.link_params(plan)})
    forum.footer(bar, slide, lang)

forum.keys()
forum.scroll_to_top(index)
live.show(talk, index, total, st.session_state["present.as_of"], forum_date.isoformat(), plan)
publish_to_url("slide", index)
publish_to_url("as_of", st.session_state["present.as_of"])
publish_to_url("date", forum_date.isoformat())
publish_to_url("talk", talk)

if auto:
    @st.fragment(run_every=seconds)
    def advance() -> None:
        started = st.session_state.setdefault("present.shown_at", time.monotonic())
        if time.monotonic() - started >= seconds - 0.5:
            st.session_state["present.shown_at"] = time.monotonic()
            st.session_state["present.slide"] = index % total + 1
            st.rerun()
    advance()
