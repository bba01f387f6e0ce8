"""Brottsstatistik: reported crime by type, the latest year first, then Brå's months and every year."""

import streamlit as st

from lofte_data.ui import brottsstatistik, state, widgets

sel = state.selection()
widgets.header("Brottsstatistik", sel)

with widgets.section("Anmälda brott"):
    brottsstatistik.stop_without_figures(sel)
    widgets.data_status("bra", "Brå-data")
    widgets.data_status("kolada", "Kolada")
with widgets.section("Senaste år med siffror"):
    brottsstatistik.latest_year(sel)

crime, measure = brottsstatistik.choices(sel)
with widgets.section("Polisens insatser"):
    brottsstatistik.police_effort(sel, crime)
with widgets.section("Månad för månad"):
    brottsstatistik.monthly(sel, crime, measure)

st.subheader("Per år")
with widgets.section("Per år"):
    brottsstatistik.per_year(sel, crime, measure)
st.page_link(
    "pages/jamfor.py",
    label=f"Jämför kommunerna i {sel.kommun.lan_name} per 100 000 inv.",
    icon=":material/leaderboard:",
    query_params={"kommun": sel.kommun.code, "ar": str(sel.year), "niva": "lan", "brott": crime},
)
