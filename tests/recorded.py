"""Recorded HTTP for the source-client tests, on the ``responses`` library: never the network.

``record`` registers one answer for a URL whose query must match exactly (in any order, decoded);
registering the same URL again queues the next answer, and the last answer repeats. ``load`` reads a
fixture folder's manifest, so recorded bodies stay byte-exact files next to it::

    {"entries": [
      {"url": "https://api.kolada.se/v3/municipality", "headers": {...}, "body_file": "municipality.json"},
      {"url": "https://polisen.se/api/events",
       "responses": [{"status": 429, "headers": {"Retry-After": "10"}}, {"status": 200, "body_file": "ok.json"}]},
      {"url": "https://api.kolada.se/v3/data/...", "raise": "timeout"}
    ]}

An entry has ``url`` and either ``responses`` (a list) or one response inline: ``status`` (default 200),
``headers``, and at most one of ``body_file`` (relative to the folder), ``body_text`` or ``raise``
(``"timeout"`` or ``"connection"``). ``responses``' own file format keeps bodies inline, which is why
the manifest is read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
import responses
from responses import matchers

MANIFEST = "replay.json"
UNMATCHED = "doesn't match any registered mock"
ERRORS: dict[str, type[requests.RequestException]] = {
    "timeout": requests.Timeout,
    "connection": requests.ConnectionError,
}


def record(web: responses.RequestsMock, url: str, *, method: str = "GET", **answer: Any) -> None:
    """One answer (``responses.add`` keywords: status, headers, body, json) for ``url`` and exactly its query."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    bare = parts._replace(query="", fragment="").geturl()
    web.add(method, bare, match=[matchers.query_param_matcher(query)], **answer)


def load(web: responses.RequestsMock, folder: Path, manifest: str = MANIFEST) -> None:
    """Register every entry of ``folder / manifest`` (format in the module docstring)."""
    data = json.loads((folder / manifest).read_text(encoding="utf-8"))
    for entry in data["entries"]:
        for answer in entry.get("responses", [entry]):
            record(web, entry["url"], method=entry.get("method", "GET"), **_answer(answer, folder))


def _answer(item: dict[str, Any], folder: Path) -> dict[str, Any]:
    if "raise" in item:
        return {"body": ERRORS[item["raise"]]()}
    body = (folder / item["body_file"]).read_bytes() if "body_file" in item else item.get("body_text", "").encode()
    return {"status": item.get("status", 200), "headers": item.get("headers", {}), "body": body}


def paths(web: responses.RequestsMock) -> list[str]:
    """Path and query of each request made, percent-decoded (``%2C`` shown as ``,``)."""
    return [_path_and_query(call.request.url or "") for call in web.calls]


def urls(web: responses.RequestsMock) -> list[str]:
    """The URLs of the requests made, in order."""
    return [call.request.url or "" for call in web.calls]


def unmatched(web: responses.RequestsMock) -> list[str]:
    """Requests that no recording answered (``responses`` raises ConnectionError for them, which a client retries)."""
    return [call.request.url or "" for call in web.calls if UNMATCHED in str(call.response)]


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{unquote(parts.query)}" if parts.query else "")
