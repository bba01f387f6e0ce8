"""Sections of the Medborgarlöften page (streamlit): the promise overview rows."""

from __future__ import annotations

from datetime import date

from lofte_data import followup
from lofte_data.ui import loaders


def promise_rows(kommun_codes: list[str], today: date) -> list[dict]:
    """Every promise of the kommuner with its focus areas and status counts, for the overview tables."""
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
