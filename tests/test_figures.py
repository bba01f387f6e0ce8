"""Figures for the projector: every text grows with the type, and a slide chart takes its container's height."""

from __future__ import annotations

import pandas as pd

from lofte_data import figures
from tests.support.figures import bar_labels


def _lines() -> object:
    frame = pd.DataFrame(
        {"year": [2015, 2016, 2015, 2016], "label": ["Våld", "Våld", "Stöld", "Stöld"], "count": [10, 12, 30, 25]}
    )
    return figures.crime_types_by_year(frame, title="Brotten", source="Källa: Brå.")


def test_for_projector_scales_title_axes_legend_and_source() -> None:
    fig = _lines()
    big = figures.for_projector(fig)
    size = round(figures.FONT_SIZE * 1.35)
    assert big.layout.title.font.size == size + 6 > fig.layout.title.font.size
    assert big.layout.xaxis.tickfont.size == big.layout.yaxis.tickfont.size == size
    assert big.layout.legend.font.size == size
    assert big.layout.annotations[0].font.size == size - 4 > fig.layout.annotations[0].font.size
    assert big.layout.height == int(fig.layout.height * 1.15)
    assert fig.layout.title.font.size == figures.FONT_SIZE + 4  # the original is left alone


def test_a_slide_chart_fills_its_container_and_shows_its_source_as_text() -> None:
    big = figures.for_projector(_lines(), fill=True)
    assert big.layout.height is None and big.layout.autosize
    assert big.layout.title.automargin  # title and legend each claim their room, no overlap
    bare, source = figures.without_source(big)
    assert source == "Källa: Brå." and not bare.layout.annotations


def test_tertial_bar_labels_are_cut_to_the_limit() -> None:
    table = pd.DataFrame(
        {
            "text": ["Ett mycket långt åtagande om trygghetsvandringar i centrum"],
            "total": [3],
            "T1": [1],
            "T2": [2],
            "T3": [0],
            "ej_fordelat": [0],
        }
    )
    fig = figures.tertial_bars(table, title="Utfört", label_limit=20)
    (label,) = bar_labels(fig)
    assert len(label) == 20 and label.endswith("…")
    assert list(fig.data[0].x) == [1] and list(fig.data[1].x) == [2]  # T1, T2; T3 and Ej fördelat are empty


def test_two_commitments_that_begin_alike_keep_a_bar_each() -> None:
    """A category axis draws equal labels as one bar: Kungsör 2023's two drug-dog searches (the police's two
    schools, the kommun's hired search) must not become one bar of 3 on a slide."""
    table = pd.DataFrame(
        {
            "text": [
                "Förebyggande narkotikasök med polishund på skolor",
                "Förebyggande narkotikasök med hund genom privat aktör",
                "Trygghetsvandring",
                "Trygghetsvandring",
            ],
            "total": [2, 1, 1, 1],
            "T1": [0, 0, 1, 0],
            "T2": [0, 0, 0, 1],
            "T3": [0, 0, 0, 0],
            "ej_fordelat": [2, 1, 0, 0],
        }
    )
    fig = figures.tertial_bars(table, title="Utfört", label_limit=30)
    labels = bar_labels(fig)
    assert list(fig.data[0].y) == [0, 1, 2, 3]  # a bar each, in the table's order
    assert len(set(labels)) == 4 and all(len(label) <= 30 for label in labels[:2])
    assert labels[:2] == ["Förebyggande … på skolor", "Förebyggande … privat aktör"]
    assert labels[2:] == ["Trygghetsvandring (3)", "Trygghetsvandring (4)"]
    unassigned = next(t for t in fig.data if t.name == "Ej fördelat")
    assert list(unassigned.x) == [2, 1, 0, 0]
