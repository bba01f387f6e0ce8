"""Replay transport for requests (core, test support): serve recorded responses, never the network."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

MANIFEST = "replay.json"
_RAISE_NAMES: dict[str, type[requests.RequestException]] = {
    "timeout": requests.Timeout,
    "connection": requests.ConnectionError,
}

UrlKey = tuple[str, str | None, str, tuple[tuple[str, str], ...]]


class UnmatchedRequestError(AssertionError):
    """A request reached the replay adapter with no recording for it (a test bug, never retried)."""


class ReplayFixtureError(ValueError):
    """A replay manifest or fixture folder is malformed."""


@dataclass(frozen=True)
class Reply:
    """One recorded answer: a status, headers and body bytes, or an exception to raise."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: BaseException | type[BaseException] | None = None

    @classmethod
    def json(cls, payload: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """A JSON body (UTF-8); Content-Type ``application/json`` unless ``headers`` names one."""
        merged = CaseInsensitiveDict({"Content-Type": "application/json"})
        merged.update(headers or {})
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status=status, headers=dict(merged), body=body)

    @classmethod
    def text(cls, text: str, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """A UTF-8 text body; headers as given."""
        return cls(status=status, headers=dict(headers or {}), body=text.encode("utf-8"))

    @classmethod
    def file(cls, path: str | Path, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """The bytes of ``path`` served as they are (byte-exact fixtures)."""
        return cls(status=status, headers=dict(headers or {}), body=Path(path).read_bytes())

    @classmethod
    def raising(cls, error: BaseException | type[BaseException]) -> Reply:
        """Raise ``error`` (a class or an instance, e.g. ``requests.Timeout``) instead of answering."""
        return cls(error=error)


@dataclass(frozen=True)
class SeenRequest:
    """A request the adapter received, for assertions (URL as sent, headers, timeout)."""

    method: str
    url: str
    headers: Mapping[str, str]
    timeout: Any
    body: bytes | None


Replies = Reply | Sequence[Reply]
Recordings = Mapping[str | tuple[str, str], Replies]


class ReplayAdapter(BaseAdapter):
    """A ``requests`` transport adapter answering from recordings instead of the network.

    ``recordings`` maps a URL (method GET) or a ``(method, url)`` pair to one :class:`Reply` or a
    sequence of them; :meth:`add` records more, :meth:`from_folder` loads a fixture folder.
    ``requests`` lists every request seen (:class:`SeenRequest`), ``paths`` their decoded
    path + query, ``unused()`` the recordings never asked for.

    Mount a :class:`ReplayAdapter` on a ``requests.Session`` and hand that session to
    ``HttpClient``; every request is answered from recordings and remembered for assertions::

        waits: list[float] = []
        adapter = ReplayAdapter({"https://api.kolada.se/v3/municipality": Reply.json({"values": []})})
        session = requests.Session()
        session.mount("https://", adapter)
        HttpClient(session=session, sleep=waits.append).get_json("https://api.kolada.se/v3/municipality")
        assert adapter.requests[0].headers["User-Agent"].startswith("lofte-dashboard")

    Matching (see :func:`normalise_url`): the method, then the URL with scheme and host lower-cased,
    the path percent-decoded, the query split into decoded ``(name, value)`` pairs and sorted, and
    any fragment dropped. So ``?b=2&a=1`` matches ``?a=1&b=2`` and ``N07540%2CN01951`` matches
    ``N07540,N01951``. A recorded URL that starts with ``/`` (path + query only) matches on any host;
    a full URL matches only its own host. A full-URL recording wins over a path-only one.

    Sequences: a recording holds one or more replies; each request for it takes the next reply and
    the last reply repeats for ever (so ``[Reply(status=503)]`` means "503 forever" and
    ``[Reply(429, headers={"Retry-After": "2"}), Reply.json(...)]`` means "throttled once, then OK").
    A reply may raise instead (``Reply.raising(requests.Timeout)``).

    An unmatched request raises :class:`UnmatchedRequestError` (an ``AssertionError``, so no
    source client mistakes it for a network failure and retries it).

    Fixture folder: ``ReplayAdapter.from_folder(path)`` reads ``path / "replay.json"``::

        {"entries": [
          {"method": "GET", "url": "/v3/municipality", "body_file": "municipality.json"},
          {"url": "https://polisen.se/api/events?locationname=Arboga",
           "responses": [{"status": 429, "headers": {"Retry-After": "10"}},
                         {"status": 200, "json": []}]},
          {"url": "/v3/data/kpi/N07540/municipality/1960/year/2023", "raise": "timeout"}
        ]}

    An entry has ``url``, an optional ``method`` (default ``GET``) and either ``responses`` (a list)
    or the fields of one response inline. Response fields: ``status`` (default 200), ``headers``
    (default none), at most one body: ``body_file`` (bytes of a file relative to the folder, served
    as they are), ``body_text`` (UTF-8) or ``json`` (any JSON value, serialised; Content-Type
    ``application/json`` is added unless given), or ``raise``: ``"timeout"`` / ``"connection"``.
    """

    def __init__(self, recordings: Recordings | None = None) -> None:
        super().__init__()
        self._replies: dict[UrlKey, list[Reply]] = {}
        self._served: dict[UrlKey, int] = {}
        self._lock = threading.Lock()
        self.requests: list[SeenRequest] = []
        for key, replies in (recordings or {}).items():
            method, url = key if isinstance(key, tuple) else ("GET", key)
            self.add(url, replies, method=method)

    @classmethod
    def from_folder(cls, folder: str | Path, *, manifest: str = MANIFEST) -> ReplayAdapter:
        """An adapter loaded from ``folder / manifest`` (format in the module docstring)."""
        folder = Path(folder)
        try:
            data = json.loads((folder / manifest).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReplayFixtureError(f"cannot read replay manifest {folder / manifest}: {exc}") from exc
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ReplayFixtureError(f"{folder / manifest}: expected an object with an 'entries' list")
        adapter = cls()
        for entry in entries:
            _add_manifest_entry(adapter, entry, folder)
        return adapter

    def add(self, url: str, replies: Replies, *, method: str = "GET") -> ReplayAdapter:
        """Record ``replies`` for ``method url`` (replacing any earlier recording); returns self."""
        sequence = [replies] if isinstance(replies, Reply) else list(replies)
        if not sequence or not all(isinstance(r, Reply) for r in sequence):
            raise ReplayFixtureError(f"{method} {url}: give at least one Reply")
        key = normalise_url(method, url)
        with self._lock:
            self._replies[key] = sequence
            self._served[key] = 0
        return self

    @property
    def urls(self) -> list[str]:
        """The URLs of the requests seen, in order."""
        return [seen.url for seen in self.requests]

    @property
    def paths(self) -> list[str]:
        """Path + query of each request seen, percent-decoded (``%2C`` shown as ``,``)."""
        return [_path_and_query(seen.url) for seen in self.requests]

    def unused(self) -> list[str]:
        """Recordings never requested, as readable ``METHOD url`` strings (assert it is empty)."""
        return [_describe(key) for key, count in self._served.items() if count == 0]

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        """Answer ``request`` from the recordings (called by ``requests.Session``)."""
        method = (request.method or "GET").upper()
        url = request.url or ""
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        with self._lock:
            self.requests.append(SeenRequest(method, url, dict(request.headers), timeout, body))
            reply = self._next_reply(method, url)
        if reply.error is not None:
            raise _as_exception(reply.error, request)
        return _build_response(self, request, reply)

    def close(self) -> None:
        """Nothing to release."""

    def _next_reply(self, method: str, url: str) -> Reply:
        key = self._find_key(normalise_url(method, url))
        if key is None:
            raise UnmatchedRequestError(self._miss_message(method, url))
        sequence = self._replies[key]
        index = min(self._served[key], len(sequence) - 1)
        self._served[key] += 1
        return sequence[index]

    def _find_key(self, key: UrlKey) -> UrlKey | None:
        if key in self._replies:
            return key
        method, _host, path, query = key
        anywhere = (method, None, path, query)
        return anywhere if anywhere in self._replies else None

    def _miss_message(self, method: str, url: str) -> str:
        known = "\n  ".join(_describe(key) for key in self._replies) or "(none)"
        normalised = _describe(normalise_url(method, url))
        return f"no recording for {method} {url}\n normalised: {normalised}\n known:\n  {known}"


def normalise_url(method: str, url: str) -> UrlKey:
    """The matching key: method, host (None for a path-only URL), decoded path, sorted decoded query."""
    parts = urlsplit(url)
    host = f"{parts.scheme.lower()}://{parts.netloc.lower()}" if parts.netloc else None
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return method.upper(), host, unquote(parts.path), query


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{unquote(parts.query)}" if parts.query else "")


def _describe(key: UrlKey) -> str:
    method, host, path, query = key
    params = "&".join(f"{name}={value}" for name, value in query)
    return f"{method} {host or ''}{path}{'?' + params if params else ''}"


def _as_exception(error: BaseException | type[BaseException], request: requests.PreparedRequest) -> BaseException:
    if isinstance(error, BaseException):
        return error
    if issubclass(error, requests.RequestException):
        return error(f"replayed {error.__name__}", request=request)
    return error(f"replayed {error.__name__}")


def _build_response(adapter: BaseAdapter, request: requests.PreparedRequest, reply: Reply) -> requests.Response:
    response = requests.Response()
    response.status_code = reply.status
    response.reason = http.client.responses.get(reply.status, "")
    response.headers = CaseInsensitiveDict(reply.headers)
    response.encoding = get_encoding_from_headers(response.headers)
    response.url = request.url or ""
    response.request = request
    response.connection = adapter
    response._content = reply.body
    response._content_consumed = True
    return response


def _add_manifest_entry(adapter: ReplayAdapter, entry: Any, folder: Path) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise ReplayFixtureError(f"replay entry without a 'url': {entry!r}")
    raw = entry["responses"] if "responses" in entry else [entry]
    if not isinstance(raw, list):
        raise ReplayFixtureError(f"{entry['url']}: 'responses' must be a list")
    adapter.add(entry["url"], [_manifest_reply(item, folder) for item in raw], method=entry.get("method", "GET"))


def _manifest_reply(item: Any, folder: Path) -> Reply:
    if not isinstance(item, dict):
        raise ReplayFixtureError(f"replay response must be an object: {item!r}")
    if "raise" in item:
        return Reply.raising(_raise_class(item["raise"]))
    status = int(item.get("status", 200))
    headers = dict(item.get("headers") or {})
    bodies = [name for name in ("body_file", "body_text", "json") if name in item]
    if len(bodies) > 1:
        raise ReplayFixtureError(f"replay response has more than one body: {bodies}")
    if "json" in item:
        return Reply.json(item["json"], status=status, headers=headers)
    if "body_file" in item:
        return Reply.file(folder / item["body_file"], status=status, headers=headers)
    return Reply.text(item.get("body_text", ""), status=status, headers=headers)


def _raise_class(name: Any) -> type[requests.RequestException]:
    if name not in _RAISE_NAMES:
        raise ReplayFixtureError(f"unknown 'raise': {name!r} (use one of {sorted(_RAISE_NAMES)})")
    return _RAISE_NAMES[name]
