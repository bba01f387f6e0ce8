"""Sections of the Brottsstatistik page (streamlit): the latest year, Brå's months, the years, police effort.
Each section reads its own (cached) data, so one that cannot be read leaves the others on the page."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import analysis, comparison, cycle, figures, formats, tables, trends, yearly
from lofte_data.crime_types import CRIME_TYPES, is_surveillance, label
from lofte_data.errors import LofteError
from lofte_data.ui import cycle as cycle_ui
from lofte_data.ui import loaders, state, widgets


def _area_stats(sel: state.Selection) -> pd.DataFrame:
    """Brå's rows for every kommun of the lokalpolisområde, every year (also those after the selected one)."""
    return loaders.crime_stats(tuple(loaders.police_area_codes(sel.kommun)))


def _own_stats(sel: state.Selection) -> pd.DataFrame:
    """Brå's rows for the kommun up to the selected year."""
    stats = _area_stats(sel)
    return stats[(stats["kommun_code"] == sel.kommun.code) & (stats["year"] <= sel.year)]


def _area_kpis(sel: state.Selection) -> pd.DataFrame:
    """Kolada's values for the lokalpolisområde, the län and Riket (rates and population)."""
    return loaders.kpi_values(tuple([*loaders.police_area_codes(sel.kommun), f"00{sel.kommun.lan_code}", "0000"]))


def stop_without_figures(sel: state.Selection) -> None:
    """Say so and end the page when no source has any figure for the kommun up to the selected year."""
    if loaders.yearly_series(sel.kommun.code).empty and _own_stats(sel).empty:
        st.info(f"Det finns inga siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
        st.stop()


def choices(sel: state.Selection) -> tuple[str, str]:
    """The crime type (those with figures; every type when the figures cannot be read) and the measure."""
    try:
        present = set(loaders.yearly_series(sel.kommun.code)["crime_type"]) | set(_own_stats(sel)["crime_type"])
    except LofteError:  # the sections below say what failed; the choice still works
        present = {t.code for t in CRIME_TYPES}
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
    return crime, measure


def police_effort(sel: state.Selection, crime_type: str) -> None:
    """For a spaningsbrott, the matching work recorded in the year's promise: a rise may be that work."""
    if not is_surveillance(crime_type):
        return
    item = loaders.promise(sel.kommun.code, sel.year)
    if item is None:
        return
    tally = analysis.tallies(loaders.activities(item.id))
    related = {crime_type} | (
        {"narkotika", "alkohol_narkotika"} if crime_type in ("narkotika", "alkohol_narkotika") else set()
    )
    lines = [
        f"{formats.number(tally[c.id])} {c.unit or 'st'}: {widgets.plain(c.text)}"
        for area in item.focus_areas
        if related & set(area.crime_types)
        for c in area.commitments
        if tally.get(c.id)
    ]
    if lines:
        st.info(
            f"**{label(crime_type)} är ett spaningsbrott.** Registrerad polisaktivitet i löftet {sel.year}: "
            + "; ".join(lines)
            + ". Fler kontroller ger ofta fler anmälda brott.",
            icon=":material/policy:",
        )


# The tables and series below are computed once per kommun (and year, crime type) and kept until the next write
# clears every cache: computed on every rerun they were most of the page's server time.


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def _latest_table(kommun_code: str, up_to: int) -> pd.DataFrame:
    return yearly.latest_year_table(yearly.without_aliases(loaders.yearly_series(kommun_code)), up_to=up_to)


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def _population(sel: state.Selection) -> pd.DataFrame:
    return comparison.population(_area_stats(sel), _area_kpis(sel))


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def _months(sel: state.Selection, crime: str) -> tuple[pd.DataFrame, analysis.PeriodComparison | None]:
    """Brå's months of the crime type (with rates), and the last 12 months against the 12 before."""
    code, stats = sel.kommun.code, _own_stats(sel)
    months = trends.monthly(stats, crime_type=crime, kommun_codes=[code], population=_population(sel))
    return months, trends.rolling_12(stats, crime_type=crime, kommun_codes=[code])


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def _year_on_year(sel: state.Selection, last_year: int) -> pd.DataFrame:
    """This year so far against the same months last year, per crime type."""
    return trends.year_on_year_table(
        _own_stats(sel), last_year, kommun_codes=[sel.kommun.code], population=_population(sel)
    )


def latest_year(sel: state.Selection) -> None:
    """Per crime type the latest year any source has against the year before, with the source of each row."""
    latest = _latest_table(sel.kommun.code, date.today().year)
    if latest.empty:
        return
    year = int(latest["year"].max())
    st.subheader(f"Senaste år med siffror: {year} jämfört med {year - 1}")
    st.dataframe(tables.latest_year(latest), hide_index=True, placeholder="–", width="stretch")
    notes = ["Förändring = antal minus året före; procent visas inte när underlaget är under 30."]
    if latest["approximate"].any():
        notes.append(
            "≈: antalet är beräknat ur Koladas antal per 100 000 inv. och folkmängden; bedömningen är ungefärlig."
        )
    if (latest["year"] < year).any():
        notes.append("Brottstyper med äldre siffror anger sitt eget år.")
    st.caption(" ".join(notes))
    widgets.download_csv(tables.latest_year_export(latest), filename=f"anmalda-brott-{sel.kommun.code}-{year}.csv")


def monthly(sel: state.Selection, crime: str, measure: str) -> None:
    """Brå's monthly figures: this year so far against last year per type, the months, rolling 12 months."""
    months, rolling = _months(sel, crime)
    if months.empty:
        st.caption("Brå:s månadssiffror finns inte för kommunen och perioden; nedan visas helår.")
        return
    last_year = int(months["year"].max())
    table = _year_on_year(sel, last_year)
    st.subheader(
        f"Månad för månad (Brå): {tables.period_heading(table['period_label'].iloc[0], last_year)}"
        if not table.empty
        else "Månad för månad (Brå)"
    )
    if not table.empty:
        st.dataframe(tables.year_on_year(table, last_year), hide_index=True, placeholder="–", width="stretch")
    last = months[months["year"] == last_year]
    span = trends.period_label(last_year, int(last["month"].max()), bool(last["preliminary"].any()))
    title = f"{label(crime)} månad för månad, {sel.kommun.name}"
    shown = months[months["year"] > last_year - 4]
    _with_notes(sel, crime, figures.monthly_lines(shown, measure=measure, title=title, source=f"Källa: Brå, {span}"))
    if rolling is not None:
        st.subheader(f"Rullande 12 månader: {rolling.label}")
        widgets.comparison(rolling, labels=("Senaste 12 månaderna", "12 månaderna före"))


def per_year(sel: state.Selection, crime: str, measure: str) -> None:
    """The crime type year by year: counts from every source, or rates next to the lokalpolisområde, län, Riket."""
    series = loaders.yearly_series(sel.kommun.code)
    if measure == "count":
        counts(sel, series, crime)
        return
    stats = _area_stats(sel)
    rates(sel, stats[stats["year"] <= sel.year], series, _area_kpis(sel), crime)
    st.caption("Folkmängden är hämtad från Kolada när den finns, annars uppskattad ur Brås antal per 100 000 inv.")


def counts(sel: state.Selection, series: pd.DataFrame, crime: str) -> None:
    """The crime type year by year from every source, the promise years shaded, a change of source marked."""
    rows = series[series["crime_type"] == crime]
    years = loaders.promise_years(sel.kommun.code)
    none = pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64")})
    title = f"{label(crime)} per år, {sel.kommun.name}"
    source = "Källa: " + ", ".join(sorted({"Kolada" if e else "Brå" for e in rows["estimated"]}) or ["–"])
    _with_notes(
        sel, crime, figures.focus_timeline(rows, none, promise_years=years, title=title, source=source, effort=False)
    )
    st.caption("Skuggade år: år med medborgarlöfte. Välj Per 100 000 inv. för att jämföra med länet och riket.")


def rates(sel: state.Selection, all_stats: pd.DataFrame, series: pd.DataFrame, kpis: pd.DataFrame, crime: str) -> None:
    """Per 100 000 inv per year: the kommun (every source), its lokalpolisområde (Brå), the län and Riket (Kolada)."""
    code, area_codes = sel.kommun.code, loaders.police_area_codes(sel.kommun)
    frame = comparison.yearly_rates(
        all_stats,
        kpis,
        crime_type=crime,
        kommun=(code, sel.kommun.name),
        police_area=(sel.kommun.police_area, area_codes),
        regions=[(f"00{sel.kommun.lan_code}", sel.kommun.lan_name), ("0000", "Riket")],
    )
    own = series[(series["crime_type"] == crime) & series["per_100k"].notna()]
    mine = pd.DataFrame({"area": sel.kommun.name, "year": own["year"], "per_100k": own["per_100k"].astype(float)})
    frame = pd.concat([mine, frame[frame["area"] != sel.kommun.name]], ignore_index=True)
    title = f"{label(crime)} per 100 000 inv., {sel.kommun.name} och omgivning"
    source = "Källa: Brå och Kolada (kommunen), Brå (lokalpolisområdet), Kolada (län, riket)"
    _with_notes(sel, crime, figures.comparison_lines(frame, title=title, source=source))
    if not set(frame["area"]) & {sel.kommun.lan_name, "Riket"}:
        st.caption(
            "Länet och riket visas när nyckeltal från Kolada har hämtats (Importera data eller schemalagd hämtning)."
        )


def _with_notes(sel: state.Selection, crime: str, fig: go.Figure) -> None:
    """A chart with the kommun's notes on it: those for every chart and those for this crime type."""
    chosen = cycle.notes_for(cycle_ui.notes(sel.kommun.code), crime_types=[crime])
    cycle_ui.chart_with_notes(fig, chosen)
