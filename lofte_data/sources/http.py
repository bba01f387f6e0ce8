"""The one HTTP choke point for every source (core): user agent, timeout, back-off, typed errors."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from lofte_data.errors import SchemaError, SourceError, SourceNotFoundError, SourceUnavailableError

USER_AGENT = "lofte-dashboard/1.0 (medborgarlofte-uppfoljning; kommun och lokalpolis)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after_seconds(header: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date); None if absent or unreadable."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """GET JSON with a fixed user agent and timeout; retries 429 and 5xx with back-off.

    Parameters
    ----------
    session:
        An injectable ``requests.Session`` (tests answer it from recordings with ``responses``).
    user_agent:
        Sent on every request; some sources refuse calls without one.
    timeout:
        Seconds for connect and read, always set.
    deadline:
        Seconds for one whole call (connect, headers and body, retries and waits included); default twice
        ``timeout``. A server that trickles a few bytes at a time cannot hold a call longer than this.
    max_bytes:
        The largest body read; a longer answer is refused.
    max_retries:
        Extra attempts after a 429, a 5xx, a timeout or a connection error.
    backoff:
        Base wait in seconds, doubled per attempt, unless the server sends Retry-After.
    sleep:
        Injectable for tests.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        user_agent: str = USER_AGENT,
        timeout: float = 20.0,
        deadline: float | None = None,
        max_bytes: int = 50 * 1024 * 1024,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else 2 * timeout
        self.max_bytes = max_bytes
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep

    def get_json(self, url: str, *, params: Mapping[str, str] | None = None) -> Any:
        """GET ``url`` and decode JSON; raises a ``SourceError`` subclass on failure."""
        end = time.monotonic() + self.deadline
        response = self._get(url, params, end)
        body = self._body(response, url, end)
        try:
            return json.loads(body)
        except ValueError as exc:
            raise SchemaError(f"Svaret från {_host(url)} var inte giltig JSON.") from exc
        except RecursionError as exc:
            raise SchemaError(f"Svaret från {_host(url)} var för djupt nästlat för att läsas.") from exc

    def _body(self, response: requests.Response, url: str, end: float) -> bytes:
        """The whole body, read in chunks against the call's deadline and the size limit."""
        chunks, size = [], 0
        try:
            # read1 returns what has arrived (at most 64 kB) instead of waiting for a full chunk
            while chunk := response.raw.read1(64 * 1024, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    raise SchemaError(f"Svaret från {_host(url)} är större än {self.max_bytes // 1024 // 1024} MB.")
                if time.monotonic() > end:
                    raise SourceUnavailableError(
                        f"{_host(url)} svarade för långsamt (mer än {self.deadline:.0f} s för hela svaret)."
                    )
        except (requests.RequestException, OSError, urllib3.exceptions.HTTPError) as exc:
            raise SourceUnavailableError(f"{_host(url)} avbröt svaret (nätverksfel eller tidsgräns).") from exc
        finally:
            response.close()
        return b"".join(chunks)

    def _get(self, url: str, params: Mapping[str, str] | None, end: float) -> requests.Response:
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries or time.monotonic() >= end
            try:
                left = max(0.1, end - time.monotonic())
                response = self.session.get(url, params=params, timeout=min(self.timeout, left), stream=True)
            except requests.RequestException as exc:
                if last:
                    raise SourceUnavailableError(f"{_host(url)} svarar inte (nätverksfel eller tidsgräns).") from exc
                self.sleep(min(self.backoff * (2**attempt), self.max_wait))
                continue
            wait = self._wait(attempt, response.headers.get("Retry-After"))
            if wait is not None and time.monotonic() + wait >= end:
                wait = None  # no time left for another attempt within the deadline
            if response.status_code in RETRY_STATUSES and not last and wait is not None:
                response.close()
                self.sleep(wait)
                continue
            return _checked(response, url)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _wait(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds before the next attempt; None when the server asks for longer than ``max_wait``."""
        told = retry_after_seconds(retry_after)
        if told is not None and told > self.max_wait:
            return None
        return min(max(told or 0.0, self.backoff * (2**attempt)), self.max_wait)


def _checked(response: requests.Response, url: str) -> requests.Response:
    status = response.status_code
    if status == 404:
        raise SourceNotFoundError(f"{_host(url)} hittar inte den efterfrågade resursen (404).")
    if status == 429:
        raise SourceUnavailableError(f"{_host(url)} begränsar antalet anrop (429). Försök igen senare.")
    if status >= 500:
        raise SourceUnavailableError(f"{_host(url)} har ett serverfel ({status}). Försök igen senare.")
    if status >= 400:
        raise SourceError(f"{_host(url)} avvisade anropet ({status}).")
    return response


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
