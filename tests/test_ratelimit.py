"""Tests of the shared rate limiter (core): fake clock, memory log and the database's log (a SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte_data.errors import RateLimitedError
from lofte_data.ratelimit import DAY, CallLog, MemoryCallLog, RateLimiter, SqlCallLog, _duration
from lofte_data.storage import Store

T0 = 1_750_000_000.0  # an arbitrary epoch second


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def at(self, offset: float) -> FakeClock:
        self.now = T0 + offset
        return self


def limiter(log: CallLog, clock: FakeClock, **kwargs: float) -> RateLimiter:
    return RateLimiter(log, "polisen", clock=clock, label="Polisens API", **kwargs)


def sql_log(path: Path) -> SqlCallLog:
    """A new store each time, as a separate process would have (opening it migrates the schema)."""
    return SqlCallLog(Store.open(f"sqlite:///{path}"))


def test_min_interval_message_and_spacing() -> None:
    clock = FakeClock()
    rl = limiter(MemoryCallLog(), clock)
    rl.acquire()
    clock.at(3)
    with pytest.raises(RateLimitedError) as err:
        rl.acquire()
    assert str(err.value) == "Polisens API får anropas högst en gång per 10 sekunder; nästa anrop tidigast om 7 s."
    clock.at(9.5)
    with pytest.raises(RateLimitedError, match="om 1 s"):
        rl.check()
    clock.at(10)
    rl.acquire()


def test_check_never_records() -> None:
    log = MemoryCallLog()
    rl = limiter(log, FakeClock())
    rl.check()
    rl.check()
    assert log.recent_calls("polisen", 0) == []
    rl.acquire()
    assert log.recent_calls("polisen", 0) == [T0]


def test_refused_acquire_records_nothing() -> None:
    log = MemoryCallLog()
    clock = FakeClock()
    rl = limiter(log, clock)
    rl.acquire()
    clock.at(5)
    with pytest.raises(RateLimitedError):
        rl.acquire()
    assert log.recent_calls("polisen", 0) == [T0]


def test_hour_window_is_rolling() -> None:
    clock = FakeClock()
    rl = limiter(MemoryCallLog(), clock)
    for i in range(60):
        clock.at(i * 10)
        rl.acquire()
    clock.at(600)
    with pytest.raises(RateLimitedError) as err:
        rl.acquire()
    assert str(err.value) == "Polisens API får anropas högst 60 gånger per timme; nästa anrop tidigast om 50 min."
    clock.at(3599)
    with pytest.raises(RateLimitedError, match="om 1 s"):
        rl.check()
    clock.at(3600)  # the call at 0 has left the window
    rl.acquire()
    clock.at(3610)  # the call at 10 has left too: 59 calls in the last hour
    rl.acquire()
    clock.at(3620)
    rl.acquire()


def test_day_cap() -> None:
    clock = FakeClock()
    rl = limiter(MemoryCallLog(), clock, per_day=3)
    for offset in (0, 100, 200):
        clock.at(offset)
        rl.acquire()
    clock.at(5000)
    with pytest.raises(RateLimitedError) as err:
        rl.acquire()
    assert "högst 3 gånger per dygn" in str(err.value)
    assert str(err.value).endswith("om 22 h 37 min.")
    clock.at(DAY)
    rl.acquire()


def test_day_cap_message_uses_swedish_thousands() -> None:
    log = MemoryCallLog()
    for i in range(1440):
        log.record_call("polisen", T0 + i * 30)  # 1 440 calls in 12 hours, the last 30 s before "now"
    clock = FakeClock(T0 + 43_200)
    rl = limiter(log, clock, per_hour=10_000)
    with pytest.raises(RateLimitedError, match="högst 1 440 gånger per dygn"):
        rl.check()


def test_sources_are_independent() -> None:
    log = MemoryCallLog()
    clock = FakeClock()
    limiter(log, clock).acquire()
    RateLimiter(log, "kolada", clock=clock).acquire()
    with pytest.raises(RateLimitedError, match="^Källan kolada får anropas"):
        RateLimiter(log, "kolada", clock=clock).check()


def test_two_limiters_on_one_sqlite_file_behave_as_one(tmp_path: Path) -> None:
    db = tmp_path / "calls.db"
    clock = FakeClock()
    first, second = limiter(sql_log(db), clock), limiter(sql_log(db), clock)
    first.acquire()
    clock.at(5)
    with pytest.raises(RateLimitedError, match="om 5 s"):
        second.acquire()
    clock.at(10)
    second.acquire()
    clock.at(15)
    with pytest.raises(RateLimitedError):
        first.acquire()
    assert sql_log(db).recent_calls("polisen", 0) == [T0, T0 + 10]


def test_sql_log_hour_window(tmp_path: Path) -> None:
    clock = FakeClock()
    log = sql_log(tmp_path / "calls.db")
    for i in range(60):
        log.record_call("polisen", T0 + i * 10)
    clock.at(600)
    with pytest.raises(RateLimitedError, match="högst 60 gånger per timme"):
        limiter(sql_log(tmp_path / "calls.db"), clock).acquire()


def test_sql_log_accepts_a_migrated_engine(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'calls.db'}")
    SqlCallLog(store.engine).record_call("polisen", T0)
    SqlCallLog(store).record_call("polisen", T0 + 1)
    assert store.recent_calls("polisen", T0 + 0.5) == [T0 + 1]


@pytest.mark.parametrize("make_log", [lambda _p: MemoryCallLog(), lambda p: sql_log(p / "calls.db")])
def test_old_rows_are_pruned(tmp_path: Path, make_log) -> None:  # noqa: ANN001 - a factory
    log = make_log(tmp_path)
    log.record_call("polisen", T0)
    log.record_call("kolada", T0)
    log.record_call("polisen", T0 + 3 * DAY)
    assert log.recent_calls("polisen", 0) == [T0 + 3 * DAY]
    assert log.recent_calls("kolada", 0) == [T0]


class RacingLog(MemoryCallLog):
    """Another process records a call between our check and our record."""

    def record_call(self, source: str, at: float) -> None:
        super().record_call(source, at + 0.001)
        super().record_call(source, at)


def test_acquire_steps_back_when_another_process_raced() -> None:
    log = RacingLog()
    with pytest.raises(RateLimitedError, match="anropades nyss av en annan användare; nästa anrop tidigast om 10 s"):
        limiter(log, FakeClock()).acquire()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 s"), (7, "7 s"), (59.5, "1 min"), (3000, "50 min"), (3600, "1 h"), (11_100, "3 h 5 min")],
)
def test_duration_text(seconds: float, text: str) -> None:
    assert _duration(seconds) == text
