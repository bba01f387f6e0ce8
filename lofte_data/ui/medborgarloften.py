"""Sections of the Medborgarlöften page (streamlit): the promise overview rows and the follow-up export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import followup, tables
from lofte_data.ui import loaders


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def promise_rows(kommun_codes: list[str], today: date) -> list[dict]:
    """Every promise of the kommuner with its focus areas and status counts, for the overview tables (kept per
    kommuner and day, cleared after every write: a follow-up table per promise is tens of ms)."""
    names = {k.code: k.name for k in loaders.kommuner()}
    rows = []
    for code in kommun_codes:
        for year in loaders.promise_years(code):
            item = loaders.promise(code, year)
            commitments = [c for a in item.focus_areas for c in a.commitments]
            table = followup.follow_up_table(commitments, loaders.activities(item.id), year=year, on=today)
            rows.append(
                {
                    "kommun": names[code],
                    "year": year,
                    "title": item.title,
                    "focus_areas": [a.name for a in item.focus_areas],
                    "summary": followup.summary(table["status"]),
                }
            )
    return rows


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def follow_up_export(kommun_code: str, year: int, on: date) -> pd.DataFrame:
    """The promise's follow-up as the CSV download holds it (kept per kommun, year and day, cleared after every
    write: built on every rerun it was a seventh of the page's time)."""
    promise = loaders.promise(kommun_code, year)
    if promise is None:
        return pd.DataFrame()
    return tables.follow_up_export(promise, loaders.activities(promise.id), year=year, on=on)
