"""Översikt: reported crime this year against last year, and the promise of the year at a glance."""

import streamlit as st

from lofte_data import analysis, formats, ui

sel = ui.selection()
ui.header("Översikt", sel)

st.subheader("Anmälda brott")
ui.crime_summary(sel)

st.subheader("Medborgarlöfte")
promise = ui.promise(sel.kommun.code, sel.year)
if promise is None:
    ui.no_promise_note(sel)
    st.stop()

tally = analysis.tallies(ui.activities(promise.id))
signed = f" · undertecknat {formats.day(promise.signed_date)}" if promise.signed_date else ""
st.markdown(
    f"**{ui.plain(promise.title)}**{signed} · {formats.count(len(promise.focus_areas), 'fokusområde', 'fokusområden')}"
)
columns = st.columns(max(len(promise.focus_areas), 1))
for column, area in zip(columns, promise.focus_areas, strict=False):
    reported = sum(1 for c in area.commitments if tally.get(c.id, 0) > 0)
    if area.commitments:
        shown = formats.count(len(area.commitments), "åtagande", "åtaganden")
        note = f"{reported} med rapporterade aktiviteter"
    else:
        shown, note = "–", "åtaganden saknas i källan"
    column.metric(ui.plain(area.name), shown, delta=note, delta_color="off", delta_arrow="off")
st.page_link(
    "pages/medborgarloften.py", label="Se hela uppföljningen under Medborgarlöften", icon=":material/assignment:"
)
