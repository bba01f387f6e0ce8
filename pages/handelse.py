"""Rapportera händelse: the kommun's reporters log incidents for the lägesbild (EST categories)."""

from datetime import datetime

import streamlit as st

from lofte_data import checks, editing, incidents
from lofte_data.ui import loaders, signin, widgets

page = signin.editor_page("Rapportera händelse")
sel = page.sel
editor = page.editor
store = page.store
places = loaders.places(sel.kommun.code)

report, new_place = st.tabs(["Ny händelse", "Platser"])
with report, st.form("incident", clear_on_submit=True):
    category = st.selectbox("Kategori", incidents.EST_CATEGORIES)
    day_col, time_col = st.columns(2)
    day = day_col.date_input("Datum", value=widgets.default_day(sel.year), format="YYYY-MM-DD")
    clock = time_col.time_input("Klockslag", value=datetime.now().replace(second=0, microsecond=0).time(), step=300)
    names = ["(ingen namngiven plats)", *places["name"]]
    place = st.selectbox("Plats", names, help="Platserna läggs upp under fliken Platser.")
    st.caption("Eller ange koordinater (WGS 84), t.ex. 59.4226 och 16.0970:")
    lat_col, lon_col = st.columns(2)
    lat, lon = lat_col.text_input("Latitud"), lon_col.text_input("Longitud")
    description = st.text_area("Kort beskrivning", max_chars=checks.TEXT_LIMITS["anteckning"])
    if st.form_submit_button("Spara händelse", type="primary"):
        named = places[places["name"] == place]
        if not named.empty and not lat and not lon:
            lat, lon = float(named["lat"].iloc[0]), float(named["lon"].iloc[0])
        fields = {
            "kommun_code": sel.kommun.code,
            "occurred_at": datetime.combine(day, clock),
            "category": category,
            "place": place if not named.empty else "",
            "lat": lat,
            "lon": lon,
            "description": description,
        }
        widgets.attempt(lambda: editing.add_incident(store, editor, **fields), success="Händelsen är sparad.")

with new_place:
    if not places.empty:
        headers = {"name": "Plats", "lat": "Latitud", "lon": "Longitud"}
        st.dataframe(places[list(headers)].rename(columns=headers), hide_index=True, placeholder="–")
    with st.form("place", clear_on_submit=True):
        name = st.text_input("Namn på platsen, t.ex. Torget eller Skolgården vid Kung Karls skola")
        lat_col, lon_col = st.columns(2)
        lat, lon = lat_col.text_input("Latitud", key="place_lat"), lon_col.text_input("Longitud", key="place_lon")
        if st.form_submit_button("Lägg till plats"):
            add = lambda: editing.add_place(store, editor, kommun_code=sel.kommun.code, name=name, lat=lat, lon=lon)  # noqa: E731
            widgets.attempt(add, success="Platsen är tillagd.")
