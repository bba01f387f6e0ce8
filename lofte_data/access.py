"""Who may edit what (core): the editors' allow-list per kommun and password checks with bcrypt.

The allow-list lives in the secrets file (``.streamlit/secrets.toml``), never in the database::

    [redaktorer."anna.andersson@kungsor.se"]
    namn = "Anna Andersson"
    kommuner = ["1960"]
    losenord = "$2b$12$..."   # optional; bcrypt hash from: python -m lofte_data hash-password
    part = "Kommunen"         # optional: "Polisen" or "Kommunen", the party the editor signs a tertial for
    admin = true              # optional: may also change shared data (Brå for every kommun, Polisen, Kolada)

A person signed in through OIDC (``st.login``) is an editor only when the e-mail address is in the
list; a password login works only for accounts that have a ``losenord`` hash. The command line runs as
``OPERATOR``: whoever can run it on the server already holds the database.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import bcrypt

from lofte_data.errors import InputError, LofteError
from lofte_data.ratelimit import CallLog, MemoryCallLog

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; a longer password is refused, never silently cut
LOG = logging.getLogger(__name__)
# Checked for unknown accounts (and accounts without a password) so that every failed login costs one bcrypt
# check: the time taken does not tell which account names exist. The password behind it is not used anywhere.
_DUMMY_HASH = b"$2b$12$iWsRurHpWAJpjmAJeHsvv.B3Vq2agT.EMAM/M3SCsZdxhUQq3QrwW"
THROTTLE_WINDOW = 15 * 60.0
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


class AccessError(LofteError):
    """The signed-in person may not do this."""


@dataclass(frozen=True)
class Editor:
    """A signed-in editor and the kommuner whose data they may change."""

    identity: str
    name: str
    kommuner: frozenset[str]
    method: str  # "oidc", "lösenord" or "kommandorad"
    party: str | None = None  # "Polisen" or "Kommunen": whom the editor signs a frozen tertial for
    admin: bool = False  # may change shared data: every kommun's Brå figures, Polisen's events, Kolada

    def may_edit(self, kommun_code: str) -> bool:
        return kommun_code in self.kommuner

    def require(self, kommun_code: str) -> None:
        """Raise AccessError unless this editor may change data of ``kommun_code``."""
        if not self.may_edit(kommun_code):
            raise AccessError(f"{self.name} får inte ändra uppgifter för kommun {kommun_code}.")

    @property
    def audit_codes(self) -> frozenset[str]:
        """The kommun codes whose audit rows this editor sees and may undo: an administrator also sees the
        imports and refreshes of shared data, filed under Riket (0000)."""
        return self.kommuner | {"0000"} if self.admin else self.kommuner

    def require_admin(self, what: str) -> None:
        """Raise AccessError unless this editor is an administrator (shared data: ``what`` names it)."""
        if not self.admin:
            raise AccessError(
                f"{what} ändrar data som alla kommuner delar och kräver administratörsbehörighet "
                "(admin = true under [redaktorer] i secrets.toml)."
            )


# The command line (import-bra, import-polisen, refresh, restore): run on the server by its operator.
OPERATOR = Editor(
    identity="kommandoraden", name="Kommandoraden", kommuner=frozenset(), method="kommandorad", admin=True
)


@dataclass(frozen=True)
class Account:
    name: str
    kommuner: frozenset[str]
    password_hash: str | None
    party: str | None = None
    admin: bool = False


def accounts(secrets: Mapping[str, Any]) -> dict[str, Account]:
    """The ``[redaktorer]`` section as accounts keyed by lower-case identity (e-mail or user name)."""
    section = secrets.get("redaktorer", {}) or {}
    result = {}
    for identity, entry in section.items():
        kommuner = frozenset(str(code).zfill(4) for code in entry.get("kommuner", []))
        result[str(identity).strip().lower()] = Account(
            name=str(entry.get("namn", identity)),
            kommuner=kommuner,
            password_hash=entry.get("losenord") or None,
            party=party_of(entry),
            admin=entry.get("admin") is True,
        )
    return result


def editor_for(identity: str | None, table: Mapping[str, Account], *, method: str) -> Editor | None:
    """The editor behind an identity from the login provider, or None if not on the allow-list."""
    if not identity:
        return None
    key = identity.strip().lower()
    account = table.get(key)
    if account is None or not account.kommuner:
        return None
    return Editor(
        identity=key,
        name=account.name,
        kommuner=account.kommuner,
        method=method,
        party=account.party,
        admin=account.admin,
    )


class LoginThrottle:
    """Failed password logins per account and per client address, in a call log shared by every process
    (``ratelimit.SqlCallLog``: the table ``api_call_log`` under the sources ``login-konto:…`` and ``login-adress:…``).
    After ``MAX_FAILURES_PER_ACCOUNT`` failures for an account, or ``MAX_FAILURES_PER_ADDRESS`` from an address,
    within ``THROTTLE_WINDOW`` seconds, no password is checked until the oldest failure leaves the window."""

    def __init__(self, log: CallLog | None = None, clock: Callable[[], float] = time.time) -> None:
        self.log = log or MemoryCallLog()
        self.clock = clock

    @staticmethod
    def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(f"login-konto:{username.strip().lower()[:200]}", MAX_FAILURES_PER_ACCOUNT)]
        if address:
            keys.append((f"login-adress:{address[:100]}", MAX_FAILURES_PER_ADDRESS))
        return keys

    def check(self, username: str, address: str | None) -> None:
        """Raise AccessError (with the wait in minutes) while the account or the address is throttled."""
        now = self.clock()
        for key, limit in self._keys(username, address):
            failures = self.log.recent_calls(key, now - THROTTLE_WINDOW)
            if len(failures) >= limit:
                wait = failures[len(failures) - limit] + THROTTLE_WINDOW - now
                raise AccessError(
                    f"För många misslyckade inloggningar. Försök igen om {max(1, math.ceil(wait / 60))} min."
                )

    def failed(self, username: str, address: str | None) -> None:
        now = self.clock()
        for key, _ in self._keys(username, address):
            self.log.record_call(key, now)
        LOG.warning("Misslyckad inloggning för %r från %s", username.strip().lower()[:200], address or "okänd adress")


def password_login(
    username: str,
    password: str,
    table: Mapping[str, Account],
    *,
    throttle: LoginThrottle | None = None,
    address: str | None = None,
) -> Editor:
    """Check a password against the stored bcrypt hash; the same Swedish message for every wrong name or password,
    one bcrypt check whether the account exists or not, and throttled per account and address (``throttle``)."""
    if throttle is not None:
        throttle.check(username, address)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccessError(f"Lösenordet är längre än {MAX_PASSWORD_BYTES} byte och kan inte vara rätt.")
    account = table.get(username.strip().lower())
    hashed = account.password_hash if account else None
    matched = _matches(password, hashed)
    if account is None or not hashed or not password or not matched:
        if throttle is not None:
            throttle.failed(username, address)
        raise AccessError("Fel användarnamn eller lösenord.")
    return Editor(
        identity=username.strip().lower(),
        name=account.name,
        kommuner=account.kommuner,
        method="lösenord",
        party=account.party,
        admin=account.admin,
    )


def _matches(password: str, hashed: str | None) -> bool:
    """One bcrypt check, also when there is no usable hash (then against a dummy hash, and False)."""
    encoded = password.encode("utf-8")
    try:
        if hashed:
            return bcrypt.checkpw(encoded, hashed.encode("ascii"))
    except ValueError:  # a malformed hash in the secrets file
        pass
    bcrypt.checkpw(encoded, _DUMMY_HASH)
    return False


def hash_password(password: str) -> str:
    """A bcrypt hash for the secrets file; refuses short passwords and those longer than bcrypt reads."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise InputError(f"Lösenordet får vara högst {MAX_PASSWORD_BYTES} byte (å, ä och ö räknas som två).")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


PARTIES = ("Polisen", "Kommunen")


def party_of(entry: Mapping[str, Any]) -> str | None:
    """The ``part`` of an editor's entry ("Polisen" or "Kommunen", any case), None when absent or unknown."""
    raw = str(entry.get("part", "") or "").strip().casefold()
    return next((p for p in PARTIES if p.casefold() == raw), None)
