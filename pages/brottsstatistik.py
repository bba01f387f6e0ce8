"""Brottsstatistik: reported crime by type, month by month and per year, with the change judged against noise."""

import streamlit as st

from lofte_data import comparison, figures, tables, trends
from lofte_data.crime_types import CRIME_TYPES, label
from lofte_data.ui import brottsstatistik, loaders, state, widgets

sel = state.selection()
widgets.header("Brottsstatistik", sel)
code = sel.kommun.code

area_codes = loaders.police_area_codes(sel.kommun)
all_stats = loaders.crime_stats(tuple(area_codes))
stats = all_stats[(all_stats["kommun_code"] == code) & (all_stats["year"] <= sel.year)]
yearly = trends.yearly_by_type(stats)
if yearly.empty:
    st.info(f"Det finns inga siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    st.stop()
widgets.data_status("bra", "Brå-data")

present = set(yearly["crime_type"])
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
months = trends.monthly(stats, crime_type=crime, kommun_codes=[code], population=population)

if months.empty:
    st.info("Det finns inga månadssiffror för perioden; tabellen och månadsdiagrammet kräver månadsdata från Brå.")
else:
    last_year = int(months["year"].max())
    table = trends.year_on_year_table(stats, last_year, kommun_codes=[code], population=population)
    if table.empty:
        st.info(f"Månadssiffror för {last_year - 1} saknas, så perioden kan inte jämföras med året innan.")
        st.stop()
    st.subheader(tables.period_heading(table["period_label"].iloc[0], last_year))
    st.dataframe(tables.year_on_year(table, last_year), hide_index=True, width="stretch")
    st.caption(
        "Förändring = antal i år minus samma period i fjol. Litet underlag: färre än 30 brott året före, "
        "så procenten säger lite. "
        "Bedömningen jämför förändringen med slumpmässig variation (Poisson). Spaningsbrott ökar ofta när polisen "
        "arbetar mer, inte för att brotten blir fler."
    )
    widgets.download_csv(tables.year_on_year_export(table, last_year), filename=f"anmalda-brott-{code}-{last_year}.csv")

    last = months[months["year"] == last_year]
    span = trends.period_label(last_year, int(last["month"].max()), bool(last["preliminary"].any()))
    shown = months[months["year"] > last_year - 4]
    title = f"{label(crime)} månad för månad, {sel.kommun.name}"
    widgets.chart(figures.monthly_lines(shown, measure=measure, title=title, source=f"Källa: Brå, {span}"))
    rolling = trends.rolling_12(stats, crime_type=crime, kommun_codes=[code])
    if rolling is not None:
        st.subheader(f"Rullande 12 månader: {rolling.label}")
        widgets.comparison(rolling, labels=("Senaste 12 månaderna", "12 månaderna före"))

st.subheader("Per år")
if measure == "count":
    rows = yearly[yearly["crime_type"] == crime]
    sources = ", ".join(sorted(set(rows["source"])))
    fig = figures.yearly_bars(rows, title=f"{label(crime)} per år, {sel.kommun.name}", source=f"Källa: {sources}")
    widgets.chart(fig)
    st.caption(
        "Orange stapel: preliminär siffra eller ofullständigt år. Välj Per 100 000 inv. för att jämföra med "
        "lokalpolisområdet, länet och riket."
    )
else:
    rates = comparison.yearly_rates(
        all_stats[all_stats["year"] <= sel.year],
        kpis,
        crime_type=crime,
        kommun=(code, sel.kommun.name),
        police_area=(sel.kommun.police_area, area_codes),
        regions=[(f"00{sel.kommun.lan_code}", sel.kommun.lan_name), ("0000", "Riket")],
    )
    title = f"{label(crime)} per 100 000 inv., {sel.kommun.name} och omgivning"
    widgets.chart(
        figures.comparison_lines(
            rates,
            title=title,
            source="Källa: Brå (kommun, lokalpolisområde)"
            + (", Kolada (län, riket)" if "Kolada" in set(rates["source"]) else ""),
        )
    )
    if "Kolada" not in set(rates["source"]):
        st.caption("Länet och riket visas när en redaktör har hämtat nyckeltal från Kolada under Importera data.")
    st.caption("Folkmängden är hämtad från Kolada när den finns, annars uppskattad ur Brås antal per 100 000 inv.")
