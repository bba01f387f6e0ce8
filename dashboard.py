"""Router and frame: page config, the shared sidebar, and every page listed explicitly."""

from pathlib import Path

import streamlit as st

from lofte_data import ui

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Medborgarlöften och lägesbild", page_icon="🛡️", layout="wide")

PAGES = [
    st.Page(HERE / "pages" / "oversikt.py", title="Översikt", url_path="oversikt", default=True),
    st.Page(HERE / "pages" / "brottsstatistik.py", title="Brottsstatistik", url_path="brottsstatistik"),
    st.Page(HERE / "pages" / "medborgarloften.py", title="Medborgarlöften", url_path="medborgarloften"),
    st.Page(HERE / "pages" / "lagesbild.py", title="Lägesbild", url_path="lagesbild"),
]

navigation = st.navigation(PAGES)
st.session_state["selection"] = ui.sidebar()
navigation.run()
