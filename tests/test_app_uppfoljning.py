"""AppTest of Tertialuppföljning: freeze, sign for each party, notes on the charts, and the guard."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit as st

from lofte_data.access import Editor

POLIS = Editor("per@polisen.se", "Per Polis", frozenset({"1960"}), "lösenord", party="Polisen")
KOMMUN = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
PAGE = "pages/uppfoljning.py"


@pytest.fixture
def as_editor(app):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    def make(editor: Editor, at: AppTest | None = None) -> AppTest:
        if at is None:
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
            at.query_params["kommun"], at.query_params["ar"] = "1960", "2023"
        at.session_state["editor"] = editor
        at.run()
        at.switch_page(PAGE).run()
        return at

    return make


def _labels(at) -> list[str]:  # noqa: ANN001
    return [m.value for m in at.markdown if m.value.startswith("**T")]


def test_polisen_freezes_and_signs_then_kommunen_signs(as_editor) -> None:
    at = as_editor(POLIS)
    assert not at.exception
    assert at.title[0].value == "Tertialuppföljning"
    assert _labels(at) == ["**T1 jan–apr 2023: öppen**", "**T2 maj–aug 2023: öppen**", "**T3 sep–dec 2023: öppen**"]
    next(b for b in at.button if b.label == "Frys T1").click().run()
    assert not at.exception
    assert "T1 är fryst" in at.success[0].value
    assert _labels(at)[0] == "**T1 jan–apr 2023: fryst**"
    next(b for b in at.button if b.label == "Underteckna för Polisen").click().run()
    assert _labels(at)[0] == "**T1 jan–apr 2023: undertecknad av Polisen**"
    assert not [b for b in at.button if b.label.startswith("Underteckna")]  # Polisen cannot sign for Kommunen
    at = as_editor(KOMMUN, at)
    next(b for b in at.button if b.label == "Underteckna för Kommunen").click().run()
    assert _labels(at)[0] == "**T1 jan–apr 2023: undertecknad av båda**"
    assert any("Inget i löftet är ändrat sedan frysningen." == c.value for c in at.caption)


def test_an_editor_adds_a_note_and_sees_it_listed(as_editor) -> None:
    at = as_editor(KOMMUN)
    at.date_input[0].set_value(date(2023, 3, 12))
    at.text_input[0].input("Hundsök på <b>Kung Karls</b> skola")
    next(b for b in at.button if b.label == "Spara notering").click().run()
    assert not at.exception
    assert "Noteringen är sparad" in at.success[0].value
    listed = at.dataframe[0].value
    assert listed["Notering"].tolist() == ["Hundsök på <b>Kung Karls</b> skola"]
    assert listed["Datum"].tolist() == ["12 mar 2023"]


def test_since_last_meeting_is_on_the_page(as_editor) -> None:
    at = as_editor(KOMMUN)
    assert any(s.value.startswith("Första mötet: året hittills") for s in at.subheader)


def test_a_long_change_list_shows_its_first_lines_and_folds_the_rest(as_editor, db_url: str) -> None:
    """A big kommun logs hundreds of activities between two meetings: the page lists the first twelve of a kind
    and folds the others under them, every one still there with its link. Kungsör's own eleven fit unfolded."""
    from lofte_data import editing
    from lofte_data.storage import Store
    from lofte_data.ui.cycle import PAGE_LINES_PER_KIND

    at = as_editor(KOMMUN)
    assert not at.expander  # 11 activities and 11 status changes in 2023: each list whole
    assert next(m.value for m in at.markdown if m.value.startswith("**Aktivitet**")).count("\n- ") == 11

    store = Store.open(db_url)
    commitment = store.promise("1960", 2023).focus_areas[0].commitments[0]
    for day in range(1, 13):
        editing.log_activity(
            store, KOMMUN, commitment_id=commitment.id, on=date(2023, 3, day), count=1, place=f"P{day}"
        )
    st.cache_data.clear()
    at = as_editor(KOMMUN)
    listed = next(m.value for m in at.markdown if m.value.startswith("**Aktivitet**"))
    assert listed.count("\n- ") == PAGE_LINES_PER_KIND == 12
    (folded,) = at.expander
    assert folded.label == "Visa 11 till (23 i allt)"
    rest = folded.markdown[0].value
    assert rest.count("- ") == 11 and rest.count("[visa](/medborgarloften?kommun=1960&ar=2023&fokus=") == 11
    assert all(f"P{day}" in listed + rest for day in range(1, 13))
