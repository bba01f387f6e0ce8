"""Medborgarlöften: focus areas, commitments by owner, and what has been done so far."""

import streamlit as st

from lofte_data import analysis, formats, tables, ui
from lofte_data.crime_types import label

sel = ui.selection()
ui.header("Medborgarlöften", sel)

promise = ui.promise(sel.kommun.code, sel.year)
if promise is None:
    years = ui.promise_years(sel.kommun.code)
    others = ", ".join(str(y) for y in years) or "inga år"
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. Registrerade år: {others}.")
    st.stop()

st.subheader(ui.plain(promise.title))
if promise.summary:
    st.write(ui.plain(promise.summary))
facts = []
if promise.signed_date:
    facts.append(f"Undertecknat {formats.day(promise.signed_date)}")
if promise.signatories:
    facts.append("av " + "; ".join(ui.plain(s) for s in promise.signatories))
if promise.follow_ups_per_year:
    facts.append(f"Följs upp {promise.follow_ups_per_year} gånger per år")
if facts:
    st.caption(" · ".join(facts))

tally = analysis.tallies(ui.activities(promise.id))
for number, area in enumerate(promise.focus_areas, start=1):
    with st.container(border=True):
        st.markdown(f"### {number}. {ui.plain(area.name)}")
        if area.description:
            st.markdown(f"**Beskrivning:** {ui.plain(area.description)}")
        if area.cause_analysis:
            st.markdown(f"**Orsaksanalys:** {ui.plain(area.cause_analysis)}")
        if area.crime_types:
            st.caption("Brottstyper som området riktar sig mot: " + ", ".join(label(t) for t in area.crime_types))
        if not area.commitments:
            st.info("Inga åtaganden är registrerade för fokusområdet (handlingsplanen ingår inte i källan).")
            continue
        st.dataframe(tables.commitments(area.commitments, tally), hide_index=True, width="stretch")

sources = ui.source_titles()
ui.source_note(sources.get(promise.source_key or "", "okänd"))
