"""The tertial cycle (core): "Sedan förra mötet", the change list a meeting of the lokala BRÅ opens with, and which
notes on the charts belong to which chart.

The previous meeting is the latest of: the last meeting with a recorded decision (``decision.meeting_date``) and
the last freeze of a tertial, both before today; an editor may set another date. Without any, the meeting is the
first one and the list shows the year so far (from 1 January). Something dated on the meeting day itself counts
as after it (the list rather shows a line twice than misses one).

Each line names the view it comes from as a path with its query string
("/medborgarloften?kommun=1960&ar=2023&fokus=12"), so the deck can link to it. ``changes`` is pure
(DataFrames in, lines out); ``since_last_meeting`` reads the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import pandas as pd

from lofte_data import analysis, followup, formats
from lofte_data.crime_types import BY_CODE, KOLADA_KPIS
from lofte_data.models import Commitment, FocusArea, Promise
from lofte_data.storage import Store

KIND_ORDER = ("Åtgärd", "Status", "Aktivitet", "Kommentar", "Brottssiffror", "Händelser")
DUE_SOON_DAYS = 30  # an open action due within this many days is listed as due
SHORT = 90


@dataclass(frozen=True)
class Line:
    """One change since the previous meeting, with the view it comes from."""

    kind: str  # one of KIND_ORDER
    text: str
    link: str  # path and query string of the view
    when: date | None = None


@dataclass(frozen=True)
class SinceLastMeeting:
    since: date  # the first day the list covers (the previous meeting, or 1 January at a first meeting)
    today: date
    first: bool
    basis: str  # why ``since``: "beslut antecknade 12 mar 2023", "frysningen av ett tertial", ...
    lines: tuple[Line, ...]

    @property
    def heading(self) -> str:
        if self.first:
            return f"Första mötet: året hittills (sedan {formats.day(self.since)})"
        return f"Sedan förra mötet {formats.day(self.since)}"

    @property
    def empty_text(self) -> str:
        return "Inget nytt har registrerats sedan dess."


def link(page: str, kommun_code: str, year: int, **extra: object) -> str:
    """ "/medborgarloften?kommun=1960&ar=2023&fokus=12" """
    query = {"kommun": kommun_code, "ar": str(year), **{k: str(v) for k, v in extra.items()}}
    return f"/{page}?{urlencode(query)}"


def previous_meeting(
    decisions: pd.DataFrame, last_freeze: date | datetime | None, today: date, chosen: date | None = None
) -> tuple[date | None, str]:
    """The day of the previous meeting and why; (None, "") when there was none (a first meeting)."""
    if chosen is not None:
        return chosen, "datum valt av redaktören"
    candidates: list[tuple[date, str]] = []
    if not decisions.empty:
        days = [_day(d) for d in decisions["meeting_date"] if _day(d) < today]
        if days:
            candidates.append((max(days), "senaste mötet med antecknade beslut"))
    if last_freeze is not None and _day(last_freeze) < today:
        candidates.append((_day(last_freeze), "senaste frysningen av ett tertial"))
    if not candidates:
        return None, ""
    return max(candidates, key=lambda c: c[0])


def _day(value: date | datetime | pd.Timestamp) -> date:
    return value.date() if isinstance(value, datetime) else value


def _short(text: str, limit: int = SHORT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _since(frame: pd.DataFrame, column: str, since: date) -> pd.DataFrame:
    """Rows whose ``column`` (a date or a time) falls on ``since`` or later."""
    if frame.empty:
        return frame
    days = pd.to_datetime(frame[column], utc=True).dt.tz_convert("Europe/Stockholm").dt.date
    return frame[days >= since]


# -- the kinds of change -------------------------------------------------------------------------------------------


def _where(promises: Mapping[int, Promise]) -> dict[int, tuple[int, FocusArea, Commitment]]:
    """commitment id -> (year, focus area, commitment)."""
    return {c.id: (y, a, c) for y, p in promises.items() for a in p.focus_areas for c in a.commitments if c.id}


def activity_lines(
    kommun_code: str, promises: Mapping[int, Promise], activities: pd.DataFrame, since: date
) -> list[Line]:
    where, lines = _where(promises), []
    for row in _since(activities, "created_at", since).itertuples():
        if row.commitment_id not in where:
            continue
        year, area, commitment = where[row.commitment_id]
        stated = getattr(row, "count_stated", True)
        count = formats.number(row.count) + " st" if stated else "genomfört, antal saknas"
        place = f" · {row.place}" if row.place else ""
        text = f"{formats.day(_day(row.date))}: {count} · {_short(commitment.text, 70)} ({area.name}){place}"
        lines.append(Line("Aktivitet", text, link("medborgarloften", kommun_code, year, fokus=area.id), _day(row.date)))
    return lines


def status_lines(
    kommun_code: str, promises: Mapping[int, Promise], activities: pd.DataFrame, since: date, today: date
) -> list[Line]:
    """Statuses that moved: the follow-up table at the previous meeting (with what was registered by then)
    against the one today, per promise year."""
    lines = []
    known_then = (
        activities[pd.to_datetime(activities["created_at"], utc=True).dt.tz_convert("Europe/Stockholm").dt.date < since]
        if not activities.empty
        else activities
    )
    for year, promise in sorted(promises.items()):
        for area in promise.focus_areas:
            mine = {c.id for c in area.commitments}
            then_rows = known_then[known_then["commitment_id"].isin(mine)] if not known_then.empty else known_then
            now_rows = activities[activities["commitment_id"].isin(mine)] if not activities.empty else activities
            before_day = followup.assessment_date(year, since - timedelta(days=1))
            then = followup.follow_up_table(area.commitments, then_rows, year=year, on=before_day)
            now = followup.follow_up_table(
                area.commitments, now_rows, year=year, on=followup.assessment_date(year, today)
            )
            old = dict(zip(then["commitment_id"], then["status"], strict=True))
            for cid, text, status in zip(now["commitment_id"], now["text"], now["status"], strict=True):
                if old.get(cid) != status:
                    moved = f"{_short(text, 70)} ({area.name}, {year}): {old.get(cid)} → {status}"
                    lines.append(Line("Status", moved, link("medborgarloften", kommun_code, year, fokus=area.id)))
    return lines


def comment_lines(kommun_code: str, promises: Mapping[int, Promise], comments: pd.DataFrame, since: date) -> list[Line]:
    where, lines = _where(promises), []
    for row in _since(comments, "updated_at", since).itertuples():
        if row.commitment_id not in where:
            continue
        year, area, commitment = where[row.commitment_id]
        text = f"T{row.tertial} {year} · {_short(commitment.text, 50)}: ”{_short(row.text, 80)}” ({row.author})"
        lines.append(Line("Kommentar", text, link("medborgarloften", kommun_code, year, fokus=area.id)))
    return lines


def crime_lines(kommun_code: str, stats: pd.DataFrame, since: date) -> list[Line]:
    """New figures loaded since the meeting: how far they reach, and the latest year against the year before."""
    new = _since(stats, "loaded_at", since)
    if new.empty:
        return []
    year = int(new["year"].max())
    months = new[(new["year"] == year) & new["period"].astype(str).str.fullmatch(r"M\d\d")]["period"]
    reach = f"t.o.m. {formats.MONTHS_SHORT[int(max(months)[1:]) - 1]} {year}" if not months.empty else str(year)
    sources = ", ".join(sorted(set(new["source"].astype(str))))
    lines = [
        Line(
            "Brottssiffror",
            f"{formats.count(len(new), 'ny siffra', 'nya siffror')} inlästa ({sources}), {reach}",
            link("brottsstatistik", kommun_code, year),
        )
    ]
    comparison = analysis.year_to_date(stats, year)
    if comparison is not None:
        change = comparison.change
        text = (
            f"Anmälda brott totalt {comparison.label} {year}: {formats.number(change.current)} mot "
            f"{formats.number(change.previous)} året före ({formats.signed(change.absolute)}, "
            f"{formats.percent(change.percent)}; {change.verdict})"
        )
        lines.append(Line("Brottssiffror", text, link("brottsstatistik", kommun_code, year)))
    return lines


def _crime_rates(kpi_values: pd.DataFrame, kommun_code: str) -> pd.DataFrame:
    """The kommun's Kolada crime rates that have a value."""
    if kpi_values.empty:
        return kpi_values
    mine = kpi_values["kpi"].isin(list(KOLADA_KPIS)) & (kpi_values["area_code"].astype(str) == kommun_code)
    return kpi_values[mine & kpi_values["value"].notna()]


def _rate_text(what: str, year: int, current: float, previous: float | None) -> str:
    """ "anmälda brott totalt 2023: 7 210 per 100 000 inv. mot 7 480 2022 (−270, −4 %)" """
    text = f"{what} {year}: {formats.number(current)} per 100 000 inv."
    if previous is None or pd.isna(previous):
        return f"{text} (inget värde för {year - 1})"
    change = formats.percent((current - previous) / previous if previous else None)
    return f"{text} mot {formats.number(previous)} {year - 1} ({formats.signed(current - previous)}, {change})"


def kolada_lines(kommun_code: str, kpi_values: pd.DataFrame, since: date) -> list[Line]:
    """Kolada's crime rates fetched since the meeting: the latest year they reach against the year before, for
    reported crime in total (or the first crime type Kolada has for that year)."""
    rates = _crime_rates(kpi_values, kommun_code)
    new = _since(rates, "fetched_at", since)
    if new.empty:
        return []
    year = int(new["year"].max())
    kpi = next(k for k in KOLADA_KPIS if k in set(new.loc[new["year"] == year, "kpi"]))
    by_year = rates[rates["kpi"] == kpi].drop_duplicates("year", keep="last").set_index("year")["value"].astype(float)
    what = "anmälda brott totalt" if KOLADA_KPIS[kpi] == "totalt" else BY_CODE[KOLADA_KPIS[kpi]].label.lower()
    fetched = pd.to_datetime(new["fetched_at"], utc=True).max().tz_convert("Europe/Stockholm").date()
    text = f"Kolada hämtat {formats.day(fetched)}, " + _rate_text(what, year, by_year[year], by_year.get(year - 1))
    return [Line("Brottssiffror", text, link("brottsstatistik", kommun_code, year))]


def incident_lines(kommun_code: str, year: int, incidents: pd.DataFrame, since: date) -> list[Line]:
    new = _since(incidents, "occurred_at", since)
    lines = []
    for origin, name in (("polisen", "från Polisen"), ("egen", "egna rapporter")):
        rows = new[new["origin"] == origin] if not new.empty else new
        if rows.empty:
            continue
        top = rows["category"].value_counts().head(3)
        common = ", ".join(f"{c} {n}" for c, n in top.items())
        text = f"{formats.count(len(rows), 'händelse', 'händelser')} {name} (vanligast: {common})"
        lines.append(Line("Händelser", text, link("lagesbild", kommun_code, year)))
    return lines


def action_lines(kommun_code: str, year: int, decisions: pd.DataFrame, since: date, today: date) -> list[Line]:
    """Actions overdue, due within DUE_SOON_DAYS, and done since the meeting."""
    if decisions.empty:
        return []
    actions = decisions[decisions["kind"] == "åtgärd"]
    lines, target = [], link("mote", kommun_code, year)
    for row in actions.itertuples():
        who = f" ({row.owner})" if row.owner else ""
        due = _day(row.due) if pd.notna(row.due) and row.due is not None else None
        done = _day(row.done_at) if pd.notna(row.done_at) and row.done_at is not None else None
        if done is not None:
            if done >= since:
                lines.append(Line("Åtgärd", f"Klar {formats.day(done)}: {_short(row.text)}{who}", target, done))
        elif due is not None and due < today:
            lines.append(
                Line("Åtgärd", f"Försenad, klart senast {formats.day(due)}: {_short(row.text)}{who}", target, due)
            )
        elif due is not None and due <= today + timedelta(days=DUE_SOON_DAYS):
            lines.append(Line("Åtgärd", f"Klart senast {formats.day(due)}: {_short(row.text)}{who}", target, due))
    return lines


def changes(
    *,
    kommun_code: str,
    year: int,
    since: date,
    today: date,
    promises: Mapping[int, Promise],
    activities: pd.DataFrame,
    comments: pd.DataFrame,
    stats: pd.DataFrame,
    kpi_values: pd.DataFrame,
    incidents: pd.DataFrame,
    decisions: pd.DataFrame,
) -> list[Line]:
    """Every change from ``since`` to ``today``, in KIND_ORDER."""
    lines = [
        *action_lines(kommun_code, year, decisions, since, today),
        *status_lines(kommun_code, promises, activities, since, today),
        *activity_lines(kommun_code, promises, activities, since),
        *comment_lines(kommun_code, promises, comments, since),
        *crime_lines(kommun_code, stats, since),
        *kolada_lines(kommun_code, kpi_values, since),
        *incident_lines(kommun_code, year, incidents, since),
    ]
    return sorted(lines, key=lambda line: KIND_ORDER.index(line.kind))


def since_last_meeting(
    store: Store, *, kommun_code: str, year: int, today: date, chosen: date | None = None
) -> SinceLastMeeting:
    """The change list for the kommun's meeting ``today`` about ``year``, read from the store."""
    decisions = store.decisions(kommun_code)
    since, basis = previous_meeting(decisions, store.last_freeze(kommun_code), today, chosen)
    first = since is None
    start = date(year, 1, 1) if since is None else since
    years = [y for y in store.promise_years(kommun_code) if min(start.year, year) <= y <= year]
    promises = {y: p for y in years if (p := store.promise(kommun_code, y)) is not None}
    frames = [store.activities(p.id) for p in promises.values() if p.id is not None]
    activities = pd.concat([f for f in frames if not f.empty]) if any(not f.empty for f in frames) else pd.DataFrame()
    ids = [c.id for p in promises.values() for a in p.focus_areas for c in a.commitments if c.id is not None]
    lines = changes(
        kommun_code=kommun_code,
        year=year,
        since=start,
        today=today,
        promises=promises,
        activities=activities,
        comments=store.comments(ids),
        stats=store.crime_stats([kommun_code]),
        kpi_values=store.kpi_values([kommun_code], KOLADA_KPIS),
        # Only the days the list covers (one day early: the day is Swedish time, the column UTC).
        incidents=store.incidents(kommun_code, start=start - timedelta(days=1)),
        decisions=decisions,
    )
    return SinceLastMeeting(start, today, first, basis or "första mötet", tuple(lines))


# -- notes on the charts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A note on the charts: a day (or a whole month) of a kommun, optionally one crime type or focus area."""

    day: date
    text: str
    month_only: bool = False
    crime_type: str | None = None
    focus_area_id: int | None = None
    id: int | None = None

    @property
    def when(self) -> str:
        """ "12 mar 2023", or "mar 2023" for a month."""
        return (
            f"{formats.MONTHS_SHORT[self.day.month - 1]} {self.day.year}" if self.month_only else formats.day(self.day)
        )

    @property
    def about(self) -> str:
        if self.crime_type:
            return BY_CODE[self.crime_type].label if self.crime_type in BY_CODE else self.crime_type
        return "fokusområde" if self.focus_area_id else "alla diagram"


def notes_from(frame: pd.DataFrame) -> list[Note]:
    """store.annotations rows as notes."""
    if frame.empty:
        return []
    return [
        Note(
            day=_day(pd.Timestamp(r.day).date() if not isinstance(r.day, date) else r.day),
            text=str(r.text),
            month_only=bool(r.month_only),
            crime_type=r.crime_type if isinstance(r.crime_type, str) and r.crime_type else None,
            focus_area_id=int(r.focus_area_id) if pd.notna(r.focus_area_id) else None,
            id=int(r.id),
        )
        for r in frame.itertuples()
    ]


def notes_for(
    notes: Iterable[Note], *, crime_types: Iterable[str] = (), focus_area_id: int | None = None
) -> list[Note]:
    """The notes a chart shows: every note of the kommun without a crime type or focus area, plus those on one
    of the chart's ``crime_types`` or on its ``focus_area_id``."""
    types = set(crime_types)
    return [
        n
        for n in notes
        if (n.crime_type is None and n.focus_area_id is None)
        or (n.crime_type is not None and n.crime_type in types)
        or (n.focus_area_id is not None and n.focus_area_id == focus_area_id)
    ]
