"""Brottsstatistik: reported crime by type, the latest year first, then Brå's months and every year."""

import streamlit as st

from lofte_data import comparison, figures
from lofte_data.crime_types import CRIME_TYPES, label
from lofte_data.ui import brottsstatistik, loaders, state, widgets

sel = state.selection()
widgets.header("Brottsstatistik", sel)
code = sel.kommun.code

area_codes = loaders.police_area_codes(sel.kommun)
all_stats = loaders.crime_stats(tuple(area_codes))
stats = all_stats[(all_stats["kommun_code"] == code) & (all_stats["year"] <= sel.year)]
series = loaders.yearly_series(code)
if series.empty and stats.empty:
    st.info(f"Det finns inga siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    st.stop()
widgets.data_status("bra", "Brå-data")
widgets.data_status("kolada", "Kolada")

brottsstatistik.latest_year(sel, series)

present = set(series["crime_type"]) | set(stats["crime_type"])
types = [t.code for t in CRIME_TYPES if t.code in present]
left, right = st.columns([2, 3])
with left:
    crime = state.url_choice("Brottstyp", types, key="brott", default="totalt", format_func=label)
with right:
    measure = state.url_choice(
        "Mått",
        list(figures.MEASURES),
        key="matt",
        default="count",
        radio=True,
        format_func=lambda m: "Antal" if m == "count" else "Per 100 000 inv.",
    )

brottsstatistik.police_effort(sel, crime)
kpis = loaders.kpi_values(tuple([*area_codes, f"00{sel.kommun.lan_code}", "0000"]))
population = comparison.population(all_stats, kpis)
brottsstatistik.monthly(sel, stats, crime, measure, population)

st.subheader("Per år")
if measure == "count":
    brottsstatistik.per_year(sel, series, crime)
else:
    brottsstatistik.rates(sel, all_stats[all_stats["year"] <= sel.year], series, kpis, crime)
    st.caption("Folkmängden är hämtad från Kolada när den finns, annars uppskattad ur Brås antal per 100 000 inv.")
st.page_link(
    "pages/jamfor.py",
    label=f"Jämför kommunerna i {sel.kommun.lan_name} per 100 000 inv.",
    icon=":material/leaderboard:",
    query_params={"kommun": code, "ar": str(sel.year), "niva": "lan", "brott": crime},
)
