"""The floor for scripts/benchmark.py: an empty Streamlit page with one widget, the kommun in the sidebar.

Every page of the dashboard is measured against this page on the same machine at the same time: switching
the kommun here costs what Streamlit itself costs, with nothing of the app's own.
"""

import csv
from pathlib import Path

import streamlit as st

CODES = Path(__file__).resolve().parents[1] / "lofte_data" / "data" / "kommunkoder.csv"

with CODES.open(encoding="utf-8", newline="") as handle:
    names = sorted(row["name"] for row in csv.DictReader(handle, delimiter=";"))
choice = st.sidebar.selectbox("Kommun", names, index=names.index("Kungsör"))
st.write(f"Vald kommun: {choice}")
