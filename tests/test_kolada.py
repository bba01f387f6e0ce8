"""Tests for the Kolada v3 client (core): URL building, paging, parsing; on recorded responses, never the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests
from responses import RequestsMock

import recorded
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI
from lofte_data.errors import InputError, SchemaError, SourceError, SourceNotFoundError
from lofte_data.sources.http import USER_AGENT, HttpClient
from lofte_data.sources.kolada import (
    BASE_URL,
    KoladaClient,
    data_urls,
    parse_municipalities,
    parse_values,
    population,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kolada"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "kolada"
ALL_KPIS = [*KOLADA_KPIS, POPULATION_KPI]
CODES = ["1960", "1984", "1983", "1961", "0483", "0019", "0004", "0000"]
YEARS = [2022, 2023]
DATA_PATH = (
    "/v3/data/kpi/N07540,N07403,U07417,N07546,N07547,U07452,N07544,N07548,N07538,N07537,N07536,N01951"
    "/municipality/1960,1984,1983,1961,0483,0019,0004,0000/year/2022,2023"
)
VALUE_DTYPES = {
    "kpi": "str",
    "municipality": "str",
    "year": "int64",
    "gender": "str",
    "value": "Float64",
    "status": "str",
}


@pytest.fixture
def waits() -> list[float]:
    return []


def kolada_for(waits: list[float], **options: Any) -> KoladaClient:
    return KoladaClient(HttpClient(session=requests.Session(), sleep=waits.append), **options)


def envelope(values: list[Any], next_url: str | None = None) -> dict[str, Any]:
    return {"values": values, "count": len(values), "next_url": next_url, "previous_url": None}


def record(kpi: str = "N07540", municipality: Any = "1960", period: Any = 2023, **value: Any) -> dict[str, Any]:
    item = {"count": 1, "gender": "T", "status": "", "value": 7000.5} | value
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": [item]}


def fixture_values() -> pd.DataFrame:
    pages = [json.loads((FIXTURES / f"data_page{n}.json").read_text(encoding="utf-8")) for n in (1, 2, 3)]
    return pd.concat([parse_values(page) for page in pages], ignore_index=True)


def reference(name: str) -> dict[str, Any]:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file missing: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- build


def test_data_url_exact_string() -> None:
    assert data_urls(["N07540", "N01951"], ["1960", "0000"], [2022, 2023]) == [
        f"{BASE_URL}/data/kpi/N07540,N01951/municipality/1960,0000/year/2022,2023?per_page=5000"
    ]


def test_sixty_municipalities_make_three_segments() -> None:
    codes = [f"{n:04d}" for n in range(1, 61)]

    urls = data_urls(["N07540"], codes, [2023], per_page=100)

    assert urls == [
        f"{BASE_URL}/data/kpi/N07540/municipality/{','.join(codes[0:25])}/year/2023?per_page=100",
        f"{BASE_URL}/data/kpi/N07540/municipality/{','.join(codes[25:50])}/year/2023?per_page=100",
        f"{BASE_URL}/data/kpi/N07540/municipality/{','.join(codes[50:60])}/year/2023?per_page=100",
    ]
    assert urls[0].split("/municipality/")[1].startswith("0001,0002,")


def test_every_segment_is_chunked_as_a_cartesian_product() -> None:
    kpis = [f"N{n:05d}" for n in range(26)]
    years = list(range(1990, 2020))

    urls = data_urls(kpis, ["1960", "1984"], years)

    assert len(urls) == 2 * 1 * 2
    segments = [url.split("?")[0].split("/")[-5::2] for url in urls]
    assert [[len(part.split(",")) for part in seg] for seg in segments] == [
        [25, 2, 25],
        [25, 2, 5],
        [1, 2, 25],
        [1, 2, 5],
    ]
    assert urls[1].endswith("/year/2015,2016,2017,2018,2019?per_page=5000")


def test_duplicates_are_dropped_and_order_kept() -> None:
    (url,) = data_urls(["U07417", "N07540", "U07417"], ["0483", "1960", "0483"], [2023, 2022, 2023])
    assert url == f"{BASE_URL}/data/kpi/U07417,N07540/municipality/0483,1960/year/2023,2022?per_page=5000"


@pytest.mark.parametrize(
    ("kpis", "codes", "years", "word"),
    [
        (["n07540"], ["1960"], [2023], "nyckeltal"),
        (["N0754"], ["1960"], [2023], "nyckeltal"),
        (["N07540,N01951"], ["1960"], [2023], "nyckeltal"),
        ([], ["1960"], [2023], "nyckeltal"),
        (["N07540"], [1960], [2023], "kommunkod"),
        (["N07540"], [483], [2023], "kommunkod"),
        (["N07540"], ["483"], [2023], "kommunkod"),
        (["N07540"], ["19600"], [2023], "kommunkod"),
        (["N07540"], ["19a0"], [2023], "kommunkod"),
        (["N07540"], "1960", [2023], "kommunkod"),
        (["N07540"], [], [2023], "kommunkod"),
        (["N07540"], ["1960"], ["2023"], "år"),
        (["N07540"], ["1960"], [True], "år"),
        (["N07540"], ["1960"], [1066], "år"),
        (["N07540"], ["1960"], [], "år"),
    ],
)
def test_bad_codes_are_refused_in_swedish(kpis: Any, codes: Any, years: Any, word: str) -> None:
    with pytest.raises(InputError, match=word):
        data_urls(kpis, codes, years)


@pytest.mark.parametrize("per_page", [0, 5001, 10.5])
def test_bad_per_page_is_refused(per_page: Any) -> None:
    with pytest.raises(InputError, match="per_page"):
        data_urls(["N07540"], ["1960"], [2023], per_page=per_page)


# --------------------------------------------------------------------------- fetch


def test_fetch_follows_next_url_across_three_pages(web: RequestsMock, waits: list[float]) -> None:
    recorded.load(web, FIXTURES)

    df = kolada_for(waits, per_page=80).fetch_values(ALL_KPIS, CODES, YEARS)

    assert recorded.paths(web) == [
        f"{DATA_PATH}?per_page=80",
        f"{DATA_PATH}?page=2&per_page=80",
        f"{DATA_PATH}?page=3&per_page=80",
    ]
    assert all(call.request.headers["User-Agent"] == USER_AGENT for call in web.calls)
    assert len(df) == 11 * 8 * 2 + 8 * 2 * 3  # crime KPIs (T only) + population (K, M, T)
    assert df.dtypes.astype(str).to_dict() == VALUE_DTYPES
    assert list(df.index) == list(range(len(df)))
    assert waits == []


def test_fetch_survives_throttling_and_a_timeout_mid_paging(web: RequestsMock, waits: list[float]) -> None:
    recorded.load(web, FIXTURES, manifest="replay_throttled.json")

    df = kolada_for(waits, per_page=80).fetch_values(ALL_KPIS, CODES, YEARS)

    assert len(df) == 224
    assert waits == [7.0, 2.0]  # Retry-After, then backoff 1 x 2**1
    assert len(web.calls) == 5


def test_fetch_sends_one_request_per_chunk(web: RequestsMock, waits: list[float]) -> None:
    codes = [f"{n:04d}" for n in range(1, 61)]
    chunks = data_urls(["N07540"], codes, [2023])
    for url in chunks:
        recorded.record(web, url, json=envelope([record(municipality=url.split("/municipality/")[1][:4])]))

    df = kolada_for(waits).fetch_values(["N07540"], codes, [2023])

    assert recorded.urls(web) == chunks
    segments = [path.split("/municipality/")[1].split("/year/")[0] for path in recorded.paths(web)]
    assert [len(segment.split(",")) for segment in segments] == [25, 25, 10]
    assert df["municipality"].tolist() == ["0001", "0026", "0051"]


def test_iter_pages_stops_when_next_url_is_absent_or_empty(web: RequestsMock, waits: list[float]) -> None:
    first = f"{BASE_URL}/municipality"
    recorded.record(web, first, json={"values": [], "next_url": ""})
    recorded.record(web, first, json={"values": []})
    assert len(list(kolada_for(waits).iter_pages(first))) == 1
    assert len(list(kolada_for(waits).iter_pages(first))) == 1


def test_relative_next_url_is_resolved(web: RequestsMock, waits: list[float]) -> None:
    first = f"{BASE_URL}/municipality"
    recorded.record(web, first, json=envelope([], "/v3/municipality?page=2"))
    recorded.record(web, f"{first}?page=2", json=envelope([]))
    assert len(list(kolada_for(waits).iter_pages(first))) == 2
    assert recorded.paths(web) == ["/v3/municipality", "/v3/municipality?page=2"]


@pytest.mark.parametrize("loop_to", ["page=1", "page=2"])
def test_next_url_loop_is_refused(web: RequestsMock, waits: list[float], loop_to: str) -> None:
    page1, page2 = f"{BASE_URL}/kpi?page=1", f"{BASE_URL}/kpi?page=2"
    recorded.record(web, page1, json=envelope([], page2))
    recorded.record(web, page2, json=envelope([], f"{BASE_URL}/kpi?{loop_to}"))
    with pytest.raises(SchemaError, match="redan hämtats"):
        list(kolada_for(waits).iter_pages(page1))
    assert len(web.calls) == 2


def test_more_than_max_pages_is_refused(web: RequestsMock, waits: list[float]) -> None:
    recorded.load(web, FIXTURES)
    with pytest.raises(SourceError, match="fler än 2 sidor"):
        kolada_for(waits, per_page=80, max_pages=2).fetch_values(ALL_KPIS, CODES, YEARS)
    assert len(web.calls) == 2


@pytest.mark.parametrize("next_url", ["https://evil.example/v3/data?page=2", 2, ["x"]])
def test_bad_next_url_is_refused(web: RequestsMock, waits: list[float], next_url: Any) -> None:
    first = f"{BASE_URL}/municipality"
    recorded.record(web, first, json={"values": [], "next_url": next_url})
    with pytest.raises(SchemaError, match="nästa sida"):
        list(kolada_for(waits).iter_pages(first))


def test_page_that_is_not_an_object_is_a_schema_error(web: RequestsMock, waits: list[float]) -> None:
    url = data_urls(["N07540"], ["1960"], [2023])[0]
    recorded.record(web, url, json=[record()])
    with pytest.raises(SchemaError, match="JSON-objekt"):
        kolada_for(waits).fetch_values(["N07540"], ["1960"], [2023])


def test_malformed_json_body_is_a_schema_error(web: RequestsMock, waits: list[float]) -> None:
    url = data_urls(["N07540"], ["1960"], [2023])[0]
    body = (FIXTURES / "data_truncated.json").read_bytes()
    recorded.record(web, url, headers={"Content-Type": "application/json"}, body=body)
    with pytest.raises(SchemaError, match="inte giltig JSON"):
        kolada_for(waits).fetch_values(["N07540"], ["1960"], [2023])
    assert waits == []


def test_not_found_is_passed_on(web: RequestsMock, waits: list[float]) -> None:
    url = data_urls(["N07540"], ["1960"], [2023])[0]
    recorded.record(web, url, status=404)
    with pytest.raises(SourceNotFoundError):
        kolada_for(waits).fetch_values(["N07540"], ["1960"], [2023])


def test_bad_input_is_refused_before_any_request(web: RequestsMock, waits: list[float]) -> None:
    with pytest.raises(InputError):
        kolada_for(waits).fetch_values(["N07540"], [1960], [2023])  # type: ignore[list-item]
    assert len(web.calls) == 0


# --------------------------------------------------------------------------- parse


def test_null_values_become_na() -> None:
    df = parse_values(envelope([record(value=None), record(period=2022, value=6500)]))

    assert df["value"].dtype == "Float64"
    assert df["value"].isna().tolist() == [True, False]
    assert df.loc[1, "value"] == 6500.0


def test_fixture_nulls_are_the_regions_on_kommun_only_kpis() -> None:
    df = fixture_values()
    missing = df[df["value"].isna()]
    assert len(missing) == 10 * 2 * 2  # every crime KPI but N07403 is kommun-only
    assert set(missing["municipality"]) == {"0019", "0004"}


@pytest.mark.parametrize(
    ("raw", "code"), [("0483", "0483"), (483, "0483"), (0, "0000"), ("0000", "0000"), (1960, "1960")]
)
def test_codes_are_strings_with_leading_zeros(raw: Any, code: str) -> None:
    df = parse_values(envelope([record(municipality=raw)]))
    assert df.loc[0, "municipality"] == code
    assert df["municipality"].dtype == "str"


def test_genders_and_status_are_kept() -> None:
    item = {"kpi": "N01951", "municipality": "1960", "period": "2023", "values": []}
    item["values"] = [
        {"gender": "K", "value": 4300, "status": "", "count": 1},
        {"gender": "M", "value": 4481, "status": "Prel", "count": 1},
        {"gender": "T", "value": 8781, "count": 1},
    ]
    df = parse_values(envelope([item]))
    assert df[["gender", "status"]].values.tolist() == [["K", ""], ["M", "Prel"], ["T", ""]]
    assert df["year"].tolist() == [2023] * 3


def test_empty_values_give_typed_empty_frame() -> None:
    df = parse_values(envelope([]))
    assert df.empty
    assert df.dtypes.astype(str).to_dict() == VALUE_DTYPES


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"count": 0, "next_url": None},
        {"values": None},
        {"values": {"kpi": "N07540"}},
        [],
        "values",
        envelope(["N07540"]),
        envelope([{"municipality": "1960", "period": 2023, "values": []}]),
        envelope([{"kpi": "N07540", "municipality": "1960", "values": []}]),
        envelope([{"kpi": "N07540", "period": 2023, "values": []}]),
        envelope([{"kpi": "N07540", "period": 2023, "municipality": "1960"}]),
        envelope([{"kpi": "N07540", "period": 2023, "municipality": "1960", "values": {"value": 1}}]),
        envelope([record(value="12,5")]),
        envelope([record(value="12.5")]),
        envelope([record(value=True)]),
        envelope([record(gender="X")]),
        envelope([record(gender=None)]),
        envelope([record(status=3)]),
        envelope([record(municipality="Kungsör")]),
        envelope([record(municipality=19600)]),
        envelope([record(period="2023-01")]),
        envelope([record(kpi="")]),
        envelope([{**record(), "values": ["T"]}]),
    ],
)
def test_malformed_payload_is_a_schema_error(payload: Any) -> None:
    with pytest.raises(SchemaError) as raised:
        parse_values(payload)
    assert "Kolada" in str(raised.value)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"values": "x"},
        envelope([{"id": "1960", "title": "Kungsör"}]),
        envelope([{"id": "x", "title": "a", "type": "K"}]),
    ],
)
def test_malformed_municipalities_are_a_schema_error(payload: Any) -> None:
    with pytest.raises(SchemaError):
        parse_municipalities(payload)


def test_parse_real_reference_data_arboga() -> None:
    payload = reference("kolada_v3_data_arboga_reconstructed.json")

    df = parse_values(payload)

    assert len(df) == 24
    assert df.dtypes.astype(str).to_dict() == VALUE_DTYPES
    assert set(df["kpi"]) == {"N03702", "N03703"}
    assert set(df["municipality"]) == {"1984"}
    assert df["year"].tolist() == list(range(2012, 2024)) * 2
    assert set(df["gender"]) == {"T"}
    first = df.iloc[0]
    assert (first["kpi"], first["year"], first["value"]) == ("N03702", 2012, 268.853441)
    assert df.loc[df["kpi"] == "N03703", "value"].iloc[-1] == 917.0


def test_real_reference_data_through_the_client(web: RequestsMock, waits: list[float]) -> None:
    payload = reference("kolada_v3_data_arboga_reconstructed.json")
    url = data_urls(["N03702", "N03703"], ["1984"], list(range(2012, 2024)))[0]
    recorded.record(web, url, json=payload)  # no next_url key at all: one page

    df = kolada_for(waits).fetch_values(["N03702", "N03703"], ["1984"], list(range(2012, 2024)))

    assert len(df) == 24
    assert len(web.calls) == 1


def test_parse_real_reference_municipalities() -> None:
    df = parse_municipalities(reference("kolada_v3_municipality_subset.json"))

    assert list(df.columns) == ["id", "title", "type"]
    assert len(df) == 10
    by_id = df.set_index("id")
    assert by_id.loc["0000"].tolist() == ["Riket", "L"]
    assert by_id.loc["0483"].tolist() == ["Katrineholm", "K"]
    assert by_id.loc["0019", "title"] == "Region Västmanland"
    assert df["id"].str.len().eq(4).all()


# --------------------------------------------------------------------------- derived


def test_population_frame() -> None:
    pop = population(fixture_values())

    assert list(pop.columns) == ["municipality", "year", "population"]
    assert len(pop) == 16
    assert pop["population"].dtype == "Int64"
    kungsor = pop[(pop["municipality"] == "1960") & (pop["year"] == 2022)]
    assert kungsor["population"].tolist() == [8750]
