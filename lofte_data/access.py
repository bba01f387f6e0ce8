"""Who may edit what (core): the editors' allow-list per kommun and password checks with bcrypt.

The allow-list lives in the secrets file (``.streamlit/secrets.toml``), never in the database::

    [redaktorer."anna.andersson@kungsor.se"]
    namn = "Anna Andersson"
    kommuner = ["1960"]
    losenord = "$2b$12$..."   # optional; bcrypt hash from: python -m lofte_data hash-password
    admin = true              # optional: may also change shared data (Brå for every kommun, Polisen, Kolada)

A person signed in through OIDC (``st.login``) is an editor only when the e-mail address is in the
list; a password login works only for accounts that have a ``losenord`` hash. The command line runs as
``OPERATOR``: whoever can run it on the server already holds the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import bcrypt

from lofte_data.errors import InputError, LofteError

MIN_PASSWORD_LENGTH = 12


class AccessError(LofteError):
    """The signed-in person may not do this."""


@dataclass(frozen=True)
class Editor:
    """A signed-in editor and the kommuner whose data they may change."""

    identity: str
    name: str
    kommuner: frozenset[str]
    method: str  # "oidc", "lösenord" or "kommandorad"
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
    return Editor(identity=key, name=account.name, kommuner=account.kommuner, method=method, admin=account.admin)


def password_login(username: str, password: str, table: Mapping[str, Account]) -> Editor:
    """Check a password against the stored bcrypt hash; the same Swedish message for every failure."""
    account = table.get(username.strip().lower())
    hashed = account.password_hash if account else None
    if account is None or not hashed or not password or not _matches(password, hashed):
        raise AccessError("Fel användarnamn eller lösenord.")
    return Editor(
        identity=username.strip().lower(),
        name=account.name,
        kommuner=account.kommuner,
        method="lösenord",
        admin=account.admin,
    )


def _matches(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8")[:72], hashed.encode("ascii"))
    except ValueError:  # a malformed hash in the secrets file
        return False


def hash_password(password: str) -> str:
    """A bcrypt hash for the secrets file; refuses short passwords."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    return bcrypt.hashpw(password.encode("utf-8")[:72], bcrypt.gensalt()).decode("ascii")
