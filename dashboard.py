"""Router and frame: page config, the shared sidebar, and every page listed explicitly."""

from pathlib import Path

import streamlit as st

from lofte_data.ui import mote, signin, state, widgets

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"

st.set_page_config(page_title="Medborgarlöften och lägesbild", page_icon="🛡️", layout="wide")

VIEWER_PAGES = [
    st.Page(PAGES / "oversikt.py", title="Översikt", url_path="oversikt", default=True),
    st.Page(PAGES / "brottsstatistik.py", title="Brottsstatistik", url_path="brottsstatistik"),
    st.Page(PAGES / "medborgarloften.py", title="Medborgarlöften", url_path="medborgarloften"),
    st.Page(PAGES / "lagesbild.py", title="Lägesbild", url_path="lagesbild"),
    st.Page(PAGES / "jamfor.py", title="Jämför kommuner", url_path="jamfor"),
    st.Page(PAGES / "mote.py", title="Möte", url_path="mote"),
]
# Registered only for a signed-in editor: a viewer cannot reach them, not even by URL.
EDITOR_PAGES = [
    st.Page(PAGES / "rapportera.py", title="Rapportera", url_path="rapportera"),
    st.Page(PAGES / "handelse.py", title="Rapportera händelse", url_path="handelse"),
    st.Page(PAGES / "redigera.py", title="Redigera löfte", url_path="redigera"),
    st.Page(PAGES / "importera.py", title="Importera data", url_path="importera"),
    st.Page(PAGES / "historik.py", title="Historik", url_path="historik"),
]

editor = signin.current_editor()
navigation = st.navigation({"": VIEWER_PAGES, "Redaktör": EDITOR_PAGES} if editor else VIEWER_PAGES)
st.session_state["selection"] = state.sidebar()
signin.login_box()
state.view_link()
if widgets.presentation_mode():
    mote.presentation_frame()
navigation.run()
