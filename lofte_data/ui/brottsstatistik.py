"""Sections of the Brottsstatistik page (streamlit): police effort beside a spaningsbrott."""

from __future__ import annotations

import streamlit as st

from lofte_data import analysis, formats
from lofte_data.crime_types import is_surveillance, label
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
