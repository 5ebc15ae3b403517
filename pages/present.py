"""Forum presentation: full screen, large type, the slides of the deck one at a time."""
import time

import streamlit as st

from twomountains.charts.slide_chart import slide_figure
from twomountains.text import markdown_text
from twomountains.ui import forum, plans_ui
from twomountains.ui.downloads import figure_buttons
from twomountains.ui.session import language, tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = language()
DENSE = 6  # more bullets than this: text wider, in two columns, chart smaller
# px: the figure's own height, that of its PNG and SVG files. On the page the chart's box is sized by the
# window's height instead (forum.PRESENT_CSS) and Streamlit's plotly element redraws the figure to that box.
CHART_HEIGHT = {False: 520, True: 470}
st.html(forum.PRESENT_CSS)

years = forum.years()
adopt_from_url("as_of", years, int, key="present.as_of")
plan = plans_ui.adopt("present.plan")  # the picker is in the settings below
slides = forum.slides(st.session_state.get("present.as_of", years[0]), lang, plan)
total = len(slides)
adopt_from_url("slide", list(range(1, total + 1)), int, key="present.slide")
index = min(max(st.session_state.get("present.slide", 1), 1), total)


def move(step: int) -> None:
    st.session_state["present.slide"] = min(max(index + step, 1), total)


slide = slides[index - 1]
st.title(markdown_text(slide.title))
if slide.subtitle:
    st.subheader(markdown_text(slide.subtitle))
figure = None
if slide.chart is None:
    for line in slide.bullets:
        st.markdown(markdown_text(line))
else:
    dense = len(slide.bullets) > DENSE
    text, chart = st.columns([3, 2] if dense else [2, 3], gap="large")
    text.container(key="slide_text_dense" if dense else "slide_text").markdown(
        "\n".join(f"- {markdown_text(line)}" for line in slide.bullets))
    figure = slide_figure(slide.chart, height=CHART_HEIGHT[dense])
    # No Streamlit theme: the hall sees the figure as its PNG and SVG files are drawn (only taller on a
    # tall screen). The container's key is what the CSS sizes; the chart's own key changes with the slide.
    chart.container(key="slide_chart").plotly_chart(
        figure, theme=None, config={"displaylogo": False, "displayModeBar": False}, key=f"slide_chart_{slide.key}")

st.divider()
previous, counter, following, notes, settings = st.columns([2, 3, 2, 2, 2], vertical_alignment="center")
previous.button(tr("present.previous"), icon=":material/chevron_left:", on_click=move, args=(-1,),
                disabled=index == 1, width="stretch")
counter.container(key="slide_counter").markdown(tr("present.counter", n=index, total=total))
following.button(tr("present.next"), icon=":material/chevron_right:", on_click=move, args=(1,),
                 disabled=index == total, width="stretch")
with notes.popover(tr("present.notes"), icon=":material/speaker_notes:", width="stretch"):
    st.text(slide.notes)
with settings.popover(tr("present.controls"), icon=":material/settings:", width="stretch"):
    plans_ui.plan_picker("present.plan")
    st.selectbox(tr("present.as_of"), years, key="present.as_of")
    auto = st.toggle(tr("present.auto"), key="present.auto")
    seconds = st.slider(tr("present.seconds"), 5, 60, 15, key="present.seconds")
    chosen_year = st.session_state["present.as_of"]
    # Callables: the deck and the PDF are made only when someone clicks.
    st.download_button(tr("present.download_deck"), lambda: forum.deck_bytes(chosen_year, lang, plan),
                       file_name=f"wulong-two-mountains-{chosen_year}-{lang}{plans_ui.file_suffix(plan)}.pptx",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       icon=":material/slideshow:")
    st.download_button(tr("present.download_summary"), lambda: forum.summary_bytes(chosen_year, lang, plan),
                       file_name=f"wulong-two-mountains-summary-{chosen_year}-{lang}{plans_ui.file_suffix(plan)}.pdf",
                       mime="application/pdf", icon=":material/picture_as_pdf:")
    if figure is not None:
        st.caption(tr("present.chart_files"))
        figure_buttons(figure, f"wulong-{slide.key}-{chosen_year}-{lang}", key=f"slide_chart_file_{slide.key}")
    st.page_link("pages/overview.py", label=tr("nav.overview"), icon=":material/dashboard:",
                 query_params={"lang": lang, **plans_ui.link_params(plan)})
forum.scroll_to_top(index)
publish_to_url("slide", index)
publish_to_url("as_of", st.session_state["present.as_of"])

if auto:
    @st.fragment(run_every=seconds)
    def advance() -> None:
        started = st.session_state.setdefault("present.shown_at", time.monotonic())
        if time.monotonic() - started >= seconds - 0.5:
            st.session_state["present.shown_at"] = time.monotonic()
            st.session_state["present.slide"] = index % total + 1
            st.rerun()
    advance()
