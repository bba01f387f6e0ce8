"""Medborgarlöften: each focus area's commitments against targets per tertial, next to the crime it targets."""

from datetime import date

import streamlit as st

from lofte_data import figures, followup, formats, tables, trends, ui
from lofte_data.crime_types import label

sel = ui.selection()
ui.header("Medborgarlöften", sel)
today = date.today()

promise = ui.promise(sel.kommun.code, sel.year)
if promise is None:
    years = ui.promise_years(sel.kommun.code)
    others = ", ".join(str(y) for y in years) or "inga år"
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. Registrerade år: {others}.")
else:
    st.subheader(ui.plain(promise.title))
    if promise.summary:
        st.write(ui.plain(promise.summary))
    facts = [f"Undertecknat {formats.day(promise.signed_date)}"] if promise.signed_date else []
    facts += ["av " + "; ".join(ui.plain(s) for s in promise.signatories)] if promise.signatories else []
    facts += [f"Följs upp {promise.follow_ups_per_year} gånger per år"] if promise.follow_ups_per_year else []
    facts += [f"Läget bedömt {formats.day(min(today, date(sel.year, 12, 31)))}"]
    st.caption(" · ".join(facts))

    activities = ui.activities(promise.id)
    stats = ui.crime_stats((sel.kommun.code,))
    yearly = trends.yearly_by_type(stats[stats["year"] <= sel.year])
    all_ids = tuple(c.id for a in promise.focus_areas for c in a.commitments)
    notes = ui.comments(all_ids)
    for number, area in enumerate(promise.focus_areas, start=1):
        with st.container(border=True):
            st.markdown(f"### {number}. {ui.plain(area.name)}")
            if area.description:
                st.markdown(f"**Beskrivning:** {ui.plain(area.description)}")
            if area.cause_analysis:
                st.markdown(f"**Orsaksanalys:** {ui.plain(area.cause_analysis)}")
            if not area.commitments:
                st.info("Inga åtaganden är registrerade för fokusområdet.")
                continue
            table = followup.follow_up_table(area.commitments, activities, year=sel.year, on=today)
            counts = followup.summary(table["status"])
            st.caption(" · ".join(f"{status}: {n}" for status, n in counts.items()))
            ui.follow_up_table(table)
            effort, outcome = st.columns(2)
            with effort:
                if table["total"].sum():
                    ui.chart(figures.tertial_bars(table, title="Utfört per tertial"))
                area_notes = notes[notes["commitment_id"].isin([c.id for c in area.commitments])]
                ui.comment_list(area_notes)
            with outcome:
                linked = yearly[yearly["crime_type"].isin(area.crime_types) & yearly["complete"]]
                if linked.empty:
                    st.caption("Brottstyper: " + (", ".join(label(t) for t in area.crime_types) or "inga kopplade"))
                    st.caption("Inga årssiffror finns för de kopplade brottstyperna.")
                else:
                    frame = linked.assign(label=linked["crime_type"].map(label))
                    sources = ", ".join(sorted(set(linked["source"])))
                    title = "Anmälda brott som området riktar sig mot"
                    ui.chart(figures.crime_types_by_year(frame, title=title, source=f"Källa: {sources}"))
    ui.source_note(ui.source_titles().get(promise.source_key or "", "registrerat i appen"))

st.subheader(f"Över åren: {sel.kommun.name}")
st.dataframe(tables.promise_overview(ui.promise_rows([sel.kommun.code], today)), hide_index=True, width="stretch")
if sel.kommun.police_area:
    st.subheader(f"Lokalpolisområde {sel.kommun.police_area}")
    rows = ui.promise_rows(ui.police_area_codes(sel.kommun), today)
    st.dataframe(tables.promise_overview(rows), hide_index=True, width="stretch")
