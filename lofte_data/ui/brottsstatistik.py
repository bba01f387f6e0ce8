"""Sections of the Brottsstatistik page (streamlit): the latest year, Brå's months, the years, police effort."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import analysis, comparison, figures, formats, tables, trends, yearly
from lofte_data.crime_types import is_surveillance, label
from lofte_data.models import Kommun
from lofte_data.ui import loaders, state, widgets


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


def latest_year(sel: state.Selection, series: pd.DataFrame) -> None:
    """Per crime type the latest year any source has against the year before, with the source of each row."""
    latest = yearly.latest_year_table(series, up_to=date.today().year)
    if latest.empty:
        return
    year = int(latest["year"].max())
    st.subheader(f"Senaste år med siffror: {year} jämfört med {year - 1}")
    st.dataframe(tables.latest_year(latest), hide_index=True, width="stretch")
    notes = ["Förändring = antal minus året före; procent visas inte när underlaget är under 30."]
    if latest["approximate"].any():
        notes.append(
            "≈: antalet är beräknat ur Koladas antal per 100 000 inv. och folkmängden; bedömningen är ungefärlig."
        )
    if (latest["year"] < year).any():
        notes.append("Brottstyper med äldre siffror anger sitt eget år.")
    st.caption(" ".join(notes))
    widgets.download_csv(tables.latest_year_export(latest), filename=f"anmalda-brott-{sel.kommun.code}-{year}.csv")


def monthly(sel: state.Selection, stats: pd.DataFrame, crime: str, measure: str, population: pd.DataFrame) -> None:
    """Brå's monthly figures: this year so far against last year per type, the months, rolling 12 months."""
    code = sel.kommun.code
    months, table, rolling = _monthly_figures(code, sel.year, crime, stats, population)
    if months.empty:
        st.caption("Brå:s månadssiffror finns inte för kommunen och perioden; nedan visas helår.")
        return
    last_year = int(months["year"].max())
    st.subheader(
        f"Månad för månad (Brå): {tables.period_heading(table['period_label'].iloc[0], last_year)}"
        if not table.empty
        else "Månad för månad (Brå)"
    )
    if not table.empty:
        st.dataframe(tables.year_on_year(table, last_year), hide_index=True, width="stretch")
    last = months[months["year"] == last_year]
    span = trends.period_label(last_year, int(last["month"].max()), bool(last["preliminary"].any()))
    title = f"{label(crime)} månad för månad, {sel.kommun.name}"
    shown = months[months["year"] > last_year - 4]
    build = lambda: figures.monthly_lines(shown, measure=measure, title=title, source=f"Källa: Brå, {span}")  # noqa: E731
    widgets.cached_chart("monthly_lines", (code, sel.kommun.name, sel.year, crime, measure), build)
    if rolling is not None:
        st.subheader(f"Rullande 12 månader: {rolling.label}")
        widgets.comparison(rolling, labels=("Senaste 12 månaderna", "12 månaderna före"))


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _monthly_figures(
    code: str, year: int, crime: str, _stats: pd.DataFrame, _population: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, analysis.PeriodComparison | None]:
    """Brå's months of the crime type, the year-on-year table of the last year with months, and rolling 12
    months, for the kommun's figures up to ``year`` (``_stats``, ``_population`` follow from the other keys)."""
    months = trends.monthly(_stats, crime_type=crime, kommun_codes=[code], population=_population)
    if months.empty:
        return months, pd.DataFrame(), None
    table = trends.year_on_year_table(_stats, int(months["year"].max()), kommun_codes=[code], population=_population)
    return months, table, trends.rolling_12(_stats, crime_type=crime, kommun_codes=[code])


def per_year(sel: state.Selection, series: pd.DataFrame, crime: str) -> None:
    """The crime type year by year from every source, the promise years shaded, a change of source marked."""
    rows = series[series["crime_type"] == crime]
    years = loaders.promise_years(sel.kommun.code)
    none = pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64")})
    title = f"{label(crime)} per år, {sel.kommun.name}"
    source = "Källa: " + ", ".join(sorted({"Kolada" if e else "Brå" for e in rows["estimated"]}) or ["–"])
    build = lambda: figures.focus_timeline(rows, none, promise_years=years, title=title, source=source)  # noqa: E731
    widgets.cached_chart("per_year", (sel.kommun.code, sel.kommun.name, crime, tuple(years)), build)
    st.caption("Skuggade år: år med medborgarlöfte. Välj Per 100 000 inv. för att jämföra med länet och riket.")


def rates(sel: state.Selection, all_stats: pd.DataFrame, series: pd.DataFrame, kpis: pd.DataFrame, crime: str) -> None:
    """Per 100 000 inv per year: the kommun (every source), its lokalpolisområde (Brå), the län and Riket (Kolada)."""
    frame = _rates(sel.kommun, sel.year, crime, all_stats, series, kpis, loaders.police_area_codes(sel.kommun))
    title = f"{label(crime)} per 100 000 inv., {sel.kommun.name} och omgivning"
    source = "Källa: Brå och Kolada (kommunen), Brå (lokalpolisområdet), Kolada (län, riket)"
    build = lambda: figures.comparison_lines(frame, title=title, source=source)  # noqa: E731
    widgets.cached_chart("rates", (sel.kommun.code, sel.kommun.name, sel.year, crime), build)
    if not set(frame["area"]) & {sel.kommun.lan_name, "Riket"}:
        st.caption(
            "Länet och riket visas när nyckeltal från Kolada har hämtats (Importera data eller schemalagd hämtning)."
        )


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _rates(
    kommun: Kommun,
    year: int,
    crime: str,
    _all_stats: pd.DataFrame,
    _series: pd.DataFrame,
    _kpis: pd.DataFrame,
    _area_codes: list[str],
) -> pd.DataFrame:
    """The rows of the rates chart for the kommun's figures up to ``year`` (the other arguments follow)."""
    frame = comparison.yearly_rates(
        _all_stats,
        _kpis,
        crime_type=crime,
        kommun=(kommun.code, kommun.name),
        police_area=(kommun.police_area, _area_codes),
        regions=[(f"00{kommun.lan_code}", kommun.lan_name), ("0000", "Riket")],
    )
    own = _series[(_series["crime_type"] == crime) & _series["per_100k"].notna()]
    mine = pd.DataFrame({"area": kommun.name, "year": own["year"], "per_100k": own["per_100k"].astype(float)})
    return pd.concat([mine, frame[frame["area"] != kommun.name]], ignore_index=True)
