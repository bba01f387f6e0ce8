"""Tertialuppföljning: freeze a tertial, sign it for Polisen or Kommunen, unfreeze it with both; notes on the charts."""

import streamlit as st

from lofte_data.ui import cycle, signin

page = signin.editor_page("Tertialuppföljning")

st.header("Frysning och underskrift")
st.caption(
    "När ett tertial är slut fryses uppföljningen: siffrorna, statusarna och kommentarerna sparas som de är, och "
    "tertialrapporten skrivs därefter alltid ur det frysta innehållet. En redaktör för Polisen och en för Kommunen "
    "undertecknar. Att låsa upp kräver båda parterna, var och en med ett skäl."
)
cycle.freeze_panel(page.sel, page.editor)

st.header("Noteringar i diagrammen")
st.caption(
    "En kort notering på ett datum visas som en numrerad markering och en fotnot i diagrammen som täcker datumet."
)
cycle.annotations_form(page.sel, page.editor)
cycle.annotation_list(page.sel, page.editor)

st.header("Sedan förra mötet")
cycle.since_last_meeting(page.sel)
