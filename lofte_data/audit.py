"""Audited writes (core): every change made in the app is written together with an audit_log row
saying who, when, what, and the old and new values; deleting is soft and can be undone."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from lofte_data.errors import InputError
from lofte_data.storage import Store, T, now

ENTITIES = {
    "löfte": "promise",
    "fokusområde": "focus_area",
    "åtagande": "commitment",
    "aktivitet": "activity",
    "händelse": "incident",
    "kommentar": "commitment_comment",
    "plats": "place",
    "beslut": "decision",
}
DELETABLE = ("löfte", "fokusområde", "åtagande", "aktivitet", "händelse", "plats", "beslut")


def _json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _log(
    conn: sa.Connection,
    *,
    actor: str,
    kommun_code: str,
    action: str,
    entity: str,
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
    return conn.execute(sa.insert(T["audit_log"]).values(**row)).inserted_primary_key[0]


def insert(store: Store, entity: str, values: Mapping[str, Any], *, actor: str, kommun_code: str, summary: str) -> int:
    """Insert one record and its audit row in one transaction; returns the new id."""
    return insert_many(store, entity, [values], actor=actor, kommun_code=kommun_code, summary=summary)[0]


def insert_many(
    store: Store, entity: str, rows: Iterable[Mapping[str, Any]], *, actor: str, kommun_code: str, summary: str
) -> list[int]:
    """All rows and their audit rows, or none (one transaction)."""
    table = T[ENTITIES[entity]]
    ids = []
    with store.transaction() as conn:
        for values in rows:
            new_id = conn.execute(sa.insert(table).values(**values)).inserted_primary_key[0]
            _log(
                conn,
                actor=actor,
                kommun_code=kommun_code,
                action="skapa",
                entity=entity,
                entity_id=new_id,
                summary=summary,
                new=values,
            )
            ids.append(new_id)
    return ids


def update(
    store: Store, entity: str, row_id: int, changes: Mapping[str, Any], *, actor: str, kommun_code: str, summary: str
) -> None:
    """Change fields of one record; the audit row keeps the old and the new values."""
    table = T[ENTITIES[entity]]
    with store.transaction() as conn:
        old = _current(conn, table, row_id, changes.keys())
        conn.execute(sa.update(table).where(table.c.id == row_id).values(**changes))
        _log(
            conn,
            actor=actor,
            kommun_code=kommun_code,
            action="ändra",
            entity=entity,
            entity_id=row_id,
            summary=summary,
            old=old,
            new=changes,
        )


def delete(store: Store, entity: str, row_id: int, *, actor: str, kommun_code: str, summary: str) -> None:
    """Soft delete: the record is hidden, not removed, and the audit row lets it be undone."""
    if entity not in DELETABLE:
        raise InputError(f"{entity.capitalize()} kan inte tas bort.")
    table = T[ENTITIES[entity]]
    with store.transaction() as conn:
        _current(conn, table, row_id, ["deleted_at"])
        conn.execute(sa.update(table).where(table.c.id == row_id).values(deleted_at=now()))
        _log(
            conn,
            actor=actor,
            kommun_code=kommun_code,
            action="ta bort",
            entity=entity,
            entity_id=row_id,
            summary=summary,
        )


def set_comment(store: Store, commitment_id: int, tertial: int, text: str, *, actor: str, kommun_code: str) -> None:
    """The free-text comment of a commitment and tertial, replaced as a whole."""
    table = T["commitment_comment"]
    values = {"commitment_id": commitment_id, "tertial": tertial, "text": text, "author": actor, "updated_at": now()}
    with store.transaction() as conn:
        where = (table.c.commitment_id == commitment_id, table.c.tertial == tertial)
        old = conn.execute(sa.select(table).where(*where)).mappings().first()
        if old is None:
            row_id = conn.execute(sa.insert(table).values(**values)).inserted_primary_key[0]
        else:
            row_id = old["id"]
            conn.execute(sa.update(table).where(table.c.id == row_id).values(**values))
        _log(
            conn,
            actor=actor,
            kommun_code=kommun_code,
            action="ändra" if old else "skapa",
            entity="kommentar",
            entity_id=row_id,
            summary=f"Kommentar T{tertial}",
            old={"text": old["text"]} if old else None,
            new={"text": text},
        )


def undo(store: Store, audit_id: int, *, actor: str, kommun_codes: Iterable[str]) -> str:
    """Reverse one logged change (restore a deleted record, hide a created one, put old values back)."""
    log = T["audit_log"]
    with store.transaction() as conn:
        entry = conn.execute(sa.select(log).where(log.c.id == audit_id)).mappings().first()
        if entry is None or entry["kommun_code"] not in set(kommun_codes):
            raise InputError("Ändringen finns inte, eller så får du inte ångra den.")
        if entry["undone_at"] is not None:
            raise InputError("Ändringen är redan ångrad.")
        _reverse(conn, entry)
        conn.execute(sa.update(log).where(log.c.id == audit_id).values(undone_at=now()))
        _log(
            conn,
            actor=actor,
            kommun_code=entry["kommun_code"],
            action="ångra",
            entity=entry["entity"],
            entity_id=entry["entity_id"],
            summary=f"Ångrade: {entry['summary']}",
        )
    return entry["summary"]


def _reverse(conn: sa.Connection, entry: Mapping[str, Any]) -> None:
    table = T[ENTITIES[entry["entity"]]]
    where = table.c.id == entry["entity_id"]
    if entry["action"] == "ta bort":
        conn.execute(sa.update(table).where(where).values(deleted_at=None))
    elif entry["action"] == "skapa" and entry["entity"] in DELETABLE:
        conn.execute(sa.update(table).where(where).values(deleted_at=now()))
    elif entry["action"] == "ändra" and entry["old_value"]:
        old = json.loads(entry["old_value"])
        conn.execute(sa.update(table).where(where).values(**_typed(table, old)))
    else:
        raise InputError("Den här ändringen kan inte ångras.")


def _typed(table: sa.Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """JSON values back to the column types (dates come back as text)."""
    out = {}
    for key, value in values.items():
        python_type = table.c[key].type.python_type
        if value is not None and python_type is date:
            value = date.fromisoformat(value)
        elif value is not None and python_type is datetime:
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


def _current(conn: sa.Connection, table: sa.Table, row_id: int, columns: Iterable[str]) -> dict[str, Any]:
    row = conn.execute(sa.select(*[table.c[c] for c in columns]).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise InputError("Posten finns inte längre. Ladda om sidan.")
    return dict(row)


def promise_touched(store: Store, promise_id: int) -> bool:
    """Whether anyone has changed the promise or anything under it in the app: a logged change to the
    promise, a focus area, a commitment, an activity or a comment of it (undone changes count too), or a
    comment at all."""
    ids = store.promise_tree_ids(promise_id)
    if ids["commitment_comment"]:
        return True
    log = T["audit_log"]
    entity_ids = {
        "löfte": [promise_id],
        "fokusområde": ids["focus_area"],
        "åtagande": ids["commitment"],
        "aktivitet": ids["activity"],
    }
    touched = sa.or_(*(sa.and_(log.c.entity == e, log.c.entity_id.in_(i)) for e, i in entity_ids.items() if i))
    with store.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(log).where(touched)) > 0


def history(store: Store, kommun_codes: Iterable[str], *, limit: int = 300) -> pd.DataFrame:
    """The latest audit rows for the kommuner, newest first."""
    log = T["audit_log"]
    query = sa.select(log).where(log.c.kommun_code.in_(list(kommun_codes))).order_by(log.c.id.desc()).limit(limit)
    with store.engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in log.columns])


def comments(store: Store, commitment_ids: Iterable[int]) -> pd.DataFrame:
    table = T["commitment_comment"]
    query = sa.select(table).where(table.c.commitment_id.in_(list(commitment_ids)))
    with store.engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])


def kommun_of(store: Store, entity: str, row_id: int) -> str:
    """The kommun a record belongs to (for the access check on every write)."""
    pr, fa, cm, ac, inc = (T[n] for n in ("promise", "focus_area", "commitment", "activity", "incident"))
    queries = {
        "löfte": sa.select(pr.c.kommun_code).where(pr.c.id == row_id),
        "fokusområde": sa.select(pr.c.kommun_code).join(fa, fa.c.promise_id == pr.c.id).where(fa.c.id == row_id),
        "åtagande": sa.select(pr.c.kommun_code)
        .join(fa, fa.c.promise_id == pr.c.id)
        .join(cm, cm.c.focus_area_id == fa.c.id)
        .where(cm.c.id == row_id),
        "aktivitet": sa.select(pr.c.kommun_code)
        .join(fa, fa.c.promise_id == pr.c.id)
        .join(cm, cm.c.focus_area_id == fa.c.id)
        .join(ac, ac.c.commitment_id == cm.c.id)
        .where(ac.c.id == row_id),
        "händelse": sa.select(inc.c.kommun_code).where(inc.c.id == row_id),
        "plats": sa.select(T["place"].c.kommun_code).where(T["place"].c.id == row_id),
        "beslut": sa.select(T["decision"].c.kommun_code).where(T["decision"].c.id == row_id),
    }
    with store.engine.connect() as conn:
        code = conn.scalar(queries[entity])
    if code is None:
        raise InputError(f"{entity.capitalize()} finns inte.")
    return code
