"""The floor for scripts/benchmark.py: an empty Streamlit page with one widget, the kommun in the sidebar.

Every page of the dashboard is measured against this page on the same machine at the same time: switching
the kommun here costs what Streamlit itself costs, with nothing of the app's own. With ``?diagram=1`` the
page also draws one small plotly chart: Streamlit's own cost of a page with a chart (plotly.js in the browser).
"""

import csv
from pathlib import Path

import streamlit as st

CODES = Path(__file__).resolve().parents[1] / "lofte_data" / "data" / "kommunkoder.csv"

with CODES.open(encoding="utf-8", newline="") as handle:
    names = sorted(row["name"] for row in csv.DictReader(handle, delimiter=";"))
choice = st.sidebar.selectbox("Kommun", names, index=names.index("Kungsör"))
st.write(f"Vald kommun: {choice}")
if st.query_params.get("diagram") == "1":
    import plotly.graph_objects as go

    st.plotly_chart(go.Figure(go.Bar(x=[2024, 2025], y=[len(choice), len(choice) + 1])), theme=None)
