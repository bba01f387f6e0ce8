"""Historik: every change editors made for their kommuner, with undo."""

import streamlit as st

from lofte_data import audit, editing, formats
from lofte_data.ui import loaders, signin, widgets

page = signin.editor_page("Historik")
sel = page.sel
editor = page.editor

log = audit.history(loaders.store(), sorted(editor.audit_codes))
if log.empty:
    st.info("Inga ändringar är gjorda i appen ännu.")
    st.stop()

view = log.assign(
    Tid=[f"{formats.day(t)} {t:%H:%M}" for t in log["at"]],
    Vem=log["actor"],
    Kommun=log["kommun_code"],
    Händelse=log["action"],
    Vad=log["entity"],
    Beskrivning=log["summary"],
    Före=log["old_value"].fillna("").map(widgets.shorten),
    Efter=log["new_value"].fillna("").map(widgets.shorten),
    Ångrad=log["undone_at"].map(lambda t: "" if t is None or t != t else formats.day(t)),
)
st.dataframe(
    view[["id", "Tid", "Vem", "Kommun", "Händelse", "Vad", "Beskrivning", "Före", "Efter", "Ångrad"]],
    hide_index=True,
    placeholder="–",
    width="stretch",
)

undoable = log[log["undone_at"].isna() & (log["action"] != "ångra")]
if not undoable.empty:
    with st.form("undo"):
        # Text options: a choice is kept by its words, never by a position that shifts after an undo.
        ids = {f"{r.id}: {r.action} {r.entity} – {r.summary}": int(r.id) for r in undoable.itertuples()}
        chosen = st.selectbox("Ångra ändring", list(ids), index=None, placeholder="Välj en ändring")
        if st.form_submit_button("Ångra") and chosen:
            widgets.attempt(lambda: editing.undo(loaders.store(), editor, ids[chosen]), success=f"Ångrat: {chosen}")
