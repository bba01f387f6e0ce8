"""Översikt: reported crime this year against last year, and the promise of the year at a glance."""

from datetime import date

import streamlit as st

from lofte_data import followup, formats, tables
from lofte_data.ui import cycle, loaders, sections, state, widgets

sel = state.selection()
widgets.header("Översikt", sel)

st.subheader("Anmälda brott")
with widgets.section("Anmälda brott"):
    sections.crime_summary(sel)
st.subheader("Trygghet")
with widgets.section("Trygghet"):
    sections.trygghet(sel)

st.subheader("Medborgarlöfte")
with widgets.section("Medborgarlöfte"):
    promise = loaders.promise(sel.kommun.code, sel.year)
    if promise is None:
        sections.no_promise_note(sel)
        st.stop()
    on = followup.assessment_date(sel.year, date.today())
    signed = f" · undertecknat {formats.day(promise.signed_date)}" if promise.signed_date else ""
    areas = formats.count(len(promise.focus_areas), "fokusområde", "fokusområden")
    st.markdown(f"**{widgets.plain(promise.title)}**{signed} · {areas}")
    cycle.frozen_note(sel.kommun.code, sel.year)
    columns = st.columns(max(len(promise.focus_areas), 1))
    tables_by_area = loaders.follow_up_tables(sel.kommun.code, sel.year, on)
    for column, area in zip(columns, promise.focus_areas, strict=False):
        table = tables_by_area[area.id]
        shown, note = tables.focus_area_card(area, table)
        column.metric(widgets.plain(area.name), shown, delta=note, delta_color="off", delta_arrow="off")
st.page_link(
    "pages/medborgarloften.py", label="Se hela uppföljningen under Medborgarlöften", icon=":material/assignment:"
)
