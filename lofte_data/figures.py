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
        margin={"l": 80, "r": 30, "t": 70, "b": 120},
        plot_bgcolor="white",
        showlegend=False,
    )
    fig.update_xaxes(tickfont={"size": FONT_SIZE}, title_font={"size": FONT_SIZE})
    fig.update_yaxes(
        gridcolor="#DDDDDD",
        tickformat=",d",
        rangemode="tozero",
        tickfont={"size": FONT_SIZE},
        title_font={"size": FONT_SIZE},
    )
    fig.add_annotation(
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-95,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": FONT_SIZE - 4, "color": "#444444"},
    )
    return fig


PALETTE = (BLUE, ORANGE, GREEN, VERMILION, "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MEASURES = {"count": "Antal anmälda brott", "per_100k": "Anmälda brott per 100 000 inv."}


def monthly_lines(frame: pd.DataFrame, *, measure: str, title: str, source: str) -> go.Figure:
    """One line per year over the months (columns year, month, count, per_100k); the latest year boldest."""
    fig = go.Figure()
    years = sorted(frame["year"].unique())
    for i, year in enumerate(years):
        rows = frame[frame["year"] == year].sort_values("month")
        latest = year == years[-1]
        fig.add_trace(
            go.Scatter(
                x=rows["month"].tolist(),
                y=rows[measure].astype(float).round(1).tolist(),
                name=str(year),
                mode="lines+markers",
                line={"width": 5 if latest else 2.5, "color": PALETTE[(len(years) - 1 - i) % len(PALETTE)]},
                marker={"size": 9 if latest else 6},
                hovertemplate=f"%{{x}} {year}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_xaxes(tickvals=list(range(1, 13)), ticktext=list(formats.MONTHS_SHORT), range=[0.6, 12.4])
    fig.update_layout(yaxis_title=MEASURES[measure])
    return _with_legend(base_layout(fig, title=title, source=source))


def yearly_bars(frame: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Counts per year (columns year, count, preliminary, complete, last_month); missing years stay gaps."""
    labels = [_year_label(r) for r in frame.itertuples()]
    colours = [ORANGE if r.preliminary or not r.complete else BLUE for r in frame.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=frame["year"].tolist(),
            y=frame["count"].tolist(),
            marker_color=colours,
            text=[formats.number(v) for v in frame["count"]],
            textposition="outside",
            textfont={"size": FONT_SIZE},
            hovertemplate="%{x}: %{y:,d}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(tickvals=frame["year"].tolist(), ticktext=labels)
    return base_layout(fig, title=title, source=source)


def _year_label(row: object) -> str:
    if not row.complete:
        return f"{row.year}<br>t.o.m. {formats.MONTHS_SHORT[row.last_month - 1]}"
    return f"{row.year}<br>prel." if row.preliminary else str(row.year)


def comparison_lines(frame: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Per 100 000 inv per year, one line per area (columns area, year, per_100k); the first area boldest."""
    fig = go.Figure()
    for i, area in enumerate(frame["area"].unique()):
        rows = frame[frame["area"] == area].sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=rows["year"].tolist(),
                y=rows["per_100k"].round(0).tolist(),
                name=area,
                mode="lines+markers",
                line={
                    "width": 5 if i == 0 else 3,
                    "color": PALETTE[i % len(PALETTE)],
                    "dash": "solid" if i < 2 else "dot",
                },
                marker={"size": 10 if i == 0 else 7},
                hovertemplate=f"{area} %{{x}}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_layout(yaxis_title=MEASURES["per_100k"])
    return _with_legend(base_layout(fig, title=title, source=source))


def _with_legend(fig: go.Figure) -> go.Figure:
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "font": {"size": FONT_SIZE}},
        margin={"t": 110},
    )
    return fig


TERTIAL_COLOURS = {"T1": BLUE, "T2": ORANGE, "T3": GREEN, "ej_fordelat": GREY}
TERTIAL_NAMES = {"T1": "T1 jan–apr", "T2": "T2 maj–aug", "T3": "T3 sep–dec", "ej_fordelat": "Ej fördelat"}


def tertial_bars(table: pd.DataFrame, *, title: str, label_limit: int = 42) -> go.Figure:
    """Stacked horizontal bars per commitment (rows of followup.follow_up_table): what was done per tertial.
    Commitment texts are cut to ``label_limit`` characters (the full text is in the table beside it)."""
    rows = table[table["total"] > 0]
    labels = [_short(t, label_limit) for t in rows["text"]]
    fig = go.Figure()
    for column, colour in TERTIAL_COLOURS.items():
        if rows[column].sum():
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=rows[column].tolist(),
                    name=TERTIAL_NAMES[column],
                    orientation="h",
                    marker_color=colour,
                    hovertemplate="%{y}: %{x}<extra></extra>",
                )
            )
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed"})
    fig = _with_legend(
        base_layout(fig, title=title, source="Källa: registrerade aktiviteter", height=140 + 55 * len(rows))
    )
    fig.update_layout(margin={"l": 20})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(tickformat=",d", rangemode="tozero")
    return fig


def crime_types_by_year(frame: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Counts per year, one line per crime type (columns year, label, count): the outcome beside the effort."""
    fig = go.Figure()
    for i, name in enumerate(frame["label"].unique()):
        rows = frame[frame["label"] == name].sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=rows["year"].tolist(),
                y=rows["count"].tolist(),
                name=name,
                mode="lines+markers",
                line={"width": 4, "color": PALETTE[i % len(PALETTE)]},
                marker={"size": 9},
                hovertemplate=f"{name} %{{x}}: %{{y:,d}}<extra></extra>",
            )
        )
    fig.update_xaxes(dtick=1, tickformat="d")
    return _with_legend(base_layout(fig, title=title, source=source, height=420))


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def incident_map(frame: pd.DataFrame, *, title: str, centre: tuple[float, float], top: int = 6) -> go.Figure:
    """Incidents with a position on an OpenStreetMap background: colour = type (the most common ones, the rest
    as "Övriga"), marker = origin (police events as circles, own reports as large diamonds-like squares)."""
    placed = frame.dropna(subset=["lat", "lon"])
    common = placed["category"].value_counts().index[:top].tolist()
    groups = placed.assign(group=placed["category"].where(placed["category"].isin(common), "Övriga"))
    fig = go.Figure()
    for i, name in enumerate([*common, "Övriga"]):
        for origin, part in groups[groups["group"] == name].groupby("origin"):
            size = 18 if origin == "egen" else 12
            labels = [f"{c}, {t:%Y-%m-%d %H:%M}" for c, t in zip(part["category"], part["occurred_at"], strict=True)]
            fig.add_trace(
                go.Scattermap(
                    lat=part["lat"].tolist(),
                    lon=part["lon"].tolist(),
                    mode="markers",
                    name=f"{name} ({'Polisen' if origin == 'polisen' else 'egen rapport'})",
                    marker={"size": size, "color": PALETTE[i % len(PALETTE)], "opacity": 0.85},
                    text=labels,
                    hovertemplate="%{text}<extra></extra>",
                )
            )
    fig.update_layout(
        map={"style": "open-street-map", "center": {"lat": centre[0], "lon": centre[1]}, "zoom": 12},
        title={"text": title, "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=560,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"font": {"size": FONT_SIZE - 2}},
    )
    return fig


def weekday_hour_heatmap(matrix: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Incidents per weekday (rows) and hour (columns), darker = more."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.values.tolist(),
            x=[f"{h:02d}" for h in matrix.columns],
            y=[d.capitalize() for d in matrix.index],
            colorscale="Blues",
            showscale=True,
            hovertemplate="%{y} kl. %{x}: %{z} händelser<extra></extra>",
            colorbar={"tickformat": "d", "title": {"text": "Antal"}, "dtick": max(1, int(matrix.values.max()) // 4)},
            xgap=2,
            ygap=2,
        )
    )
    fig = base_layout(fig, title=title, source=source, height=440)
    fig.update_yaxes(autorange="reversed", tickformat="", rangemode="normal", gridcolor="white", automargin=True)
    fig.update_xaxes(title="Timme", dtick=1)
    return fig


def monthly_comparison(frame: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Bars per month for the period and a line for the same months a year earlier."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=frame["Månad"].tolist(), y=frame["I perioden"].tolist(), name="Perioden", marker_color=BLUE))
    fig.add_trace(
        go.Scatter(
            x=frame["Månad"].tolist(),
            y=frame["Året före"].tolist(),
            name="Samma månader året före",
            mode="lines+markers",
            line={"color": ORANGE, "width": 4, "dash": "dot"},
            marker={"size": 10},
        )
    )
    fig.update_xaxes(type="category")
    return _with_legend(base_layout(fig, title=title, source=source, height=420))


def for_projector(fig: go.Figure, *, scale: float = 1.35, fill: bool = False) -> go.Figure:
    """A copy with every text scaled up with the page's type, for the back of a meeting room: title, axes,
    tick labels, legend, colour bar and the source line. ``fill``: no fixed height, the figure takes the
    height of its container (a slide sized to the screen)."""
    big = go.Figure(fig)
    size = round(FONT_SIZE * scale)
    big.update_layout(
        font={"size": size},
        title={"font": {"size": size + 6}},
        legend={"font": {"size": size}},
        hoverlabel={"font": {"size": size}},
    )
    big.update_xaxes(tickfont={"size": size}, title_font={"size": size}, automargin=True)
    big.update_yaxes(tickfont={"size": size}, title_font={"size": size}, automargin=True)
    big.update_traces(
        colorbar={"tickfont": {"size": size}, "title": {"font": {"size": size}}}, selector={"type": "heatmap"}
    )
    big.update_traces(textfont={"size": size}, selector={"type": "bar"})
    big.update_annotations(font={"size": size - 4})
    if big.layout.showlegend:  # the legend sits above the plot: room for the larger type
        big.update_layout(margin={"t": round((big.layout.margin.t or 110) * scale)})
    if fill:  # a slide: every pixel of height counts; title and legend each claim the room they need
        big.update_layout(
            height=None,
            autosize=True,
            title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 8}, "automargin": True},
            margin={"t": 10},
        )
    elif big.layout.height:
        big.update_layout(height=int(big.layout.height * 1.15))
    return big


def without_source(fig: go.Figure) -> tuple[go.Figure, str]:
    """A copy without the source line under the plot, and that line's text: on a narrow slide column the
    page shows it as wrapping text instead of a cut-off annotation."""
    bare = go.Figure(fig)
    sources = [a for a in bare.layout.annotations if (a.text or "").startswith("Källa")]
    bare.layout.annotations = [a for a in bare.layout.annotations if a not in sources]
    bare.update_layout(margin={"b": 20})
    bare.update_xaxes(automargin=True)
    return bare, " ".join(a.text for a in sources)
