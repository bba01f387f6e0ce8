"""Hostile input, fuzzed with hypothesis: the Brå parser, the activity CSV/Excel parser and the police-feed parser
end every input in a correct result or a typed error with a Swedish message, never a crash; a refused Brå import
writes nothing. Bounded (max_examples) so the suite stays fast."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte_data import activity_import
from lofte_data.access import OPERATOR
from lofte_data.errors import LofteError
from lofte_data.importing import import_bra
from lofte_data.seed import load_areas
from lofte_data.sources import bra, polisen
from lofte_data.storage import Store

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SWEDISH = ("Rad", "Filen", "Raden", "Antal", "Ogiltigt", "Okänd", "Rubrikraden", "Region", "Värdet", "Året", "Ange")
HEADER = "Region;Brott;År;Period;Antal;/100 000 inv"
REGIONS = st.sampled_from(["Kungsör kommun", "Katrineholm", "Riket", "Region Nord", "", "K\x00ungsör", "=1+1", "<b>"])
CRIMES = st.sampled_from(["Totalt antal brott", "Våldsbrott", "Okänt", "", "Stöldbrott"])
YEARS = st.sampled_from(["2016", "2016 prel.", "1949", "9999", "År", "20x6", "", "2015"])
PERIODS = st.sampled_from(["Jan", "Dec", "Kvartal 3", "Kvartal 5", "2016", "", "Maj"])
NUMBERS = st.one_of(
    st.sampled_from(["..", "", "-1", "1 234", "1e9", "10000000000000", "12,5", "NaN", "inf", "٣"]),
    st.integers(0, 10**7).map(str),
)
ROW = st.tuples(REGIONS, CRIMES, YEARS, PERIODS, NUMBERS, NUMBERS).map(";".join)


def _swedish(error: LofteError) -> None:
    assert str(error) and not str(error).startswith(("Traceback", "'", "invalid")), str(error)


@FUZZ
@given(st.binary(max_size=3000))
def test_bra_parser_on_any_bytes(data: bytes) -> None:
    try:
        frame = bra.parse_any(data, year=2016)
    except LofteError as error:
        _swedish(error)
    else:
        assert isinstance(frame, pd.DataFrame)


@FUZZ
@given(st.lists(ROW, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["utf-8", "iso-8859-1"]))
def test_bra_parser_on_near_valid_files(rows: list[str], newline: str, encoding: str) -> None:
    data = newline.join([HEADER, *rows]).encode(encoding, errors="replace")
    try:
        frame = bra.parse_databasfil(data)
    except LofteError as error:
        assert str(error).startswith(SWEDISH), str(error)
    else:
        assert (frame["count"].dropna() <= bra.MAX_BRA_COUNT).all()
        assert frame["year"].between(bra.FIRST_BRA_YEAR, 2100).all()


@pytest.fixture(scope="module")
def shared_store() -> Store:
    folder = Path(tempfile.mkdtemp())
    store = Store.open(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    store.add_kommuner(load_areas())
    return store


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=8))
def test_a_refused_bra_import_writes_nothing(shared_store: Store, rows: list[str]) -> None:
    before = shared_store.crime_stats(["1960", "0483", "0000"]).sort_values("id").reset_index(drop=True)
    try:
        import_bra(shared_store, "\n".join([HEADER, *rows]).encode(), filename="f.txt", editor=OPERATOR)
    except LofteError as error:
        _swedish(error)
        after = shared_store.crime_stats(["1960", "0483", "0000"]).sort_values("id").reset_index(drop=True)
        assert after.equals(before)


CELLS = st.one_of(
    st.sampled_from(["2023-05-14", "2023-02-30", "14/5/2023", "", "=cmd|x", "1", "1 000", "-3", "10001", "٣", "1"]),
    st.text(max_size=30),
)


@FUZZ
@given(st.lists(st.lists(CELLS, max_size=8), max_size=10), st.sampled_from([";", ","]), st.booleans())
def test_activity_csv_parser(rows: list[list[str]], separator: str, bom: bool) -> None:
    header = separator.join(["datum", "åtagande_id", "antal", "plats", "anteckning"])
    text = "\n".join([header, *(separator.join(r) for r in rows)])
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", errors="replace")
    try:
        result = activity_import.parse_activities(data, filename="a.csv", year=2023, commitment_ids={1, 2})
    except LofteError as error:
        _swedish(error)
    else:
        assert all(row["date"].year == 2023 and 0 <= row["count"] <= 10_000 for row in result.rows)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt"]))
def test_activity_parser_on_any_bytes(data: bytes, filename: str) -> None:
    try:
        activity_import.parse_activities(data, filename=filename, year=2023, commitment_ids={1})
    except LofteError as error:
        _swedish(error)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
EVENT = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(-5, 10**31), st.text(max_size=5)),
        "datetime": st.sampled_from(["2026-06-25 7:49:16 +02:00", "2026-02-30 7:49:16 +02:00", "igår", ""]),
        "name": st.sampled_from(["25 juni 07.30, Stöld, Kungsör", "31 februari 07.30, Stöld, Kungsör", "x", ""]),
        "location": st.one_of(
            JSON,
            st.fixed_dictionaries(
                {"name": st.text(max_size=10), "gps": st.sampled_from(["59,16", "nan,inf", "1e999,0", "a"])}
            ),
        ),
    },
    optional={"summary": JSON, "url": JSON, "type": JSON},
)


@FUZZ
@given(st.one_of(JSON, st.lists(EVENT, max_size=5)))
def test_police_feed_parser(payload: object) -> None:
    try:
        frame = polisen.parse_events(payload)
    except LofteError as error:
        _swedish(error)
    else:
        assert frame["event_id"].between(0, polisen.MAX_EVENT_ID).all()
        coords = frame[["lat", "lon"]].dropna()
        assert coords["lat"].between(-90, 90).all() and coords["lon"].between(-180, 180).all()


@FUZZ
@given(st.binary(max_size=2000))
def test_police_archive_on_any_bytes(data: bytes) -> None:
    try:
        polisen.load_archive_file(data)
    except LofteError as error:
        _swedish(error)
