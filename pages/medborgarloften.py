"""Medborgarlöften: each focus area's commitments against targets per tertial, next to the crime it targets."""

from datetime import date

import streamlit as st

from lofte_data import followup, formats, tables
from lofte_data.ui import cycle, loaders, medborgarloften, sections, state, widgets

sel = state.selection()
widgets.header("Medborgarlöften", sel)
today = date.today()

promise = loaders.promise(sel.kommun.code, sel.year)
if promise is None:
    sections.no_promise_note(sel)
else:
    st.subheader(widgets.plain(promise.title))
    if promise.summary:
        st.write(widgets.plain(promise.summary))
    facts = [f"Undertecknat {formats.day(promise.signed_date)}"] if promise.signed_date else []
    facts += ["av " + "; ".join(widgets.plain(s) for s in promise.signatories)] if promise.signatories else []
    facts += [f"Följs upp {promise.follow_ups_per_year} gånger per år"] if promise.follow_ups_per_year else []
    on = followup.assessment_date(sel.year, today)
    facts += [f"Läget bedömt {formats.day(on)}"]
    st.caption(" · ".join(facts))
    cycle.frozen_note(sel.kommun.code, sel.year)

    all_ids = tuple(c.id for a in promise.focus_areas for c in a.commitments)
    areas = {a.id: a.name for a in promise.focus_areas}
    notes = loaders.comments(all_ids)
    focus = state.url_choice(
        "Fokusområde",
        [0, *[a.id for a in promise.focus_areas]],
        key="fokus",
        default=0,
        format_func=lambda i: "Alla fokusområden" if i == 0 else areas[i],
    )
    tables_by_area = loaders.follow_up_tables(sel.kommun.code, sel.year, on)
    for number, area in enumerate(promise.focus_areas, start=1):
        if focus in (0, area.id):
            with st.container(border=True):
                sections.focus_area_section(
                    area, number, table=tables_by_area[area.id], notes=notes, kommun_code=sel.kommun.code
                )
    widgets.source_note(loaders.source_titles().get(promise.source_key or "", "registrerat i appen"))
    widgets.download_csv(
        medborgarloften.follow_up_export(sel.kommun.code, sel.year, on),
        filename=f"uppfoljning-{sel.kommun.code}-{sel.year}.csv",
        label="Ladda ned uppföljningen (CSV för Excel)",
    )

st.subheader(f"Över åren: {sel.kommun.name}")
with widgets.section("Över åren"):
    rows = medborgarloften.promise_rows([sel.kommun.code], today)
    st.dataframe(tables.promise_overview(rows), hide_index=True, placeholder="–", width="stretch")
if sel.kommun.police_area:
    st.subheader(f"Lokalpolisområde {sel.kommun.police_area}")
    with widgets.section("Lokalpolisområdet"):
        rows = medborgarloften.promise_rows(loaders.police_area_codes(sel.kommun), today)
        st.dataframe(tables.promise_overview(rows), hide_index=True, placeholder="–", width="stretch")
