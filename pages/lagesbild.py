"""Lägesbild: incidents from the police feed and the kommun's own reporters."""

import streamlit as st

from lofte_data import formats, ui

sel = ui.selection()
ui.header("Lägesbild", sel)

incidents = ui.incidents(sel.kommun.code)
if incidents.empty:
    st.info(
        f"Inga händelser är registrerade för {sel.kommun.name} ännu. "
        "Här visas händelser från Polisens händelse-API och rapporter från kommunens rapportörer "
        "när de finns: på karta, per veckodag och timme och som de mest drabbade platserna."
    )
    st.stop()

st.metric("Registrerade händelser", formats.number(len(incidents)))
st.caption("Polisens händelser är pressmeddelanden, inte brottsstatistik.")
