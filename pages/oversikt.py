"""Översikt: reported crime this year against last year, and the promise of the year at a glance."""

import streamlit as st

from lofte_data import analysis, formats
from lofte_data.ui import loaders, sections, state, widgets

sel = state.selection()
widgets.header("Översikt", sel)

st.subheader("Anmälda brott")
sections.crime_summary(sel)

st.subheader("Medborgarlöfte")
promise = loaders.promise(sel.kommun.code, sel.year)
if promise is None:
    sections.no_promise_note(sel)
    st.stop()

tally = analysis.tallies(loaders.activities(promise.id))
signed = f" · undertecknat {formats.day(promise.signed_date)}" if promise.signed_date else ""
areas = formats.count(len(promise.focus_areas), "fokusområde", "fokusområden")
st.markdown(f"**{widgets.plain(promise.title)}**{signed} · {areas}")
columns = st.columns(max(len(promise.focus_areas), 1))
for column, area in zip(columns, promise.focus_areas, strict=False):
    reported = sum(1 for c in area.commitments if tally.get(c.id, 0) > 0)
    if area.commitments:
        shown = formats.count(len(area.commitments), "åtagande", "åtaganden")
        note = f"{reported} med rapporterade aktiviteter"
    else:
        shown, note = "–", "åtaganden saknas i källan"
    column.metric(widgets.plain(area.name), shown, delta=note, delta_color="off", delta_arrow="off")
st.page_link(
    "pages/medborgarloften.py", label="Se hela uppföljningen under Medborgarlöften", icon=":material/assignment:"
)
