"""Jämför kommuner: the kommuner of the län or of Riket ranked per 100 000 inv, latest year vs the year before."""

import streamlit as st

from lofte_data import overview
from lofte_data.crime_types import CRIME_TYPES, label
from lofte_data.ui import jamfor, loaders, state, widgets

sel = state.selection()
widgets.header("Jämför kommuner", sel)

left, right = st.columns([2, 3])
with left:
    names = {"lan": f"Kommunerna i {sel.kommun.lan_name}", "riket": "Alla kommuner i riket"}
    level = state.url_choice("Jämför", list(names), key="niva", default="lan", radio=True, format_func=names.get)
kommuner = jamfor.area_codes(sel, level)
rates = loaders.overview_rates(tuple(sorted(kommuner)), sel.year)
present = set(rates.loc[rates["per_100k"].notna(), "crime_type"])
with right:
    types = [t.code for t in CRIME_TYPES if t.code in present] or ["totalt"]
    crime = state.url_choice("Brottstyp", types, key="brott", default="totalt", format_func=label)

ranked = overview.ranking(rates, kommuner, crime_type=crime, up_to=sel.year)
if ranked.empty:
    st.info(
        f"Det finns inga siffror per 100 000 invånare för {label(crime).lower()} "
        f"{sel.year - loaders.OVERVIEW_YEARS}–{sel.year}. "
        "Brås helår läses in under Importera data, Koladas nyckeltal hämtas där eller schemalagt."
    )
    st.stop()
jamfor.ranking_table(sel, ranked, crime, overview.LEVELS[level])
