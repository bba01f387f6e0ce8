"""Promise follow-up rules (core): tertial tallies, status per commitment, follow-up table.

Every surface (the Medborgarlöften page, the meeting slides, the tertial PDF and the CSV export) gets its
statuses from ``follow_up_table`` with a date from ``assessment_date``, so the same commitment on the same
date has the same status everywhere.

Statusregeln (svenska)
----------------------
Bedömningsdatum (``assessment_date``): sidan, mötesbilderna och CSV-filen bedömer ett år på dagens datum
medan året pågår och på 31 december när året är slut. Tertialrapporten (PDF) för tertial T bedömer på
tertialets sista dag, eller på dagens datum om tertialet pågår; rapporten för T3 ett avslutat år bedöms alltså
31 december, samma datum som sidan. Aktiviteter daterade efter bedömningsdatumet räknas inte.

Varje åtagande bedöms för ett år ``year`` på ett datum ``on``. Datumet kläms mot året:
före 1 januari har året inte börjat (inget förväntas ännu), 1 januari–30 december pågår
året, från och med 31 december är året slut (hela året har gått). Andel av året = dagar från
1 januari till och med ``on`` / antal dagar i året (366 ett skottår); 0 före året och 1 efter året.

En aktivitet har antingen ett antal, eller är registrerad som "genomfört, antal saknas" (källan säger att
något gjorts men inte hur många gånger). Utfall = summan av angivna antal; aktiviteter utan antal räknas
separat och lägger aldrig till något påhittat tal.

- Inget registrerat alls (utfall 0, ingen aktivitet utan antal) när året är slut ger "ingen uppgift"
  för alla måltyper: appen påstår inte att löftet brutits när källan bara saknar uppgifter.
- Antal (``minst N``, ``exakt N``): utfall >= N ger "uppnått" (för ``exakt`` säger
  noteringen "över målet" om utfallet är större än N). Annars: förväntat = N x andel av året;
  utfall > 0 och >= förväntat ger "på väg" (pro rata till datumet). Annars, om något är genomfört
  utan antal: "genomfört, antal saknas" (det går inte att säga om målet nåtts). Annars ger utfall 0
  "ej påbörjad" så länge året inte är slut, och ett utfall under förväntat "efter plan".
- ``genomfora`` (gjort / inte gjort): utfall >= 1 eller en aktivitet utan antal ger "uppnått";
  annars "ej påbörjad" så länge året inte är slut.
- ``lopande`` (pågående, inget antal): utfall >= 1 ger "på väg" medan året pågår och "uppnått" när
  det är slut. Utfall 0 men genomfört utan antal ger "genomfört, antal saknas". Inget alls ger
  "ej påbörjad" medan året pågår.
- ``minst``/``exakt`` utan antal bedöms som ``lopande``. Okänd måltyp, negativt utfall
  eller negativt målantal ger ValueError.

The status rule (English)
-------------------------
Assessment date (``assessment_date``): the page, the meeting slides and the CSV judge a year on today's date
while it runs and on 31 December once it is over. The tertial report (PDF) of tertial T judges on the last
day of T, or today when T is still running; the T3 report of a finished year is therefore judged on
31 December, the same date as the page. Activities dated after the assessment date are not counted.

Each commitment is judged for a year ``year`` on a date ``on``. The date is clamped to the
year: before 1 January the year has not begun (nothing is expected yet), 1 January to
30 December the year is running, from 31 December on the year is over (all of it has elapsed).
Elapsed share = days from 1 January through ``on`` inclusive / days in the year (366 in a leap
year); 0 before the year and 1 after it.

An activity either has a count or is recorded as "genomfört, antal saknas" (done, count not stated: the
source says something was done but not how many times). The tally is the sum of stated counts; activities
without a count are tracked separately and never add an invented number.

- Nothing recorded at all (tally 0, no uncounted activity) once the year is over is "ingen uppgift"
  for every target type: the app does not claim a promise was broken when the source has no figures.
- Numeric (``minst N``, ``exakt N``): tally >= N is "uppnått" (for ``exakt`` the note says
  "över målet" when the tally is above N). Otherwise expected = N x elapsed share; tally > 0 and
  >= expected is "på väg" (pro rata to the date). Otherwise, if something was done without a count:
  "genomfört, antal saknas" (whether the target is met cannot be told). Otherwise a tally of 0 is
  "ej påbörjad" while the year is not over, and a tally below expected "efter plan".
- ``genomfora`` (done / not done): tally >= 1 or an uncounted activity is "uppnått"; else
  "ej påbörjad" while the year is not over.
- ``lopande`` (ongoing, no number): tally >= 1 is "på väg" while the year runs and "uppnått" once
  it is over. Tally 0 but done without a count is "genomfört, antal saknas". Nothing at all is
  "ej påbörjad" while the year runs.
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

Status = Literal["uppnått", "på väg", "genomfört, antal saknas", "efter plan", "ej påbörjad", "ingen uppgift"]
Phase = Literal["before", "running", "over"]

DONE_UNCOUNTED: Status = "genomfört, antal saknas"
STATUS_ORDER: tuple[Status, ...] = (
    "uppnått",
    "på väg",
    DONE_UNCOUNTED,
    "efter plan",
    "ej påbörjad",
    "ingen uppgift",
)
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
    "uncounted",
    "progress",
    "status",
    "note",
)
NO_COUNT_NOTE = "genomfört, antalet anges inte"
# What "uppnått" means, in every legend: an ongoing commitment has no number to reach (README, Statusregeln).
ACHIEVED_HELP = "Uppnått: målet är nått, eller för ett löpande åtagande: arbete är redovisat och året är slut."


class CommitmentLike(Protocol):
    """What ``follow_up_table`` reads of a commitment (models.Commitment fits)."""

    @property
    def id(self) -> int | None: ...
    @property
    def text(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_count(self) -> int | None: ...
    @property
    def unit(self) -> str: ...

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


def assessment_date(year: int, today: date, *, tertial: int | None = None) -> date:
    """The day a year (or, for the tertial report, a tertial) is judged on: today while it runs, else its
    last day. A year that has not begun is judged on today (its phase is "before")."""
    last = date(year, 12, 31) if tertial is None else tertial_bounds(year, tertial)[1]
    return min(_day(today), last)


def tertial_tallies(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Counts per commitment and tertial of ``year``, plus summary rows that span tertials.

    A row belongs to the year of its ``date`` (for a summary row: the end of its period).
    A summary row (``period_start`` set) whose period starts in another tertial, or another
    year, than it ends is counted in ``ej_fordelat``, never split; otherwise in its tertial.
    Rows with ``deleted_at`` set are ignored, and rows done without a count (``count_stated``
    false) add nothing (see ``uncounted_cells``). One row per commitment, sorted by id.
    """
    rows = _live_rows_of_year(activities, year)
    if rows.empty:
        return _empty_tallies()
    column = _tally_column(rows["date"], rows["period_start"])
    counts = rows["count"].where(rows["stated"], 0)
    table = rows.assign(column=column, count=counts).pivot_table(
        index="commitment_id", columns="column", values="count", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=list(TALLY_COLUMNS[:-1]), fill_value=0).astype("int64")
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().astype({"commitment_id": "int64"})


def uncounted_cells(activities: pd.DataFrame, year: int) -> dict[int, tuple[str, ...]]:
    """Per commitment, the tally columns (and "total") holding work done without a count in ``year``."""
    rows = _live_rows_of_year(activities, year)
    rows = rows.assign(column=_tally_column(rows["date"], rows["period_start"]))[~rows["stated"]]
    cells = rows.groupby("commitment_id")["column"].agg(lambda c: (*sorted(set(c)), "total"))
    return {int(k): tuple(v) for k, v in cells.items()}


def done_by(activities: pd.DataFrame, on: date) -> pd.DataFrame:
    """The activities dated on or before ``on``: what has been done by the assessment date."""
    if activities.empty:
        return activities
    return activities[pd.to_datetime(activities["date"]) <= pd.Timestamp(_day(on))]


def _live_rows_of_year(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """commitment_id, date, period_start, count and stated of the non-deleted rows dated in ``year``."""
    if activities.empty:
        return pd.DataFrame(
            {
                "commitment_id": pd.Series(dtype="int64"),
                "date": pd.Series(dtype="datetime64[ns]"),
                "period_start": pd.Series(dtype="datetime64[ns]"),
                "count": pd.Series(dtype="int64"),
                "stated": pd.Series(dtype=bool),
            }
        )
    rows = activities
    if "deleted_at" in rows.columns:
        rows = rows[rows["deleted_at"].isna()]
    dates = pd.to_datetime(rows["date"])
    starts = pd.to_datetime(rows["period_start"]) if "period_start" in rows.columns else pd.NaT
    stated = rows["count_stated"].astype(bool) if "count_stated" in rows.columns else True
    frame = pd.DataFrame(
        {
            "commitment_id": rows["commitment_id"],
            "date": dates,
            "period_start": starts,
            "count": rows["count"],
            "stated": stated,
        }
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
    """Whether ``on`` is before ``year``, inside it, or on its last day or after (the year is over)."""
    on = _day(on)
    if on.year < year:
        return "before"
    return "over" if on >= date(year, 12, 31) else "running"


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


def status(
    target_type: str, target_count: int | None, tally: int, *, year: int, on: date, uncounted: bool = False
) -> Status:
    """The commitment's status on ``on`` under the rule in the module docstring.

    ``tally`` is the sum of stated counts; ``uncounted`` says some work was recorded done without a count."""
    kind = _judged_type(target_type, target_count, tally)
    over = phase(year=year, on=on) == "over"
    if kind == "lopande":
        if tally >= 1:
            return "uppnått" if over else "på väg"
        return DONE_UNCOUNTED if uncounted else _nothing_recorded(over)
    goal = 1 if kind == "genomfora" else target_count
    if tally >= goal or (kind == "genomfora" and uncounted):
        return "uppnått"
    if tally > 0 and tally >= _needed_by(goal, year=year, on=on):
        return "på väg"
    if uncounted:
        return DONE_UNCOUNTED
    return _nothing_recorded(over) if tally == 0 else "efter plan"


def _nothing_recorded(over: bool) -> Status:
    return "ingen uppgift" if over else "ej påbörjad"


def status_note(
    target_type: str, target_count: int | None, tally: int, *, year: int, on: date, uncounted: bool = False
) -> str:
    """A short Swedish explanation of the status: "14 av minst 20; väntat hittills 11". It never shows a
    number the records do not hold: work done without a count is described in words."""
    kind = _judged_type(target_type, target_count, tally)
    if kind == "lopande":
        return f"{_done_text(tally, uncounted)} ({'löpande' if target_type == 'lopande' else 'inget antal angivet'})"
    if kind == "genomfora":
        return _done_or_not(tally, uncounted, year=year, on=on)
    return _numeric_note(kind, target_count, tally, year=year, on=on, uncounted=uncounted)


def _done_text(tally: int, uncounted: bool) -> str:
    if tally == 0:
        return NO_COUNT_NOTE if uncounted else "inga aktiviteter registrerade"
    done = f"{number(tally)} {'genomförd' if tally == 1 else 'genomförda'}"
    return f"{done}, därtill genomfört utan angivet antal" if uncounted else done


def _done_or_not(tally: int, uncounted: bool, *, year: int, on: date) -> str:
    if tally >= 1:
        return "genomfört"
    if uncounted:
        return NO_COUNT_NOTE
    return "inga aktiviteter registrerade" if phase(year=year, on=on) == "over" else "inte genomfört ännu"


def _numeric_note(kind: str, target_count: int, tally: int, *, year: int, on: date, uncounted: bool) -> str:
    if uncounted and tally == 0:
        return f"{NO_COUNT_NOTE}; målet är {kind} {number(target_count)}"
    head = f"{number(tally)} av {kind} {number(target_count)}"
    extra = ", därtill genomfört utan angivet antal" if uncounted else ""
    if tally > target_count and kind == "exakt":
        return f"{head}: över målet"
    if tally >= target_count:
        return head
    when = phase(year=year, on=on)
    if when == "before":
        return f"{head}{extra}; året har inte börjat"
    if when == "over":
        return f"{head}; inga aktiviteter registrerade" if tally == 0 else f"{head}{extra}; året är slut"
    return f"{head}{extra}; väntat hittills {number(_needed_by(target_count, year=year, on=on))}"


def progress(target_type: str, target_count: int | None, tally: int, *, uncounted: bool = False) -> float | None:
    """Share done for a progress bar, 0..1 (capped); None for löpande, numeric without count, and a numeric
    target short of its count with work done without a count (the share is not known)."""
    kind = _judged_type(target_type, target_count, tally)
    if kind == "lopande":
        return None
    if kind == "genomfora":
        return 1.0 if tally >= 1 or uncounted else 0.0
    if target_count == 0:
        return 1.0
    if uncounted and tally < target_count:
        return None
    return min(tally / target_count, 1.0)


# -- table and summary --------------------------------------------------------------------


def _owner_rank(owner: str) -> int:
    return OWNER_ORDER.index(owner) if owner in OWNER_ORDER else len(OWNER_ORDER)


def _tallies_by_id(tallies: pd.DataFrame) -> dict[int, dict[str, int]]:
    records = tallies.to_dict("records")
    return {int(r["commitment_id"]): {name: int(r[name]) for name in TALLY_COLUMNS} for r in records}


def follow_up_row(
    commitment: CommitmentLike, counts: dict[str, int], *, year: int, on: date, uncounted: tuple[str, ...] = ()
) -> dict:
    """One row of the follow-up table for a commitment with its tertial counts; ``uncounted`` names the
    tally columns that hold work done without a count."""
    rule = (commitment.target_type, commitment.target_count, counts["total"])
    flag = bool(uncounted)
    return {
        "commitment_id": commitment.id,
        "owner": commitment.owner,
        "text": commitment.text,
        "target": commitment.target_text(),
        **counts,
        "uncounted": uncounted,
        "progress": progress(*rule, uncounted=flag),
        "status": status(*rule, year=year, on=on, uncounted=flag),
        "note": status_note(*rule, year=year, on=on, uncounted=flag),
    }


def follow_up_table(
    commitments: Sequence[CommitmentLike], activities: pd.DataFrame, *, year: int, on: date
) -> pd.DataFrame:
    """Targets, tertial tallies, progress and status per commitment on the assessment date ``on``, grouped
    Polisen, Kommunen, Gemensamt (unknown owners last), keeping the given order inside an owner.

    The one place a status is decided: activities dated after ``on`` are left out, so every surface that
    passes the same ``on`` (see ``assessment_date``) shows the same status."""
    done = done_by(activities, on)
    tallies = _tallies_by_id(tertial_tallies(done, year))
    uncounted = uncounted_cells(done, year)
    zero = dict.fromkeys(TALLY_COLUMNS, 0)
    ordered = sorted(commitments, key=lambda c: _owner_rank(c.owner))
    rows = [
        follow_up_row(c, tallies.get(c.id, zero), year=year, on=on, uncounted=uncounted.get(c.id, ())) for c in ordered
    ]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def summary(statuses: Iterable[str]) -> dict[str, int]:
    """How many commitments have each status, every key of ``STATUS_ORDER``."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for value in statuses:
        if value not in counts:
            raise ValueError(f"Okänd status: {value!r}.")
        counts[value] += 1
    return counts
