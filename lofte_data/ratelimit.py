"""A rate limiter shared by all users and processes (core): call log protocol, memory and SQL logs."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from lofte_data.errors import RateLimitedError
from lofte_data.storage import Store

if TYPE_CHECKING:
    from sqlalchemy import Engine

HOUR = 3600.0
DAY = 86400.0
RETENTION = 2 * DAY  # rows older than this can never matter to a per-day window


class CallLog(Protocol):
    """Where the calls made to each source are remembered (epoch seconds)."""

    def recent_calls(self, source: str, since: float) -> list[float]:
        """Times of the calls to ``source`` at or after ``since``, oldest first."""
        ...

    def record_call(self, source: str, at: float) -> None:
        """Remember one call to ``source`` made at ``at``."""
        ...


class MemoryCallLog:
    """A call log in this process only (tests, or a single-process app)."""

    def __init__(self) -> None:
        self._calls: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def recent_calls(self, source: str, since: float) -> list[float]:
        with self._lock:
            return sorted(t for t in self._calls.get(source, []) if t >= since)

    def record_call(self, source: str, at: float) -> None:
        with self._lock:
            kept = [t for t in self._calls.get(source, []) if t >= at - RETENTION]
            self._calls[source] = [*kept, at]


class SqlCallLog:
    """The call log in the database (table ``api_call_log``, through ``Store``), shared across processes.

    The table comes from the migrations: give a ``Store`` that has been opened (``Store.open`` migrates).
    An engine is still accepted for older callers and wrapped in a ``Store``.
    """

    def __init__(self, store: Store | Engine) -> None:
        self.store = store if isinstance(store, Store) else Store(store)

    def recent_calls(self, source: str, since: float) -> list[float]:
        return self.store.recent_calls(source, since)

    def record_call(self, source: str, at: float) -> None:
        self.store.record_call(source, at, forget_before=at - RETENTION)


class RateLimiter:
    """At least ``min_interval`` s between calls, at most ``per_hour`` and ``per_day`` in rolling windows.

    ``label`` names the source in the Swedish messages, e.g. "Polisens API".
    """

    def __init__(
        self,
        log: CallLog,
        source: str,
        clock: Callable[[], float] = time.time,
        min_interval: float = 10,
        per_hour: int = 60,
        per_day: int = 1440,
        *,
        label: str | None = None,
    ) -> None:
        self.log = log
        self.source = source
        self.clock = clock
        self.min_interval = min_interval
        self.per_hour = per_hour
        self.per_day = per_day
        self.label = label or f"Källan {source}"

    def check(self) -> None:
        """Raise ``RateLimitedError`` if a call now would break a limit; never records."""
        self._check_at(self.clock())

    def acquire(self) -> None:
        """Check, then record the call; refuses if another process recorded one at the same moment."""
        now = self.clock()
        self._check_at(now)
        self.log.record_call(self.source, now)
        if self._raced(now):
            raise RateLimitedError(
                f"{self.label} anropades nyss av en annan användare; nästa anrop tidigast om "
                f"{_duration(self.min_interval)}."
            )

    def _check_at(self, now: float) -> None:
        calls = self.log.recent_calls(self.source, now - DAY)
        self._check_interval(now, calls)
        self._check_window(now, calls, HOUR, self.per_hour, "timme")
        self._check_window(now, calls, DAY, self.per_day, "dygn")

    def _raced(self, now: float) -> bool:
        """Record-then-verify: of processes racing past the check, at most one goes ahead.

        Our own call is in the log now; any other call closer than ``min_interval`` (before or
        after ours) means another process got in at the same time, so we step back. The record
        stays, which errs on the side of calling the source less, never more.
        """
        since = now - self.min_interval
        return len([t for t in self.log.recent_calls(self.source, since) if t > since]) > 1

    def _check_interval(self, now: float, calls: list[float]) -> None:
        if not calls:
            return
        wait = calls[-1] + self.min_interval - now
        if wait > 0:
            raise RateLimitedError(
                f"{self.label} får anropas högst en gång per {_number(self.min_interval)} sekunder; "
                f"nästa anrop tidigast om {_duration(wait)}."
            )

    def _check_window(self, now: float, calls: list[float], window: float, limit: int, unit: str) -> None:
        inside = [t for t in calls if t > now - window]
        if len(inside) < limit:
            return
        wait = inside[len(inside) - limit] + window - now  # when enough old calls have left the window
        raise RateLimitedError(
            f"{self.label} får anropas högst {_number(limit)} gånger per {unit}; "
            f"nästa anrop tidigast om {_duration(wait)}."
        )


def _number(value: float) -> str:
    """Swedish thousands separator (a space), no decimals: 1440 -> '1 440'."""
    return f"{round(value):,}".replace(",", " ")


def _duration(seconds: float) -> str:
    """A wait in Swedish short form, rounded up: '7 s', '12 min', '3 h 5 min'."""
    total = max(1, math.ceil(seconds))
    if total < 60:
        return f"{total} s"
    minutes = math.ceil(total / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"
