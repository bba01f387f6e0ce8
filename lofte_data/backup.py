"""Backup and restore (storage): every table as JSON, the same file for SQLite and PostgreSQL.

The file holds the schema version and, per table, its columns and rows (ordered by primary key). Values are
plain JSON: dates as ``YYYY-MM-DD``, timestamps as ISO text in UTC without an offset (how SQLite keeps them),
so a backup taken on one database restores exactly on the other. A restore replaces every table in ONE
transaction: the whole file or nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from lofte_data.errors import InputError
from lofte_data.migrations import current_metadata
from lofte_data.storage import Store, now

FORMAT = "lofte-backup"
VERSION = 1
INSERT_CHUNK = 500


def _tables() -> list[sa.Table]:
    """Every table of the schema, parents before children (the order rows can be inserted in)."""
    return list(current_metadata().sorted_tables)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _typed(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.python_type
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if getattr(column.type, "timezone", False) else parsed
    if kind is date:
        return date.fromisoformat(value)
    return value


def dump(store: Store) -> dict[str, dict[str, list]]:
    """Every table's columns and rows, as plain JSON values ordered by primary key."""
    result: dict[str, dict[str, list]] = {}
    with store.engine.connect() as conn:
        for table in _tables():
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(sa.select(table).order_by(*order)).all()
            result[table.name] = {
                "columns": [c.name for c in table.columns],
                "rows": [[_plain(v) for v in row] for row in rows],
            }
    return result


def backup(store: Store) -> bytes:
    """The backup file's bytes (UTF-8 JSON)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema": store.schema_version(),
        "created_at": now().isoformat(),
        "tables": dump(store),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _document(data: bytes, schema: int) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError("Filen är ingen säkerhetskopia från appen (inte giltig JSON).") from exc
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not isinstance(document.get("tables"), dict)
    ):
        raise InputError("Filen är ingen säkerhetskopia från appen (formatet lofte-backup saknas).")
    if not isinstance(document.get("schema"), int) or document["schema"] > schema:
        raise InputError(
            f"Säkerhetskopian är från en nyare version av appen (schema {document.get('schema')}, databasen har "
            f"{schema}). Uppgradera appen innan du återställer. Inget ändrades."
        )
    return document


def _rows(table: sa.Table, part: Any) -> list[dict[str, Any]]:
    """The file's rows of one table as typed dicts; refuses columns the table does not have."""
    if (
        not isinstance(part, dict)
        or not isinstance(part.get("columns"), list)
        or not isinstance(part.get("rows"), list)
    ):
        raise InputError(f"Tabellen {table.name} i säkerhetskopian är skadad.")
    unknown = [name for name in part["columns"] if name not in table.c]
    if unknown:
        raise InputError(f"Tabellen {table.name} i säkerhetskopian har okända kolumner: {', '.join(unknown[:5])}.")
    columns = [table.c[name] for name in part["columns"]]
    rows = []
    for row in part["rows"]:
        if not isinstance(row, list) or len(row) != len(columns):
            raise InputError(f"En rad i tabellen {table.name} i säkerhetskopian är skadad.")
        try:
            rows.append({c.name: _typed(c, v) for c, v in zip(columns, row, strict=True)})
        except (TypeError, ValueError) as exc:
            raise InputError(f"Ett datum i tabellen {table.name} i säkerhetskopian är skadat.") from exc
    return rows


def restore(store: Store, data: bytes) -> dict[str, int]:
    """Replace every table with the backup's rows, in one transaction; returns rows per table.

    A file from a newer schema is refused; one from an older schema restores its columns (newer columns get
    their defaults). Any error leaves the database exactly as it was."""
    document = _document(data, store.schema_version())
    tables = _tables()
    unknown = set(document["tables"]) - {t.name for t in tables}
    if unknown:
        raise InputError(f"Säkerhetskopian har okända tabeller: {', '.join(sorted(unknown)[:5])}.")
    parsed = {t.name: _rows(t, document["tables"][t.name]) for t in tables if t.name in document["tables"]}
    counts: dict[str, int] = {}
    with store.transaction() as conn:
        for table in reversed(tables):
            conn.execute(sa.delete(table))
        for table in tables:
            rows = parsed.get(table.name, [])
            for start in range(0, len(rows), INSERT_CHUNK):
                conn.execute(sa.insert(table), rows[start : start + INSERT_CHUNK])
            counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            reset_sequences(conn, tables)
    return counts


def reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: the next id of every table continues after the restored ones."""
    for table in tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                    f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
                )
            )
