"""Promise follow-up rules (core): tertial tallies, status per commitment, follow-up table.

Statusregeln (svenska)
----------------------
Varje åtagande bedöms för ett år ``year`` på ett datum ``on``. Datumet kläms mot året:
före 1 januari har året inte börjat (inget förväntas ännu), 1 januari–31 december pågår
året, efter 31 december är året slut. Andel av året = dagar från 1 januari till och med
``on`` / antal dagar i året (366 ett skottår); 0 före året och 1 efter året.

- Utfall 0 när året är slut ger "ingen uppgift" för alla måltyper: ingen aktivitet är
  registrerad, och appen påstår inte att löftet brutits när källan bara saknar siffror.
- Antal (``minst N``, ``exakt N``): utfall >= N ger "uppnått" (för ``exakt`` säger
  noteringen "över målet" om utfallet är större än N). Annars: utfall 0 ger
  "ej påbörjad" så länge året inte är slut. Annars
  förväntat = N x andel av året; utfall >= förväntat ger "på väg", annars "efter plan"
  (pro rata till datumet). Före året är förväntat 0, så ett utfall > 0 är "på väg".
- ``genomfora`` (gjort / inte gjort): utfall >= 1 ger "uppnått"; annars "ej påbörjad" så
  länge året inte är slut.
- ``lopande`` (pågående, inget antal): medan året inte är slut ger utfall >= 1 "på väg"
  och 0 "ej påbörjad"; när året är slut ger utfall >= 1 "uppnått".
- ``minst``/``exakt`` utan antal bedöms som ``lopande``. Okänd måltyp, negativt utfall
  eller negativt målantal ger ValueError.

The status rule (English)
-------------------------
Each commitment is judged for a year ``year`` on a date ``on``. The date is clamped to the
year: before 1 January the year has not begun (nothing is expected yet), 1 January to
31 December the year is running, after 31 December the year is over. Elapsed share =
days from 1 January through ``on`` inclusive / days in the year (366 in a leap year);
0 before the year and 1 after it.

- A tally of 0 once the year is over is "ingen uppgift" for every target type: nothing was
  recorded, and the app does not claim a promise was broken when the source has no figures.
- Numeric (``minst N``, ``exakt N``): tally >= N is "uppnått" (for ``exakt`` the note says
  "över målet" when the tally is above N). Otherwise a tally of 0 is "ej påbörjad" while
  the year is not over. Otherwise expected = N x elapsed share;
  tally >= expected is "på väg", else "efter plan" (pro rata to the date). Before the year
  expected is 0, so any tally > 0 is "på väg".
- ``genomfora`` (done / not done): tally >= 1 is "uppnått"; else "ej påbörjad" while the
  year is not over.
- ``lopande`` (ongoing, no number): while the year is not over tally >= 1 is "på väg" and
  0 "ej påbörjad"; once it is over tally >= 1 is "uppnått".
- ``minst``/``exakt`` without a count are judged as ``lopande``. An unknown target type,
  a negative tally or a negative target count raises ValueError.

The comparison tally >= expected is done in integers (tally x days in year >= N x elapsed
days), so it is exact; notes show the expected figure rounded up, the smallest tally that
is on track.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Literal, Protocol

import pandas as pd

from lofte_data.formats import number

Status = Literal["uppnått", "på väg", "efter plan", "ej påbörjad", "ingen uppgift"]
Phase = Literal["before", "running", "over"]

STATUS_ORDER: tuple[Status, ...] = ("uppnått", "på väg", "efter plan", "ej påbörjad", "ingen uppgift")
TERTIALS = {1: "T1 jan–apr", 2: "T2 maj–aug", 3: "T3 sep–dec"}
TALLY_COLUMNS = ("T1", "T2", "T3", "ej_fordelat", "total")
OWNER_ORDER = ("Polisen", "Kommunen", "Gemensamt")
NUMERIC = ("minst", "exakt")
KNOWN_TYPES = ("minst", "exakt", "genomfora", "lopande")
TABLE_COLUMNS = (
    "commitment_id",
    "owner",
    "text",
    "target",
    *TALLY_COLUMNS,
    "progress",
    "status",
    "note",
)


class CommitmentLike(Protocol):
    """What ``follow_up_table`` reads of a commitment (models.Commitment fits)."""

    id: int | None
    text: str
    owner: str
    target_type: str
    target_count: int | None
    unit: str

    def target_text(self) -> str: ...


# -- tertials -------------------------------------------------------------------------


def tertial_of(d: date) -> int:
    """The tertial (1, 2 or 3) a date falls in: jan–apr, maj–aug, sep–dec."""
    return (d.month - 1) // 4 + 1


def tertial_bounds(year: int, tertial: int) -> tuple[date, date]:
    """First and last day of a tertial, both inclusive."""
    if tertial not in TERTIALS:
        raise ValueError(f"Tertial måste vara 1, 2 eller 3, inte {tertial!r}.")
    last_month = tertial * 4
    return date(year, last_month - 3, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def tertial_tallies(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Counts per commitment and tertial of ``year``, plus summary rows that span tertials.

    A row belongs to the year of its ``date`` (for a summary row: the end of its period).
    A summary row (``period_start`` set) whose period starts in another tertial, or another
    year, than it ends is counted in ``ej_fordelat``, never split; otherwise in its tertial.
    Rows with ``deleted_at`` set are ignored. One row per commitment, sorted by id.
    """
    rows = _live_rows_of_year(activities, year)
    if rows.empty:
        return _empty_tallies()
    column = _tally_column(rows["date"], rows["period_start"])
    table = rows.assign(column=column).pivot_table(
        index="commitment_id", columns="column", values="count", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=list(TALLY_COLUMNS[:-1]), fill_value=0).astype("int64")
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().astype({"commitment_id": "int64"})


def _live_rows_of_year(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """commitment_id, date, period_start and count of the non-deleted rows dated in ``year``."""
    if activities.empty:
        return pd.DataFrame(columns=["commitment_id", "date", "period_start", "count"])
    rows = activities
    if "deleted_at" in rows.columns:
        rows = rows[rows["deleted_at"].isna()]
    dates = pd.to_datetime(rows["date"])
    starts = pd.to_datetime(rows["period_start"]) if "period_start" in rows.columns else pd.NaT
    frame = pd.DataFrame(
        {"commitment_id": rows["commitment_id"], "date": dates, "period_start": starts, "count": rows["count"]}
    )
    return frame[(frame["date"].dt.year == year) & frame["commitment_id"].notna()]


def _tally_column(dates: pd.Series, starts: pd.Series) -> pd.Series:
    """ "T1".."T3" for the tertial of ``dates``; "ej_fordelat" where ``starts`` lies in another tertial."""
    end_key = dates.dt.year * 10 + (dates.dt.month - 1) // 4 + 1
    start_key = starts.dt.year * 10 + (starts.dt.month - 1) // 4 + 1
    spans = starts.notna() & (start_key != end_key)
    labels = "T" + ((dates.dt.month - 1) // 4 + 1).astype(str)
    return labels.where(~spans, "ej_fordelat")


def _empty_tallies() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="int64") for name in ("commitment_id", *TALLY_COLUMNS)})


# -- the status rule ----------------------------------------------------------------------


def _day(on: date) -> date:
    """A datetime (or pandas Timestamp) as its calendar date."""
    return on.date() if isinstance(on, datetime) else on


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def elapsed_days(*, year: int, on: date) -> int:
    """Days from 1 January through ``on`` inclusive, clamped to 0..days in the year."""
    on = _day(on)
    if on.year < year:
        return 0
    if on.year > year:
        return days_in_year(year)
    return on.timetuple().tm_yday


def phase(*, year: int, on: date) -> Phase:
    """Whether ``on`` is before ``year``, inside it, or after it (the year is over)."""
    on = _day(on)
    if on.year < year:
        return "before"
    return "over" if on.year > year else "running"


def expected_by(target_count: int, *, year: int, on: date) -> float:
    """The pro-rata figure: target x elapsed share of the year (0 before it, the target after it)."""
    return target_count * elapsed_days(year=year, on=on) / days_in_year(year)


def _needed_by(target_count: int, *, year: int, on: date) -> int:
    """The smallest whole tally that is on track: ``expected_by`` rounded up, in exact integers."""
    return -(-target_count * elapsed_days(year=year, on=on) // days_in_year(year))


def _judged_type(target_type: str, target_count: int | None, tally: int) -> str:
    """Validate the inputs; numeric targets without a count are judged as "lopande"."""
    if target_type not in KNOWN_TYPES:
        raise ValueError(f"Okänd måltyp: {target_type!r}.")
    if tally < 0:
        raise ValueError(f"Utfallet kan inte vara negativt: {tally}.")
    if target_count is not None and target_count < 0:
        raise ValueError(f"Målantalet kan inte vara negativt: {target_count}.")
    if target_type in NUMERIC and target_count is None:
        return "lopande"
    return target_type


def status(target_type: str, target_count: int | None, tally: int, *, year: int, on: date) -> Status:
    """The commitment's status on ``on`` under the rule in the module docstring."""
    kind = _judged_type(target_type, target_count, tally)
    over = phase(year=year, on=on) == "over"
    if kind == "lopande":
        if tally >= 1:
            return "uppnått" if over else "på väg"
        return "ingen uppgift" if over else "ej påbörjad"
    goal = 1 if kind == "genomfora" else target_count
    if tally >= goal:
        return "uppnått"
    if tally == 0:
        return "ingen uppgift" if over else "ej påbörjad"
    on_track = tally >= _needed_by(goal, year=year, on=on)
    return "på väg" if on_track else "efter plan"


def status_note(target_type: str, target_count: int | None, tally: int, *, year: int, on: date) -> str:
    """A short Swedish explanation of the status: "14 av minst 20; väntat hittills 11"."""
    kind = _judged_type(target_type, target_count, tally)
    when = phase(year=year, on=on)
    if kind == "lopande":
        done = f"{number(tally)} {'genomförd' if tally == 1 else 'genomförda'}"
        return f"{done} ({'löpande' if target_type == 'lopande' else 'inget antal angivet'})"
    if kind == "genomfora":
        if tally >= 1:
            return "genomfört"
        return "inga aktiviteter registrerade" if when == "over" else "inte genomfört ännu"
    return _numeric_note(kind, target_count, tally, year=year, on=on)


def _numeric_note(kind: str, target_count: int, tally: int, *, year: int, on: date) -> str:
    head = f"{number(tally)} av {kind} {number(target_count)}"
    if tally > target_count and kind == "exakt":
        return f"{head}: över målet"
    if tally >= target_count:
        return head
    when = phase(year=year, on=on)
    if when == "before":
        return f"{head}; året har inte börjat"
    if when == "over":
        return f"{head}; inga aktiviteter registrerade" if tally == 0 else f"{head}; året är slut"
    return f"{head}; väntat hittills {number(_needed_by(target_count, year=year, on=on))}"


def progress(target_type: str, target_count: int | None, tally: int) -> float | None:
    """Share done for a progress bar, 0..1 (capped); None for löpande and numeric without count."""
    kind = _judged_type(target_type, target_count, tally)
    if kind == "lopande":
        return None
    if kind == "genomfora":
        return 1.0 if tally >= 1 else 0.0
    if target_count == 0:
        return 1.0
    return min(tally / target_count, 1.0)


# -- table and summary --------------------------------------------------------------------


def _owner_rank(owner: str) -> int:
    return OWNER_ORDER.index(owner) if owner in OWNER_ORDER else len(OWNER_ORDER)


def _tallies_by_id(tallies: pd.DataFrame) -> dict[int, dict[str, int]]:
    records = tallies.to_dict("records")
    return {int(r["commitment_id"]): {name: int(r[name]) for name in TALLY_COLUMNS} for r in records}


def follow_up_row(commitment: CommitmentLike, counts: dict[str, int], *, year: int, on: date) -> dict:
    """One row of the follow-up table for a commitment with its tertial counts."""
    rule = (commitment.target_type, commitment.target_count, counts["total"])
    return {
        "commitment_id": commitment.id,
        "owner": commitment.owner,
        "text": commitment.text,
        "target": commitment.target_text(),
        **counts,
        "progress": progress(*rule),
        "status": status(*rule, year=year, on=on),
        "note": status_note(*rule, year=year, on=on),
    }


def follow_up_table(
    commitments: Sequence[CommitmentLike], activities: pd.DataFrame, *, year: int, on: date
) -> pd.DataFrame:
    """Targets, tertial tallies, progress and status per commitment, grouped Polisen, Kommunen,
    Gemensamt (unknown owners last), keeping the given order inside an owner."""
    tallies = _tallies_by_id(tertial_tallies(activities, year))
    zero = dict.fromkeys(TALLY_COLUMNS, 0)
    ordered = sorted(commitments, key=lambda c: _owner_rank(c.owner))
    rows = [follow_up_row(c, tallies.get(c.id, zero), year=year, on=on) for c in ordered]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def summary(statuses: Iterable[str]) -> dict[str, int]:
    """How many commitments have each status, every key of ``STATUS_ORDER``."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for value in statuses:
        if value not in counts:
            raise ValueError(f"Okänd status: {value!r}.")
        counts[value] += 1
    return counts
