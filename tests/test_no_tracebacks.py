"""No raw tracebacks for viewers: error details off, a failing section says so in Swedish while the rest of the
page renders, strict numeric URL parameters, and hostile police JSON ends in a Swedish error."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from lofte_data import meeting
from lofte_data.__main__ import main
from lofte_data.errors import ImportFileError, StorageError
from lofte_data.sources import polisen
from lofte_data.storage import Store

ROOT = Path(__file__).resolve().parents[1]
EVENT = {
    "id": 1,
    "datetime": "2026-06-25 7:49:16 +02:00",
    "name": "25 juni 07.30, Stöld, Kungsör",
    "summary": "x",
    "url": "/a",
    "type": "Stöld",
    "location": {"name": "Kungsör", "gps": "59.42,16.09"},
}


def test_error_details_are_off_for_viewers() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_xsrf_protection_stays_on() -> None:
    """Streamlit's XSRF protection (on by default, and it needs CORS protection on) is not turned off, neither in
    the project's config nor by anything the app sets when Streamlit loads that config."""
    from streamlit import config as streamlit_config

    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("server", {})
    assert server.get("enableXsrfProtection", True) is True and server.get("enableCORS", True) is True
    assert streamlit_config.get_option("server.enableXsrfProtection") is True


def test_a_database_password_never_reaches_a_message_or_the_log(monkeypatch, capsys, caplog) -> None:
    """A database that cannot be reached (nothing listens on port 9): the command line says so in Swedish, and
    neither what it prints nor the log holds the password in the database address."""
    monkeypatch.setenv("LOFTE_DATABASE_URL", "postgresql+psycopg://lofte:hemligt-losen-123@127.0.0.1:9/lofte")
    assert main(["init-db"]) != 0
    out, err = capsys.readouterr()
    assert err.startswith("Fel: ") and "databasen" in err
    assert "hemligt-losen-123" not in out + err + caplog.text


def test_a_failing_section_shows_a_swedish_notice_and_the_page_goes_on(app, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise StorageError("Uppgifterna kunde inte läsas från databasen just nu (OperationalError).")

    monkeypatch.setattr(Store, "crime_stats", broken)
    at = app("1960", "2023")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Den här delen (Anmälda brott) kunde inte visas just nu: Uppgifterna") for w in warnings)
    assert "Medborgarlöfte" in [s.value for s in at.subheader]
    assert at.metric  # the promise's cards still render


def test_a_failing_promise_section_leaves_the_crime_figures(app, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise StorageError("Databasen är låst.")

    import streamlit as st

    at = app("1960", "2023")  # the store is opened and seeded first (seeding reads promises too)
    monkeypatch.setattr(Store, "promise", broken)
    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert any("(Medborgarlöfte) kunde inte visas just nu: Databasen är låst" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    assert at.metric  # the crime cards above still render


def _fail_after_first_run(at, monkeypatch: pytest.MonkeyPatch, method: str) -> None:  # noqa: ANN001 - AppTest
    """The page ran once (the store opened and seeded); now ``Store.method`` fails as a database read would."""
    import streamlit as st

    def broken(*_: object, **__: object) -> None:
        raise StorageError("Uppgifterna kunde inte läsas från databasen just nu (OperationalError).")

    monkeypatch.setattr(Store, method, broken)
    st.cache_data.clear()
    at.run()


def _shown(at) -> str:  # noqa: ANN001 - AppTest
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.title]
    return "\n".join(str(e.value) for e in elements)


def _notices(at) -> list[str]:  # noqa: ANN001 - AppTest
    return [w.value for w in at.warning if "kunde inte visas just nu: Uppgifterna kunde inte läsas" in w.value]


def test_brottsstatistik_without_the_promise_years_still_shows_the_figures(app, monkeypatch) -> None:
    at = app("1960", "2023", page="pages/brottsstatistik.py")
    _fail_after_first_run(at, monkeypatch, "promise_years")
    assert not at.exception and "Traceback" not in _shown(at)
    assert [n.split(")")[0] for n in _notices(at)] == ["Den här delen (Per år"]
    headings = [s.value for s in at.subheader]
    assert any(h.startswith("Senaste år med siffror") for h in headings), headings
    assert any(h.startswith("Månad för månad") for h in headings) and "Per år" in headings
    assert at.dataframe and at.get("plotly_chart")  # the latest year's table and the months' chart


def test_lagesbild_without_the_fetch_dates_still_shows_the_incidents(app, monkeypatch) -> None:
    at = app("0483", "2025", page="pages/lagesbild.py", period="ar")
    _fail_after_first_run(at, monkeypatch, "dataset")
    assert not at.exception and "Traceback" not in _shown(at)
    parts = [n.split(")")[0].removeprefix("Den här delen (") for n in _notices(at)]
    assert parts == ["Hur långt data räcker", "Hämtning från Polisen"]
    assert at.subheader[0].value == "65 händelser, 1 jan 2025 – 31 dec 2025"
    assert len(at.get("plotly_chart")) == 3 and "Nattvandring och bevakning" in [s.value for s in at.subheader]


def test_lagesbild_whose_incidents_cannot_be_read_says_so_and_ends_the_page(app, monkeypatch) -> None:
    at = app("0483", "2025", page="pages/lagesbild.py", period="ar")
    _fail_after_first_run(at, monkeypatch, "incidents")
    assert not at.exception and "Traceback" not in _shown(at)
    assert [n.split(")")[0] for n in _notices(at)] == ["Den här delen (Händelser under perioden"]
    assert at.title[0].value == "Lägesbild" and not at.get("plotly_chart")


def test_mote_without_the_promise_still_presents_the_crime_figures(app, monkeypatch) -> None:
    at = app("1960", "2023", page="pages/mote.py", bild="3")
    _fail_after_first_run(at, monkeypatch, "promise")
    assert not at.exception and "Traceback" not in _shown(at)
    parts = [n.split(")")[0].removeprefix("Den här delen (") for n in _notices(at)]
    assert parts[:2] == ["Medborgarlöfte", "Tertialrapport"], parts
    assert "### Anmälda brott" in _shown(at) and at.metric  # the crime slide, without the focus areas' slides
    assert "Bild 3 av 5" in _shown(at)  # sedan, lägesbild, brott, per brottstyp, beslut


@pytest.mark.parametrize("value", ["٣", "²", "３", "9" * 5000, "-1", " ", "1e3"])
def test_a_non_ascii_or_huge_number_in_the_meeting_url_never_crashes(app, value: str) -> None:
    at = app("1960", "2023", page="pages/mote.py", bild=value, auto=value, uppdatera=value)
    assert not at.exception
    assert "Bild 1 av" in "\n".join(m.value for m in at.markdown)


# Every choice a viewer page keeps in its address, by page (kommun and year are tested in test_app_pages.py).
PAGE_PARAMETERS = {
    "oversikt": (),
    "brottsstatistik": ("brott", "matt"),
    "medborgarloften": ("fokus",),
    "lagesbild": ("period", "typ", "kalla", "bevaka"),
    "jamfor": ("niva", "brott"),
    "mote": ("bild", "auto", "uppdatera", "sedan", "presentation"),
}
HOSTILE = ("<script>alert(1)</script>![x](http://example.org/x.png)", "٣" + "9" * 300)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("page", PAGE_PARAMETERS)
def test_hostile_values_of_every_page_choice_fall_back_as_text(app, page: str, value: str) -> None:
    at = app("1960", "2023", page=f"pages/{page}.py", **dict.fromkeys(PAGE_PARAMETERS[page], value))
    assert not at.exception
    shown = [e.value for e in (*at.markdown, *at.warning, *at.caption, *at.title) if isinstance(e.value, str)]
    assert at.title or page == "mote"
    markup = re.compile(r"(?<!\\)<script|(?<!\\)\]\(http")  # not escaped by widgets.plain: markup
    assert not any(markup.search(text) for text in shown)


@pytest.mark.parametrize(("raw", "expected"), [("٣", 1), ("²", 1), ("3", 3), ("sista", 5), ("99", 5), ("0", 1)])
def test_slide_index_reads_ascii_digits_only(raw: str, expected: int) -> None:
    assert meeting.slide_index(raw, 5) == expected


def test_deeply_nested_police_json_is_a_swedish_error() -> None:
    with pytest.raises(ImportFileError, match="djupt nästlad"):
        polisen.load_archive_file(b"[" * 200_000 + b"]" * 200_000)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": 10**30}, "orimligt stort"),
        ({"id": "٣"}, "inte ett heltal"),
        ({"location": {"name": "Kungsör", "gps": "nan,inf"}}, "inte en plats på jorden"),
        ({"location": {"name": "Kungsör", "gps": "91,16"}}, "inte en plats på jorden"),
    ],
)
def test_impossible_police_values_are_refused_in_swedish(change: dict, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        polisen.load_archive_file(json.dumps([EVENT | change]).encode())


def test_a_police_archive_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ImportFileError, match="större än 20 MB"):
        polisen.load_archive_file(b" " * (polisen.MAX_ARCHIVE_BYTES + 1))


def test_import_polisen_of_hostile_json_exits_2_with_a_swedish_message(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested, huge = tmp_path / "nested.json", tmp_path / "huge.json"
    nested.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    huge.write_text(json.dumps([EVENT | {"id": 10**30}]))
    assert main(["import-polisen", str(nested)]) == 2
    assert main(["import-polisen", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "Fel: Filen är för djupt nästlad" in err and "orimligt stort" in err and "Traceback" not in err
