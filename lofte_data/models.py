"""Records of the promise model (core): löfte -> fokusområde -> åtagande, plus kommun and source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date

OWNERS = ("Polisen", "Kommunen", "Gemensamt")
TARGET_TYPES = ("minst", "exakt", "genomfora", "lopande")
TARGET_LABELS = {"minst": "minst", "exakt": "exakt", "genomfora": "genomföra", "lopande": "löpande"}
NO_CAUSE_ANALYSIS = "Källan anger ingen orsaksanalys."


@dataclass(frozen=True)
class Kommun:
    code: str
    name: str
    lan_code: str
    lan_name: str
    police_area: str
    police_region: str
    kind: str = "K"  # K kommun, L län, R riket


@dataclass(frozen=True)
class SourceDocument:
    key: str
    title: str
    publisher: str
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Commitment:
    text: str
    owner: str
    target_type: str
    target_count: int | None = None
    unit: str = ""
    note: str = ""
    id: int | None = None

    def target_text(self) -> str:
        """The target as a reader says it: "minst 2 tillfällen", "löpande"."""
        label = TARGET_LABELS.get(self.target_type, self.target_type)
        if self.target_count is None:
            return label
        return f"{label} {self.target_count} {self.unit}".strip()


@dataclass(frozen=True)
class FocusArea:
    name: str
    description: str = ""
    cause_analysis: str = ""
    crime_types: tuple[str, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    id: int | None = None

    def cause_analysis_text(self) -> str:
        """The cause analysis as the source gives it, or a sentence saying the source gives none."""
        return self.cause_analysis.strip() or NO_CAUSE_ANALYSIS


@dataclass(frozen=True)
class Promise:
    kommun_code: str
    year: int
    title: str
    summary: str = ""
    signed_date: date | None = None
    signatories: tuple[str, ...] = ()
    follow_ups_per_year: int | None = None
    source_key: str | None = None
    focus_areas: tuple[FocusArea, ...] = field(default_factory=tuple)
    id: int | None = None
    published: bool = False  # shown on the public page (Allmänhet) only when True
    plan_summary: str = ""  # the lägesbild document's sammanfattning, written by an editor
    plan_analysis: str = ""  # the lägesbild document's analysis, written by an editor


@dataclass(frozen=True)
class Activity:
    """Work done toward a commitment; ``period_start`` set means a summary over a period ending ``date``.

    ``count`` None means done, count not stated ("genomfört, antal saknas"): the source says the work was
    done but not how many times."""

    commitment_id: int
    date: date
    count: int | None
    place: str = ""
    note: str = ""
    reported_by: str = ""
    period_start: datetime.date | None = None  # not `date`: that name is the field above
    source_key: str | None = None
