"""The lägesbild and åtgärdsplan document (core): its content as plain records, no drawing.

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete asks every kommun for a lägesbild, an
åtgärdsplan based on it, and a follow-up. ``build_document`` gathers them from the database in the structure
of the law's guidance: 1) sammanfattning, 2) lägesbild, 3) analys och prioriterade problem, 4) åtgärdsplan,
5) uppföljning av föregående plan; every table carries its source and date. The prose that only the kommun can
write (sammanfattning, analys) comes from the promise; where it is missing the document says so and where to
fill it in, it never invents text. Two renderers draw the same records: lagesbild_pdf (fpdf2) and
lagesbild_docx (Word, so the kommun can edit the prose before it goes to kommunfullmäktige).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from lofte_data import analysis, comparison, followup, formats, incidents, public
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI, is_surveillance, label
from lofte_data.errors import InputError
from lofte_data.models import NO_CAUSE_ANALYSIS, Kommun, Promise
from lofte_data.storage import Store

TITLE = "Lägesbild och åtgärdsplan"
LAW = "Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete"
SECTION_TITLES = (
    "1. Sammanfattning",
    "2. Lägesbild",
    "3. Analys och prioriterade problem",
    "4. Åtgärdsplan",
    "5. Uppföljning av föregående plan",
)
WHERE_TO_WRITE = "fylls i av redaktören under Redigera löfte"
YEARS_SHOWN = 5
FIRST_YEAR = 2013
# Brå's Nationella trygghetsundersökning (NTU) through Kolada: the trygghet figures the lägesbild shows.
NTU_KPIS = {
    "N07609": "Otrygghet vid utomhusvistelse sen kväll i det egna bostadsområdet",
    "N07611": "Oro över brottsligheten i samhället",
    "N07601": "Förtroende för polisens sätt att bedriva sitt arbete",
    "N07633": "Självrapporterad utsatthet för brott mot enskild person",
}


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "note", "missing"] = "body"


@dataclass(frozen=True)
class Subheading:
    text: str
    level: int = 2  # under the section's own heading (level 1)


@dataclass(frozen=True)
class Table:
    """A table of formatted text; ``weights`` are the relative column widths; ``source`` names where the figures
    come from and when they were loaded."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str
    weights: tuple[float, ...] = ()


Block = Paragraph | Subheading | Table


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    kommun: Kommun
    year: int
    made: date
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return f"{TITLE} {self.year}"

    def text(self) -> str:
        """Every text of the document in order (for tests and search)."""
        parts = [self.title, *(f"{k}: {v}" for k, v in self.facts)]
        for section in self.sections:
            parts.append(section.title)
            for block in section.blocks:
                if isinstance(block, Table):
                    parts += [" | ".join(block.columns), *(" | ".join(r) for r in block.rows), block.source]
                else:
                    parts.append(block.text)
        return "\n".join([*parts, *self.sources])


def render(document: Document, suffix: str) -> bytes:
    """The document as PDF (``.pdf``) or Word (``.docx``); InputError for any other file type."""
    kind = check_suffix(suffix)
    # Imported here: the renderers import this module's records, so a top-level import would be circular.
    if kind == ".pdf":
        from lofte_data import lagesbild_pdf

        return lagesbild_pdf.render(document)
    from lofte_data import lagesbild_docx

    return lagesbild_docx.render(document)


def check_suffix(suffix: str) -> str:
    """The file type before any work is done: .pdf or .docx."""
    if suffix.lower() not in (".pdf", ".docx"):
        raise InputError(f"Filen måste sluta på .pdf eller .docx, inte {suffix or 'ingenting'!r}.")
    return suffix.lower()


# -- the request -------------------------------------------------------------------------------------------------


def check_request(store: Store, kommun_code: object, year: object, *, today: date) -> tuple[Kommun, int]:
    """The kommun and year asked for, or InputError with a Swedish message saying what to write instead."""
    kommun = store.kommun(str(kommun_code).strip())
    if kommun is None or kommun.kind != "K":
        raise InputError(f"Okänd kommunkod {str(kommun_code)[:20]!r}. Ange en fyrsiffrig kommunkod, t.ex. 1960.")
    text = str(year).strip()
    last = today.year + 1
    if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= last):
        raise InputError(f"Året måste vara ett årtal mellan {FIRST_YEAR} och {last}, t.ex. 2025, inte {text[:20]!r}.")
    return kommun, int(text)


def build_document(store: Store, *, kommun_code: object, year: object, today: date | None = None) -> Document:
    """The lägesbild and åtgärdsplan of a kommun for a year; the plan is the year's promise, the follow-up the
    year before's. A missing promise or missing prose is named in the document, not refused."""
    today = today or date.today()
    kommun, year = check_request(store, kommun_code, year, today=today)
    years = store.promise_years(kommun.code)
    plan = store.promise(kommun.code, year) if year in years else None
    previous = store.promise(kommun.code, year - 1) if year - 1 in years else None
    bra = _loaded(store, "bra")
    sections = (
        Section(SECTION_TITLES[0], _summary(store, kommun, year, plan, previous, today)),
        Section(SECTION_TITLES[1], _situation(store, kommun, year, today, bra)),
        Section(SECTION_TITLES[2], _analysis(kommun, year, plan, years)),
        Section(SECTION_TITLES[3], _action_plan(kommun, year, plan, years)),
        Section(SECTION_TITLES[4], _follow_up(store, kommun, year, previous, today, years)),
    )
    facts = (
        ("Kommun", f"{kommun.name} (kommunkod {kommun.code}), {kommun.lan_name}"),
        ("Lokalpolisområde", kommun.police_area or "uppgift saknas"),
        ("Åtgärdsplanen gäller", str(year)),
        ("Framtagen", formats.day(today)),
        ("Underlag enligt", LAW),
    )
    return Document(kommun, year, today, facts, sections, _sources(store, plan, previous, bra))


def _loaded(store: Store, name: str) -> str:
    """ "Brå, statistikdatabasen (inbyggd), inläst 22 nov 2026" for a dataset, or that the date is unknown."""
    info = store.dataset(name)
    if not info:
        return "inläsningsdatum saknas"
    return f"{info['source']}, inläst {formats.day(info['loaded_at'])}"


def _missing(what: str, plan: Promise | None, year: int) -> Paragraph:
    where = WHERE_TO_WRITE if plan else f"{WHERE_TO_WRITE}, när medborgarlöftet för {year} har skapats"
    return Paragraph(f"{what} saknas: {where}.", "missing")


def _registered(kommun: Kommun, years: Sequence[int]) -> str:
    return f"Registrerade år för {kommun.name}: {', '.join(str(y) for y in years) or 'inga'}."


# -- 1. sammanfattning ------------------------------------------------------------------------------------------


def _summary(
    store: Store, kommun: Kommun, year: int, plan: Promise | None, previous: Promise | None, today: date
) -> tuple[Block, ...]:
    written = plan is not None and plan.plan_summary
    blocks: list[Block] = [Paragraph(plan.plan_summary) if written else _missing("Sammanfattning", plan, year)]
    blocks.append(Subheading("Nyckeltal ur underlaget"))
    yearly = public.yearly_counts(store.crime_stats([kommun.code]), kommun.code)
    total = yearly[(yearly["crime_type"] == "totalt") & yearly["complete"] & (yearly["year"] <= year)]
    if not total.empty:
        last = total.iloc[-1]
        prel = " (preliminär)" if bool(last["preliminary"]) else ""
        blocks.append(
            Paragraph(
                f"Anmälda brott {int(last['year'])}: {formats.number(int(last['count']))}{prel}. "
                f"Källa: {last['source']}."
            )
        )
    if plan is not None:
        commitments = sum(len(a.commitments) for a in plan.focus_areas)
        blocks.append(
            Paragraph(
                f"Åtgärdsplanen {year}: {formats.count(len(plan.focus_areas), 'fokusområde', 'fokusområden')}, "
                f"{formats.count(commitments, 'åtagande', 'åtaganden')}. Källa: medborgarlöftet {year}."
            )
        )
    if previous is not None:
        statuses = _previous_table(store, previous, today)["status"]
        counts = ", ".join(f"{s} {n}" for s, n in followup.summary(statuses).items() if n) or "inga åtaganden"
        blocks.append(Paragraph(f"Föregående plan {year - 1}: {counts}. Källa: uppföljningen i avsnitt 5."))
    return tuple(blocks)


# -- 2. lägesbild -------------------------------------------------------------------------------------------------


def _situation(store: Store, kommun: Kommun, year: int, today: date, bra: str) -> tuple[Block, ...]:
    stats = store.crime_stats([kommun.code])
    yearly = public.yearly_counts(stats, kommun.code)
    yearly = yearly[yearly["complete"] & (yearly["year"] <= year)]
    blocks: list[Block] = [
        Subheading("Anmälda brott"),
        Paragraph(
            "Förändring = antalet ett år minus året före, och i procent av året före (inget procenttal när året "
            "före hade 0, och inget när underlaget är under 30). Bedömningen prövar om skillnaden är större än "
            "slumpen (Poisson-z = 2(√nu − √före): under 2 inom normal variation, 2–3 möjlig förändring, över 3 "
            "tydlig ökning eller minskning). Spaningsbrott ökar ofta när polisen arbetar mer.",
            "note",
        ),
    ]
    if yearly.empty:
        blocks.append(Paragraph(f"Det finns inga årssiffror om anmälda brott för {kommun.name} till och med {year}."))
    else:
        blocks += _total_table(yearly, kommun, bra)
        blocks += _by_type_table(yearly, kommun, bra)
    blocks += _comparison(store, kommun, year, bra)
    blocks += _ntu(store, kommun)
    blocks += _incident_patterns(store, kommun, year, today)
    return tuple(blocks)


def _change_cells(counts: dict[int, int], year: int, crime_type: str) -> tuple[str, str, str]:
    if year - 1 not in counts:
        return ("–", "–", "–")
    change = analysis.compare(counts[year], counts[year - 1], crime_type=crime_type)
    pct = "–" if change.percent is None or change.small_base else formats.percent(change.percent)
    return (formats.signed(change.absolute), pct, change.verdict)


def _total_table(yearly: pd.DataFrame, kommun: Kommun, bra: str) -> list[Block]:
    rows = yearly[yearly["crime_type"] == "totalt"].tail(YEARS_SHOWN)
    if rows.empty:
        return []
    counts = {int(y): int(c) for y, c in zip(rows["year"], rows["count"], strict=True)}
    body = tuple(
        (
            str(int(r.year)) + (" (prel.)" if r.preliminary else ""),
            formats.number(int(r.count)),
            *_change_cells(counts, int(r.year), "totalt"),
        )
        for r in rows.itertuples()
    )
    sources = ", ".join(sorted(set(rows["source"].astype(str))))
    return [
        Subheading(f"Totalt antal anmälda brott i {kommun.name}, de senaste {len(rows)} åren med siffror", level=3),
        Table(
            ("År", "Anmälda brott", "Förändring", "%", "Bedömning"),
            body,
            f"Källa: {sources}. Datamängd: {bra}.",
            (1.2, 1.4, 1.2, 1, 2.2),
        ),
    ]


def _by_type_table(yearly: pd.DataFrame, kommun: Kommun, bra: str) -> list[Block]:
    by_type = yearly[yearly["crime_type"] != "totalt"]
    if by_type.empty:
        return [Paragraph(f"Det finns inga årssiffror per brottstyp för {kommun.name}.")]
    years = sorted(set(by_type["year"].astype(int)))[-YEARS_SHOWN:]
    body = []
    for code in sorted(by_type["crime_type"].unique(), key=label):
        mine = by_type[(by_type["crime_type"] == code) & by_type["year"].isin(years)]
        if mine.empty:
            continue
        counts = {int(y): int(c) for y, c in zip(mine["year"], mine["count"], strict=True)}
        latest = max(counts)
        name = label(code) + (" (spaningsbrott)" if is_surveillance(code) else "")
        cells = [formats.number(counts[y]) if y in counts else "–" for y in years]
        absolute, pct, verdict = _change_cells(counts, latest, code)
        body.append((name, *cells, f"{absolute} ({pct})" if pct != "–" else absolute, verdict))
    prel = sorted({int(y) for y in by_type.loc[by_type["preliminary"] & by_type["year"].isin(years), "year"]})
    note = f" Preliminära siffror: {', '.join(map(str, prel))}." if prel else ""
    sources = ", ".join(sorted(set(by_type.loc[by_type["year"].isin(years), "source"].astype(str))))
    return [
        Subheading(f"Per brottstyp, {years[0]}–{years[-1]} (senaste åren med siffror per brottstyp)", level=3),
        Table(
            ("Brottstyp", *map(str, years), f"Förändring {years[-1]}", "Bedömning"),
            tuple(body),
            f"Källa: {sources}. Datamängd: {bra}.{note}",
            (3, *([1] * len(years)), 1.6, 2),
        ),
    ]


def _comparison(store: Store, kommun: Kommun, year: int, bra: str) -> list[Block]:
    """Total reported crime per 100 000 inv: the kommun, its lokalpolisområde, the län and Riket."""
    police = [k.code for k in store.kommuner() if kommun.police_area and k.police_area == kommun.police_area]
    regions = [(f"00{kommun.lan_code}", kommun.lan_name), ("0000", "Riket")]
    stats = store.crime_stats(police or [kommun.code])
    kpis = store.kpi_values([kommun.code, *police, *(c for c, _ in regions)], [*KOLADA_KPIS, POPULATION_KPI])
    rates = comparison.yearly_rates(
        stats,
        kpis,
        crime_type="totalt",
        kommun=(kommun.code, kommun.name),
        police_area=(kommun.police_area, police) if len(police) > 1 else None,
        regions=regions,
    )
    rates = rates[rates["year"] <= year]
    blocks: list[Block] = [Subheading("Jämförelse med lokalpolisområdet, länet och riket")]
    if rates.empty:
        return [*blocks, Paragraph(f"Det finns inga jämförbara tal per 100 000 invånare för {kommun.name}.")]
    years = sorted(set(rates["year"]))[-YEARS_SHOWN:]
    areas = list(dict.fromkeys(rates["area"]))
    lookup = {(a, int(y)): v for a, y, v in zip(rates["area"], rates["year"], rates["per_100k"], strict=True)}
    body = tuple((area, *(formats.number(lookup.get((area, y))) for y in years)) for area in areas)
    missing = [name for _, name in regions if name not in areas]
    if missing:
        blocks.append(
            Paragraph(
                f"{' och '.join(missing)}: inga värden från Kolada i databasen (de hämtas under "
                "Importera data eller med den schemalagda hämtningen).",
                "note",
            )
        )
    kolada = _loaded(store, "kolada")
    return [
        *blocks,
        Table(
            ("Anmälda brott per 100 000 inv.", *map(str, years)),
            body,
            f"Källa: Brå (kommunen och lokalpolisområdet; folkmängd från Kolada eller beräknad ur Brås tal), "
            f"Kolada N07540 (länet och riket). Datamängder: {bra}; Kolada: {kolada}.",
            (3, *([1] * len(years))),
        ),
    ]


def _ntu(store: Store, kommun: Kommun) -> list[Block]:
    areas = {kommun.code: kommun.name, f"00{kommun.lan_code}": kommun.lan_name, "0000": "Riket"}
    values = store.kpi_values(list(areas), list(NTU_KPIS)).dropna(subset=["value"])
    blocks: list[Block] = [Subheading("Trygghet (Nationella trygghetsundersökningen, NTU)")]
    if values.empty:
        where = f"{kommun.name}, {kommun.lan_name} eller riket"
        return [*blocks, Paragraph(f"Trygghet: inga NTU-värden finns i databasen för {where} (Brå via Kolada).")]
    latest = values.sort_values("year").groupby(["kpi", "area_code"]).tail(1)
    body = tuple(
        (
            NTU_KPIS[row.kpi],
            areas[row.area_code],
            str(int(row.year)),
            f"{formats.number(float(row.value), 1)}{formats.NBSP}%",
        )
        for row in latest.assign(rank=latest["area_code"].map(list(areas).index))
        .sort_values(["kpi", "rank"])
        .itertuples()
    )
    refreshed = store.dataset("kolada")  # the last fetch; a value's own date says since when it stands unchanged
    fetched = formats.day(refreshed["loaded_at"] if refreshed else pd.Timestamp(values["fetched_at"].max()))
    return [
        *blocks,
        Table(
            ("Mått (andel av de svarande)", "Område", "År", "Andel"),
            body,
            f"Källa: Brå, NTU, via Kolada ({', '.join(NTU_KPIS)}). Hämtat {fetched}.",
            (4, 2, 0.8, 1),
        ),
    ]


def _incident_patterns(store: Store, kommun: Kommun, year: int, today: date) -> list[Block]:
    """Where and when incidents cluster, the police's events and the kommun's own reports apart."""
    blocks: list[Block] = [Subheading(f"Händelser {year}: platser och tider")]
    span = incidents.Period(date(year, 1, 1), min(date(year, 12, 31), today))
    chosen = store.incidents(kommun.code, span.start, span.end)  # the year's, through the index
    blocks.append(
        Paragraph(
            "Polisens händelser är pressmeddelanden om enskilda händelser, inte brottsstatistik. Egna rapporter "
            "kommer från kommunens rapportörer. Det finns inga sådana uppgifter för länet och riket att jämföra med.",
            "note",
        )
    )
    if chosen.empty:
        summary = store.incident_summary(kommun.code)  # counted in SQL, not read row by row
        known = incidents.archive_span(kommun.name, summary.first, summary.last)
        return [*blocks, Paragraph(f"Inga händelser är registrerade för {kommun.name} under {span.label()}.{known}")]
    sources = {
        "polisen": f"Källa: Polisen (polisen.se), {_loaded(store, 'polisen')}.",
        "egen": f"Källa: egna rapporter registrerade i appen, hämtade {formats.day(today)}.",
    }
    for origin, name in incidents.ORIGINS.items():
        mine = chosen[chosen["origin"] == origin]
        if mine.empty:
            blocks.append(Paragraph(f"{name}: inga under {span.label()}."))
            continue
        blocks.append(Paragraph(f"{name}: {formats.count(len(mine), 'händelse', 'händelser')} under {span.label()}."))
        spots = incidents.hot_spots(mine, limit=5)
        blocks.append(
            Table(
                ("Plats", "Händelser", "Vanligaste typ"),
                tuple((str(p), formats.number(int(n)), str(k)) for p, n, k in spots.itertuples(index=False)),
                sources[origin],
                (3, 1, 2),
            )
        )
        slots = incidents.patrol_slots(mine)
        if slots:
            blocks.append(Paragraph("Tider med flest händelser: " + "; ".join(slots) + "."))
    return blocks


# -- 3. analys ------------------------------------------------------------------------------------------------------


def _analysis(kommun: Kommun, year: int, plan: Promise | None, years: Sequence[int]) -> tuple[Block, ...]:
    written = plan is not None and plan.plan_analysis
    blocks: list[Block] = [Paragraph(plan.plan_analysis) if written else _missing("Analys", plan, year)]
    if plan is None:
        return (
            *blocks,
            Paragraph(
                f"Inget medborgarlöfte är registrerat för {kommun.name} {year}, så "
                f"prioriterade problem saknas. {_registered(kommun, years)}"
            ),
        )
    blocks.append(Paragraph(f"Prioriterade problem: fokusområdena i medborgarlöftet {year}, med källans ord."))
    for number, area in enumerate(plan.focus_areas, start=1):
        blocks.append(Subheading(f"3.{number} {area.name}"))
        if area.description:
            blocks.append(Paragraph(area.description))
        cause = f"Orsaksanalys: {area.cause_analysis}" if area.cause_analysis.strip() else NO_CAUSE_ANALYSIS
        blocks.append(Paragraph(cause))
        types = ", ".join(label(t) for t in area.crime_types) or "inga kopplade"
        blocks.append(Paragraph(f"Brottstyper som området riktar sig mot: {types}.", "note"))
    return tuple(blocks)


# -- 4. åtgärdsplan ------------------------------------------------------------------------------------------------


def _how_followed(target_type: str, plan: Promise) -> str:
    times = plan.follow_ups_per_year or 3
    when = f"{formats.count(times, 'gång', 'gånger')} per år" + (" (per tertial)" if times == 3 else "")
    what = {
        "minst": "antal registreras och jämförs med målet",
        "exakt": "antal registreras och jämförs med målet",
        "genomfora": "genomfört eller inte redovisas",
        "lopande": "aktiviteter redovisas löpande",
    }.get(target_type, "redovisas")
    return f"{what.capitalize()}; {when} i lokala BRÅ"


def _action_plan(kommun: Kommun, year: int, plan: Promise | None, years: Sequence[int]) -> tuple[Block, ...]:
    if plan is None:
        return (
            Paragraph(
                f"Åtgärdsplan saknas: inget medborgarlöfte är registrerat för {kommun.name} {year}; det "
                f"skapas under Redigera löfte. {_registered(kommun, years)}",
                "missing",
            ),
        )
    blocks: list[Block] = [
        Paragraph(
            "Varje åtagande med ansvarig (Polisen, Kommunen eller Gemensamt), mål, tid och hur det följs upp. "
            "Statusen bedöms med samma regel för alla åtaganden (se avsnitt 5).",
            "note",
        )
    ]
    for number, area in enumerate(plan.focus_areas, start=1):
        blocks.append(Subheading(f"4.{number} {area.name}"))
        if not area.commitments:
            blocks.append(Paragraph("Åtaganden saknas i källan för fokusområdet.", "missing"))
            continue
        ordered = sorted(area.commitments, key=lambda c: followup.OWNER_ORDER.index(c.owner))
        rows = tuple(
            (c.text, c.owner, c.target_text(), f"1 jan–31 dec {year}", _how_followed(c.target_type, plan))
            for c in ordered
        )
        blocks.append(
            Table(
                ("Åtagande", "Ansvar", "Mål", "Tid", "Uppföljning"),
                rows,
                f"Källa: medborgarlöftet {kommun.name} {year}, registrerat i appen.",
                (3.6, 1.5, 1.5, 1.4, 2.6),
            )
        )
    if not plan.focus_areas:
        blocks.append(
            Paragraph(f"Inga fokusområden är registrerade i medborgarlöftet {kommun.name} {year}.", "missing")
        )
    return tuple(blocks)


# -- 5. uppföljning -------------------------------------------------------------------------------------------------


def _previous_table(store: Store, previous: Promise, today: date) -> pd.DataFrame:
    """The previous plan judged today by the one status rule (a year that is over gets its final statuses)."""
    activities = store.activities(previous.id)
    frames = [
        followup.follow_up_table(a.commitments, activities, year=previous.year, on=today).assign(area=a.name)
        for a in previous.focus_areas
        if a.commitments
    ]
    if not frames:
        return pd.DataFrame(columns=[*followup.TABLE_COLUMNS, "area"])
    return pd.concat(frames, ignore_index=True)


def _follow_up(
    store: Store, kommun: Kommun, year: int, previous: Promise | None, today: date, years: Sequence[int]
) -> tuple[Block, ...]:
    if previous is None:
        return (
            Paragraph(
                f"Inget medborgarlöfte är registrerat för {kommun.name} {year - 1}; det finns ingen "
                f"föregående plan att följa upp. {_registered(kommun, years)}"
            ),
        )
    table = _previous_table(store, previous, today)
    head = Paragraph(
        f"Medborgarlöftet {year - 1}: vad som lovades och vad som gjordes, bedömt {formats.day(today)}. "
        f"{followup.ACHIEVED_HELP} På väg: i takt med hur stor del av året som gått. Efter plan: under den takten. "
        "Ej påbörjad: inget registrerat ännu. Ingen uppgift: året är slut och inget är registrerat.",
        "note",
    )
    if table.empty:
        names = ", ".join(a.name for a in previous.focus_areas) or "inga"
        return (head, Paragraph(f"Inga åtaganden är registrerade för {year - 1} (fokusområden: {names})."))
    counts = followup.summary(table["status"])
    summary = ", ".join(f"{s} {formats.number(n)}" for s, n in counts.items() if n)
    blocks: list[Block] = [
        head,
        Paragraph(f"Läget för {formats.count(len(table), 'åtagande', 'åtaganden')}: {summary}."),
    ]
    for number, (area, rows) in enumerate(table.groupby("area", sort=False), start=1):
        blocks.append(Subheading(f"5.{number} {area}"))
        blocks.append(
            Table(
                ("Åtagande", "Ansvar", "Mål", "Utfört", "Status", "Läge"),
                tuple(
                    (r.text, r.owner, r.target, formats.number(int(r.total)), r.status, r.note)
                    for r in rows.itertuples()
                ),
                f"Källa: aktiviteter i medborgarlöftet {kommun.name} {year - 1}, registrerade i appen eller hämtade "
                f"ur källdokumentet; uttag {formats.day(today)}.",
                (3.6, 1.5, 1.3, 0.9, 1.4, 2.2),
            )
        )
    return tuple(blocks)


def _sources(store: Store, plan: Promise | None, previous: Promise | None, bra: str) -> tuple[str, ...]:
    documents = store.source_documents()
    items = [
        f"Brå (Brottsförebyggande rådet), anmälda brott: {bra}.",
        f"Polisen, händelser (polisen.se): {_loaded(store, 'polisen')}.",
        f"Kolada (RKA), nyckeltal och folkmängd: {_loaded(store, 'kolada')}.",
    ]
    for promise in (plan, previous):
        if promise is None:
            continue
        document = documents.get(promise.source_key or "")
        where = f"{document.title} ({document.publisher})" if document else "registrerat i appen av en redaktör"
        items.append(f"Medborgarlöftet {promise.year}: {where}.")
    return tuple(items)
