"""Editing (core): validate what an editor entered, check access, write with an audit row.

Every function takes the signed-in ``Editor``; the access check is repeated here on every write,
whatever the page showed. Errors are ``InputError`` / ``AccessError`` with a Swedish message
saying what to fix; nothing is written when one is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from lofte_data import audit
from lofte_data.access import Editor
from lofte_data.audit import Entity
from lofte_data.checks import LAST_YEAR, MAX_COUNT, TEXT_LIMITS, checked_text, is_year
from lofte_data.crime_types import BY_CODE
from lofte_data.errors import InputError
from lofte_data.followup import tertial_of
from lofte_data.models import OWNERS, TARGET_TYPES
from lofte_data.storage import Store, now

# The pages read editing.LIMITS and editing.MAX_COUNT for max_chars / max_value: the same objects as in checks.
LIMITS = TEXT_LIMITS
FIRST_PROMISE_YEAR = 2000


def check_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InputError(f"Antal måste vara ett heltal, inte {value!r}.")
    if not 0 <= int(value) <= MAX_COUNT:
        raise InputError(f"Antal måste vara mellan 0 och {MAX_COUNT}.")
    return int(value)


def check_date_in_year(day: date, year: int) -> date:
    if not isinstance(day, date) or day.year != year:
        raise InputError(f"Datumet {day} ligger utanför löftets år {year}. Välj ett datum under {year}.")
    return day


def _commitment(store: Store, editor: Editor, commitment_id: int) -> tuple[str, int]:
    context = store.commitment_context(commitment_id)
    if context is None:
        raise InputError("Åtagandet finns inte (det kan ha tagits bort). Ladda om sidan.")
    editor.require(context[0])
    return context


def activity_values(commitment_id: int, *, on: date, count: Any, place: str, note: str, who: str) -> dict:
    return {
        "commitment_id": commitment_id,
        "date": on,
        "count": check_count(count),
        "place": checked_text(place, field="plats"),
        "note": checked_text(note, field="anteckning"),
        "reported_by": who,
        "created_at": now(),
    }


def log_activity(
    store: Store, editor: Editor, *, commitment_id: int, on: date, count: Any, place: str = "", note: str = ""
) -> int:
    """Record work done toward a commitment."""
    kommun_code, year = _commitment(store, editor, commitment_id)
    check_date_in_year(on, year)
    refuse_frozen(store, kommun_code, year, [tertial_of(on)])
    values = activity_values(commitment_id, on=on, count=count, place=place, note=note, who=editor.name)
    return audit.insert(
        store,
        Entity.ACTIVITY,
        values,
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"Aktivitet {on}: {values['count']} st",
    )


def import_activities(store: Store, editor: Editor, rows: Iterable[Mapping[str, Any]]) -> int:
    """Rows already parsed (commitment_id, date, count, place, note, reported_by): all or nothing."""
    values, kommuner = [], set()
    for number, row in enumerate(rows, start=1):
        try:
            kommun_code, year = _commitment(store, editor, int(row["commitment_id"]))
            check_date_in_year(row["date"], year)
            refuse_frozen(store, kommun_code, year, [tertial_of(row["date"])])
            who = checked_text(row.get("reported_by"), field="namn") or editor.name
            values.append(
                activity_values(
                    int(row["commitment_id"]),
                    on=row["date"],
                    count=row["count"],
                    place=row.get("place", ""),
                    note=row.get("note", ""),
                    who=who,
                )
            )
        except InputError as exc:
            raise InputError(f"Rad {number + 1}: {exc} Inget importerades.") from exc
        kommuner.add(kommun_code)
    if len(kommuner) > 1:
        raise InputError("Filen blandar åtaganden från flera kommuner. Importera en kommun i taget.")
    if not values:
        raise InputError("Filen innehöll inga aktiviteter att importera.")
    audit.insert_many(
        store, Entity.ACTIVITY, values, actor=editor.name, kommun_code=kommuner.pop(), summary="Import av aktiviteter"
    )
    return len(values)


def set_comment(store: Store, editor: Editor, *, commitment_id: int, tertial: int, text: str) -> None:
    kommun_code, year = _commitment(store, editor, commitment_id)
    if tertial not in (1, 2, 3):
        raise InputError("Tertial måste vara 1, 2 eller 3.")
    refuse_frozen(store, kommun_code, year, [tertial])
    text = checked_text(text, field="anteckning")
    audit.set_comment(store, commitment_id, tertial, text, actor=editor.name, kommun_code=kommun_code)


def create_promise(
    store: Store,
    editor: Editor,
    *,
    kommun_code: str,
    year: int,
    title: str,
    summary: str = "",
    signed_date: date | None = None,
) -> int:
    if store.kommun(kommun_code) is None:
        raise InputError(f"Okänd kommunkod {kommun_code!r}. Ange en fyrsiffrig kod, t.ex. 1960.")
    editor.require(kommun_code)
    if not is_year(year, first=FIRST_PROMISE_YEAR):
        raise InputError(f"Året måste ligga mellan {FIRST_PROMISE_YEAR} och {LAST_YEAR}.")
    if year in store.promise_years(kommun_code):
        raise InputError(f"Det finns redan ett medborgarlöfte för {year}. Redigera det i stället.")
    values: dict[str, Any] = {
        "kommun_code": kommun_code,
        "year": int(year),
        "title": checked_text(title, field="namn", required=True),
        "summary": checked_text(summary, field="beskrivning"),
        "signed_date": signed_date,
        "signatories": "",
    }
    deleted = store.promise_id(kommun_code, year)  # a deleted (or undone) promise of the same year
    if deleted is not None:
        return audit.recreate_promise(store, deleted, values, actor=editor.name, kommun_code=kommun_code)
    return audit.insert(
        store, Entity.PROMISE, values, actor=editor.name, kommun_code=kommun_code, summary=f"Löfte {year}"
    )


def add_focus_area(
    store: Store,
    editor: Editor,
    *,
    promise_id: int,
    name: str,
    description: str = "",
    cause_analysis: str = "",
    crime_types: Iterable[str] = (),
) -> int:
    promise = store.promise_by_id(promise_id)
    if promise is None:
        raise InputError("Löftet finns inte. Ladda om sidan.")
    editor.require(promise.kommun_code)
    unknown = [t for t in crime_types if t not in BY_CODE]
    if unknown:
        raise InputError(f"Okända brottstyper: {', '.join(unknown)}.")
    values = {
        "promise_id": promise_id,
        "position": store.next_position("focus_area", "promise_id", promise_id),
        "name": checked_text(name, field="namn", required=True),
        "description": checked_text(description, field="beskrivning"),
        "cause_analysis": checked_text(cause_analysis, field="beskrivning"),
        "crime_types": ",".join(crime_types),
    }
    return audit.insert(
        store,
        Entity.FOCUS_AREA,
        values,
        actor=editor.name,
        kommun_code=promise.kommun_code,
        summary=f"Fokusområde: {values['name']}",
    )


def commitment_values(*, text: str, owner: str, target_type: str, target_count: Any, unit: str) -> dict:
    if owner not in OWNERS:
        raise InputError(f"Ansvarig måste vara en av {', '.join(OWNERS)}.")
    if target_type not in TARGET_TYPES:
        raise InputError("Okänd måltyp.")
    numeric = target_type in ("minst", "exakt")
    if numeric and (target_count is None or check_count(target_count) < 1):
        raise InputError("Måltypen minst/exakt behöver ett antal som är 1 eller större.")
    return {
        "text": checked_text(text, field="text", required=True),
        "owner": owner,
        "target_type": target_type,
        "target_count": int(target_count) if numeric else None,
        "unit": checked_text(unit, field="enhet"),
    }


def add_commitment(store: Store, editor: Editor, *, focus_area_id: int, promise_id: int, **fields: Any) -> int:
    promise = store.promise_by_id(promise_id)
    area = next((a for a in promise.focus_areas if a.id == focus_area_id), None) if promise else None
    if promise is None or area is None:
        raise InputError("Fokusområdet finns inte. Ladda om sidan.")
    editor.require(promise.kommun_code)
    position = store.next_position("commitment", "focus_area_id", focus_area_id)
    values = commitment_values(**fields) | {"focus_area_id": focus_area_id, "position": position}
    return audit.insert(
        store,
        Entity.COMMITMENT,
        values,
        actor=editor.name,
        kommun_code=promise.kommun_code,
        summary=f"Åtagande: {values['text'][:80]}",
    )


def update_commitment(store: Store, editor: Editor, *, commitment_id: int, **fields: Any) -> None:
    kommun_code, _ = _commitment(store, editor, commitment_id)
    audit.update(
        store,
        Entity.COMMITMENT,
        commitment_id,
        commitment_values(**fields),
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"Ändrat åtagande: {fields.get('text', '')[:80]}",
    )


def _kommun_for_write(store: Store, editor: Editor, entity: Entity, row_id: int) -> str:
    """The kommun of an existing record, once the editor is known to be allowed to change it."""
    kommun_code = audit.kommun_of(store, entity, row_id)
    editor.require(kommun_code)
    return kommun_code


def _audited_update(
    store: Store, editor: Editor, entity: Entity, row_id: int, values: Mapping[str, Any], *, summary: str
) -> None:
    """The one path for changing an existing record: its kommun, the access check, the write and its audit row."""
    kommun_code = _kommun_for_write(store, editor, entity, row_id)
    audit.update(store, entity, row_id, values, actor=editor.name, kommun_code=kommun_code, summary=summary)


def delete(store: Store, editor: Editor, entity: Entity | str, row_id: int) -> None:
    """Soft delete of a record the editor may change."""
    try:
        entity = Entity(entity)  # the Swedish word (a page's older call) names the same entity
    except ValueError as exc:
        raise InputError(f"Okänd sorts post: {str(entity)[:40]!r}.") from exc
    if not entity.deletable:
        raise InputError(f"{entity.capitalize()} kan inte tas bort. Ändra texten i stället.")
    kommun_code = _kommun_for_write(store, editor, entity, row_id)
    refuse_frozen_record(store, entity, row_id)
    audit.delete(
        store, entity, row_id, actor=editor.name, kommun_code=kommun_code, summary=f"Tog bort {entity} {row_id}"
    )


def undo(store: Store, editor: Editor, audit_id: int) -> str:
    with store.atomic() as tx:
        entry = tx.row("audit_log", audit_id, ["entity", "entity_id"])
    if entry is not None and entry["entity"] in (Entity.ACTIVITY, Entity.COMMENT):
        refuse_frozen_record(store, Entity(entry["entity"]), entry["entity_id"])
    return audit.undo(store, audit_id, actor=editor.name, kommun_codes=editor.audit_codes)


def check_coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    """Coordinates inside Sweden (WGS 84), else a Swedish message."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as exc:
        raise InputError("Koordinaterna måste vara tal, t.ex. 59.4226 och 16.0970.") from exc
    if not (55.0 <= lat_f <= 69.1 and 10.9 <= lon_f <= 24.2):
        raise InputError(
            f"Koordinaterna {lat_f}, {lon_f} ligger inte i Sverige. Ange latitud 55–69 och longitud 11–24."
        )
    return lat_f, lon_f


def add_place(store: Store, editor: Editor, *, kommun_code: str, name: str, lat: Any, lon: Any) -> int:
    """A named place of the kommun that incident reports can refer to."""
    editor.require(kommun_code)
    lat_f, lon_f = check_coordinates(lat, lon)
    values = {
        "kommun_code": kommun_code,
        "name": checked_text(name, field="plats", required=True),
        "lat": lat_f,
        "lon": lon_f,
    }
    if values["name"] in set(store.places(kommun_code)["name"]):
        raise InputError(f"Platsen {values['name']!r} finns redan.")
    return audit.insert(
        store, Entity.PLACE, values, actor=editor.name, kommun_code=kommun_code, summary=f"Plats: {values['name']}"
    )


def add_incident(
    store: Store,
    editor: Editor,
    *,
    kommun_code: str,
    occurred_at: datetime,
    category: str,
    place: str = "",
    lat: Any = None,
    lon: Any = None,
    description: str = "",
) -> int:
    """An incident reported by the kommun's own reporters (EST categories)."""
    from lofte_data.incidents import EST_CATEGORIES

    if store.kommun(kommun_code) is None:
        raise InputError(f"Okänd kommunkod {kommun_code!r}.")
    editor.require(kommun_code)
    if category not in EST_CATEGORIES:
        raise InputError(f"Välj en kategori: {', '.join(EST_CATEGORIES)}.")
    if not isinstance(occurred_at, datetime) or occurred_at > datetime.now() + timedelta(hours=1):
        raise InputError("Tidpunkten kan inte ligga i framtiden.")
    if not is_year(occurred_at.year):
        raise InputError("Ange en tidpunkt från de år som appen följer, t.ex. 2025-03-12 18:30.")
    coordinates = (None, None) if lat in (None, "") and lon in (None, "") else check_coordinates(lat, lon)
    values = {
        "kommun_code": kommun_code,
        "occurred_at": occurred_at.replace(tzinfo=None),
        "category": category,
        "origin": "egen",
        "external_id": None,
        "place": checked_text(place, field="plats"),
        "lat": coordinates[0],
        "lon": coordinates[1],
        "description": checked_text(description, field="anteckning"),
        "reported_by": editor.name,
        "created_at": now(),
        "url": None,
    }
    return audit.insert(
        store,
        Entity.INCIDENT,
        values,
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"Händelse: {category} {occurred_at:%Y-%m-%d %H:%M}",
    )


class DecisionKind(StrEnum):
    """A meeting's decision or action; the value is what ``decision.kind`` stores and the page shows."""

    DECISION = "beslut"
    ACTION = "åtgärd"


DECISION_KINDS = tuple(DecisionKind)


def add_decision(
    store: Store,
    editor: Editor,
    *,
    kommun_code: str,
    meeting_date: date,
    kind: DecisionKind,
    text: str,
    owner: str = "",
    due: date | None = None,
) -> int:
    """A decision or an action (what, who, by when) recorded during a meeting."""
    editor.require(kommun_code)
    if kind not in DECISION_KINDS:
        raise InputError("Välj beslut eller åtgärd.")
    kind = DecisionKind(kind)
    if kind is DecisionKind.ACTION and not (owner or "").strip():
        raise InputError("En åtgärd behöver en ansvarig: skriv vem som gör den.")
    for day in (meeting_date, due):
        if day is not None and (not isinstance(day, date) or not is_year(day.year)):
            raise InputError("Ange datum från de år som appen följer, t.ex. 2025-03-12.")
    if due is not None and due < meeting_date:
        raise InputError("Klart senast kan inte ligga före mötesdagen.")
    values: dict[str, Any] = {
        "kommun_code": kommun_code,
        "meeting_date": meeting_date,
        "kind": kind.value,
        "text": checked_text(text, field="text", required=True),
        "owner": checked_text(owner, field="namn"),
        "due": due,
        "done_at": None,
        "created_by": editor.name,
        "created_at": now(),
    }
    return audit.insert(
        store,
        Entity.DECISION,
        values,
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"{kind.capitalize()}: {values['text'][:80]}",
    )


def close_action(store: Store, editor: Editor, *, decision_id: int, done: date) -> None:
    """Mark an action as done."""
    _audited_update(
        store, editor, Entity.DECISION, decision_id, {"done_at": done}, summary=f"Åtgärd {decision_id} klar"
    )


def update_promise(
    store: Store,
    editor: Editor,
    *,
    promise_id: int,
    title: str,
    summary: str = "",
    signed_date: date | None = None,
    signatories: Iterable[str] = (),
) -> None:
    """Change the promise's own fields (title, summary, signed date, signatories)."""
    names = [checked_text(name, field="namn") for name in signatories]
    values = {
        "title": checked_text(title, field="namn", required=True),
        "summary": checked_text(summary, field="beskrivning"),
        "signed_date": signed_date,
        "signatories": "\n".join(n for n in names if n),
    }
    _audited_update(store, editor, Entity.PROMISE, promise_id, values, summary=f"Ändrat löfte: {values['title']}")


def update_focus_area(
    store: Store,
    editor: Editor,
    *,
    focus_area_id: int,
    name: str,
    description: str = "",
    cause_analysis: str = "",
    crime_types: Iterable[str] = (),
) -> None:
    """Change a focus area's name, description, cause analysis and linked crime types."""
    unknown = [t for t in crime_types if t not in BY_CODE]
    if unknown:
        raise InputError(f"Okända brottstyper: {', '.join(unknown)}.")
    values = {
        "name": checked_text(name, field="namn", required=True),
        "description": checked_text(description, field="beskrivning"),
        "cause_analysis": checked_text(cause_analysis, field="beskrivning"),
        "crime_types": ",".join(crime_types),
    }
    summary = f"Ändrat fokusområde: {values['name']}"
    _audited_update(store, editor, Entity.FOCUS_AREA, focus_area_id, values, summary=summary)


def set_published(store: Store, editor: Editor, *, promise_id: int, published: bool) -> None:
    """Show the promise and its follow-up on the public page (Allmänhet), or take it down again."""
    if not isinstance(published, bool):
        raise InputError("Publicering måste vara ja eller nej.")
    summary = "Publicerade löftet för allmänheten" if published else "Tog ned löftet från allmänhetens sida"
    _audited_update(store, editor, Entity.PROMISE, promise_id, {"published": published}, summary=summary)


def update_plan_texts(store: Store, editor: Editor, *, promise_id: int, plan_summary: str, plan_analysis: str) -> None:
    """The prose of the lägesbild and åtgärdsplan document that only the kommun can write."""
    values = {
        "plan_summary": checked_text(plan_summary, field="lägesbildstext"),
        "plan_analysis": checked_text(plan_analysis, field="lägesbildstext"),
    }
    summary = "Ändrat sammanfattning och analys för lägesbilden"
    _audited_update(store, editor, Entity.PROMISE, promise_id, values, summary=summary)


# -- frozen tertials are read-only (see signoff.py) ---------------------------------------------------------------


def refuse_frozen(store: Store, kommun_code: str, year: int, tertials: Iterable[int]) -> None:
    """InputError when one of ``tertials`` of the kommun's promise for ``year`` is frozen."""
    frozen = sorted(store.frozen_kommun_tertials(kommun_code, year) & set(tertials))
    if frozen:
        raise InputError(
            f"Tertial {frozen[0]} {year} är fryst: uppföljningen är låst och kan inte ändras. "
            "Välj ett datum i ett öppet tertial, eller lås upp tertialet under Tertialuppföljning (båda parter)."
        )


def refuse_frozen_record(store: Store, entity: Entity, row_id: int) -> None:
    """InputError when an activity or a comment lies in a frozen tertial of its promise."""
    if entity not in (Entity.ACTIVITY, Entity.COMMENT):
        return
    with store.atomic() as tx:
        row = tx.row(entity.table, row_id)
    if row is None:
        return
    context = store.commitment_context(row["commitment_id"])
    if context is None:
        return
    tertial = tertial_of(row["date"]) if entity is Entity.ACTIVITY else int(row["tertial"])
    refuse_frozen(store, context[0], context[1], [tertial])


# -- notes on the charts (annotation) -------------------------------------------------------------------------------


def add_annotation(
    store: Store,
    editor: Editor,
    *,
    kommun_code: str,
    day: date,
    text: str,
    month_only: bool = False,
    crime_type: str | None = None,
    focus_area_id: int | None = None,
) -> int:
    """A short note pinned to a day (or, with ``month_only``, its month) of a kommun, optionally to one crime
    type or one focus area of the kommun; every chart that covers it shows a marker and a footnote."""
    if store.kommun(kommun_code) is None:
        raise InputError(f"Okänd kommunkod {kommun_code!r}.")
    editor.require(kommun_code)
    if isinstance(day, datetime) or not isinstance(day, date) or not is_year(day.year):
        raise InputError("Ange ett datum, t.ex. 2023-03-12.")
    if crime_type and crime_type not in BY_CODE:
        raise InputError(f"Okänd brottstyp {crime_type!r}.")
    if focus_area_id is not None and store.kommun_of("focus_area", focus_area_id) != kommun_code:
        raise InputError("Fokusområdet finns inte för kommunen. Ladda om sidan.")
    note = checked_text(text, field="notering", required=True)
    values: dict[str, Any] = {
        "kommun_code": kommun_code,
        "day": day.replace(day=1) if month_only else day,
        "month_only": bool(month_only),
        "crime_type": crime_type or None,
        "focus_area_id": focus_area_id,
        "text": note,
        "created_by": editor.name,
        "created_at": now(),
    }
    return audit.insert(
        store,
        Entity.ANNOTATION,
        values,
        actor=editor.name,
        kommun_code=kommun_code,
        summary=f"Notering {values['day']}: {note[:80]}",
    )


def delete_annotation(store: Store, editor: Editor, annotation_id: int) -> None:
    """Soft delete of a note on the charts (undo under Historik)."""
    delete(store, editor, Entity.ANNOTATION, annotation_id)
