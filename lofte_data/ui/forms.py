"""Editor forms (streamlit): the inputs of a promise, a focus area and a commitment."""

from __future__ import annotations

import streamlit as st

from lofte_data.crime_types import CRIME_TYPES, label
from lofte_data.models import OWNERS, TARGET_LABELS, TARGET_TYPES, Commitment, FocusArea, Promise


def commitment_inputs(prefix: str, current: Commitment | None = None) -> dict:
    """The shared inputs of a commitment form."""
    types = list(TARGET_TYPES)
    return {
        "text": st.text_area("Åtagande", value=current.text if current else "", key=f"{prefix}_text"),
        "owner": st.selectbox(
            "Ansvarig", OWNERS, index=OWNERS.index(current.owner) if current else 0, key=f"{prefix}_owner"
        ),
        "target_type": st.selectbox(
            "Måltyp",
            types,
            format_func=TARGET_LABELS.get,
            key=f"{prefix}_type",
            index=types.index(current.target_type) if current else 0,
        ),
        "target_count": st.number_input(
            "Antal (för minst/exakt)",
            min_value=0,
            step=1,
            key=f"{prefix}_count",
            value=(current.target_count or 0) if current else 0,
        ),
        "unit": st.text_input("Enhet, t.ex. kontroller", value=current.unit if current else "", key=f"{prefix}_unit"),
    }


def promise_inputs(prefix: str, current: Promise | None, year: int) -> dict:
    """The inputs of a promise form (title, summary, signed date, signatories one per line)."""
    title = st.text_input("Rubrik", value=current.title if current else f"Medborgarlöfte {year}", key=f"{prefix}_t")
    summary = st.text_area(
        "Sammanfattning och gemensam lägesbild", value=current.summary if current else "", key=f"{prefix}_s"
    )
    signed = st.date_input(
        "Undertecknat", value=current.signed_date if current else None, format="YYYY-MM-DD", key=f"{prefix}_d"
    )
    names = st.text_area(
        "Undertecknare (en per rad)", value="\n".join(current.signatories) if current else "", key=f"{prefix}_n"
    )
    return {"title": title, "summary": summary, "signed_date": signed, "signatories": names.splitlines()}


def focus_area_inputs(prefix: str, current: FocusArea | None) -> dict:
    """The inputs of a focus area form."""
    codes = [t.code for t in CRIME_TYPES]
    return {
        "name": st.text_input("Fokusområde", value=current.name if current else "", key=f"{prefix}_name"),
        "description": st.text_area("Beskrivning", value=current.description if current else "", key=f"{prefix}_desc"),
        "cause_analysis": st.text_area(
            "Orsaksanalys", value=current.cause_analysis if current else "", key=f"{prefix}_cause"
        ),
        "crime_types": st.multiselect(
            "Brottstyper som området riktar sig mot",
            codes,
            format_func=label,
            default=list(current.crime_types) if current else [],
            key=f"{prefix}_types",
        ),
    }


def form_key(kind: str, record: object) -> str:
    """A widget-key prefix that changes when the stored record changes (an edit elsewhere, an undo),
    so an edit form never shows values left over from before."""
    return f"edit-{kind}-{abs(hash(record))}"


def plan_text_inputs(prefix: str, current: Promise) -> dict:
    """The prose of the lägesbild and åtgärdsplan document (Lag 2023:196) that only the kommun can write."""
    return {
        "plan_summary": st.text_area(
            "Sammanfattning (lägesbild och åtgärdsplan)",
            value=current.plan_summary,
            height=160,
            key=f"{prefix}_plan_summary",
            help="Avsnitt 1 i dokumentet. Lämnas det tomt står det i dokumentet att sammanfattningen saknas.",
        ),
        "plan_analysis": st.text_area(
            "Analys och prioriterade problem",
            value=current.plan_analysis,
            height=220,
            key=f"{prefix}_plan_analysis",
            help="Avsnitt 3 i dokumentet, före fokusområdenas orsaksanalyser ur källan.",
        ),
    }
