"""AppTests of the editor pages: viewers are asked to sign in; editors write, are validated, and see the change."""

from __future__ import annotations

from datetime import date

import pytest

from lofte_data.access import Editor, hash_password

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
EDITOR_PAGES = [
    "pages/rapportera.py",
    "pages/handelse.py",
    "pages/redigera.py",
    "pages/importera.py",
    "pages/historik.py",
    "pages/uppfoljning.py",
]
SIGN_IN_FIRST = "Den här sidan är för redaktörer. Logga in under **Logga in (redaktörer)** i sidomenyn."
TRAFFIC = "Trafiksäkerhet samt trafikrelaterad brottslighet · Ordinarie trafikkontroller med hastighetsmätning"


@pytest.fixture
def as_editor(app):
    """An AppTest factory with Anna signed in (password login done; the login form itself is a browser test)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    def make(kommun: str = "1960", year: str = "2023", page: str | None = None, editor: Editor = ANNA) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.query_params["kommun"], at.query_params["ar"] = kommun, year
        at.session_state["editor"] = editor
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return make


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_a_viewer_who_opens_an_editing_page_is_asked_to_sign_in(app, page: str) -> None:
    """A link to an editing page (sent by a colleague) opens for a viewer with the guard alone: the page's
    title, the request to sign in, and not one of the page's fields, buttons or tables."""
    at = app("1960", "2023")
    at.switch_page(page).run()
    assert not at.exception
    assert [e.value for e in at.error] == [SIGN_IN_FIRST]
    main = at.main
    assert not (main.text_input or main.text_area or main.number_input or main.selectbox or main.date_input)
    assert not (main.button or main.dataframe or main.tabs)


def test_an_editor_logs_an_activity_and_the_follow_up_changes(as_editor) -> None:
    at = as_editor(page="pages/rapportera.py")
    assert not at.exception
    choice = at.selectbox[0]
    choice.select_index(next(i for i, o in enumerate(choice.options) if o == TRAFFIC))
    at.date_input[0].set_value(date(2023, 9, 12))
    at.number_input[0].set_value(7)
    at.text_input[0].input("Kungsgatan")
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Aktiviteten är sparad."]
    at.switch_page("pages/medborgarloften.py").run()
    traffic = at.dataframe[1].value.set_index("Åtagande").loc["Ordinarie trafikkontroller med hastighetsmätning"]
    assert (traffic["T3"], traffic["Totalt"]) == (7, 70)


def test_invalid_input_shows_a_swedish_error_and_writes_nothing(as_editor) -> None:
    at = as_editor(page="pages/rapportera.py")
    at.date_input[0].set_value(date(2022, 12, 31))
    at.button[0].click().run()
    assert any("utanför löftets år 2023" in e.value for e in at.error)
    at.switch_page("pages/historik.py").run()
    assert at.info[0].value == "Inga ändringar är gjorda i appen ännu."


def test_an_editor_of_kungsor_is_turned_away_from_katrineholm(as_editor) -> None:
    at = as_editor(kommun="0483", year="2019", page="pages/rapportera.py")
    assert "Du är redaktör för 1960" in at.info[0].value
    assert not at.button


def test_import_with_one_bad_row_writes_nothing(as_editor) -> None:
    at = as_editor(page="pages/rapportera.py")
    good = "2023-03-01;{id};;2;Torget;;\n"
    bad = "2023-13-01;{id};;2;Torget;;\n"
    commitment_id = _commitment_id(at)
    text = "datum;åtagande_id;åtagande;antal;plats;anteckning;rapporterad_av\n" + (good + bad).format(id=commitment_id)
    at.file_uploader[0].upload("aktiviteter.csv", text.encode("utf-8-sig"), "text/csv")
    submit = next(b for b in at.button if b.label == "Importera")
    submit.click().run()
    assert any("Rad 3" in e.value for e in at.error)
    at.switch_page("pages/historik.py").run()
    assert at.info[0].value == "Inga ändringar är gjorda i appen ännu."


def _commitment_id(at) -> int:  # noqa: ANN001 - AppTest
    from lofte_data.storage import Store

    promise = Store.open().promise("1960", 2023)
    return next(c.id for a in promise.focus_areas for c in a.commitments if c.text.startswith("Ordinarie trafik"))


def test_oidc_editor_on_the_allow_list_gets_the_editor_pages(db_url) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.secrets["redaktorer"] = {"anna@kungsor.se": {"namn": "Anna Andersson", "kommuner": ["1960"]}}
    at.user = {"is_logged_in": True, "email": "Anna@Kungsor.se"}
    at.query_params["kommun"], at.query_params["ar"] = "1960", "2023"
    at.run()
    at.switch_page("pages/historik.py").run()
    assert at.title[0].value == "Historik"


def test_oidc_account_not_on_the_allow_list_gets_no_editor_pages(db_url) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.secrets["redaktorer"] = {
        "anna@kungsor.se": {"namn": "Anna", "kommuner": ["1960"], "losenord": hash_password("x" * 12)}
    }
    at.user = {"is_logged_in": True, "email": "okand@example.com"}
    at.run()
    assert any("ingen redaktörsbehörighet" in w.value for w in at.sidebar.warning)
    at.switch_page("pages/rapportera.py").run()
    assert [e.value for e in at.error] == [SIGN_IN_FIRST]
    assert not (at.main.selectbox or at.main.button)


def test_an_editor_reports_an_incident_that_shows_on_the_lagesbild(as_editor) -> None:
    at = as_editor(year="2025", page="pages/handelse.py")
    assert not at.exception
    at.selectbox[0].select("Klotter")
    at.date_input[0].set_value(date(2025, 11, 7))
    at.text_input[0].input("59.4226")
    at.text_input[1].input("16.0970")
    at.text_area[0].input("Tag på busskuren")
    next(b for b in at.button if b.label == "Spara händelse").click().run()
    assert [s.value for s in at.success] == ["Händelsen är sparad."]
    at.switch_page("pages/lagesbild.py").run()
    at.query_params["period"] = "ar"
    at.query_params["kalla"] = "egen"
    at.run()
    assert at.subheader[0].value.startswith("1 händelse,")


def test_an_action_recorded_in_the_meeting_opens_the_next_presentation(as_editor) -> None:
    at = as_editor(year="2023", page="pages/mote.py")
    at.query_params["bild"] = "10"
    at.switch_page("pages/mote.py").run()
    at.radio[0].set_value("åtgärd")
    at.text_area[0].input("Bjuda in PRO till informationsträff om bedrägerier")
    at.text_input[0].input("Säkerhetssamordnaren")
    next(b for b in at.button if b.label == "Spara anteckning").click().run()
    assert not at.exception
    assert at.query_params["bild"] == "11"  # still the notes, now the last of eleven slides
    at.query_params["bild"] = "2"  # after "Sedan förra mötet"
    at.switch_page("pages/mote.py").run()
    assert "Öppna åtgärder från tidigare möten" in "\n".join(m.value for m in at.markdown)
