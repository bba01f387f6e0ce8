"""Reading figures the way a viewer sees them."""

from __future__ import annotations

import plotly.graph_objects as go


def bar_labels(fig: go.Figure | dict) -> list[str]:
    """The commitment texts above the bars of ``figures.tertial_bars`` (a figure, or its spec as a page sends it)."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.layout.to_plotly_json()
    return [a["text"] for a in layout.get("annotations", []) if a.get("xref") == "paper" and a.get("yref") == "y"]
