"""Sections of the Jämför kommuner page (streamlit): the ranking of a län's or Riket's kommuner."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lofte_data import overview
from lofte_data.crime_types import label
from lofte_data.ui import loaders, state, widgets


def ranking_table(sel: state.Selection, ranked: pd.DataFrame, crime: str, area: str) -> None:
    """The ranked kommuner, the chosen one marked, each with a link to its Brottsstatistik."""
    year = int(ranked["year"].iloc[0])
    st.subheader(f"{label(crime)} per 100 000 inv., {area}, {year} jämfört med {year - 1}")
    mine = ranked[ranked["kommun_code"] == sel.kommun.code]
    if not mine.empty and pd.notna(mine["rank"].iloc[0]):
        ranked_count = int(ranked["rank"].notna().sum())
        st.markdown(f"**{widgets.plain(sel.kommun.name)}** har plats {int(mine['rank'].iloc[0])} av {ranked_count}.")
    shown = overview.display(ranked, chosen=sel.kommun.code, crime_type=crime)
    st.dataframe(
        shown,
        hide_index=True,
        placeholder="–",
        width="stretch",
        column_config={"Brottsstatistik": st.column_config.LinkColumn(display_text="Öppna")},
    )
    notes = ["Plats 1 = flest anmälda brott per 100 000 invånare."]
    if ranked["estimated"].any():
        notes.append("≈: Brås helår saknas, värdet är Koladas nyckeltal och antalet beräknat ur folkmängden.")
    notes.append("Källa: Brå (helår) och Kolada (folkmängd N01951 och nyckeltal där Brå saknas).")
    st.caption(" ".join(notes))
    widgets.download_csv(overview.export(ranked), filename=f"jamfor-{crime}-{year}.csv")


def area_codes(sel: state.Selection, level: str) -> dict[str, str]:
    """The kommuner compared: the chosen kommun's län, or every kommun in Riket (code -> name)."""
    return {k.code: k.name for k in loaders.kommuner() if level == "riket" or k.lan_code == sel.kommun.lan_code}
