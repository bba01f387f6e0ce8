"""Crime type vocabulary (core): stable codes, Swedish labels, and how each source names them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrimeType:
    """One crime category as the dashboard shows it."""

    code: str
    label: str
    surveillance: bool = False  # spaningsbrott: found by police activity, a rise is not bad news


CRIME_TYPES: tuple[CrimeType, ...] = (
    CrimeType("totalt", "Totalt antal brott"),
    CrimeType("vald", "Våldsbrott"),
    CrimeType("hot_frihet", "Hot-, kränknings- och frihetsbrott"),
    CrimeType("vardsloshet", "Vårdslöshets- och vållandebrott"),
    CrimeType("stold", "Stöld- och tillgreppsbrott"),
    CrimeType("bostadsinbrott", "Bostadsinbrott"),
    CrimeType("bilbrott", "Bilbrott"),
    CrimeType("skadegorelse", "Skadegörelsebrott"),
    CrimeType("trafik", "Trafikbrott", surveillance=True),
    CrimeType("alkohol_narkotika", "Alkohol- och narkotikabrott", surveillance=True),
    CrimeType("narkotika", "Narkotikabrott", surveillance=True),
    CrimeType("vapen", "Vapenbrott"),
    CrimeType("bedrageri", "Bedrägeri- och ekobrott"),
    CrimeType("sexualbrott", "Sexualbrott"),
    CrimeType("frihet_frid", "Brott mot frihet och frid"),
)

BY_CODE: dict[str, CrimeType] = {t.code: t for t in CRIME_TYPES}

# Brå statistikdatabas "Databasfil", monthly kommun menu 2013-2016 (labels stripped of spaces).
BRA_LABELS: dict[str, str] = {
    "Totalt antal brott": "totalt",
    "Våldsbrott": "vald",
    "Hot-, kränknings- och frihetsbrott": "hot_frihet",
    "Vårdslöshet- och vållandebrott": "vardsloshet",
    "Stöldbrott": "stold",
    "Bilbrott": "bilbrott",
    "Skadegörelsebrott (inkl. mordbrand)": "skadegorelse",
    "Vissa trafikbrott": "trafik",
    "Alkohol- och narkotikabrott": "alkohol_narkotika",
    "Vapenbrott": "vapen",
    # The 2026 annual menu (chapter headings); only the chapter that matches a crime type of ours.
    "9 kap. Bedrägeri och annan oredlighet": "bedrageri",
}

# Kolada v3 KPIs (all "antal/100 000 inv", by brottsplats).
KOLADA_KPIS: dict[str, str] = {
    "N07540": "totalt",
    "N07403": "vald",
    "U07417": "stold",
    "N07546": "bostadsinbrott",
    "N07547": "bilbrott",
    "U07452": "skadegorelse",
    "N07544": "narkotika",
    "N07548": "trafik",
    "N07538": "bedrageri",
    "N07537": "sexualbrott",
    "N07536": "frihet_frid",
}
POPULATION_KPI = "N01951"

EXACT, CLOSE, NONE = "exact", "close", "none"
MATCH_LABELS = {EXACT: "samma", CLOSE: "närliggande", NONE: "saknas"}


@dataclass(frozen=True)
class SourceMatch:
    """How one crime type of ours is found in Brå's categories and in Kolada's KPIs.

    ``match`` says how well the Kolada KPI stands in for the crime type (and for Brå's category when
    both exist): EXACT = the same statistic, CLOSE = a near definition (a chart marks the switch),
    NONE = Kolada has nothing usable. ``definition`` is the Swedish text a chart shows for Kolada points.
    """

    crime_type: str
    bra_label: str | None
    kpi: str | None
    match: str
    definition: str
    why: str


# THE mapping between Brå's categories and Kolada's KPIs (README "Brå och Kolada" has the same table).
SOURCE_MATCHES: tuple[SourceMatch, ...] = (
    SourceMatch(
        "totalt",
        "Totalt antal brott",
        "N07540",
        EXACT,
        "Kolada: anmälda brott totalt (N07540)",
        "Same Brå count by brottsplats; Kolada only divides it by the population.",
    ),
    SourceMatch(
        "vald",
        "Våldsbrott",
        "N07403",
        CLOSE,
        "Kolada: våldsbrott (N07403)",
        "Kolada sums a fixed list (mord/dråp-försök, misshandel, våldtäkt, grov fridskränkning, rån...).",
    ),
    SourceMatch(
        "hot_frihet",
        "Hot-, kränknings- och frihetsbrott",
        "N07536",
        CLOSE,
        "Kolada: brott mot frihet och frid (N07536)",
        "Kolada has BrB chapter 4 only; Brå's category also holds kränkningar outside it.",
    ),
    SourceMatch("vardsloshet", "Vårdslöshet- och vållandebrott", None, NONE, "", "No Kolada KPI."),
    SourceMatch(
        "stold",
        "Stöldbrott",
        "U07417",
        CLOSE,
        "Kolada: stöld- och tillgreppsbrott (U07417)",
        "Kolada counts all of BrB chapter 8, robbery included.",
    ),
    SourceMatch(
        "bostadsinbrott",
        None,
        "N07546",
        EXACT,
        "Kolada: bostadsinbrott (N07546)",
        "Kolada only; the crime type is Kolada's definition.",
    ),
    SourceMatch(
        "bilbrott",
        "Bilbrott",
        "N07547",
        CLOSE,
        "Kolada: bilbrott (N07547)",
        "Theft of and from motor vehicles in both; Kolada's list of sections may differ slightly.",
    ),
    SourceMatch(
        "skadegorelse",
        "Skadegörelsebrott (inkl. mordbrand)",
        "U07452",
        EXACT,
        "Kolada: skadegörelse inkl. mordbrand (U07452)",
        "Both are BrB chapter 12 plus mordbrand.",
    ),
    SourceMatch(
        "trafik",
        "Vissa trafikbrott",
        "N07548",
        CLOSE,
        "Kolada: trafikbrott (N07548)",
        "Brå's monthly menu has a subset ('vissa'); Kolada the whole trafikbrottslagen.",
    ),
    SourceMatch(
        "alkohol_narkotika",
        "Alkohol- och narkotikabrott",
        "N07544",
        CLOSE,
        "Kolada: narkotikabrott (N07544), utan alkoholbrott",
        "Kolada has narkotikabrott only; the alcohol offences are missing.",
    ),
    SourceMatch(
        "narkotika",
        None,
        "N07544",
        EXACT,
        "Kolada: narkotikabrott (N07544)",
        "Kolada only; the crime type is Kolada's definition.",
    ),
    SourceMatch("vapen", "Vapenbrott", None, NONE, "", "No Kolada KPI."),
    SourceMatch(
        "bedrageri",
        "9 kap. Bedrägeri och annan oredlighet",
        "N07538",
        CLOSE,
        "Bedrägeri- och ekobrott (Kolada N07538, närmaste serie)",
        "Kolada's 'ekobrott' is chapters 9-11 plus tax, bidrag and money-laundering laws: wider.",
    ),
    SourceMatch("sexualbrott", None, "N07537", EXACT, "Kolada: sexualbrott (N07537)", "Kolada only; BrB chapter 6."),
    SourceMatch(
        "frihet_frid",
        None,
        "N07536",
        EXACT,
        "Kolada: brott mot frihet och frid (N07536)",
        "Kolada only; BrB chapter 4.",
    ),
)
MATCH_BY_TYPE: dict[str, SourceMatch] = {m.crime_type: m for m in SOURCE_MATCHES}


@dataclass(frozen=True)
class NtuIndicator:
    """An NTU indicator in Kolada (Brå's Nationella trygghetsundersökningen, share in %).

    ``uncertainty_kpi`` is Kolada's "Osäkerhetstal" twin (half the width of the interval) when known.
    None: the twin's id is not in the KPI metadata we have (reference/kolada, April 2026), and a guessed
    id could draw an unrelated KPI as an interval; set the id here once it is checked against Kolada.
    """

    kpi: str
    label: str
    uncertainty_kpi: str | None = None


NTU_INDICATORS: tuple[NtuIndicator, ...] = (
    NtuIndicator("N07609", "Otrygghet ute sen kväll i bostadsområdet"),
    NtuIndicator("N07611", "Oro över brottsligheten i samhället"),
    NtuIndicator("N07633", "Utsatt för brott mot enskild person"),
)


def kolada_refresh_kpis(ntu: tuple[NtuIndicator, ...] = NTU_INDICATORS) -> list[str]:
    """Every KPI ``refresh kolada`` fetches: crime KPIs, population, NTU and their known Osäkerhetstal twins."""
    twins = [i.uncertainty_kpi for i in ntu if i.uncertainty_kpi]
    return [*KOLADA_KPIS, POPULATION_KPI, *(i.kpi for i in ntu), *twins]


def label(code: str) -> str:
    """Swedish label for a crime type code; unknown codes are shown as they are."""
    crime_type = BY_CODE.get(code)
    return crime_type.label if crime_type else code


def is_surveillance(code: str) -> bool:
    """True for spaningsbrott (narkotika, trafik): more police work shows up as more crime."""
    crime_type = BY_CODE.get(code)
    return bool(crime_type and crime_type.surveillance)
