"""Brottsstatistik: reported crime per year for the chosen kommun."""

import streamlit as st

from lofte_data import analysis, figures, formats, ui

sel = ui.selection()
ui.header("Brottsstatistik", sel)

stats = ui.crime_stats((sel.kommun.code,))
totals = analysis.yearly_totals(stats)
totals = totals[totals["year"] <= sel.year]
if totals.empty:
    st.info(f"Det finns ännu inga årssiffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    st.stop()

sources = ", ".join(sorted(set(totals["source"])))
first, last = int(totals["year"].min()), int(totals["year"].max())
chart_title = f"Anmälda brott totalt per år, {sel.kommun.name} {first}–{last}"
fig = figures.yearly_totals_bar(totals, title=chart_title, source=f"Källa: {sources}. Orange = preliminär siffra.")
ui.chart(fig)

table = totals.assign(
    År=totals["year"].astype(str),
    Antal=[formats.number(v) for v in totals["count"]],
    Status=["preliminär" if p else "slutlig" for p in totals["preliminary"]],
    Källa=totals["source"],
)[["År", "Antal", "Status", "Källa"]]
st.dataframe(table, hide_index=True, width="stretch")
