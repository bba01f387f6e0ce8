"""AppTest of the public page (Allmänhet): published content only, the unpublished state, bad links, embedding;
and the publishing controls on Redigera löfte."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lofte_data import editing, public
from lofte_data.access import Editor
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from tests.conftest import ROOT

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
PAGE = "pages/allmanhet.py"
NB = "\u00a0"


@pytest.fixture
def public_app(db_url: str):
    """An AppTest factory opening the public page with the given URL values (and, optionally, embedded)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()

    def make(*, embedded: bool = False, editor: Editor | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.context = {"is_embedded": embedded, "locale": "sv-SE"}
        if editor is not None:
            at.session_state["editor"] = editor
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(PAGE).run()  # straight to the page, as a link opens it (Översikt would set the year)
        return at

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def store(db_url: str) -> Store:
    opened = Store.open(db_url)
    seed_defaults(opened)
    return opened


def _everything(at) -> str:  # noqa: ANN001 - AppTest
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [h.value for h in at.title] + [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [t.value.to_string() for t in at.table]
    return "\n".join(parts).replace("\\", "")


def _rows(at, index: int) -> dict[str, dict[str, str]]:  # noqa: ANN001 - AppTest
    """A st.table's rows by commitment text, the Markdown escapes removed."""
    frame = at.table[index].value.map(lambda v: str(v).replace("\\", ""))
    return {row["Åtagande"]: row for row in frame.to_dict("records")}


def _seed_internal_content(store: Store) -> None:
    """What must never reach the public: a comment, a decision, an activity with a named editor and a note."""
    promise = store.promise("1960", 2023)
    commitment = next(c for c in promise.focus_areas[0].commitments if c.text.startswith("Informationsträffar"))
    editing.set_comment(store, ANNA, commitment_id=commitment.id, tertial=2, text="INTERN KOMMENTAR om skolan")
    editing.add_decision(
        store, ANNA, kommun_code="1960", meeting_date=date(2023, 5, 2), kind="beslut", text="HEMLIGT BESLUT om kameror"
    )
    editing.log_activity(
        store, ANNA, commitment_id=commitment.id, on=date(2023, 6, 1), count=5, place="Skolgården X", note="INTERN NOT"
    )
    editing.add_incident(
        store,
        ANNA,
        kommun_code="1960",
        occurred_at=datetime(2023, 6, 2, 22),
        category="Klotter",
        place="Tunneln Y",
        description="INTERN HÄNDELSE",
    )


def test_the_public_page_shows_the_promise_and_the_numbers(public_app) -> None:
    at = public_app(kommun="1960", ar="2023")
    assert not at.exception
    assert at.title[0].value == "Medborgarlöfte 2023: Kungsör"
    headers = [h.value.replace("\\", "") for h in at.header]
    assert headers == ["1. Ungdomsproblematik", "2. Trafiksäkerhet samt trafikrelaterad brottslighet", "Om uppgifterna"]
    traffic = _rows(at, 2)
    row = traffic["Ordinarie trafikkontroller med hastighetsmätning (Ansvar: Polisen. Mål: löpande.)"]
    assert (row["Utfört"], row["Status"]) == ("63", "Uppnått")
    speed = next(v for k, v in traffic.items() if k.startswith("Återkommande fartkontroller"))
    assert (speed["Utfört"], speed["Status"]) == ("–", "Genomfört, antal saknas")  # done, no number: not a 0
    text = _everything(at)
    # The 2023 targets are all "löpande": the legend says what "Uppnått" means for them and names every status.
    assert "för ett löpande åtagande: arbete är redovisat och året är slut" in text
    assert "Genomfört, antal saknas: det är gjort, men källan anger inte hur många gånger" in text
    assert "Skadegörelsebrott: 5" in text or "Skadegörelsebrott:" in text
    assert "Källa: Brå" in text
    assert not at.sidebar.selectbox  # no kommun or year choices: the link decides


def test_nothing_internal_reaches_the_public_page(public_app, store: Store) -> None:
    _seed_internal_content(store)
    at = public_app(kommun="1960", ar="2023")
    assert not at.exception
    text = _everything(at) + "\n" + str(at.sidebar)
    secrets = ("INTERN", "HEMLIGT", "Anna Andersson", "Skolgården X", "Tunneln Y", "Källdokument", "rapporterad av")
    assert [s for s in secrets if s in text] == []
    youth = next(v for k, v in _rows(at, 0).items() if k.startswith("Informationsträffar"))
    assert youth["Utfört"] == "9"  # 4 from the source and 5 reported: the number counts, the name does not show
    assert "Logga in" not in str(at.sidebar)


def test_an_unpublished_promise_is_not_shown(public_app, store: Store) -> None:
    promise = store.promise("1960", 2023)
    editing.set_published(store, ANNA, promise_id=promise.id, published=False)
    at = public_app(kommun="1960", ar="2023")
    assert not at.exception
    assert "Kungsör har inte publicerat uppföljningen av medborgarlöftet 2023 ännu" in at.info[0].value
    assert "2024" in at.info[0].value and "2023" not in at.info[0].value.split("Publicerade år:")[1]
    assert not at.table and not at.header


def test_the_current_year_is_the_default(public_app) -> None:
    at = public_app(kommun="1960")
    assert at.title[0].value == f"Medborgarlöfte {date.today().year}: Kungsör"
    assert "Det finns inget medborgarlöfte för Kungsör" in at.info[0].value
    assert not at.warning


@pytest.mark.parametrize(
    ("kommun", "year", "title", "note"),
    [
        ("9999", "2023", "Medborgarlöfte 2023: Kungsör", "kommun som inte finns"),
        ("<script>alert(1)</script>", "2023", "Medborgarlöfte 2023: Kungsör", "kommun som inte finns"),
        ("1960", "abc", f"Medborgarlöfte {date.today().year}: Kungsör", "ett år som inte går att visa"),
        ("1960", "1800", f"Medborgarlöfte {date.today().year}: Kungsör", "ett år som inte går att visa"),
        ("0483", "2019", "Medborgarlöfte 2019: Katrineholm", None),
        ("1960", "2021", "Trygghetsinsatser 2021: Kungsör", None),  # no promise in the sources for 2021
    ],
)
def test_bad_url_parameters_fall_back_with_a_note(public_app, kommun, year, title, note) -> None:
    at = public_app(kommun=kommun, ar=year)
    assert not at.exception
    assert at.title[0].value == title
    notes = [w.value for w in at.warning]
    assert (note is None and not notes) or any(note in n for n in notes)
    assert all("<script>" not in h.value for h in at.title)
    assert all("\\<script\\>" in n for n in notes if "script" in n)  # the link's text is shown, never markup


def test_embedded_the_page_has_no_app_frame(public_app) -> None:
    at = public_app(embedded=True, kommun="1960", ar="2023")
    assert not at.exception
    assert at.title[0].value == "Medborgarlöfte 2023: Kungsör"
    assert not at.sidebar.children or not list(at.sidebar)
    links = " ".join(h.proto.body for h in at.get("html"))
    assert "allmanhet?kommun=1960&amp;ar=2024&amp;embed=true" in links


def test_parse_request_rules() -> None:
    from lofte_data.models import Kommun

    kommuner = [Kommun("1960", "Kungsör", "19", "V", "", ""), Kommun("0483", "Katrineholm", "04", "S", "", "")]
    today = date(2026, 11, 30)
    assert public.parse_request("0483", "2024", kommuner, today=today) == public.Request(kommuner[1], 2024)
    assert public.parse_request(None, None, kommuner, today=today) == public.Request(kommuner[0], 2026)
    assert public.parse_request("1960", "2028", kommuner, today=today).notes
    assert public.parse_request("1960", "2027", kommuner, today=today).year == 2027


def test_an_editor_publishes_and_writes_the_plan_texts_on_redigera(db_url: str, store: Store) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    editing.create_promise(store, ANNA, kommun_code="1960", year=2026, title="Medborgarlöfte 2026")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params["kommun"], at.query_params["ar"] = "1960", "2026"
    at.session_state["editor"] = ANNA
    at.run()
    at.switch_page("pages/redigera.py").run()
    assert not at.exception
    at.button(key="toggle_published").click().run()
    assert store.promise("1960", 2026).published is True
    assert at.button(key="toggle_published").label == "Ta ned från allmänhetens sida"
    summary = next(t for t in at.text_area if t.label.startswith("Sammanfattning (lägesbild"))
    summary.input("Kungsör har en lugn lägesbild.")
    next(b for b in at.button if b.label == "Spara texterna").click().run()
    assert store.promise("1960", 2026).plan_summary == "Kungsör har en lugn lägesbild."
    st.cache_data.clear()
    st.cache_resource.clear()
