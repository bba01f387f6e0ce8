"""Pure plotly figures (core): DataFrame in, Figure out, readable on a projector, Swedish formats."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lofte_data import formats

# Okabe-Ito, safe for colour-blind viewers.
BLUE, ORANGE, GREEN, GREY, VERMILION = "#0072B2", "#E69F00", "#009E73", "#8C8C8C", "#D55E00"
FONT_SIZE = 18


def base_layout(fig: go.Figure, *, title: str, source: str, height: int = 460) -> go.Figure:
    """Large type, Swedish separators, the source under the plot."""
    fig.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 4}},
        separators=", ",
        font={"size": FONT_SIZE, "color": "#222222"},
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 90},
        plot_bgcolor="white",
        showlegend=False,
    )
    fig.update_xaxes(tickfont={"size": FONT_SIZE}, title_font={"size": FONT_SIZE})
    fig.update_yaxes(
        gridcolor="#DDDDDD", tickformat=",d", rangemode="tozero",
        tickfont={"size": FONT_SIZE}, title_font={"size": FONT_SIZE},
    )  # fmt: skip
    fig.add_annotation(
        text=source, xref="paper", yref="paper", x=0, y=-0.2, showarrow=False,
        xanchor="left", font={"size": FONT_SIZE - 4, "color": "#444444"},
    )  # fmt: skip
    return fig


def yearly_totals_bar(totals: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Bars per year (columns year, count, preliminary); preliminary years lighter and marked "prel."."""
    labels = [f"{y} prel." if p else str(y) for y, p in zip(totals["year"], totals["preliminary"], strict=True)]
    colours = [ORANGE if p else BLUE for p in totals["preliminary"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=totals["count"].tolist(),
            marker_color=colours,
            text=[formats.number(v) for v in totals["count"]],
            textposition="outside",
            textfont={"size": FONT_SIZE},
            hovertemplate="%{x}: %{y:,d} anmälda brott<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(type="category")
    return base_layout(fig, title=title, source=source)
