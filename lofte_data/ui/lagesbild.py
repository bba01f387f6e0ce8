"""Sections of the Lägesbild page (streamlit): the notice when the police archive is old."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lofte_data import formats
from lofte_data.ui import loaders


def stale_notice(name: str, *, what: str, days: int = 2) -> None:
    """Say so when a fetched dataset is older than ``days``: the archive is shown, not live data."""
    info = loaders.dataset(name)
    if info is None:
        return
    loaded = pd.Timestamp(info["loaded_at"])
    loaded = loaded.tz_localize("UTC") if loaded.tzinfo is None else loaded
    if pd.Timestamp.now(tz="UTC") - loaded > pd.Timedelta(days=days):
        st.info(
            f"{what} hämtades senast {formats.day(loaded)}. Sidan visar det sparade arkivet; nyare händelser syns "
            "när de har hämtats (Importera data eller schemalagd hämtning).",
            icon=":material/history:",
        )
