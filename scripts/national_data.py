"""A national-scale data set in the real formats, for scripts/benchmark.py and the SIGKILL test (never for the app).

Every figure is INVENTED (deterministic, plausible magnitudes). What it makes, at ``scale`` 1.0:

- ``databasfil``: one Brå statistikdatabas export (monthly menu, ISO-8859-1, the trailing ';' Brå writes) for
  every kommun x every Brå category x 20 years x 12 months, the last year preliminary (about 37 MB);
  imported through ``importing.import_bra`` like ``python -m lofte_data import-bra``.
- ``store_kolada``: Kolada values (every refresh KPI, every kommun, län and Riket, 2010-2025) from the fake
  Kolada's ``invented_value``, stored through ``Store.upsert_kpi_values``.
- ``incidents``: 1 000 000 incidents over ten years, Stockholm (0180) with about 94 000 of them.
- ``promises``: a promise per kommun for ``PROMISE_YEAR`` with 50 000 activities in all.

``scale`` shrinks the kommuner in the Brå file and the incidents and activities (Kungsör and Stockholm are
always in), so that ``python scripts/benchmark.py --scale 0.05`` is a quick run.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from lofte_data.crime_types import BRA_LABELS, kolada_refresh_kpis
from lofte_data.models import Activity, Commitment, FocusArea, Promise
from lofte_data.sources.bra import MONTHS
from lofte_data.storage import Store
from lofte_data.sweden import load_kommuner
from tests.support.fake_kolada import FAKE_YEARS, invented_population, invented_value

KUNGSOR, STOCKHOLM = "1960", "0180"
LAST_YEAR = 2025
BRA_YEARS = range(LAST_YEAR - 19, LAST_YEAR + 1)
PROMISE_YEAR = 2025
INCIDENTS = 1_000_000
STOCKHOLM_SHARE = 0.094
ACTIVITIES = 50_000
# Monthly reported crimes per 100 000 inv (invented levels), per Brå category.
MONTHLY_RATE = {
    "totalt": 1100.0,
    "vald": 85.0,
    "hot_frihet": 170.0,
    "vardsloshet": 25.0,
    "stold": 330.0,
    "bilbrott": 55.0,
    "skadegorelse": 140.0,
    "trafik": 70.0,
    "alkohol_narkotika": 80.0,
    "vapen": 4.0,
    "bedrageri": 190.0,
}
CATEGORIES = ("Stöld", "Misshandel", "Trafikolycka", "Skadegörelse", "Brand", "Rån", "Ordningsstörning", "Övrigt")


def kommuner(scale: float) -> pd.DataFrame:
    """The kommuner in the data set: every ``1/scale``-th kommun, Kungsör and Stockholm always."""
    frame = load_kommuner()
    step = max(1, round(1 / scale)) if scale < 1 else 1
    chosen = frame.iloc[::step]
    extra = frame[frame["code"].isin([KUNGSOR, STOCKHOLM]) & ~frame["code"].isin(chosen["code"])]
    return pd.concat([chosen, extra], ignore_index=True)


def databasfil(scale: float = 1.0) -> bytes:
    """One Brå Databasfil for the chosen kommuner x every category x 20 years x 12 months."""
    rng = np.random.default_rng(13)
    lines = ["Region;Brott;År;Period;Antal;/100 000 inv"]
    for code, name in zip(*kommuner(scale)[["code", "name"]].T.values, strict=True):
        for year in BRA_YEARS:
            people = invented_population(code, year) * (12 if code == STOCKHOLM else 1)
            year_text = f"{year} prel." if year == LAST_YEAR else str(year)
            for brott, crime_type in BRA_LABELS.items():
                expected = MONTHLY_RATE[crime_type] * people / 100_000
                counts = rng.poisson(expected, 12)
                for month, n in zip(MONTHS, counts, strict=True):
                    lines.append(f"{name} kommun;{brott};{year_text};{month};{n};{round(n * 100_000 / people)};")
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def kolada_values() -> pd.DataFrame:
    """Every refresh KPI for every kommun, län and Riket, 2010-2025, as the fake Kolada serves them."""
    frame = load_kommuner()
    areas = [*frame["code"], *{f"00{c}" for c in frame["lan_code"]}, "0000"]
    rows = [
        (area, kpi, year, value)
        for kpi in kolada_refresh_kpis()
        for area in areas
        for year in FAKE_YEARS
        if (value := invented_value(kpi, area, year)) is not None
    ]
    return pd.DataFrame(rows, columns=["area_code", "kpi", "year", "value"])


def store_kolada(store: Store) -> int:
    return store.upsert_kpi_values(kolada_values(), source="Kolada", dataset="kolada", note="nationellt testdata")


def incidents(scale: float = 1.0, *, first_id: int = 0) -> pd.DataFrame:
    """``INCIDENTS x scale`` incidents over ten years; Stockholm has 9.4 %, the rest spread evenly."""
    rng = np.random.default_rng(7)
    total = int(INCIDENTS * scale)
    codes = list(load_kommuner()["code"])
    others = [c for c in codes if c != STOCKHOLM]
    kommun = np.where(rng.random(total) < STOCKHOLM_SHARE, STOCKHOLM, rng.choice(others, total))
    start = datetime(LAST_YEAR - 9, 1, 1).timestamp()
    seconds = rng.uniform(0, datetime(LAST_YEAR + 1, 1, 1).timestamp() - start, total)
    own = rng.random(total) < 0.05
    lat = 59.33 + rng.normal(0, 0.03, total)
    lon = 18.06 + rng.normal(0, 0.05, total)
    ids = np.arange(first_id, first_id + total)
    return pd.DataFrame(
        {
            "kommun_code": kommun,
            "occurred_at": pd.to_datetime(start + seconds, unit="s").floor("min"),
            "category": rng.choice(CATEGORIES, total),
            "origin": np.where(own, "egen", "polisen"),
            "external_id": pd.Series(np.char.add("bench-", ids.astype(str))).where(~own, None),
            "place": np.where(own, "Torget", ""),
            "lat": np.where(rng.random(total) < 0.1, np.nan, lat),
            "lon": lon,
            "description": "",
            "reported_by": np.where(own, "Rapportör", "Polisen"),
            "url": None,
        }
    )


def store_incidents(store: Store, scale: float = 1.0, *, chunk: int = 200_000) -> int:
    frame = incidents(scale)
    for begin in range(0, len(frame), chunk):
        store.add_incidents(frame.iloc[begin : begin + chunk])
        if store.engine.dialect.name == "postgresql":
            # Fresh statistics, as autovacuum has between two real imports: without them the planner reads
            # the table grown by 200 000 rows as empty and looks up each next chunk's keys by a full scan.
            with store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE incident")
    return len(frame)


def _promise(code: str) -> Promise:
    areas = tuple(
        FocusArea(
            name=name,
            description="Testdata för prestandamätningen.",
            crime_types=types,
            commitments=tuple(
                Commitment(text=f"{name}: insats {n}", owner=owner, target_type="minst", target_count=40, unit="st")
                for n, owner in enumerate(("Polisen", "Kommunen", "Gemensamt"), start=1)
            ),
        )
        for name, types in (
            ("Trygghet i centrum", ("totalt", "skadegorelse")),
            ("Trafiksäkerhet", ("trafik",)),
            ("Narkotika bland unga", ("alkohol_narkotika",)),
        )
    )
    return Promise(kommun_code=code, year=PROMISE_YEAR, title=f"Medborgarlöfte {PROMISE_YEAR}", focus_areas=areas)


def store_promises(store: Store, scale: float = 1.0) -> int:
    """A promise per kommun with ``ACTIVITIES x scale`` activities in all, spread over its nine commitments."""
    rng = np.random.default_rng(3)
    codes = list(kommuner(scale)["code"])
    per_promise = max(1, int(ACTIVITIES * scale) // len(codes))
    added = 0
    for code in codes:
        days = rng.integers(0, 365, per_promise)
        activities = [
            (
                1 + i % 3,
                1 + (i // 3) % 3,
                Activity(0, date.fromordinal(date(PROMISE_YEAR, 1, 1).toordinal() + int(d)), 1),
            )
            for i, d in enumerate(days)
        ]
        if store.add_promise(_promise(code), activities) is not None:
            added += len(activities)
    return added
