"""Rapportera: editors log activities toward the promise's commitments, comment per tertial, import a file."""

from functools import partial

import streamlit as st

from lofte_data import activity_import, checks, editing, followup, formats
from lofte_data.audit import Entity
from lofte_data.ui import loaders, signin, widgets

page = signin.editor_page("Rapportera")
sel = page.sel
editor = page.editor
store = page.store

promise = loaders.promise(sel.kommun.code, sel.year)
if promise is None:
    st.info(f"Det finns inget medborgarlöfte för {sel.kommun.name} {sel.year}. Skapa det under Redigera löfte.")
    st.stop()
options = {c.id: f"{a.name} · {c.text}" for a in promise.focus_areas for c in a.commitments}
if not options:
    st.info("Löftet har inga åtaganden ännu. Lägg till dem under Redigera löfte.")
    st.stop()
ids = {text: commitment_id for commitment_id, text in options.items()}

log_tab, comment_tab, import_tab, list_tab = st.tabs(
    ["Logga aktivitet", "Kommentar per tertial", "Importera aktiviteter", "Registrerade aktiviteter"]
)
with log_tab, st.form("log_activity", clear_on_submit=True):
    commitment_id = ids[st.selectbox("Åtagande", list(ids))]
    day = st.date_input("Datum", value=widgets.default_day(sel.year), format="YYYY-MM-DD")
    count = st.number_input("Antal", min_value=0, max_value=checks.MAX_COUNT, value=1, step=1)
    place = st.text_input("Plats", max_chars=checks.TEXT_LIMITS["plats"])
    note = st.text_area("Anteckning", max_chars=checks.TEXT_LIMITS["anteckning"])
    if st.form_submit_button("Spara aktivitet", type="primary"):
        fields = {"commitment_id": commitment_id, "on": day, "count": count, "place": place, "note": note}
        widgets.attempt(lambda: editing.log_activity(store, editor, **fields), success="Aktiviteten är sparad.")

with comment_tab, st.form("comment"):
    commitment_id = ids[st.selectbox("Åtagande", list(ids), key="comment_commitment")]
    tertial = st.radio("Tertial", list(followup.TERTIALS), format_func=followup.TERTIALS.get, horizontal=True)
    text = st.text_area("Kommentar till uppföljningen", max_chars=checks.TEXT_LIMITS["anteckning"])
    if st.form_submit_button("Spara kommentar"):
        fields = {"commitment_id": commitment_id, "tertial": tertial, "text": text}
        widgets.attempt(lambda: editing.set_comment(store, editor, **fields), success="Kommentaren är sparad.")

with import_tab:
    pairs = list(options.items())
    st.write("Fyll i mallen (en rad per aktivitet) och ladda upp den. Hela filen läses in eller inget alls.")
    left, right = st.columns(2)
    left.download_button(
        "Mall (CSV för Excel)",
        activity_import.template_csv(pairs, sel.year),
        file_name=f"aktiviteter-{sel.kommun.code}-{sel.year}.csv",
        on_click="ignore",
    )
    right.download_button(
        "Mall (Excel)",
        activity_import.template_xlsx(pairs, sel.year),
        file_name=f"aktiviteter-{sel.kommun.code}-{sel.year}.xlsx",
        on_click="ignore",
    )
    with st.form("import_activities", clear_on_submit=True):
        upload = st.file_uploader("Ifylld mall", type=["csv", "xlsx"])
        if st.form_submit_button("Importera") and upload is not None:
            read = lambda: activity_import.parse_activities(  # noqa: E731
                upload.getvalue(), filename=upload.name, year=sel.year, commitment_ids=set(options)
            )
            widgets.attempt(
                lambda: editing.import_activities(store, editor, read().rows), success="Aktiviteterna är importerade."
            )

with list_tab:
    done = loaders.activities(promise.id)
    if done.empty:
        st.info("Inga aktiviteter är registrerade ännu.")
    else:
        view = done.assign(
            Datum=[formats.day(d) for d in done["date"]],
            Åtagande=done["commitment_id"].map(options),
            Antal=done["count"],
            Plats=done["place"],
            Anteckning=done["note"],
            Av=done["reported_by"],
        )
        shown = view[["id", "Datum", "Åtagande", "Antal", "Plats", "Anteckning", "Av"]]
        st.dataframe(shown, hide_index=True, placeholder="–")
        with st.form("delete_activity"):
            rows = {
                f"{r.id}: {formats.day(r.date)}, {r.count} st – {options.get(r.commitment_id, '')}": int(r.id)
                for r in done.itertuples()
            }
            chosen = st.selectbox("Ta bort aktivitet", list(rows), index=None, placeholder="Välj en aktivitet")
            if st.form_submit_button("Ta bort") and chosen:
                remove = partial(editing.delete, store, editor, Entity.ACTIVITY, rows[chosen])
                widgets.attempt(remove, success=f"Borttagen: {chosen}. Ångra under Historik.")
