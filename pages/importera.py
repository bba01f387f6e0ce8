"""Importera data: Brå files, Polisen archives, and refreshing Kolada and Polisen (editors)."""

import streamlit as st

from lofte_data import checks, importing, refresh
from lofte_data.ui import loaders, signin, widgets

page = signin.editor_page("Importera data")
sel = page.sel
editor = page.editor
ADMIN_ONLY = "Den här datan delas av alla kommuner; bara en administratör kan läsa in eller hämta den."

st.subheader("Brå: anmälda brott")
st.write(
    "Ladda upp en export från Brås statistikdatabas (Databasfil, månads- eller årsmeny) eller årsfilen "
    "Anmälda brott i kommunerna. Hela filen läses in eller inget alls; samma fil två gånger ändrar inget. "
    + (
        "Som administratör kan du läsa in alla kommuners siffror."
        if editor.admin
        else f"Du kan läsa in siffror för dina kommuner ({', '.join(sorted(editor.kommuner))}); andra kräver en "
        "administratör."
    )
    + " Importen loggas och kan ångras under Historik."
)
with st.form("bra_upload", clear_on_submit=True):
    upload = st.file_uploader("Brå-fil", type=["txt", "csv"])
    year = st.number_input(
        "År (bara för årsfiler utan år i filnamnet)", min_value=0, max_value=checks.LAST_YEAR, value=0
    )
    if st.form_submit_button("Läs in") and upload is not None:
        result = []
        ok = widgets.attempt(
            lambda: result.append(
                importing.import_bra(
                    loaders.store(), upload.getvalue(), filename=upload.name, year=int(year) or None, editor=editor
                )
            ),
            success=f"{upload.name} är inläst.",
        )
        if ok:
            st.write(widgets.plain(result[0].summary()))  # region names from the file are the file's text
widgets.data_status("bra", "Senast inläst")

st.subheader("Polisens händelser")
if editor.admin:
    with st.form("polisen_upload", clear_on_submit=True):
        archive = st.file_uploader("Sparat svar eller arkiv från Polisens API (JSON)", type=["json"])
        if st.form_submit_button("Läs in arkiv") and archive is not None:
            widgets.attempt(
                lambda: refresh.import_polisen_archive(
                    loaders.store(), archive.getvalue(), editor=editor, filename=archive.name
                ),
                success="Arkivet är inläst.",
            )
    if st.button("Hämta senaste händelserna från Polisen"):
        widgets.attempt(
            lambda: refresh.refresh_polisen(loaders.store(), editor=editor), success="Händelserna är hämtade."
        )
else:
    st.caption(ADMIN_ONLY)
widgets.data_status("polisen", "Senast hämtat")

st.subheader("Kolada: nyckeltal och folkmängd")
if editor.admin:
    if st.button("Uppdatera från Kolada"):
        widgets.attempt(
            lambda: refresh.refresh_kolada(loaders.store(), editor=editor),
            success="Nyckeltalen från Kolada är uppdaterade.",
        )
else:
    st.caption(ADMIN_ONLY)
widgets.data_status("kolada", "Senast hämtat")
st.caption("Går en källa inte att nå visas de senast sparade siffrorna vidare, med sitt datum.")
