"""Tests for the HTTP choke point and the replay transport (core): no network, sleep recorded."""

from __future__ import annotations

import email.utils
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from lofte_data.errors import SchemaError, SourceError, SourceNotFoundError, SourceUnavailableError
from lofte_data.sources.http import USER_AGENT, HttpClient
from lofte_data.sources.replay import (
    ReplayAdapter,
    ReplayFixtureError,
    Reply,
    UnmatchedRequestError,
    normalise_url,
)

URL = "https://api.example.test/v1/items"
OK = Reply.json({"ok": True})


@pytest.fixture
def waits() -> list[float]:
    return []


def client_for(adapter: ReplayAdapter, waits: list[float], **options: object) -> HttpClient:
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return HttpClient(session=session, sleep=waits.append, **options)


def http_date(delta: timedelta) -> str:
    return email.utils.format_datetime(datetime.now(UTC) + delta, usegmt=True)


# --------------------------------------------------------------------------- HttpClient


def test_sends_user_agent_and_timeout(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: OK})
    client = client_for(adapter, waits, timeout=7.5)

    assert client.get_json(URL) == {"ok": True}
    (seen,) = adapter.requests
    assert seen.headers["User-Agent"] == USER_AGENT
    assert seen.timeout == 7.5
    assert waits == []


def test_custom_user_agent_is_sent(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: OK})
    client_for(adapter, waits, user_agent="test-agent/0.1").get_json(URL)
    assert adapter.requests[0].headers["User-Agent"] == "test-agent/0.1"


def test_accept_header_asks_for_json(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: OK})
    client_for(adapter, waits).get_json(URL)
    assert adapter.requests[0].headers["Accept"] == "application/json"


def test_params_are_encoded_and_matched(waits: list[float]) -> None:
    adapter = ReplayAdapter({f"{URL}?type=Misshandel&locationname=Arboga;Köping": OK})
    client = client_for(adapter, waits)

    assert client.get_json(URL, params={"locationname": "Arboga;Köping", "type": "Misshandel"}) == {"ok": True}
    assert adapter.paths == ["/v1/items?locationname=Arboga;Köping&type=Misshandel"]


def test_utf8_json_body_is_decoded(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply.json({"title": "Kungsör"})})
    assert client_for(adapter, waits).get_json(URL) == {"title": "Kungsör"}


def test_429_honours_retry_after_seconds(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(429, headers={"Retry-After": "3"}), OK]})

    assert client_for(adapter, waits).get_json(URL) == {"ok": True}
    assert waits == [3.0]
    assert len(adapter.requests) == 2


def test_429_honours_retry_after_http_date(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(429, headers={"Retry-After": http_date(timedelta(seconds=30))}), OK]})

    assert client_for(adapter, waits).get_json(URL) == {"ok": True}
    (wait,) = waits
    assert 27.0 <= wait <= 30.0


def test_retry_after_in_the_past_waits_no_longer_than_backoff(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(429, headers={"Retry-After": http_date(timedelta(hours=-1))}), OK]})
    client_for(adapter, waits).get_json(URL)
    (wait,) = waits
    assert 0.0 <= wait <= 1.0


@pytest.mark.parametrize("header", ["3600", "HTTP-DATE"])
def test_retry_after_longer_than_max_wait_gives_up_at_once(waits: list[float], header: str) -> None:
    value = http_date(timedelta(hours=1)) if header == "HTTP-DATE" else header
    adapter = ReplayAdapter({URL: [Reply(503, headers={"Retry-After": value}), OK]})

    with pytest.raises(SourceUnavailableError, match="503"):
        client_for(adapter, waits, max_wait=45.0).get_json(URL)
    assert waits == []
    assert len(adapter.requests) == 1


def test_backoff_is_capped_by_max_wait(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(502), Reply(502), Reply(502), OK]})
    client_for(adapter, waits, backoff=4.0, max_wait=10.0).get_json(URL)
    assert waits == [4.0, 8.0, 10.0]


def test_429_without_retry_after_backs_off(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(429), Reply(429), OK]})
    client_for(adapter, waits, backoff=0.5).get_json(URL)
    assert waits == [0.5, 1.0]


def test_500_then_200_is_retried(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: [Reply(500, body=b"Internal Server Error"), OK]})

    assert client_for(adapter, waits).get_json(URL) == {"ok": True}
    assert waits == [1.0]
    assert len(adapter.requests) == 2


def test_503_forever_gives_up_after_max_retries(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply(503)})

    with pytest.raises(SourceUnavailableError, match="api.example.test") as raised:
        client_for(adapter, waits, max_retries=3).get_json(URL)
    assert "serverfel (503)" in str(raised.value)
    assert len(adapter.requests) == 4
    assert waits == [1.0, 2.0, 4.0]


def test_429_forever_is_unavailable(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply(429, headers={"Retry-After": "5"})})

    with pytest.raises(SourceUnavailableError, match="429"):
        client_for(adapter, waits, max_retries=2).get_json(URL)
    assert waits == [5.0, 5.0]
    assert len(adapter.requests) == 3


def test_404_is_not_found_without_retry(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply(404)})

    with pytest.raises(SourceNotFoundError, match="404"):
        client_for(adapter, waits).get_json(URL)
    assert len(adapter.requests) == 1
    assert waits == []


def test_other_4xx_is_a_source_error_without_retry(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply(403)})

    with pytest.raises(SourceError, match="403") as raised:
        client_for(adapter, waits).get_json(URL)
    assert type(raised.value) is SourceError
    assert len(adapter.requests) == 1


@pytest.mark.parametrize(
    "error",
    [requests.Timeout, requests.ConnectionError, requests.ReadTimeout, requests.exceptions.ChunkedEncodingError],
)
def test_network_error_then_success(waits: list[float], error: type[Exception]) -> None:
    adapter = ReplayAdapter({URL: [Reply.raising(error), OK]})

    assert client_for(adapter, waits).get_json(URL) == {"ok": True}
    assert waits == [1.0]


def test_timeout_forever_is_unavailable(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: Reply.raising(requests.Timeout)})

    with pytest.raises(SourceUnavailableError, match="svarar inte") as raised:
        client_for(adapter, waits, max_retries=2).get_json(URL)
    assert isinstance(raised.value.__cause__, requests.Timeout)
    assert len(adapter.requests) == 3
    assert waits == [1.0, 2.0]


@pytest.mark.parametrize("body", [b"<html>Service</html>", b"", b'{"values": ['])
def test_non_json_body_is_a_schema_error(waits: list[float], body: bytes) -> None:
    adapter = ReplayAdapter({URL: Reply(200, headers={"Content-Type": "text/html"}, body=body)})

    with pytest.raises(SchemaError, match="inte giltig JSON"):
        client_for(adapter, waits).get_json(URL)
    assert len(adapter.requests) == 1


# --------------------------------------------------------------------------- ReplayAdapter


def test_unmatched_request_raises_and_is_not_retried(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: OK})

    with pytest.raises(UnmatchedRequestError, match="no recording for GET https://api.example.test/other"):
        client_for(adapter, waits).get_json("https://api.example.test/other")
    assert waits == []


def test_normalisation_ignores_query_order_and_percent_encoding() -> None:
    assert normalise_url("get", "https://API.example.test/a,b?x=1&y=%C3%A5") == normalise_url(
        "GET", "https://api.example.test/a%2Cb?y=å&x=1"
    )
    assert normalise_url("GET", "/a?x=1") != normalise_url("GET", "/a?x=2")


def test_path_only_recording_matches_any_host_but_full_url_wins(waits: list[float]) -> None:
    adapter = ReplayAdapter({"/v1/items": Reply.json("any host"), "https://other.test/v1/items": Reply.json("other")})
    client = client_for(adapter, waits)

    assert client.get_json(URL) == "any host"
    assert client.get_json("https://other.test/v1/items") == "other"


def test_full_url_recording_does_not_match_another_host(waits: list[float]) -> None:
    adapter = ReplayAdapter({URL: OK})
    with pytest.raises(UnmatchedRequestError):
        client_for(adapter, waits).get_json("https://elsewhere.test/v1/items")


def test_sequence_last_reply_repeats_and_unused_is_reported() -> None:
    adapter = ReplayAdapter({URL: [Reply(200, body=b"1"), Reply(200, body=b"2")], "/never": OK})
    session = requests.Session()
    session.mount("https://", adapter)

    bodies = [session.get(URL).content for _ in range(3)]
    assert bodies == [b"1", b"2", b"2"]
    assert adapter.unused() == ["GET /never"]
    assert adapter.urls == [URL] * 3


def test_method_is_part_of_the_key() -> None:
    adapter = ReplayAdapter({("POST", URL): Reply(201)})
    session = requests.Session()
    session.mount("https://", adapter)

    assert session.post(URL, data=b"x").status_code == 201
    assert adapter.requests[0].body == b"x"
    with pytest.raises(UnmatchedRequestError):
        session.get(URL)


def test_exception_instance_is_raised_as_given() -> None:
    error = requests.ConnectionError("kabel av")
    adapter = ReplayAdapter({URL: Reply.raising(error)})
    session = requests.Session()
    session.mount("https://", adapter)

    with pytest.raises(requests.ConnectionError) as raised:
        session.get(URL)
    assert raised.value is error


def test_response_carries_status_reason_headers_and_encoding() -> None:
    adapter = ReplayAdapter({URL: Reply.text("å", headers={"Content-Type": "text/plain; charset=utf-8", "X-A": "1"})})
    session = requests.Session()
    session.mount("https://", adapter)

    response = session.get(URL)
    assert (response.status_code, response.reason, response.text) == (200, "OK", "å")
    assert response.headers["x-a"] == "1"
    assert response.url == URL


def test_from_folder_reads_manifest_and_body_files(tmp_path: Path, waits: list[float]) -> None:
    (tmp_path / "body.json").write_bytes('{"title": "Köping"}'.encode())
    manifest = {
        "entries": [
            {"url": "/a", "headers": {"Content-Type": "application/json"}, "body_file": "body.json"},
            {"url": "/b", "responses": [{"status": 502}, {"raise": "connection"}, {"json": [1, 2]}]},
            {"url": "/c", "body_text": "not json"},
        ]
    }
    (tmp_path / "replay.json").write_text(json.dumps(manifest))
    adapter = ReplayAdapter.from_folder(tmp_path)
    client = client_for(adapter, waits)

    assert client.get_json("https://x.test/a") == {"title": "Köping"}
    assert client.get_json("https://x.test/b") == [1, 2]
    assert waits == [1.0, 2.0]
    with pytest.raises(SchemaError):
        client.get_json("https://x.test/c")


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        json.dumps({"entries": {}}),
        json.dumps({"entries": [{"status": 200}]}),
        json.dumps({"entries": [{"url": "/a", "raise": "explode"}]}),
        json.dumps({"entries": [{"url": "/a", "json": 1, "body_text": "1"}]}),
        json.dumps({"entries": [{"url": "/a", "responses": []}]}),
    ],
)
def test_from_folder_refuses_a_bad_manifest(tmp_path: Path, manifest: str) -> None:
    (tmp_path / "replay.json").write_text(manifest)
    with pytest.raises(ReplayFixtureError):
        ReplayAdapter.from_folder(tmp_path)


def test_from_folder_without_manifest(tmp_path: Path) -> None:
    with pytest.raises(ReplayFixtureError, match="replay.json"):
        ReplayAdapter.from_folder(tmp_path)
