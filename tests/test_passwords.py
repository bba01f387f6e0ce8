"""Password logins: throttled per account and per address across processes (the database), failures logged,
one bcrypt check whether the account exists or not, and no silent cut at bcrypt's 72 bytes."""

from __future__ import annotations

import logging
import time

import bcrypt
import pytest

from lofte_data import access
from lofte_data.access import AccessError, LoginThrottle
from lofte_data.errors import InputError
from lofte_data.ratelimit import SqlCallLog
from lofte_data.storage import Store

PASSWORD = "rätt-lösenord-123"


def _table(hashed: str) -> dict[str, access.Account]:
    return access.accounts(
        {"redaktorer": {"anna@kungsor.se": {"namn": "Anna", "kommuner": ["1960"], "losenord": hashed}}}
    )


@pytest.fixture(scope="module")
def table() -> dict[str, access.Account]:
    """A cheap hash (cost 4) keeps the throttle tests fast; the timing test uses the real cost."""
    return _table(bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode())


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_five_wrong_passwords_lock_the_account_across_processes(store: Store, table) -> None:
    clock = Clock()
    for _ in range(access.MAX_FAILURES_PER_ACCOUNT):
        with pytest.raises(AccessError, match="Fel användarnamn"):
            access.password_login("anna@kungsor.se", "fel", table, throttle=LoginThrottle(SqlCallLog(store), clock))
    other_process = LoginThrottle(SqlCallLog(Store(store.engine)), clock)
    with pytest.raises(AccessError, match=r"För många misslyckade inloggningar. Försök igen om 15 min"):
        access.password_login("Anna@Kungsor.se", PASSWORD, table, throttle=other_process, address="10.0.0.9")
    clock.now += access.THROTTLE_WINDOW + 1
    assert access.password_login("anna@kungsor.se", PASSWORD, table, throttle=other_process).name == "Anna"


def test_one_address_trying_many_accounts_is_throttled(store: Store, table, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "MAX_FAILURES_PER_ADDRESS", 3)  # each unknown account costs a real bcrypt check
    throttle = LoginThrottle(SqlCallLog(store), Clock())
    for number in range(access.MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(AccessError, match="Fel användarnamn"):
            access.password_login(f"gissning{number}@x.se", "fel", table, throttle=throttle, address="203.0.113.7")
    with pytest.raises(AccessError, match="För många"):
        access.password_login("anna@kungsor.se", PASSWORD, table, throttle=throttle, address="203.0.113.7")
    assert access.password_login("anna@kungsor.se", PASSWORD, table, throttle=throttle, address="198.51.100.1")


def test_a_failure_is_logged_without_the_password(table, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="lofte_data.access"), pytest.raises(AccessError):
        access.password_login("anna@kungsor.se", "hemligt-fel", table, throttle=LoginThrottle(), address="10.1.2.3")
    assert "anna@kungsor.se" in caplog.text and "10.1.2.3" in caplog.text and "hemligt-fel" not in caplog.text


def test_an_unknown_account_takes_as_long_as_a_known_one() -> None:
    table = _table(access.hash_password(PASSWORD))

    def seconds(name: str) -> float:
        start = time.perf_counter()
        with pytest.raises(AccessError, match="Fel användarnamn eller lösenord"):
            access.password_login(name, "fel-lösenord", table)
        return time.perf_counter() - start

    known = min(seconds("anna@kungsor.se") for _ in range(2))
    unknown = min(seconds("ingen@example.com") for _ in range(2))
    assert unknown > 0.5 * known  # both pay for one bcrypt check (was microseconds against 0.8 s)


def test_a_password_longer_than_72_bytes_is_refused_not_cut() -> None:
    exact = "å" * 36  # 72 bytes
    table = access.accounts(
        {"redaktorer": {"a": {"namn": "A", "kommuner": ["1960"], "losenord": access.hash_password(exact)}}}
    )
    assert access.password_login("a", exact, table).name == "A"
    with pytest.raises(AccessError, match="längre än 72 byte"):
        access.password_login("a", exact + "x", table)  # bcrypt alone would have let this in
    with pytest.raises(InputError, match="högst 72 byte"):
        access.hash_password(exact + "x")
