"""What the tertial follow-up report shows (core, pure data): gathered from the database, nothing drawn.

``report_data(store, kommun_code=..., year=..., tertial=..., today=...)`` returns a ``ReportData`` of plain
dataclasses and DataFrames; ``report.py`` only lays it out. The parts, in the report's order:

- ``Scope``: kommun, promise and period (1 January to the end of the tertial, or ``today`` when earlier:
  ``followup.assessment_date``).
- ``PromiseFacts``: title, summary and the labelled facts of the promise.
- ``AreaData`` per focus area: the follow-up rows with statuses from ``followup.follow_up_table`` on the
  assessment date, the comments of T1..T, and a ``Timeline`` (the linked crime types per year from
  ``yearly.yearly_series`` beside the activities per year, the promise years marked).
- ``CrimeData``: per crime type the latest year any source has against the year before
  (``yearly.latest_year_table``: Brå where Brå has the year, else counts estimated from Kolada), the report
  year's own months when Brå has them, and the yearly totals for the chart; notes say when Kolada is missing.
- ``EventsData``: police events and own reports in the period.
- ``SourceLine`` per source (Brå, Kolada, Polisen, the promise's document) with the date it was loaded.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Integral

import pandas as pd

from lofte_data import analysis, audit, checks, cycle, followup, formats, incidents, tables, trends, yearly
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI
from lofte_data.errors import InputError
from lofte_data.models import Commitment, FocusArea, Kommun, Promise, SourceDocument
from lofte_data.storage import Store

MONTHS = formats.MONTHS_SHORT
TOTAL = "totalt"
TIMELINE_YEARS = 10  # columns in a focus area's year-by-year table
CHART_YEARS = 12  # bars in the chart of total reported crime
ESTIMATE_NOTE = (
    "≈ = antalet är beräknat ur Kolada: anmälda brott per 100 000 inv. × folkmängden (N01951) / 100 000. "
    "Bedömningen av ett beräknat antal är ungefärlig."
)


# -- scope ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Who and what the report is about, and the period it covers."""

    kommun: Kommun
    promise: Promise
    year: int
    tertial: int
    start: date
    end: date  # last day covered, inclusive; statuses are judged on it
    tertial_end: date
    today: date
    frozen: str = ""  # set when drawn from a frozen tertial: who froze and signed it, and when

    @property
    def title(self) -> str:
        return f"Uppföljning av medborgarlöfte {self.year}, tertial {self.tertial}"

    @property
    def period_text(self) -> str:
        return f"{self.start.day} {MONTHS[self.start.month - 1]} – {formats.day(self.end)}"

    @property
    def tertials(self) -> str:
        return "T1" if self.tertial == 1 else f"T1–T{self.tertial}"


def _checked_choices(store: Store, kommun_code: str, year: int, tertial: int) -> Kommun:
    kommun = store.kommun(str(kommun_code))
    if kommun is None or kommun.kind != "K":
        raise InputError(f"Okänd kommunkod {str(kommun_code)!r}. Ange en fyrsiffrig kommunkod, t.ex. 1960.")
    if isinstance(tertial, bool) or not isinstance(tertial, Integral) or tertial not in followup.TERTIALS:
        raise InputError(f"Tertial måste vara 1, 2 eller 3, inte {tertial!r}.")
    if not checks.is_year(year):
        raise InputError(f"Året måste vara ett årtal som 2023, inte {year!r}.")
    return kommun


def report_scope(store: Store, *, kommun_code: str, year: int, tertial: int, today: date) -> Scope:
    """Check the choices and find the kommun, the promise and the period; InputError in Swedish otherwise."""
    kommun = _checked_choices(store, kommun_code, year, tertial)
    year, today = int(year), today.date() if isinstance(today, datetime) else today
    years = store.promise_years(kommun.code)  # live promises only: a deleted one is not reported
    promise = store.promise(kommun.code, year) if year in years else None
    if promise is None:
        years_text = ", ".join(str(y) for y in years) or "inga"
        raise InputError(
            f"Det finns inget medborgarlöfte för {kommun.name} {year}. Registrerade år för {kommun.name}: {years_text}."
        )
    start, tertial_end = date(year, 1, 1), followup.tertial_bounds(year, tertial)[1]
    if today < start:
        raise InputError(
            f"Året {year} har inte börjat (i dag är det {formats.day(today)}); rapporten kan tas fram från "
            f"{formats.day(start)}."
        )
    end = followup.assessment_date(year, today, tertial=tertial)
    return Scope(kommun, promise, year, int(tertial), start, end, tertial_end, today)


# -- the promise -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseFacts:
    title: str
    summary: str
    facts: tuple[tuple[str, str], ...]  # (label, text), printed "Label: text"


def document_text(document: SourceDocument) -> str:
    """ "Title (publisher, published)" of a source document."""
    details = ", ".join(str(v) for v in (document.publisher, document.published) if v)
    return f"{document.title} ({details})" if details else document.title


def promise_facts(promise: Promise, document: SourceDocument | None) -> PromiseFacts:
    facts: list[tuple[str, str]] = []
    if promise.signed_date:
        facts.append(("Undertecknat", formats.day(promise.signed_date)))
    if promise.signatories:
        facts.append(("Undertecknat av", "; ".join(promise.signatories)))
    if promise.follow_ups_per_year:
        facts.append(("Uppföljning", f"{formats.count(promise.follow_ups_per_year, 'gång', 'gånger')} per år"))
    facts.append(("Källdokument", document_text(document) if document else "registrerat i appen (inget källdokument)"))
    facts.append(("Fokusområden", ", ".join(a.name for a in promise.focus_areas) or "inga registrerade"))
    return PromiseFacts(promise.title, promise.summary or "", tuple(facts))


# -- focus areas -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    tertial: int
    commitment: str
    text: str
    author: str
    updated: date | None


@dataclass(frozen=True)
class Timeline:
    """A focus area's linked crime types per year beside the activities per year, on one set of years."""

    years: tuple[int, ...]
    crime_types: tuple[str, ...]
    series: pd.DataFrame  # yearly.yearly_series rows of the linked types, inside ``years``
    activities: pd.DataFrame  # year, count (stated counts), uncounted (work done without a count)
    promise_years: tuple[int, ...]  # years with a promise that targets the same crime types
    current_year: int
    source: str  # "Källa: ..." with dates

    def point(self, crime_type: str, year: int) -> dict | None:
        rows = self.series[(self.series["crime_type"] == crime_type) & (self.series["year"] == year)]
        return None if rows.empty else rows.iloc[0].to_dict()

    def activity(self, year: int) -> tuple[int, bool] | None:
        """(stated count, some work done without a count) of a year; None when nothing is recorded."""
        rows = self.activities[self.activities["year"] == year]
        return None if rows.empty else (int(rows["count"].iloc[0]), bool(rows["uncounted"].iloc[0]))


@dataclass(frozen=True)
class AreaData:
    number: int
    area: FocusArea
    facts: tuple[tuple[str, str], ...]
    follow_up: pd.DataFrame  # followup.follow_up_table on the assessment date (empty: no commitments)
    comments: tuple[Comment, ...]
    timeline: Timeline

    @property
    def commitments(self) -> dict[int, Commitment]:
        return {c.id: c for c in self.area.commitments if c.id is not None}

    @property
    def statuses(self) -> list[str]:
        return list(self.follow_up["status"])


def _comments(area: FocusArea, notes: pd.DataFrame) -> tuple[Comment, ...]:
    order = {c.id: i for i, c in enumerate(area.commitments)}
    texts = {c.id: c.text for c in area.commitments}
    mine = notes[notes["commitment_id"].isin(order)]
    if mine.empty:
        return ()
    mine = mine.assign(rank=mine["commitment_id"].map(order)).sort_values(["rank", "tertial"])
    return tuple(
        Comment(int(r.tertial), texts[r.commitment_id], str(r.text), str(r.author or ""), r.updated_at)
        for r in mine.itertuples()
    )


def _related_areas(store: Store, scope: Scope, area: FocusArea) -> list[tuple[int, FocusArea]]:
    """(year, area) of every focus area of the kommun's promises that targets one of ``area``'s crime types,
    and ``area`` itself: the effort aimed at the same crime, year by year."""
    targeted = set(area.crime_types)
    found = [(scope.year, area)]
    for year in store.promise_years(scope.kommun.code):
        promise = scope.promise if year == scope.year else store.promise(scope.kommun.code, year)
        if promise is None:
            continue
        found += [(year, a) for a in promise.focus_areas if a.id != area.id and targeted & set(a.crime_types)]
    return found


def activities_by_year(activities: pd.DataFrame) -> pd.DataFrame:
    """Stated counts per year (yearly.activities_per_year) and whether the year holds work done without a count."""
    if activities.empty:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64"), "uncounted": []})
    stated = activities["count_stated"].astype(bool)
    counted = yearly.activities_per_year(activities[stated])
    years = pd.to_datetime(activities["date"]).dt.year
    uncounted = set(years[~stated].astype(int))
    every = pd.DataFrame({"year": sorted(set(years.astype(int)))})
    frame = every.merge(counted, on="year", how="left").fillna({"count": 0})
    return frame.assign(uncounted=frame["year"].isin(uncounted)).astype({"year": "int64", "count": "int64"})


def _area_activities(store: Store, scope: Scope, related: list[tuple[int, FocusArea]]) -> pd.DataFrame:
    """Per year the activities of the related focus areas done by the end of the period."""
    ids = {c.id for _, a in related for c in a.commitments}
    promise_ids = sorted({pid for year, _ in related if (pid := store.promise_id(scope.kommun.code, year))})
    frames = [frame for pid in promise_ids if not (frame := store.activities(pid)).empty]
    if not frames:
        return activities_by_year(pd.DataFrame())
    rows = pd.concat(frames, ignore_index=True)
    return activities_by_year(followup.done_by(rows[rows["commitment_id"].isin(ids)], scope.end))


def timeline_years(
    series: pd.DataFrame, activities: pd.DataFrame, promise_years: Sequence[int], current: int, *, up_to: int
) -> tuple[int, ...]:
    """The years of a focus area's table: the last ``TIMELINE_YEARS`` years with anything, the report year kept."""
    known = [*series["year"], *activities["year"], *promise_years, current]
    last = min(max(int(y) for y in known), up_to)
    first = min(current, last - TIMELINE_YEARS + 1)
    return tuple(range(max(first, min(int(y) for y in known)), last + 1))


def _timeline(store: Store, scope: Scope, area: FocusArea, series: pd.DataFrame, dates: dict[str, str]) -> Timeline:
    related = _related_areas(store, scope, area)
    activities = _area_activities(store, scope, related)
    linked = series[series["crime_type"].isin(area.crime_types)]
    promise_years = tuple(sorted({year for year, _ in related}))
    years = timeline_years(linked, activities, promise_years, scope.year, up_to=scope.today.year)
    shown = linked[linked["year"].isin(years)]
    activities = activities[activities["year"].isin(years)]
    source = f"{figure_source(shown, dates)} Aktiviteter: registrerade i appen, t.o.m. {formats.day(scope.end)}."
    return Timeline(years, tuple(area.crime_types), shown, activities, promise_years, scope.year, source)


def _areas(store: Store, scope: Scope, series: pd.DataFrame, dates: dict[str, str]) -> tuple[AreaData, ...]:
    promise = scope.promise
    activities = store.activities(promise.id or 0)  # follow_up_table leaves out what is dated after scope.end
    ids = [c.id for a in promise.focus_areas for c in a.commitments if c.id is not None]
    notes = audit.comments(store, ids) if ids else pd.DataFrame(columns=["commitment_id", "tertial"])
    notes = notes[notes["tertial"] <= scope.tertial]
    return tuple(
        AreaData(
            number,
            area,
            tuple(tables.focus_area_facts(area)),
            followup.follow_up_table(area.commitments, activities, year=scope.year, on=scope.end),
            _comments(area, notes),
            _timeline(store, scope, area, series, dates),
        )
        for number, area in enumerate(promise.focus_areas, start=1)
    )


# -- reported crime --------------------------------------------------------------------------------------------------


def figures_known_by(stats: pd.DataFrame, end: date) -> pd.DataFrame:
    """The figures that describe time up to ``end``: whole months and whole years that ended by then, and
    reported year-to-date figures of that year or earlier."""
    if stats.empty:
        return stats
    period = stats["period"].astype(str)
    year = stats["year"].astype(int)
    month = pd.to_numeric(period.str[1:].where(period.str.fullmatch(r"M\d\d")), errors="coerce")
    month_ends = [_month_end(y, int(m)) if pd.notna(m) else None for y, m in zip(year, month, strict=True)]
    whole_month = pd.Series([d is not None and d <= end for d in month_ends], index=stats.index)
    last_whole_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    whole_year = (period == "year") & (year <= last_whole_year)
    ytd = (period == "ytd") & (year <= end.year)
    return stats[whole_month | whole_year | ytd]


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def figure_source(series: pd.DataFrame, dates: dict[str, str]) -> str:
    """ "Källa: Brå, statistikdatabasen (månadsvis), inläst 22 nov 2026; Kolada (N07403, U07452; antal beräknade),
    hämtad 22 nov 2026." for the yearly points shown."""
    if series.empty:
        return "Inga brottssiffror för områdets brottstyper."
    brå = dict.fromkeys(series.loc[~series["estimated"], "source"].astype(str))
    kpis = sorted(set(series.loc[series["estimated"], "kpi"].astype(str)))
    names = [f"{name}, {dates['Brå']}" for name in brå]
    if kpis:
        names.append(f"Kolada ({', '.join(kpis)}; antal {yearly.ESTIMATED_SOURCE}), {dates['Kolada']}")
    return f"Källa: {'; '.join(names)}."


@dataclass(frozen=True)
class CrimeData:
    """The crime section: the latest year per type, the report year's own months, yearly totals, notes."""

    latest: pd.DataFrame  # yearly.latest_year_table: per type, the latest year any source has vs the year before
    kolada: bool  # Kolada's crime KPIs are loaded for the kommun
    notes: tuple[str, ...]
    latest_source: str
    period: pd.DataFrame  # trends.year_on_year_table of the report year's months (empty: no monthly figures)
    reported_ytd: analysis.PeriodComparison | None  # a reported year-to-date figure (no monthly figures)
    totals: pd.DataFrame  # yearly series of "totalt", the last CHART_YEARS years
    totals_source: str
    sources: tuple[str, ...]  # every source of a figure shown

    @property
    def latest_year(self) -> int | None:
        return None if self.latest.empty else int(self.latest["year"].max())


def _crime_notes(scope: Scope, latest: pd.DataFrame, kolada: bool, dates: dict[str, str]) -> tuple[str, ...]:
    name, notes = scope.kommun.name, []
    newest = None if latest.empty else int(latest["year"].max())
    if not kolada:
        notes.append(
            f"Koladas nyckeltal för {name} finns inte i databasen (Kolada {dates['Kolada']}), så jämförelsen bygger "
            "på Brås senaste siffror. Nyare siffror hämtas under Importera data eller med den schemalagda hämtningen."
        )
    if newest is not None and newest < scope.year:
        notes.append(f"Databasen har inga siffror för {scope.year}; det senaste året med siffror är {newest}.")
    older = latest[latest["year"] < newest] if newest is not None else latest
    if not older.empty:
        names = ", ".join(f"{r.label} ({r.year})" for r in older.itertuples())
        notes.append(f"Brottstyper där inget nyare år finns: {names}.")
    if latest["approximate"].any():
        notes.append(ESTIMATE_NOTE)
    if latest["source_change"].any():
        notes.append("Källan eller brottskategorin skiljer mellan de jämförda åren där det står i bedömningen.")
    return tuple(notes)


def _period_table(stats: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The report year's months (up to the period end) against the same months the year before."""
    known = figures_known_by(stats, scope.end)
    monthly = known[known["period"].astype(str).str.fullmatch(r"M\d\d")] if not known.empty else known
    if monthly.empty or scope.year not in set(monthly["year"].astype(int)):
        return pd.DataFrame(columns=list(trends.YEAR_ON_YEAR_COLUMNS))
    return trends.year_on_year_table(known, scope.year, kommun_codes=[scope.kommun.code])


def _crime(scope: Scope, stats: pd.DataFrame, kpis: pd.DataFrame, series: pd.DataFrame, dates: dict) -> CrimeData:
    up_to = scope.today.year
    latest = yearly.latest_year_table(yearly.without_aliases(series), up_to=up_to)
    kolada = bool(kpis["kpi"].isin(list(KOLADA_KPIS)).any()) if not kpis.empty else False
    period = _period_table(stats, scope)
    reported = analysis.year_to_date(figures_known_by(stats, scope.end), scope.year) if period.empty else None
    totals = series[(series["crime_type"] == TOTAL) & series["count"].notna() & (series["year"] <= up_to)]
    totals = totals[totals["year"] > int(totals["year"].max()) - CHART_YEARS] if not totals.empty else totals
    compared = {
        (t, y)
        for t, a, b in zip(latest["crime_type"], latest["year"], latest["previous_year"], strict=True)
        for y in (a, b)
    }
    shown = series[[(t, y) in compared for t, y in zip(series["crime_type"], series["year"], strict=True)]]
    sources = {*_shown_sources(shown), *_shown_sources(totals), *period["source"].astype(str)}
    if reported is not None:
        sources.add(reported.source)
    return CrimeData(
        latest,
        kolada,
        _crime_notes(scope, latest, kolada, dates),
        figure_source(shown, dates),
        period,
        reported,
        totals.reset_index(drop=True),
        figure_source(totals, dates),
        tuple(sorted(sources)),
    )


def _shown_sources(frame: pd.DataFrame) -> set[str]:
    if frame.empty:
        return set()
    names = zip(frame["source"], frame["estimated"], frame["kpi"], strict=True)
    return {f"{yearly.ESTIMATED_SOURCE} ({kpi})" if estimated else str(source) for source, estimated, kpi in names}


# -- police events ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventsData:
    total: int
    origins: tuple[tuple[str, int], ...]  # ("polisens händelser", 7), ("egna rapporter", 2)
    categories: tuple[tuple[str, int], ...]  # the eight most common, then "Övriga n kategorier"
    hot_spots: pd.DataFrame  # Plats, Händelser, Vanligaste typ (empty when no incident names a place)
    patrol_slots: tuple[str, ...]
    empty_note: str  # what is known when nothing happened in the period ("" otherwise)


def _events(store: Store, scope: Scope) -> EventsData:
    chosen = store.incidents(scope.kommun.code, scope.start, scope.end)  # the period's, through the index
    if chosen.empty:
        return EventsData(0, (), (), pd.DataFrame(), (), _no_events_note(store, scope))
    origins = chosen["origin"].map(incidents.ORIGINS).fillna(chosen["origin"]).value_counts()
    counts = chosen["category"].value_counts()
    ranked = sorted(((str(c), int(n)) for c, n in counts.items()), key=lambda item: (-item[1], item[0].casefold()))
    categories = ranked[:8]
    if len(ranked) > 8:
        categories.append((f"Övriga {len(ranked) - 8} kategorier", sum(n for _, n in ranked[8:])))
    named = chosen["place"].fillna("").str.strip().ne("").any()
    watched = chosen[chosen["category"].isin(incidents.WATCH_DEFAULT)]
    return EventsData(
        len(chosen),
        tuple((str(o).lower(), int(n)) for o, n in origins.items()),
        tuple(categories),
        incidents.hot_spots(chosen, limit=5) if named else pd.DataFrame(),
        tuple(incidents.patrol_slots(watched)),
        "",
    )


def _no_events_note(store: Store, scope: Scope) -> str:
    archive = store.dataset("polisen")
    known = f" Polisens arkiv i databasen: {archive['note']}." if archive and archive.get("note") else ""
    summary = store.incident_summary(scope.kommun.code)  # counted in SQL, not read row by row
    known += incidents.archive_span(scope.kommun.name, summary.first, summary.last)
    return f"Inga händelser är registrerade för {scope.kommun.name} under perioden.{known}"


# -- sources ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    name: str  # Brå, Kolada, Polisen, Källdokument, Aktiviteter
    text: str
    loaded: datetime | None  # when the data set was loaded (store.dataset), None when it never was


def loaded_text(info: dict | None, *, note: bool = True, verb: str = "Inläst") -> str:
    """ "Datamängd: <source>, <note>. Inläst 22 nov 2026." from a store.dataset row."""
    if not info:
        return "Inläsningsdatum saknas."
    detail = f", {info['note']}" if note and info.get("note") else ""
    return f"Datamängd: {info['source']}{detail}. {verb} {formats.day(info['loaded_at'])}."


def source_dates(store: Store) -> dict[str, str]:
    """ "inläst 22 nov 2026" per source of crime figures, for the captions under tables and charts."""
    bra, kolada = store.dataset("bra"), store.dataset("kolada")
    return {
        "Brå": f"inläst {formats.day(bra['loaded_at'])}" if bra else "inläsningsdatum saknas",
        "Kolada": f"hämtad {formats.day(kolada['loaded_at'])}" if kolada else "aldrig hämtad",
    }


def _sources(store: Store, scope: Scope, crime: CrimeData) -> tuple[SourceLine, ...]:
    bra, kolada, polisen = (store.dataset(name) for name in ("bra", "kolada", "polisen"))
    estimated = [name for name in crime.sources if name.startswith(yearly.ESTIMATED_SOURCE)]
    counted = [name for name in crime.sources if name not in estimated]
    shown = f" Siffror i rapporten: {'; '.join(counted)}." if counted else ""
    kpis = ", ".join(name.removeprefix(yearly.ESTIMATED_SOURCE).strip(" ()") for name in estimated)
    used = f" Antal {yearly.ESTIMATED_SOURCE} i rapporten: {kpis}." if kpis else ""
    lines = [
        SourceLine(
            "Brå",
            f"Källa: Brå (Brottsförebyggande rådet), anmälda brott. {loaded_text(bra)}{shown}",
            _loaded(bra),
        ),
        SourceLine("Kolada", _kolada_text(kolada) + used, _loaded(kolada)),
        SourceLine(
            "Polisen",
            f"Källa: Polisen, händelser (polisen.se). {loaded_text(polisen)}",
            _loaded(polisen),
        ),
    ]
    lines.append(_document_line(store, scope))
    lines.append(
        SourceLine(
            "Aktiviteter",
            "Aktiviteter och kommentarer: registrerade i appen av redaktörer eller hämtade ur källdokumentet; "
            f"varje ändring loggas. Läget är hämtat ur databasen {formats.day(scope.today)}.",
            None,
        )
    )
    return tuple(lines)


def _loaded(info: dict | None) -> datetime | None:
    """When a store.dataset row says the data set was loaded; None when it never was."""
    return info["loaded_at"] if info else None


def _kolada_text(kolada: dict | None) -> str:
    head = "Källa: Kolada (RKA), anmälda brott per 100 000 inv. och folkmängd (N01951)."
    if not kolada:
        return (
            f"{head} Inte hämtade: inga antal beräknade ur Kolada (de hämtas under Importera data eller med den "
            "schemalagda hämtningen)."
        )
    return f"{head} {loaded_text(kolada, verb='Hämtad')}"


def _document_line(store: Store, scope: Scope) -> SourceLine:
    document = store.source_documents().get(scope.promise.source_key or "")
    if document is None:
        return SourceLine(
            "Källdokument", "Källa: medborgarlöftet är registrerat i appen av en redaktör (inget källdokument).", None
        )
    seeded = store.dataset("standarddata")
    url = f": {document.url}" if document.url else ""
    text = f"Källa: {document_text(document)}, medborgarlöftets källdokument{url}. {loaded_text(seeded, note=False)}"
    return SourceLine("Källdokument", text, _loaded(seeded))


# -- everything ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    scope: Scope
    promise: PromiseFacts
    areas: tuple[AreaData, ...]
    crime: CrimeData
    events: EventsData
    sources: tuple[SourceLine, ...]
    notes: tuple[str, ...] = ()  # editors' notes on the charts in the report's years, numbered (a default: older
    # frozen records have none)

    @property
    def statuses(self) -> dict[str, list[str]]:
        """The statuses per focus area name, for the summary."""
        return {a.area.name: a.statuses for a in self.areas}


def report_data(store: Store, *, kommun_code: str, year: int, tertial: int, today: date) -> ReportData:
    """Everything the tertial report shows; InputError (Swedish) for refused choices (see ``report_scope``).

    A frozen tertial is read from its frozen record instead: the same content every time, whatever is
    edited later."""
    scope = report_scope(store, kommun_code=kommun_code, year=year, tertial=tertial, today=today)
    frozen = store.frozen_tertials(scope.promise.id).get(scope.tertial) if scope.promise.id is not None else None
    if frozen is not None:
        data = from_record(frozen["record"])
        return dataclasses.replace(data, scope=dataclasses.replace(data.scope, frozen=frozen_text(frozen)))
    code = scope.kommun.code
    stats = store.crime_stats([code])
    kpis = store.kpi_values([code], [*KOLADA_KPIS, POPULATION_KPI])
    series = yearly.yearly_series(stats, kpis, kommun_code=code)
    dates = source_dates(store)
    document = store.source_documents().get(scope.promise.source_key or "")
    crime = _crime(scope, stats, kpis, series, dates)
    return ReportData(
        scope,
        promise_facts(scope.promise, document),
        _areas(store, scope, series, dates),
        crime,
        _events(store, scope),
        _sources(store, scope, crime),
        _notes(store, scope),
    )


def _notes(store: Store, scope: Scope) -> tuple[str, ...]:
    """The kommun's notes on the charts from the year before the report's through its end, numbered: those for
    every chart and those on a crime type or focus area the promise targets."""
    areas = scope.promise.focus_areas
    types = {t for a in areas for t in a.crime_types}
    chosen = [
        n
        for area in (None, *areas)
        for n in cycle.notes_for(
            cycle.notes_from(store.annotations(scope.kommun.code)),
            crime_types=types if area is None else (),
            focus_area_id=None if area is None else area.id,
        )
        if date(scope.year - 1, 1, 1) <= n.day <= scope.end
    ]
    unique = sorted({(n.day, n.when, n.text) for n in chosen})
    return tuple(f"{i}. {when}: {text}" for i, (_, when, text) in enumerate(unique, start=1))


# -- the frozen record: a ReportData as JSON and back (a frozen tertial's report is drawn from it) --------------------

RECORD_VERSION = 1
_RECORD_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Scope,
        Kommun,
        Promise,
        FocusArea,
        Commitment,
        PromiseFacts,
        Comment,
        Timeline,
        AreaData,
        CrimeData,
        analysis.PeriodComparison,
        analysis.Change,
        EventsData,
        SourceLine,
        ReportData,
    )
}


def to_record(data: ReportData) -> str:
    """The report's data as JSON text: what a frozen tertial keeps, whatever is edited later."""
    return json.dumps({"version": RECORD_VERSION, "data": _encode(data)}, ensure_ascii=False, sort_keys=True)


def from_record(text: str) -> ReportData:
    """The ReportData a frozen record holds (``to_record`` reversed)."""
    try:
        payload = json.loads(text)
        data = _decode(payload["data"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("Den frysta uppföljningen kunde inte läsas (skadad post i databasen).") from exc
    if not isinstance(data, ReportData):
        raise InputError("Den frysta uppföljningen kunde inte läsas (fel slags post).")
    return data


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, "fields": fields}
    if isinstance(value, pd.DataFrame):
        return _encode_frame(value)
    if isinstance(value, tuple | list):
        return {"__tuple__": [_encode(v) for v in value]} if isinstance(value, tuple) else [_encode(v) for v in value]
    if isinstance(value, pd.Timestamp | datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _encode(value.item())
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot freeze a {type(value).__name__}")


def _encode_frame(frame: pd.DataFrame) -> dict:
    rows = [[_encode(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return {
        "__frame__": {
            "columns": [str(c) for c in frame.columns],
            "dtypes": [str(t) for t in frame.dtypes],
            "index": [_encode(v) for v in frame.index] if not isinstance(frame.index, pd.RangeIndex) else None,
            "index_name": frame.index.name,
            "rows": rows,
        }
    }


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__type__" in value:
        cls = _RECORD_TYPES[value["__type__"]]
        return cls(**{name: _decode(v) for name, v in value["fields"].items()})
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__datetime__" in value:
        return datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value:
        return date.fromisoformat(value["__date__"])
    if "__frame__" in value:
        return _decode_frame(value["__frame__"])
    raise ValueError(f"unknown record part: {sorted(value)}")


def _decode_frame(spec: dict) -> pd.DataFrame:
    rows = [[_decode(v) for v in row] for row in spec["rows"]]
    frame = pd.DataFrame(rows, columns=spec["columns"]) if rows else pd.DataFrame(columns=spec["columns"])
    for column, dtype in zip(spec["columns"], spec["dtypes"], strict=True):
        if dtype != "object":
            frame[column] = frame[column].astype(dtype)
    if spec["index"] is not None:
        frame.index = pd.Index([_decode(v) for v in spec["index"]], name=spec["index_name"])
    return frame


def frozen_text(row: dict) -> str:
    """ "Fryst 2 maj 2023 av Anna Andersson. Undertecknad för Polisen av …, för Kommunen: ej ännu." of a
    frozen_tertial row."""
    parts = [f"Fryst {formats.day(row['frozen_at'])} av {row['frozen_by']}."]
    for party, key in (("Polisen", "polisen"), ("Kommunen", "kommunen")):
        who, when = row.get(f"signed_{key}_by"), row.get(f"signed_{key}_at")
        signed = f"Undertecknad för {party} av {who} {formats.day(when)}."
        parts.append(signed if who else f"Ej undertecknad för {party}.")
    return " ".join(parts)
