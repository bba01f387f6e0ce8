"""Router and frame: page config, the shared sidebar, and every page listed explicitly."""

from pathlib import Path

import streamlit as st

from lofte_data.ui import allmanhet, mote, signin, state, widgets

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
    st.Page(PAGES / "allmanhet.py", title="Allmänhet", url_path="allmanhet"),
]
# Listed in the menu only for a signed-in editor. A viewer who follows a link to one (a colleague sent it) gets
# the page's guard in Swedish: sign in first; nothing of the page is run before the guard (signin.editor_page).
editor = signin.current_editor()
for_editors = "visible" if editor else "hidden"
EDITOR_PAGES = [
    st.Page(PAGES / "rapportera.py", title="Rapportera", url_path="rapportera", visibility=for_editors),
    st.Page(PAGES / "handelse.py", title="Rapportera händelse", url_path="handelse", visibility=for_editors),
    st.Page(PAGES / "redigera.py", title="Redigera löfte", url_path="redigera", visibility=for_editors),
    st.Page(PAGES / "importera.py", title="Importera data", url_path="importera", visibility=for_editors),
    st.Page(PAGES / "historik.py", title="Historik", url_path="historik", visibility=for_editors),
    st.Page(PAGES / "uppfoljning.py", title="Tertialuppföljning", url_path="uppfoljning", visibility=for_editors),
]
navigation = st.navigation(
    {"": VIEWER_PAGES, "Redaktör": EDITOR_PAGES} if editor else VIEWER_PAGES + EDITOR_PAGES,
    position="hidden" if allmanhet.embedded() else "sidebar",  # embedded in a website: no app navigation
    expanded=True,  # every page listed: no "View more" folding the editor pages away
)
link_slot = None
if navigation.url_path == allmanhet.URL_PATH:
    allmanhet.frame()  # the public page reads its own link: no sidebar choices, no editor login
else:
    st.session_state["selection"] = state.sidebar()
    signin.login_box()
    link_slot = st.sidebar.container()  # filled after the page has run: the link holds the page's choices too
    if widgets.presentation_mode():
        mote.presentation_frame()
try:
    with widgets.section("Sidan"):  # the backstop: a failing page says so in Swedish, never with a traceback
        navigation.run()
finally:  # also when the page stopped early (st.stop): the link is always there
    if link_slot is not None:
        state.view_link(link_slot)
