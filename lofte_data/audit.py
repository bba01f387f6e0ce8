"""Audited writes (core): every change made in the app is written together with an audit_log row
saying who, when, what, and the old and new values; deleting is soft and can be undone."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd

from lofte_data.errors import InputError
from lofte_data.storage import Store, Tx, column_types, now


class Entity(StrEnum):
    """What a change is made to. The value is the Swedish word stored in ``audit_log.entity`` and shown in
    Historik; ``table`` is the table it lives in."""

    PROMISE = "löfte"
    FOCUS_AREA = "fokusområde"
    COMMITMENT = "åtagande"
    ACTIVITY = "aktivitet"
    INCIDENT = "händelse"
    COMMENT = "kommentar"
    PLACE = "plats"
    DECISION = "beslut"
    ANNOTATION = "notering"
    FROZEN_TERTIAL = "fryst tertial"
    CRIME_STAT = "brottsstatistik"  # an import of Brå figures (entity_id 0: the import as a whole)
    KPI = "nyckeltal"  # a Kolada refresh

    @property
    def table(self) -> str:
        return _TABLES[self]

    @property
    def deletable(self) -> bool:
        return self not in (Entity.COMMENT, Entity.FROZEN_TERTIAL, Entity.CRIME_STAT, Entity.KPI)


class Action(StrEnum):
    """What was done; the value is the Swedish word stored in ``audit_log.action`` and shown in Historik."""

    CREATE = "skapa"
    UPDATE = "ändra"
    DELETE = "ta bort"
    UNDO = "ångra"
    IMPORT = "importera"
    REFRESH = "hämta"


# Audit rows of imports and refreshes that touch more than one kommun are filed under Riket's code:
# administrators see and undo them in Historik.
SHARED_CODE = "0000"


_TABLES = {
    Entity.PROMISE: "promise",
    Entity.FOCUS_AREA: "focus_area",
    Entity.COMMITMENT: "commitment",
    Entity.ACTIVITY: "activity",
    Entity.INCIDENT: "incident",
    Entity.COMMENT: "commitment_comment",
    Entity.PLACE: "place",
    Entity.DECISION: "decision",
    Entity.ANNOTATION: "annotation",
    Entity.FROZEN_TERTIAL: "frozen_tertial",
    Entity.CRIME_STAT: "crime_stat",
    Entity.KPI: "kpi_value",
}
CRIME_KEY = ("kommun_code", "crime_type", "year", "period")


def _json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _log(
    tx: Tx,
    *,
    actor: str,
    kommun_code: str,
    action: Action,
    entity: Entity,
    entity_id: int,
    summary: str,
    old: Mapping | None = None,
    new: Mapping | None = None,
) -> int:
    row = {
        "at": now(),
        "actor": actor,
        "kommun_code": kommun_code,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary,
        "old_value": _json(old),
        "new_value": _json(new),
    }
    return tx.insert("audit_log", row)


def insert(
    store: Store, entity: Entity, values: Mapping[str, Any], *, actor: str, kommun_code: str, summary: str
) -> int:
    """Insert one record and its audit row in one transaction; returns the new id."""
    return insert_many(store, entity, [values], actor=actor, kommun_code=kommun_code, summary=summary)[0]


def insert_many(
    store: Store, entity: Entity, rows: Iterable[Mapping[str, Any]], *, actor: str, kommun_code: str, summary: str
) -> list[int]:
    """All rows and their audit rows, or none (one transaction)."""
    entity = Entity(entity)
    ids = []
    with store.atomic() as tx:
        for values in rows:
            new_id = tx.insert(entity.table, values)
            _log(
                tx,
                actor=actor,
                kommun_code=kommun_code,
                action=Action.CREATE,
                entity=entity,
                entity_id=new_id,
                summary=summary,
                new=values,
            )
            ids.append(new_id)
    return ids


def update(
    store: Store, entity: Entity, row_id: int, changes: Mapping[str, Any], *, actor: str, kommun_code: str, summary: str
) -> None:
    """Change fields of one record; the audit row keeps the old and the new values."""
    entity = Entity(entity)
    with store.atomic() as tx:
        old = _current(tx, entity.table, row_id, changes.keys())
        tx.update(entity.table, row_id, changes)
        _log(
            tx,
            actor=actor,
            kommun_code=kommun_code,
            action=Action.UPDATE,
            entity=entity,
            entity_id=row_id,
            summary=summary,
            old=old,
            new=changes,
        )


def delete(store: Store, entity: Entity, row_id: int, *, actor: str, kommun_code: str, summary: str) -> None:
    """Soft delete: the record is hidden, not removed, and the audit row lets it be undone."""
    entity = Entity(entity)
    if not entity.deletable:
        raise InputError(f"{entity.capitalize()} kan inte tas bort.")
    with store.atomic() as tx:
        _current(tx, entity.table, row_id, ["deleted_at"])
        tx.update(entity.table, row_id, {"deleted_at": now()})
        _log(
            tx,
            actor=actor,
            kommun_code=kommun_code,
            action=Action.DELETE,
            entity=entity,
            entity_id=row_id,
            summary=summary,
        )


def recreate_promise(store: Store, promise_id: int, values: Mapping[str, Any], *, actor: str, kommun_code: str) -> int:
    """Create a promise again where a deleted one of the same kommun and year is stored (the year is unique): the
    row gets the new values and its old focus areas stay deleted, so the new promise starts empty. Logged as a
    creation (undo deletes it again); the old values are kept in the audit row."""
    with store.atomic() as tx:
        old = _current(tx, "promise", promise_id, [*values.keys(), "deleted_at"])
        tx.update("promise", promise_id, {**values, "deleted_at": None})
        for area in tx.rows("focus_area", promise_id=promise_id, deleted_at=None):
            tx.update("focus_area", area["id"], {"deleted_at": now()})
        _log(
            tx,
            actor=actor,
            kommun_code=kommun_code,
            action=Action.CREATE,
            entity=Entity.PROMISE,
            entity_id=promise_id,
            summary=f"Löfte {values['year']}",
            old=old,
            new=values,
        )
    return promise_id


def set_comment(store: Store, commitment_id: int, tertial: int, text: str, *, actor: str, kommun_code: str) -> None:
    """The free-text comment of a commitment and tertial, replaced as a whole."""
    values = {"commitment_id": commitment_id, "tertial": tertial, "text": text, "author": actor, "updated_at": now()}
    with store.atomic() as tx:
        old = tx.find("commitment_comment", commitment_id=commitment_id, tertial=tertial)
        if old is None:
            row_id = tx.insert("commitment_comment", values)
        else:
            row_id = old["id"]
            tx.update("commitment_comment", row_id, values)
        _log(
            tx,
            actor=actor,
            kommun_code=kommun_code,
            action=Action.UPDATE if old else Action.CREATE,
            entity=Entity.COMMENT,
            entity_id=row_id,
            summary=f"Kommentar T{tertial}",
            old={"text": old["text"]} if old else None,
            new={"text": text},
        )


def undo(store: Store, audit_id: int, *, actor: str, kommun_codes: Iterable[str]) -> str:
    """Reverse one logged change (restore a deleted record, hide a created one, put old values back)."""
    with store.atomic() as tx:
        entry = tx.row("audit_log", audit_id)
        if entry is None or entry["kommun_code"] not in set(kommun_codes):
            raise InputError("Ändringen finns inte, eller så får du inte ångra den.")
        if entry["undone_at"] is not None:
            raise InputError("Ändringen är redan ångrad.")
        _reverse(tx, entry)
        tx.update("audit_log", audit_id, {"undone_at": now()})
        _log(
            tx,
            actor=actor,
            kommun_code=entry["kommun_code"],
            action=Action.UNDO,
            entity=Entity(entry["entity"]),
            entity_id=entry["entity_id"],
            summary=f"Ångrade: {entry['summary']}",
        )
    return entry["summary"]


def log_import(
    tx: Tx,
    *,
    actor: str,
    kommun_codes: Iterable[str],
    action: Action,
    entity: Entity,
    summary: str,
    old: Mapping | None = None,
    new: Mapping | None = None,
) -> int:
    """The audit row of an import or refresh: filed under the one kommun it touched, else ``SHARED_CODE``."""
    codes = set(kommun_codes)
    code = codes.pop() if len(codes) == 1 else SHARED_CODE
    return _log(
        tx, actor=actor, kommun_code=code, action=action, entity=entity, entity_id=0, summary=summary, old=old, new=new
    )


def crime_import_values(replaced: list[dict], written: pd.DataFrame) -> tuple[dict, dict]:
    """Old and new values of a Brå import for its audit row: the whole rows it replaced, and the figures it
    wrote (key, count, per 100 000, preliminary), so that undo can check nothing changed them since. The
    written figures are kept column by column ("kolumner"; a national import writes 765 000 of them)."""
    kept = (*CRIME_KEY, "count", "per_100k", "preliminary")
    old = {"rader": [{k: _plain(v) for k, v in row.items()} for row in replaced]}
    new = {"kolumner": {k: _column(written[k]) for k in kept}}
    return old, new


def _column(values: pd.Series) -> list[Any]:
    """A column as JSON-ready Python values, NA as None."""
    return values.to_numpy(dtype=object, na_value=None).tolist()


def _import_rows(value: str | None) -> list[dict]:
    """The rows of an import's old or new value: "rader" (a list of rows) or "kolumner" (a list per column)."""
    stored = json.loads(value or "{}")
    if "kolumner" in stored:
        columns = stored["kolumner"]
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    return stored.get("rader", [])


def _undo_crime_import(tx: Tx, entry: Mapping[str, Any]) -> None:
    """Put back the figures a Brå import replaced and remove those it added, unless a later change moved them."""
    written = _import_rows(entry["new_value"])
    replaced = _import_rows(entry["old_value"])
    for row in written:
        key = {k: row[k] for k in CRIME_KEY}
        now_stored = tx.find("crime_stat", ["count", "per_100k", "preliminary"], **key)
        if now_stored is None or (now_stored["count"], now_stored["per_100k"], bool(now_stored["preliminary"])) != (
            row["count"],
            row["per_100k"],
            bool(row["preliminary"]),
        ):
            raise InputError(
                f"Siffran för {key['kommun_code']} {key['crime_type']} {key['year']} {key['period']} har ändrats "
                "efter importen (t.ex. av en senare import). Ångra den ändringen först. Inget ångrades."
            )
        tx.delete_where("crime_stat", **key)
    tx.insert_rows("crime_stat", [_typed("crime_stat", row) for row in replaced])


def _reverse(tx: Tx, entry: Mapping[str, Any]) -> None:
    entity, action, row_id = Entity(entry["entity"]), Action(entry["action"]), entry["entity_id"]
    if entity is Entity.FROZEN_TERTIAL:
        raise InputError("En fryst tertial låses upp av båda parter under Tertialuppföljning, inte med ångra.")
    table_name = entity.table
    if entity is Entity.CRIME_STAT and action is Action.IMPORT:
        _undo_crime_import(tx, entry)
    elif action in (Action.IMPORT, Action.REFRESH):
        raise InputError("En hämtning av öppna data kan inte ångras; hämta igen eller läs in en äldre fil.")
    elif action is Action.DELETE:
        tx.update(table_name, row_id, {"deleted_at": None})
    elif action is Action.CREATE and entity.deletable:
        tx.update(table_name, row_id, {"deleted_at": now()})
    elif action is Action.UPDATE and entry["old_value"]:
        tx.update(table_name, row_id, _typed(table_name, json.loads(entry["old_value"])))
    else:
        raise InputError("Den här ändringen kan inte ångras.")


def _typed(table_name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """JSON values back to the column types (dates come back as text)."""
    types = column_types(table_name)
    out = {}
    for key, value in values.items():
        python_type = types[key]
        if value is not None and python_type is date:
            value = date.fromisoformat(value)
        elif value is not None and python_type is datetime:
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


def _current(tx: Tx, table_name: str, row_id: int, columns: Iterable[str]) -> dict[str, Any]:
    row = tx.row(table_name, row_id, columns)
    if row is None:
        raise InputError("Posten finns inte längre. Ladda om sidan.")
    return row


def promise_touched(store: Store, promise_id: int) -> bool:
    """Whether anyone has changed the promise or anything under it in the app: a logged change to the
    promise, a focus area, a commitment, an activity or a comment of it (undone changes count too), or a
    comment at all."""
    ids = store.promise_tree_ids(promise_id)
    if ids["commitment_comment"]:
        return True
    entity_ids = {
        Entity.PROMISE.value: [promise_id],
        Entity.FOCUS_AREA.value: ids["focus_area"],
        Entity.COMMITMENT.value: ids["commitment"],
        Entity.ACTIVITY.value: ids["activity"],
    }
    return store.has_audit_rows(entity_ids)


def history(store: Store, kommun_codes: Iterable[str], *, limit: int = 300) -> pd.DataFrame:
    """The latest audit rows for the kommuner, newest first."""
    return store.audit_rows(kommun_codes, limit=limit)


def comments(store: Store, commitment_ids: Iterable[int]) -> pd.DataFrame:
    """The tertial comments of the commitments."""
    return store.comments(commitment_ids)


def kommun_of(store: Store, entity: Entity, row_id: int) -> str:
    """The kommun a record belongs to (for the access check on every write)."""
    entity = Entity(entity)
    code = store.kommun_of(entity.table, row_id)
    if code is None:
        raise InputError(f"{entity.capitalize()} finns inte.")
    return code
