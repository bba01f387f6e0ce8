"""Pure plotly figures (core): DataFrame in, Figure out, readable on a projector, Swedish formats."""

from __future__ import annotations

import functools
import hashlib
import html
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go

from lofte_data import formats

SPEC_MEMO = 128  # figures kept as plain specs, per content of their arguments (a few kB to 100 kB each)
_specs: OrderedDict[tuple, dict] = OrderedDict()
_specs_lock = threading.Lock()


def _fingerprint(value: Any) -> Any:
    """A hashable stand-in for an argument: a frame by its columns, dtypes and the hash of its content."""
    if isinstance(value, pd.DataFrame):
        content = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        return (tuple(value.columns), tuple(map(str, value.dtypes)), hashlib.blake2b(content).hexdigest())
    if isinstance(value, list | tuple):
        return tuple(_fingerprint(item) for item in value)
    return value


def _memo(build: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A figure function whose result is kept as a plain spec per content of its arguments: the same figure
    asked again (every rerun of a page) is made from the spec without plotly's validation (a few ms instead of
    tens). Same arguments, same figure, so nothing goes stale; each call gets a figure of its own."""

    @functools.wraps(build)
    def memoized(*args: Any, **kwargs: Any) -> go.Figure:
        key = (build.__name__, _fingerprint(args), _fingerprint(tuple(sorted(kwargs.items()))))
        with _specs_lock:
            spec = _specs.get(key)
        if spec is None:
            spec = build(*args, **kwargs).to_dict()
        with _specs_lock:  # sessions rerun in threads of one process
            _specs[key] = spec
            _specs.move_to_end(key)
            while len(_specs) > SPEC_MEMO:
                _specs.popitem(last=False)
        return go.Figure(spec, _validate=False)

    return memoized


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
        align="left",
        font={"size": FONT_SIZE - 4, "color": "#444444"},
    )
    return fig


PALETTE = (BLUE, ORANGE, GREEN, VERMILION, "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MEASURES = {"count": "Antal anmälda brott", "per_100k": "Anmälda brott per 100 000 inv."}


@_memo
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


@_memo
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
    """Stacked horizontal bars per commitment (rows of followup.follow_up_table): what was done per tertial, the
    total at the end. Each commitment's text stands above its bar, cut to ``label_limit`` characters (the full
    text is in the table beside it)."""
    drawn = table.loc[table["total"] > 0, ["text", *TERTIAL_COLOURS, "total"]]
    return _tertial_bars(drawn.reset_index(drop=True), title=title, label_limit=label_limit)


@_memo
def _tertial_bars(rows: pd.DataFrame, *, title: str, label_limit: int) -> go.Figure:
    labels = _distinct_labels(rows["text"].tolist(), label_limit)
    places = list(range(len(rows)))
    fig = go.Figure()
    for column, colour in TERTIAL_COLOURS.items():
        if rows[column].sum():
            fig.add_trace(
                go.Bar(
                    y=places,
                    x=rows[column].tolist(),
                    name=TERTIAL_NAMES[column],
                    orientation="h",
                    width=0.5,
                    marker_color=colour,
                    customdata=labels,
                    hovertemplate="%{customdata}: %{x}<extra></extra>",
                )
            )
    for place, label, total in zip(places, labels, rows["total"], strict=True):
        fig.add_annotation(
            text=label, xref="paper", yref="y", x=0, y=place - 0.3, yanchor="bottom", xanchor="left", showarrow=False
        )
        fig.add_annotation(text=formats.number(int(total)), x=total, y=place, xanchor="left", xshift=6, showarrow=False)
    top = float(rows["total"].max()) if len(rows) else 1.0
    fig.update_layout(barmode="stack", bargap=0)
    fig = _with_legend(
        base_layout(fig, title=title, source="Källa: registrerade aktiviteter", height=160 + 80 * len(rows))
    )
    fig.update_layout(margin={"l": 20})
    fig.update_yaxes(
        range=[len(rows) - 0.5, -1.0], showticklabels=False, showgrid=False, zeroline=False, tickformat=None
    )
    fig.update_xaxes(tickformat=",d", range=[0, top * 1.12], gridcolor="#DDDDDD")
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


def _distinct_labels(texts: list[str], limit: int) -> list[str]:
    """Texts cut to ``limit`` characters, and never two alike: two commitments that begin alike must not read as
    one (Kungsör 2023's two drug-dog searches). Texts whose cut form collides keep their first word and their last
    words ("Förebyggande … på skolor"); a collision left after that gets its place in the list."""
    cut = [_short(t, limit) for t in texts]
    labels = [
        _first_and_last_words(text, limit) if cut.count(label) > 1 and len(text) > limit else label
        for text, label in zip(texts, cut, strict=True)
    ]
    return [label if labels.count(label) == 1 else f"{label} ({i + 1})" for i, label in enumerate(labels)]


def _first_and_last_words(text: str, limit: int) -> str:
    first, *rest = text.split()
    room = limit - len(first) - 3  # " … "
    last: list[str] = []
    for word in reversed(rest):
        if len(" ".join([word, *last])) > room:
            break
        last.insert(0, word)
    return f"{first} … {' '.join(last)}" if last else _short(text, limit)


MAP_POINTS = 2000  # above this many, one marker per type and ~100 m square (19 000 points were a 1 MB spec)


def incident_map(frame: pd.DataFrame, *, title: str, centre: tuple[float, float], top: int = 6) -> go.Figure:
    """Incidents with a position on an OpenStreetMap background: colour = type (the most common ones, the rest
    as "Övriga"), marker = origin (police events as circles, own reports as large diamonds-like squares).
    More than MAP_POINTS incidents are drawn as one marker per type, origin and ~100 m square, sized by count."""
    placed = frame.dropna(subset=["lat", "lon"])
    common = placed["category"].value_counts().index[:top].tolist()
    groups = placed.assign(group=placed["category"].where(placed["category"].isin(common), "Övriga"))
    squares = len(placed) > MAP_POINTS
    fig = go.Figure()
    for i, name in enumerate([*common, "Övriga"]):
        for origin, part in groups[groups["group"] == name].groupby("origin"):
            size = 18 if origin == "egen" else 12
            lat, lon, sizes, labels = _squares(part, name, size) if squares else _points(part, size)
            fig.add_trace(
                go.Scattermap(
                    lat=lat,
                    lon=lon,
                    mode="markers",
                    name=f"{name} ({'Polisen' if origin == 'polisen' else 'egen rapport'})",
                    marker={"size": sizes, "color": PALETTE[i % len(PALETTE)], "opacity": 0.85},
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


def _points(part: pd.DataFrame, size: int) -> tuple[list, list, int, list]:
    labels = part["category"] + ", " + part["occurred_at"].dt.strftime("%Y-%m-%d %H:%M")
    return part["lat"].tolist(), part["lon"].tolist(), size, labels.tolist()


def _squares(part: pd.DataFrame, name: str, size: int) -> tuple[list, list, list, list]:
    """One marker per ~100 m square (three decimals of a degree), its size growing with the count."""
    cells = part.groupby([part["lat"].round(3), part["lon"].round(3)]).size().rename("n").reset_index()
    sizes = (size + 3 * cells["n"].pow(0.5)).clip(upper=44).round(1)
    labels = name + ": " + cells["n"].map(lambda n: formats.count(int(n), "händelse", "händelser"))
    return cells["lat"].tolist(), cells["lon"].tolist(), sizes.tolist(), labels.tolist()


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


# -- effort and crime on one timeline ------------------------------------------------------------------------------

ESTIMATE_NOTE = "Streckad linje, ofyllda punkter: antal beräknat ur Kolada (andel × folkmängd)."
CHANGE_NOTE = "Avbrott i linjen vid prickad lodrät linje: ny källa eller ny brottsdefinition."


def _runs(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive years with the same definition; a new run at every source change or missing year."""
    rows = rows.sort_values("year")
    breaks = rows["source_change"].astype(bool) | (rows["year"].diff().fillna(1) != 1)
    return [part for _, part in rows.groupby(breaks.cumsum())]


def _run_trace(run: pd.DataFrame, *, name: str, colour: str, measure: str, first: bool) -> go.Scatter:
    estimated = bool(run["estimated"].iloc[0])
    hover = [f"{d}<br>{s}" for d, s in zip(run["definition"], run["source"], strict=True)]
    return go.Scatter(
        x=run["year"].tolist(),
        y=[None if pd.isna(v) else round(float(v), 1) for v in run[measure]],
        name=name,
        legendgroup=name,
        showlegend=first,
        mode="lines+markers",
        line={"width": 4, "color": colour, "dash": "dot" if estimated else "solid"},
        marker={"size": 11, "color": "white" if estimated else colour, "line": {"width": 3, "color": colour}},
        customdata=hover,
        hovertemplate=f"{name} %{{x}}: %{{y:,}}<br>%{{customdata}}<extra></extra>",
    )


def _mark_source_changes(fig: go.Figure, series: pd.DataFrame) -> None:
    """A dotted vertical line between the years where a line changes source or definition."""
    for year in sorted(set(series.loc[series["source_change"].astype(bool), "year"])):
        fig.add_vline(x=year - 0.5, line={"dash": "dot", "color": "#555555", "width": 2})
        fig.add_annotation(
            x=year - 0.5,
            y=0.02,
            yref="paper",
            text="ny källa",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": FONT_SIZE - 5, "color": "#555555"},
        )


def _nice_step(top: float, ticks: int = 4) -> int:
    """A whole tick step of 1, 2 or 5 x 10^n giving about ``ticks`` ticks up to ``top``."""
    raw = max(1.0, top / ticks)
    power = 10 ** (len(str(int(raw))) - 1)
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _crime_traces(series: pd.DataFrame, measure: str) -> list[go.Scatter]:
    traces = []
    for i, name in enumerate(series["label"].unique()):
        rows, colour = series[series["label"] == name], PALETTE[i % len(PALETTE)]
        for j, run in enumerate(_runs(rows)):
            traces.append(_run_trace(run, name=name, colour=colour, measure=measure, first=j == 0))
    return traces


def _activity_bars(per_year: pd.DataFrame) -> go.Bar:
    return go.Bar(
        x=per_year["year"].tolist(),
        y=per_year["count"].tolist(),
        name="Utförda aktiviteter",
        yaxis="y2",
        marker={"color": GREY, "opacity": 0.45},
        text=[formats.number(v) for v in per_year["count"]],
        textposition="outside",
        textfont={"size": FONT_SIZE - 2, "color": "#444444"},
        hovertemplate="Aktiviteter %{x}: %{y:,d}<extra></extra>",
        cliponaxis=False,
    )


def _year_runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive years as (first, last): 2020, 2021, 2023 -> (2020, 2021), (2023, 2023)."""
    runs: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def _mark_promise_years(fig: go.Figure, years: Sequence[int]) -> None:
    """One shaded band per run of promise years, labelled "Löfte 2020–21" (labels of adjacent years would
    overlap on a narrow chart)."""
    for first, last in _year_runs(years):
        fig.add_vrect(
            x0=first - 0.5,
            x1=last + 0.5,
            fillcolor=GREEN,
            opacity=0.12,
            line_width=0,
            layer="below",
            annotation_text=f"Löfte {first}" if first == last else f"Löfte {first}–{str(last)[-2:]}",
            annotation_position="top left",
            annotation_font={"size": FONT_SIZE - 4, "color": "#1B5E20"},
        )


@_memo
def focus_timeline(
    series: pd.DataFrame,
    activities_per_year: pd.DataFrame,
    *,
    promise_years: Sequence[int],
    title: str,
    source: str,
    measure: str = "count",
    effort: bool = True,
) -> go.Figure:
    """Effort and crime on ONE timeline for a focus area: years on a shared x axis.

    ``series``: rows of yearly.yearly_series for the area's crime types (one line per type; estimated
    points dotted with open markers; a line breaks at each source or definition change, marked ◆).
    ``activities_per_year``: yearly.activities_per_year (bars on a second y axis; may be empty).
    ``promise_years``: shaded as bands. ``measure``: "count" or "per_100k"; ``effort`` False leaves out the note on
    missing activities (a crime type's own chart, not a focus area's). Works with no activities and
    with no crime figures; the notes on estimates and source changes are added to ``source`` when needed.
    """
    fig = go.Figure()
    if not activities_per_year.empty:
        fig.add_trace(_activity_bars(activities_per_year))
    for trace in _crime_traces(series, measure):
        fig.add_trace(trace)
    _mark_promise_years(fig, promise_years)
    _mark_source_changes(fig, series)
    notes = [source]
    if series["estimated"].any():
        notes.append(ESTIMATE_NOTE)
    if series["source_change"].any():
        notes.append(CHANGE_NOTE)
    if effort and activities_per_year.empty:
        notes.append("Inga aktiviteter med antal registrerade för området.")  # work without a count draws no bar
    fig = _with_legend(base_layout(fig, title=title, source="<br>".join(notes), height=520))
    years = [*series["year"], *activities_per_year["year"], *promise_years]
    if years:
        fig.update_xaxes(dtick=1, tickformat="d", range=[min(years) - 0.6, max(years) + 0.6])
    if series.empty:
        fig.add_annotation(
            text="Inga brottssiffror för områdets brottstyper",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": FONT_SIZE + 2, "color": "#444444"},
        )
    fig.update_layout(yaxis_title=MEASURES[measure], margin={"b": 90 + 30 * len(notes)}, bargap=0.45)
    if not activities_per_year.empty:
        top = float(activities_per_year["count"].max())
        fig.update_layout(
            yaxis2={
                "range": [0, top * 1.5 or 1],
                "dtick": _nice_step(top * 1.5),
                "title": {"text": "Aktiviteter (antal)", "font": {"size": FONT_SIZE}},
                "overlaying": "y",
                "side": "right",
                "tickformat": ",d",
                "showgrid": False,
                "tickfont": {"size": FONT_SIZE},
            },
            margin={"r": 90},
        )
    return fig


# -- NTU with intervals --------------------------------------------------------------------------------------------

NTU_LEVEL_COLOURS = {"kommun": BLUE, "län": ORANGE, "riket": GREY}


def _ntu_latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Per indicator the latest year any of the areas has, and each area's value in that year."""
    latest = frame.groupby("kpi")["year"].transform("max")
    rows = frame[frame["year"] == latest]
    names = [_wrapped(f"{lab} ({year})") for lab, year in zip(rows["label"], rows["year"], strict=True)]
    return rows.assign(name=names)


def _wrapped(text: str, width: int = 24) -> str:
    """Long axis labels on several lines (plotly breaks only at <br>), so the plot keeps its width."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _ntu_bar(rows: pd.DataFrame, level: str) -> go.Bar:
    value = rows["value"].astype(float)
    known = rows["lower"].notna()
    return go.Bar(
        y=rows["name"].tolist(),
        x=value.round(1).tolist(),
        orientation="h",
        name=str(rows["area"].iloc[0]),
        marker_color=NTU_LEVEL_COLOURS.get(level, GREY),
        error_x={
            "type": "data",
            "symmetric": False,
            "array": (rows["upper"].astype(float) - value).where(known, 0).round(1).tolist(),
            "arrayminus": (value - rows["lower"].astype(float)).where(known, 0).round(1).tolist(),
            "thickness": 3,
            "width": 8,
            "color": "#222222",
            "visible": bool(known.any()),
        },
        texttemplate="%{x:.0f} %",
        textposition="inside",
        insidetextanchor="start",
        textfont={"size": FONT_SIZE, "color": "white"},
        hovertemplate="%{y}: %{x:.1f} %<extra>" + str(rows["area"].iloc[0]) + "</extra>",
    )


def ntu_intervals(frame: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """NTU shares (rows of yearly.ntu_values) for the kommun, its län and Riket as grouped bars, the latest
    year per indicator, with the Osäkerhetstal interval as error bars where Kolada has it."""
    fig = go.Figure()
    latest = _ntu_latest(frame) if not frame.empty else frame
    for level in ("kommun", "län", "riket"):
        rows = latest[latest["level"] == level] if not latest.empty else latest
        if not rows.empty:
            fig.add_trace(_ntu_bar(rows, level))
    has_interval = not frame.empty and frame["lower"].notna().any()
    note = "Streck: osäkerhetsintervall (Koladas osäkerhetstal)." if has_interval else "Osäkerhetstal saknas."
    fig = _with_legend(
        base_layout(fig, title=title, source=f"{source}<br>{note}", height=200 + 110 * latest["kpi"].nunique())
    )
    if latest.empty:
        fig.add_annotation(text="Inga NTU-värden", showarrow=False, font={"size": FONT_SIZE + 2})
    legend = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": FONT_SIZE - 2}}
    fig.update_layout(barmode="group", margin={"l": 20, "b": 150, "t": 130}, legend=legend)
    fig.update_yaxes(autorange="reversed", automargin=True, tickformat="", gridcolor="white")
    fig.update_xaxes(title="Andel (%)", rangemode="tozero", gridcolor="#DDDDDD", tickformat="d")
    return fig


def without_source(fig: go.Figure) -> tuple[go.Figure, str]:
    """A copy without the source line under the plot, and that line's text: on a narrow slide column the
    page shows it as wrapping text instead of a cut-off annotation."""
    bare = go.Figure(fig)
    sources = [a for a in bare.layout.annotations if (a.text or "").startswith("Källa")]
    bare.layout.annotations = [a for a in bare.layout.annotations if a not in sources]
    bare.update_layout(margin={"b": 20})
    bare.update_xaxes(automargin=True)
    return bare, " ".join(a.text.replace("<br>", " ") for a in sources)


# -- notes on the charts -------------------------------------------------------------------------------------------

NOTE_COLOUR = "#6A1B9A"
NOTE_TRACE = "Noteringar"
NOTE_HEADROOM = 1.25  # the y axis reaches this far above the markers, so the labels along the top stay clear


class NoteLike(Protocol):
    """What ``annotate`` reads of a note (cycle.Note fits)."""

    @property
    def day(self) -> date: ...
    @property
    def text(self) -> str: ...
    @property
    def when(self) -> str: ...


def hover_text(text: str) -> str:
    """Text for a plotly hover label: plotly renders some HTML tags there, so < > & are escaped; one line."""
    return html.escape(" ".join(str(text).split()), quote=False)


def _axis_kind(fig: go.Figure) -> str | None:
    """ "month" (1..12, one trace per year: monthly_lines), "year" (year numbers) or "date"; None otherwise."""
    xs = [x for trace in fig.data if trace.name != NOTE_TRACE and trace.x is not None for x in trace.x]
    if not xs or fig.layout.xaxis.type == "category":
        return None
    if all(isinstance(x, int | float) and not isinstance(x, bool) for x in xs):
        if all(1 <= x <= 12 for x in xs) and all(str(t.name).isdigit() for t in fig.data if t.name != NOTE_TRACE):
            return "month"
        return "year" if all(1900 <= x <= 2100 for x in xs) else None
    try:
        pd.to_datetime(pd.Series(xs), format="mixed")
    except (ValueError, TypeError):
        return None
    return "date"


def _primary_ys(fig: go.Figure) -> list[float]:
    """The y values on the primary y axis (every trace's when none is on it), the notes' own left out."""
    traces = [t for t in fig.data if t.name != NOTE_TRACE and t.x is not None]
    primary = [t for t in traces if t.yaxis in (None, "y")] or traces
    return [float(y) for t in primary for y in (t.y if t.y is not None else ()) if y is not None and y == y]


def _note_points(fig: go.Figure, kind: str, notes: Sequence[NoteLike]) -> list[tuple[NoteLike, object, float]]:
    """(note, x, y) of each note inside the chart's x range, in day order; y on the primary y axis."""
    traces = [t for t in fig.data if t.name != NOTE_TRACE and t.x is not None]
    ys = _primary_ys(fig)
    top = (max(ys) if ys else 1.0) * 1.08 or 1.0
    points: list[tuple[NoteLike, object, float]] = []
    if kind == "month":
        by_year = {str(t.name): dict(zip(t.x, t.y, strict=True)) for t in traces}
        for note in sorted(notes, key=lambda n: n.day):
            y = by_year.get(str(note.day.year), {}).get(note.day.month)
            if y is not None and y == y:
                points.append((note, note.day.month, float(y)))
        return points
    xs = [x for t in traces for x in t.x]
    if kind == "year":
        low, high = min(xs) - 0.5, max(xs) + 0.5
        return [(n, n.day.year, top) for n in sorted(notes, key=lambda n: n.day) if low <= n.day.year <= high]
    stamps = pd.to_datetime(pd.Series(xs), format="mixed")
    low_day, high_day = stamps.min().date(), stamps.max().date()
    return [(n, n.day, top) for n in sorted(notes, key=lambda n: n.day) if low_day <= n.day <= high_day]


def annotate(fig: go.Figure, notes: Sequence[NoteLike]) -> tuple[go.Figure, list[str]]:
    """A copy of ``fig`` with a numbered marker per note that falls inside its x range (year numbers, months of a
    year per trace as in ``monthly_lines``, or dates), the note on hover, and the footnote lines numbered to match:
    "1. 12 mar 2023: Hundsök på Kung Karls skola". A chart of another kind (categories, a map) is left as it is."""
    fig = go.Figure(fig.to_dict(), _validate=False)  # a copy; its parts were validated when it was built
    kind = _axis_kind(fig) if notes else None
    points = _note_points(fig, kind, notes) if kind else []
    if not points:
        return fig, []
    footnotes = [f"{i}. {note.when}: {' '.join(str(note.text).split())}" for i, (note, _, _) in enumerate(points, 1)]
    # Notes at the same point share one marker: "1, 2", both notes in its hover label.
    merged: dict[tuple[object, float], list[tuple[int, NoteLike]]] = {}
    for i, (note, x, y) in enumerate(points, 1):
        merged.setdefault((x, y), []).append((i, note))
    if kind != "month":
        for x in dict.fromkeys(x for x, _ in merged):
            fig.add_vline(x=x, line={"color": NOTE_COLOUR, "width": 1.5, "dash": "dot"}, layer="below")
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in merged],
            y=[y for _, y in merged],
            name=NOTE_TRACE,
            mode="markers+text",
            marker={"symbol": "diamond", "size": 16, "color": NOTE_COLOUR, "line": {"color": "white", "width": 1.5}},
            text=[", ".join(str(i) for i, _ in group) for group in merged.values()],
            textposition="middle right",  # beside the marker: above it sit the labels of the promise years
            textfont={"size": FONT_SIZE, "color": NOTE_COLOUR},
            hovertext=[
                "<br>".join(f"{i}. {hover_text(note.when)}: {hover_text(note.text)}" for i, note in group)
                for group in merged.values()
            ],
            hoverinfo="text",
            showlegend=False,
            cliponaxis=False,
        )
    )
    if kind != "month":  # headroom: the markers sit under the labels along the top of the chart, not on them
        fig.update_layout(yaxis_autorange="min", yaxis_range=[None, max(y for _, y in merged) * NOTE_HEADROOM])
    return fig, footnotes
