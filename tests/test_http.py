"""Tests for the HTTP choke point (core) on recorded responses: no network, sleep recorded."""

from __future__ import annotations

import email.utils
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from responses import RequestsMock

from lofte_data.errors import SchemaError, SourceError, SourceNotFoundError, SourceUnavailableError
from lofte_data.sources.http import USER_AGENT, HttpClient
from recorded import load, paths, record, unmatched

URL = "https://api.example.test/v1/items"
OK = {"json": {"ok": True}}


@pytest.fixture
def waits() -> list[float]:
    return []


def client_for(waits: list[float], **options: object) -> HttpClient:
    return HttpClient(session=requests.Session(), sleep=waits.append, **options)


def http_date(delta: timedelta) -> str:
    return email.utils.format_datetime(datetime.now(UTC) + delta, usegmt=True)


# --------------------------------------------------------------------------- HttpClient


def test_sends_user_agent_and_timeout(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, **OK)
    client = client_for(waits, timeout=7.5)

    assert client.get_json(URL) == {"ok": True}
    (seen,) = web.calls
    assert seen.request.headers["User-Agent"] == USER_AGENT
    assert seen.request.req_kwargs["timeout"] == 7.5
    assert waits == []


def test_custom_user_agent_is_sent(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, **OK)
    client_for(waits, user_agent="test-agent/0.1").get_json(URL)
    assert web.calls[0].request.headers["User-Agent"] == "test-agent/0.1"


def test_accept_header_asks_for_json(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, **OK)
    client_for(waits).get_json(URL)
    assert web.calls[0].request.headers["Accept"] == "application/json"


def test_params_are_encoded_and_matched(web: RequestsMock, waits: list[float]) -> None:
    record(web, f"{URL}?type=Misshandel&locationname=Arboga;Köping", **OK)
    client = client_for(waits)

    assert client.get_json(URL, params={"locationname": "Arboga;Köping", "type": "Misshandel"}) == {"ok": True}
    assert paths(web) == ["/v1/items?locationname=Arboga;Köping&type=Misshandel"]


def test_utf8_json_body_is_decoded(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, json={"title": "Kungsör"})
    assert client_for(waits).get_json(URL) == {"title": "Kungsör"}


def test_429_honours_retry_after_seconds(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=429, headers={"Retry-After": "3"})
    record(web, URL, **OK)

    assert client_for(waits).get_json(URL) == {"ok": True}
    assert waits == [3.0]
    assert len(web.calls) == 2


def test_429_honours_retry_after_http_date(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=429, headers={"Retry-After": http_date(timedelta(seconds=30))})
    record(web, URL, **OK)

    assert client_for(waits).get_json(URL) == {"ok": True}
    (wait,) = waits
    assert 27.0 <= wait <= 30.0


def test_retry_after_in_the_past_waits_no_longer_than_backoff(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=429, headers={"Retry-After": http_date(timedelta(hours=-1))})
    record(web, URL, **OK)
    client_for(waits).get_json(URL)
    (wait,) = waits
    assert 0.0 <= wait <= 1.0


@pytest.mark.parametrize("header", ["3600", "HTTP-DATE"])
def test_retry_after_longer_than_max_wait_gives_up_at_once(web: RequestsMock, waits: list[float], header: str) -> None:
    value = http_date(timedelta(hours=1)) if header == "HTTP-DATE" else header
    record(web, URL, status=503, headers={"Retry-After": value})
    record(web, URL, **OK)

    with pytest.raises(SourceUnavailableError, match="503"):
        client_for(waits, max_wait=45.0).get_json(URL)
    assert waits == []
    assert len(web.calls) == 1


def test_backoff_is_capped_by_max_wait(web: RequestsMock, waits: list[float]) -> None:
    for _ in range(3):
        record(web, URL, status=502)
    record(web, URL, **OK)
    client_for(waits, backoff=4.0, max_wait=10.0).get_json(URL)
    assert waits == [4.0, 8.0, 10.0]


def test_429_without_retry_after_backs_off(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=429)
    record(web, URL, status=429)
    record(web, URL, **OK)
    client_for(waits, backoff=0.5).get_json(URL)
    assert waits == [0.5, 1.0]


def test_500_then_200_is_retried(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=500, body=b"Internal Server Error")
    record(web, URL, **OK)

    assert client_for(waits).get_json(URL) == {"ok": True}
    assert waits == [1.0]
    assert len(web.calls) == 2


def test_503_forever_gives_up_after_max_retries(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=503)

    with pytest.raises(SourceUnavailableError, match="api.example.test") as raised:
        client_for(waits, max_retries=3).get_json(URL)
    assert "serverfel (503)" in str(raised.value)
    assert len(web.calls) == 4
    assert waits == [1.0, 2.0, 4.0]


def test_429_forever_is_unavailable(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=429, headers={"Retry-After": "5"})

    with pytest.raises(SourceUnavailableError, match="429"):
        client_for(waits, max_retries=2).get_json(URL)
    assert waits == [5.0, 5.0]
    assert len(web.calls) == 3


def test_404_is_not_found_without_retry(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=404)

    with pytest.raises(SourceNotFoundError, match="404"):
        client_for(waits).get_json(URL)
    assert len(web.calls) == 1
    assert waits == []


def test_other_4xx_is_a_source_error_without_retry(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, status=403)

    with pytest.raises(SourceError, match="403") as raised:
        client_for(waits).get_json(URL)
    assert type(raised.value) is SourceError
    assert len(web.calls) == 1


@pytest.mark.parametrize(
    "error",
    [requests.Timeout, requests.ConnectionError, requests.ReadTimeout, requests.exceptions.ChunkedEncodingError],
)
def test_network_error_then_success(web: RequestsMock, waits: list[float], error: type[Exception]) -> None:
    record(web, URL, body=error("replayed"))
    record(web, URL, **OK)

    assert client_for(waits).get_json(URL) == {"ok": True}
    assert waits == [1.0]


def test_timeout_forever_is_unavailable(web: RequestsMock, waits: list[float]) -> None:
    record(web, URL, body=requests.Timeout("replayed"))

    with pytest.raises(SourceUnavailableError, match="svarar inte") as raised:
        client_for(waits, max_retries=2).get_json(URL)
    assert isinstance(raised.value.__cause__, requests.Timeout)
    assert len(web.calls) == 3
    assert waits == [1.0, 2.0]


@pytest.mark.parametrize("body", [b"<html>Service</html>", b"", b'{"values": ['])
def test_non_json_body_is_a_schema_error(web: RequestsMock, waits: list[float], body: bytes) -> None:
    record(web, URL, status=200, headers={"Content-Type": "text/html"}, body=body)

    with pytest.raises(SchemaError, match="inte giltig JSON"):
        client_for(waits).get_json(URL)
    assert len(web.calls) == 1


# --------------------------------------------------------------------------- recorded fixtures


def test_a_manifest_serves_body_files_sequences_and_errors(
    web: RequestsMock, tmp_path: Path, waits: list[float]
) -> None:
    (tmp_path / "body.json").write_bytes('{"title": "Köping"}'.encode())
    manifest = {
        "entries": [
            {"url": "https://x.test/a", "headers": {"Content-Type": "application/json"}, "body_file": "body.json"},
            {"url": "https://x.test/b", "responses": [{"status": 502}, {"raise": "connection"}, {"body_text": "[1]"}]},
            {"url": "https://x.test/c?q=1", "body_text": "not json"},
        ]
    }
    (tmp_path / "replay.json").write_text(json.dumps(manifest))
    load(web, tmp_path)
    client = client_for(waits)

    assert client.get_json("https://x.test/a") == {"title": "Köping"}
    assert client.get_json("https://x.test/b") == [1]
    assert waits == [1.0, 2.0]
    with pytest.raises(SchemaError):
        client.get_json("https://x.test/c", params={"q": "1"})


def test_a_request_without_a_recording_is_reported() -> None:
    with RequestsMock(assert_all_requests_are_fired=False) as mock:
        record(mock, URL, **OK)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{URL}?page=2", timeout=1)
        assert unmatched(mock) == [f"{URL}?page=2"]
