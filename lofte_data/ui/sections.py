"""Sections shared by several pages (streamlit): crime summary, focus-area follow-up, no-promise note."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import analysis, figures, followup, formats, tables, trends
from lofte_data.crime_types import label
from lofte_data.models import FocusArea
from lofte_data.ui import loaders, state, widgets

STATUS_COLOURS = {
    "uppnått": "#CCE5F3",
    "på väg": "#D5EFE4",
    "efter plan": "#F8DCCB",
    "ej påbörjad": "#EEEEEE",
    "ingen uppgift": "#FFFFFF",
}


def follow_up_table(table: pd.DataFrame) -> None:
    """The follow-up table: tallies per tertial, a progress bar, and the status on a colour that is also a word."""
    view = tables.follow_up(table)
    if widgets.presentation_mode():  # an HTML table follows the large type; the interactive grid does not
        st.table(_status_colours(view.drop(columns=["Andel av målet"])).hide())
        return
    styled = _status_colours(view)
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            "Andel av målet": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d %%"),
            "Åtagande": st.column_config.TextColumn(width="large"),
        },
    )


def _status_colours(view: pd.DataFrame) -> pd.io.formats.style.Styler:
    return view.style.map(lambda s: f"background-color: {STATUS_COLOURS.get(s, '')}", subset=["Status"])


def comment_list(notes: pd.DataFrame) -> None:
    """Comments per commitment and tertial, as plain text."""
    for row in notes.sort_values(["tertial"]).itertuples():
        signed = f"{widgets.plain(row.author)}, {formats.day(row.updated_at)}"
        st.markdown(f"**T{row.tertial}** – {widgets.plain(row.text)} *({signed})*")


def focus_area_section(
    area: FocusArea,
    number: int,
    *,
    year: int,
    today: date,
    activities_frame: pd.DataFrame,
    yearly: pd.DataFrame,
    notes: pd.DataFrame,
) -> None:
    """One focus area: description, the follow-up table, effort per tertial beside the crime it targets."""
    st.markdown(f"### {number}. {widgets.plain(area.name)}")
    if area.description:
        st.markdown(f"**Beskrivning:** {widgets.plain(area.description)}")
    if area.cause_analysis:
        st.markdown(f"**Orsaksanalys:** {widgets.plain(area.cause_analysis)}")
    if not area.commitments:
        st.info("Inga åtaganden är registrerade för fokusområdet.")
        return
    table = followup.follow_up_table(area.commitments, activities_frame, year=year, on=today)
    st.caption(" · ".join(f"{status.capitalize()} {n}" for status, n in followup.summary(table["status"]).items()))
    follow_up_table(table)
    # Side by side on a screen; stacked in presentation mode, where each chart needs the full width.
    area_notes = notes[notes["commitment_id"].isin([c.id for c in area.commitments])]
    # Effort, then the crime it targets, each at full width: long commitment texts and axis labels need room.
    if table["total"].sum():
        widgets.chart(figures.tertial_bars(table, title="Utfört per tertial"))
    comment_list(area_notes)
    linked = yearly[yearly["crime_type"].isin(area.crime_types) & yearly["complete"]]
    if linked.empty:
        st.caption("Brottstyper: " + (", ".join(label(t) for t in area.crime_types) or "inga kopplade"))
        st.caption("Inga årssiffror finns för de kopplade brottstyperna.")
        return
    frame = linked.assign(label=linked["crime_type"].map(label))
    sources = ", ".join(sorted(set(linked["source"])))
    latest = int(linked["year"].max())
    old = f" Senaste inlästa år: {latest}." if latest < year - 1 else ""
    widgets.chart(
        figures.crime_types_by_year(frame, title="Brotten området riktar sig mot", source=f"Källa: {sources}.{old}")
    )


def crime_summary(sel: state.Selection) -> None:
    """Reported crime for the kommun: this year so far, the latest full year, and per crime type."""
    stats = loaders.crime_stats((sel.kommun.code,))
    ytd = analysis.year_to_date(stats, sel.year)
    full_year = analysis.latest_full_year(stats, sel.year)
    if ytd is not None and ytd.label == "helår":
        ytd = None  # all twelve months are in: the full-year comparison says it once
    if ytd is not None:
        st.markdown("**Hittills i år jämfört med samma period i fjol**")
        widgets.comparison(ytd)
    if full_year is not None:
        st.markdown(f"**Senaste hela år: {full_year.year} jämfört med {full_year.year - 1}**")
        widgets.comparison(full_year)
    if ytd is None and full_year is None:
        st.info(f"Det finns inga jämförbara siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    monthly_years = stats.loc[stats["period"].str.startswith("M") & (stats["year"] <= sel.year), "year"]
    if monthly_years.empty:
        return
    last_year = int(monthly_years.max())
    if last_year < sel.year - 1:
        st.warning(
            f"De senaste inlästa månadssiffrorna från Brå gäller {last_year}. Nyare filer läses in under "
            "Importera data.",
            icon=":material/history:",
        )
    by_type = trends.year_on_year_table(stats, last_year, kommun_codes=[sel.kommun.code])
    by_type = by_type[by_type["crime_type"] != "totalt"]
    if not by_type.empty:
        st.markdown(f"**Per brottstyp: {tables.period_heading(by_type['period_label'].iloc[0], last_year)}**")
        widgets.change_cards(by_type)
        source = widgets.plain(by_type["source"].iloc[0])
        st.caption(f"Källa: {source}. Grå förändring: inom normal variation eller spaningsbrott.")


def no_promise_note(sel: state.Selection) -> None:
    """Says that the year has no promise, and which years do."""
    years = loaders.promise_years(sel.kommun.code)
    others = (
        f"Registrerade år: {', '.join(str(y) for y in years)}." if years else "Kommunen har inga registrerade löften."
    )
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. {others}")
