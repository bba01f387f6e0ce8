"""Tests of Polisen's events feed (core): build, parse, archive files and the client on recorded responses."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests
from responses import RequestsMock

from lofte_data.errors import ImportFileError, InputError, RateLimitedError, SchemaError, SourceNotFoundError
from lofte_data.ratelimit import MemoryCallLog, RateLimiter
from lofte_data.sources.http import HttpClient
from lofte_data.sources.polisen import (
    COLUMNS,
    EVENTS_URL,
    PolisenClient,
    events_params,
    load_archive_file,
    parse_datetime,
    parse_events,
    polisen_limiter,
)
from recorded import paths, record

FIXTURE = Path(__file__).parent / "fixtures" / "polisen" / "events_sample.json"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "polisen"
REFERENCE_EVENTS = REFERENCE / "events_5kommuner_2022-12_to_2026-08.json"
T0 = 1_750_000_000.0


def sample() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def by_id(frame: pd.DataFrame, event_id: int) -> pd.Series:
    return frame.set_index("event_id").loc[event_id]


def stockholm(*args: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(*args), tz="Europe/Stockholm")


# -- build ----------------------------------------------------------------------------------------
def test_events_params() -> None:
    params = events_params(locations=["Arboga", "Köping"], types=["Rån", "Stöld/inbrott"], month="2026-04")
    assert params == {"locationname": "Arboga;Köping", "type": "Rån;Stöld/inbrott", "DateTime": "2026-04"}
    assert events_params() == {}
    assert events_params(locations="Kungsör") == {"locationname": "Kungsör"}  # a lone string is one place


@pytest.mark.parametrize("kwargs", [{"month": "2026-4"}, {"month": "april"}, {"month": "2026-13"}])
def test_events_params_refuses_bad_month(kwargs: dict[str, str]) -> None:
    with pytest.raises(InputError, match="ÅÅÅÅ-MM"):
        events_params(**kwargs)


def test_events_params_refuses_semicolon_in_a_name() -> None:
    with pytest.raises(InputError, match="semikolon"):
        events_params(locations=["Arboga;Köping"])


# -- parse ----------------------------------------------------------------------------------------
def test_parse_datetime_hour_not_padded() -> None:
    parsed = parse_datetime("2026-06-25 7:49:16 +02:00")
    assert parsed == datetime(2026, 6, 25, 7, 49, 16, tzinfo=timezone(timedelta(hours=2)))
    assert parsed.utcoffset() == timedelta(hours=2)


def test_parse_datetime_hour_padded() -> None:
    assert parse_datetime("2023-02-15 08:18:16 +01:00") == datetime(2023, 2, 15, 7, 18, 16, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-06-25 7:49:16", "25 juni 2026", "2026-02-30 7:49:16 +01:00", ""])
def test_parse_datetime_refuses(text: str) -> None:
    with pytest.raises(SchemaError, match="Tidpunkten"):
        parse_datetime(text)


def test_parse_events_columns_and_types() -> None:
    frame = parse_events(sample())
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 5
    assert frame["event_id"].dtype == "int64"
    assert str(frame["published_at"].dt.tz) == "Europe/Stockholm"
    assert str(frame["occurred_at"].dt.tz) == "Europe/Stockholm"
    assert frame["lat"].dtype == "float64" and frame["lon"].dtype == "float64"
    assert frame["gps_is_county"].dtype == "bool"


def test_parse_events_colon_time_and_unpadded_publish_hour() -> None:
    event = by_id(parse_events(sample()), 412345)
    assert event["published_at"] == stockholm(2023, 5, 4, 9, 5, 0)
    assert event["occurred_label"] == "04 maj 08.40"
    assert event["occurred_at"] == stockholm(2023, 5, 4, 8, 40)
    assert event["kommun"] == "Köping"
    assert event["type"] == "Stöld/inbrott"
    assert (event["lat"], event["lon"]) == (59.512096, 15.99451)
    assert not event["gps_is_county"]


def test_parse_events_year_rollover() -> None:
    event = by_id(parse_events(sample()), 600101)
    assert event["published_at"] == stockholm(2026, 1, 1, 0, 42, 10)
    assert event["occurred_at"] == stockholm(2025, 12, 31, 23, 50)
    assert event["occurred_label"] == "31 december 23.50"


def test_parse_events_type_with_comma_and_county_location() -> None:
    event = by_id(parse_events(sample()), 620202)
    assert event["type"] == "Rån, försök"
    assert event["kommun"] == "Katrineholm"
    assert event["location_name"] == "Södermanlands län"
    assert event["gps_is_county"]
    assert event["occurred_at"] == stockholm(2026, 3, 14, 21, 30)


def test_parse_events_readme_example() -> None:
    event = by_id(parse_events(sample()), 641000)
    assert event["published_at"] == stockholm(2026, 6, 25, 7, 49, 16)
    assert event["type"] == "Trafikolycka, personskada"
    assert event["kommun"] == "Hallstahammar"
    assert event["location_name"] == "Västmanlands län"
    assert event["gps_is_county"]


def test_parse_events_absolute_url_and_summary() -> None:
    event = by_id(parse_events(sample()), 500500)
    assert (
        event["url"] == "https://polisen.se/aktuellt/handelser/2024/november/10/10-november-1305-skadegorelse-kungsor/"
    )
    assert event["summary"] == "Klotter på skola."
    assert event["occurred_label"] == "10 november 13.05"


def test_parse_events_empty_list() -> None:
    frame = parse_events([])
    assert frame.empty and tuple(frame.columns) == COLUMNS
    assert str(frame["published_at"].dt.tz) == "Europe/Stockholm"


def test_parse_events_optional_fields_may_be_missing() -> None:
    events = sample()[:1]
    for key in ("summary", "url", "type", "location"):
        del events[0][key]
    event = parse_events(events).iloc[0]
    assert pd.isna(event["location_name"]) and pd.isna(event["lat"]) and pd.isna(event["url"])
    assert not event["gps_is_county"]


@pytest.mark.parametrize("payload", [{"events": []}, None, "[]", 42])
def test_parse_events_refuses_non_array(payload: Any) -> None:
    with pytest.raises(SchemaError, match="ska vara en JSON-lista"):
        parse_events(payload)


@pytest.mark.parametrize("field", ["id", "datetime", "name"])
@pytest.mark.parametrize("missing", [lambda e, f: e.pop(f), lambda e, f: e.update({f: None})])
def test_parse_events_refuses_missing_required_field(field: str, missing: Any) -> None:
    events = sample()
    missing(events[2], field)
    with pytest.raises(SchemaError, match=f"Händelse nr 3 .*saknar fältet '{field}'"):
        parse_events(events)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Trafikolycka, Arboga", "har inte formatet"),
        ("name", "14 mars, Brand, Arboga", "har inte formatet"),
        ("name", "14 marsch 21.30, Brand, Arboga", "har inte formatet"),
        ("name", "31 april 21.30, Brand, Arboga", "finns inte"),
        ("datetime", "2026-03-14T22:03:51", "Tidpunkten"),
        ("id", "abc", "inte ett heltal"),
        ("location", {"name": "Arboga", "gps": "59.39"}, "lat,lon"),
    ],
)
def test_parse_events_refuses_malformed_event(field: str, value: Any, message: str) -> None:
    events = sample()
    events[1][field] = value
    with pytest.raises(SchemaError, match=f"Händelse nr 2 .*{message}"):
        parse_events(events)


def test_parse_events_refuses_non_object_event() -> None:
    with pytest.raises(SchemaError, match="Händelse nr 2 är inte ett JSON-objekt"):
        parse_events([sample()[0], "Brand i Arboga"])


def test_parse_events_leaves_payload_untouched() -> None:
    events = sample()
    before = copy.deepcopy(events)
    parse_events(events)
    assert events == before


# -- archive files --------------------------------------------------------------------------------
def test_load_archive_file_parses_like_the_feed() -> None:
    data = FIXTURE.read_bytes()
    pd.testing.assert_frame_equal(load_archive_file(data), parse_events(sample()))
    pd.testing.assert_frame_equal(load_archive_file(b"\xef\xbb\xbf" + data), parse_events(sample()))  # BOM


def test_load_archive_file_invalid_json() -> None:
    with pytest.raises(ImportFileError, match="^Rad 2: Filen är inte giltig JSON") as err:
        load_archive_file(b'[\n{"id": 1,,}\n]')
    assert err.value.line == 2


def test_load_archive_file_not_utf8() -> None:
    with pytest.raises(ImportFileError, match="UTF-8"):
        load_archive_file('[{"name": "Köping"}]'.encode("latin-1"))


def test_load_archive_file_wrong_shape() -> None:
    with pytest.raises(ImportFileError, match="Polisens händelseformat: .*saknar fältet 'id'"):
        load_archive_file(b'[{"name": "x"}]')
    with pytest.raises(ImportFileError, match="JSON-lista"):
        load_archive_file(b'{"id": 1}')


# -- fetch through the real HttpClient on recorded responses ------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


JSON = {"Content-Type": "application/json"}


def make_client() -> tuple[PolisenClient, list[float], FakeClock]:
    waits: list[float] = []
    clock = FakeClock()
    limiter = polisen_limiter(MemoryCallLog(), clock=clock)
    return PolisenClient(HttpClient(session=requests.Session(), sleep=waits.append), limiter), waits, clock


def test_fetch_events_sends_user_agent_and_filters(web: RequestsMock) -> None:
    url = f"{EVENTS_URL}?locationname=Arboga;Köping&DateTime=2026-03"
    record(web, url, headers=JSON, body=FIXTURE.read_bytes())
    client, waits, _ = make_client()
    frame = client.fetch_events(locations=["Arboga", "Köping"], month="2026-03")
    assert len(frame) == 5 and tuple(frame.columns) == COLUMNS
    assert len(web.calls) == 1 and waits == []
    assert web.calls[0].request.headers["User-Agent"].startswith("lofte-dashboard/")
    assert paths(web) == ["/api/events?locationname=Arboga;Köping&DateTime=2026-03"]


def test_fetch_events_backs_off_after_429(web: RequestsMock) -> None:
    record(web, EVENTS_URL, status=429, headers={"Retry-After": "7"})
    record(web, EVENTS_URL, json=sample())
    client, waits, _ = make_client()
    frame = client.fetch_events()
    assert len(frame) == 5
    assert len(web.calls) == 2
    assert waits == [7.0]


def test_fetch_events_404_is_not_retried(web: RequestsMock) -> None:
    record(web, EVENTS_URL, status=404)
    client, waits, _ = make_client()
    with pytest.raises(SourceNotFoundError, match="404"):
        client.fetch_events()
    assert len(web.calls) == 1 and waits == []


def test_limiter_refuses_second_call_within_10_s_without_http(web: RequestsMock) -> None:
    record(web, EVENTS_URL, json=[])
    client, _, clock = make_client()
    client.fetch_events()
    clock.now += 9
    with pytest.raises(RateLimitedError, match="Polisens API får anropas högst en gång per 10 sekunder; .* om 1 s"):
        client.fetch_events()
    assert len(web.calls) == 1
    clock.now += 1
    client.fetch_events()
    assert len(web.calls) == 2


def test_bad_month_neither_calls_nor_spends_a_slot(web: RequestsMock) -> None:
    record(web, EVENTS_URL, json=[])
    client, _, _ = make_client()
    with pytest.raises(InputError):
        client.fetch_events(month="2026-4")
    assert len(web.calls) == 0
    client.fetch_events()  # the limiter was not charged for the refused call
    assert len(web.calls) == 1


def test_fetch_events_wrong_payload_is_schema_error(web: RequestsMock) -> None:
    record(web, EVENTS_URL, json={"message": "An error has occurred."})
    client, _, _ = make_client()
    with pytest.raises(SchemaError, match="JSON-lista"):
        client.fetch_events()


def test_fetch_payload_returns_raw_json_for_archiving(web: RequestsMock) -> None:
    record(web, EVENTS_URL, body=FIXTURE.read_bytes(), content_type=None)  # no Content-Type at all
    client, _, _ = make_client()
    assert client.fetch_payload() == sample()


def test_default_http_client_retries_no_faster_than_polisen_allows() -> None:
    assert PolisenClient().http.backoff >= 10


def test_default_limiter_has_polisens_limits() -> None:
    limiter = PolisenClient(HttpClient(session=requests.Session())).limiter
    assert isinstance(limiter, RateLimiter)
    assert (limiter.source, limiter.min_interval, limiter.per_hour, limiter.per_day) == ("polisen", 10, 60, 1440)
    assert limiter.label == "Polisens API"


# -- acceptance over the real recorded feed -------------------------------------------------------
# Obtained once, separately from this parser, with:
#   collections.Counter(e["name"].split(",")[-1].strip() for e in json.load(open(REFERENCE_EVENTS)))
EXPECTED_PER_KOMMUN = {"Köping": 182, "Katrineholm": 170, "Hallstahammar": 98, "Arboga": 81, "Kungsör": 46}


@pytest.fixture(scope="module")
def reference_events() -> pd.DataFrame:
    if not REFERENCE_EVENTS.exists():
        pytest.skip(f"reference file missing: {REFERENCE_EVENTS}")
    return load_archive_file(REFERENCE_EVENTS.read_bytes())


def test_reference_counts_per_kommun(reference_events: pd.DataFrame) -> None:
    assert len(reference_events) == 577
    assert reference_events["event_id"].is_unique
    assert reference_events["kommun"].value_counts().to_dict() == EXPECTED_PER_KOMMUN
    assert set(reference_events["kommun"]) == {"Kungsör", "Katrineholm", "Arboga", "Köping", "Hallstahammar"}


def test_reference_county_locations_start_in_2026(reference_events: pd.DataFrame) -> None:
    county = reference_events[reference_events["gps_is_county"]]
    assert set(county["location_name"]) == {"Södermanlands län", "Västmanlands län"}
    assert county["published_at"].min() >= stockholm(2026, 1, 1)
    assert reference_events.loc[~reference_events["gps_is_county"], "published_at"].max() < stockholm(2026, 2, 1)


def test_reference_dates_are_plausible(reference_events: pd.DataFrame) -> None:
    lag = reference_events["published_at"] - reference_events["occurred_at"]
    assert lag.min() > pd.Timedelta(days=-1) and lag.max() < pd.Timedelta(days=7)
    assert reference_events["url"].str.startswith("https://polisen.se/aktuellt/handelser/").all()
    assert reference_events[["lat", "lon"]].notna().all().all()


def test_reference_file_through_the_client(web: RequestsMock) -> None:
    if not REFERENCE_EVENTS.exists():
        pytest.skip(f"reference file missing: {REFERENCE_EVENTS}")
    record(web, EVENTS_URL, headers=JSON, body=REFERENCE_EVENTS.read_bytes())
    client, _, _ = make_client()
    assert len(client.fetch_events()) == 577
    assert len(web.calls) == 1
