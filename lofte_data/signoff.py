"""Frozen tertial follow-ups signed by both parties (core): freeze, sign, unfreeze, and what changed since.

At the end of a tertial an editor freezes the follow-up: the tertial report's data (tallies, statuses, comments,
the figures shown with their as-of dates) is stored as a JSON record (``report_data.to_record``), and the
report of that tertial is drawn from it from then on. Activities and comments dated in a frozen tertial cannot be
changed (``editing.refuse_frozen``). Sign-off needs one editor for Polisen and one for Kommunen (``part`` in the
editor's entry in secrets); unfreezing needs both parties again, each with a reason, and is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from lofte_data import audit, followup, formats, report_data
from lofte_data.access import PARTIES, AccessError, Editor
from lofte_data.audit import Entity
from lofte_data.checks import checked_text
from lofte_data.errors import InputError
from lofte_data.storage import Store, now

LOCAL = ZoneInfo("Europe/Stockholm")
PROMISE_ENTITIES = (Entity.PROMISE, Entity.FOCUS_AREA, Entity.COMMITMENT, Entity.ACTIVITY, Entity.COMMENT)


@dataclass(frozen=True)
class TertialState:
    """Where a tertial of the year stands: open, frozen, signed by one party or both, unfreezing asked."""

    tertial: int
    row: dict[str, Any] | None  # the live frozen_tertial row, None when open

    @property
    def frozen(self) -> bool:
        return self.row is not None

    def signed_by(self, party: str) -> str | None:
        return self.row.get(f"signed_{party.casefold()}_by") if self.row else None

    @property
    def fully_signed(self) -> bool:
        return all(self.signed_by(p) for p in PARTIES)

    def unfreeze_asked_by(self, party: str) -> str | None:
        return self.row.get(f"unfreeze_{party.casefold()}_by") if self.row else None

    @property
    def label(self) -> str:
        """ "öppen", "fryst", "undertecknad av Polisen", "undertecknad av Kommunen" or "undertecknad av båda"."""
        if self.row is None:
            return "öppen"
        signed = [p for p in PARTIES if self.signed_by(p)]
        if not signed:
            return "fryst"
        return "undertecknad av båda" if len(signed) == len(PARTIES) else f"undertecknad av {signed[0]}"


def frozen_text(state: TertialState, year: int) -> str:
    """The line a viewer reads about a frozen tertial: "Tertial 2 2023 fryst 31 aug 2023 · undertecknad av Polisen
    (Per Persson) och Kommunen (Anna Andersson)", or which party it waits for; "" for an open tertial."""
    if state.row is None:
        return ""
    frozen = _aware(state.row["frozen_at"]).astimezone(LOCAL)
    signed = [f"{p} ({state.signed_by(p)})" for p in PARTIES if state.signed_by(p)]
    waiting = [p for p in PARTIES if not state.signed_by(p)]
    asked = [p for p in PARTIES if state.unfreeze_asked_by(p)]
    parts = [f"Tertial {state.tertial} {year} fryst {formats.day(frozen)}"]
    for prefix, names in (
        ("undertecknad av", signed),
        ("väntar på underskrift av", waiting),
        ("upplåsning begärd av", asked),
    ):
        if names:
            parts.append(f"{prefix} {' och '.join(names)}")
    return " · ".join(parts)


def frozen_texts(store: Store, kommun_code: str, year: int) -> list[str]:
    """One line per frozen tertial of the kommun's promise for the year (none when every tertial is open)."""
    return [frozen_text(s, year) for s in states(store, kommun_code, year) if s.frozen]


def _promise_id(store: Store, kommun_code: str, year: int) -> int:
    promise_id = store.promise_id(kommun_code, year)
    if promise_id is None or year not in store.promise_years(kommun_code):
        raise InputError(f"Det finns inget medborgarlöfte för {year}.")
    return promise_id


def states(store: Store, kommun_code: str, year: int) -> list[TertialState]:
    """T1, T2 and T3 of the kommun's promise for the year (all open when there is no promise)."""
    promise_id = store.promise_id(kommun_code, year)
    rows = store.frozen_tertials(promise_id) if promise_id is not None else {}
    return [TertialState(t, rows.get(t)) for t in followup.TERTIALS]


def freeze(store: Store, editor: Editor, *, kommun_code: str, year: int, tertial: int, today: date) -> int:
    """Freeze a tertial that has ended: its report's data is kept as it is now; returns the record's id."""
    editor.require(kommun_code)
    promise_id = _promise_id(store, kommun_code, year)
    if tertial not in followup.TERTIALS:
        raise InputError("Tertial måste vara 1, 2 eller 3.")
    last = followup.tertial_bounds(year, tertial)[1]
    if today < last:
        raise InputError(f"Tertial {tertial} {year} slutar {formats.day(last)}; det kan frysas från och med den dagen.")
    if tertial in store.frozen_tertials(promise_id):
        raise InputError(f"Tertial {tertial} {year} är redan fryst.")
    data = report_data.report_data(store, kommun_code=kommun_code, year=year, tertial=tertial, today=today)
    values = {
        "kommun_code": kommun_code,
        "promise_id": promise_id,
        "tertial": tertial,
        "record": report_data.to_record(data),
        "frozen_by": editor.name,
        "frozen_at": now(),
        "unfreeze_reason": "",
    }
    return audit.insert(
        store,
        Entity.FROZEN_TERTIAL,
        values,
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"Frös tertial {tertial} {year}",
    )


def _row(store: Store, editor: Editor, frozen_id: int) -> dict[str, Any]:
    with store.atomic() as tx:
        row = tx.row("frozen_tertial", frozen_id)
    if row is None or row["unfrozen_at"] is not None:
        raise InputError("Tertialet är inte fryst längre. Ladda om sidan.")
    editor.require(row["kommun_code"])
    return row


def _party(editor: Editor, doing: str) -> str:
    if editor.party not in PARTIES:
        raise AccessError(
            f'{editor.name} kan inte {doing}: kontot anger inte för vilken part (part = "Polisen" eller '
            '"Kommunen" i redaktörens post, se README, Redaktörer).'
        )
    return editor.party


def sign(store: Store, editor: Editor, *, frozen_id: int) -> str:
    """The editor signs the frozen tertial for her party; returns the tertial's new label."""
    row = _row(store, editor, frozen_id)
    party = _party(editor, "underteckna")
    key = party.casefold()
    if row[f"signed_{key}_by"]:
        raise InputError(f"Tertialet är redan undertecknat för {party} av {row[f'signed_{key}_by']}.")
    changes = {f"signed_{key}_by": editor.name, f"signed_{key}_at": now()}
    _log(store, editor, row, changes, summary=f"Undertecknade tertial {row['tertial']} för {party}")
    return TertialState(row["tertial"], row | changes).label


def unfreeze(store: Store, editor: Editor, *, frozen_id: int, reason: str) -> bool:
    """One party's request to unfreeze, with a reason; the tertial opens when both parties have asked.
    Returns True when it is open now."""
    row = _row(store, editor, frozen_id)
    party = _party(editor, "låsa upp")
    key = party.casefold()
    text = checked_text(reason, field="text", required=True)
    if row[f"unfreeze_{key}_by"]:
        asked = row[f"unfreeze_{key}_by"]
        raise InputError(f"{party} har redan begärt upplåsning ({asked}); nu krävs den andra parten.")
    others = [p for p in PARTIES if p != party and not row[f"unfreeze_{p.casefold()}_by"]]
    reasons = "\n".join(r for r in (row["unfreeze_reason"], f"{party} ({editor.name}): {text}") if r)
    changes: dict[str, Any] = {f"unfreeze_{key}_by": editor.name, "unfreeze_reason": reasons}
    if not others:
        changes["unfrozen_at"] = now()
    done = "Låste upp" if not others else "Begärde upplåsning av"
    _log(store, editor, row, changes, summary=f"{done} tertial {row['tertial']} ({party}): {text[:120]}")
    return not others


def _log(store: Store, editor: Editor, row: dict[str, Any], changes: dict[str, Any], *, summary: str) -> None:
    """Write a signature or an unfreeze request on the frozen tertial ``row``, with its audit row."""
    audit.update(
        store,
        Entity.FROZEN_TERTIAL,
        row["id"],
        changes,
        actor=editor.name,
        kommun_code=row["kommun_code"],
        summary=summary,
    )


def changed_since(store: Store, state: TertialState) -> pd.DataFrame:
    """Edits logged after the tertial was frozen that touch its promise (the promise, its focus areas,
    commitments, activities and comments), oldest first: when, who, what."""
    if state.row is None:
        return pd.DataFrame(columns=["at", "actor", "action", "entity", "summary"])
    row = state.row
    log = store.audit_rows_since(row["kommun_code"], _aware(row["frozen_at"]))
    ids = store.promise_tree_ids(row["promise_id"])
    ids_by_entity = {
        Entity.PROMISE.value: {row["promise_id"]},
        **{entity.value: set(ids[entity.table]) for entity in PROMISE_ENTITIES[1:]},
    }
    touches = [int(i) in ids_by_entity.get(e, set()) for e, i in zip(log["entity"], log["entity_id"], strict=True)]
    return log[touches][["at", "actor", "action", "entity", "summary"]].reset_index(drop=True)


def _aware(value: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite gives naive UTC, PostgreSQL aware)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
