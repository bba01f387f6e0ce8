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


def label(code: str) -> str:
    """Swedish label for a crime type code; unknown codes are shown as they are."""
    crime_type = BY_CODE.get(code)
    return crime_type.label if crime_type else code


def is_surveillance(code: str) -> bool:
    """True for spaningsbrott (narkotika, trafik): more police work shows up as more crime."""
    crime_type = BY_CODE.get(code)
    return bool(crime_type and crime_type.surveillance)
