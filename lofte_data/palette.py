"""Status colours (core): one colour per follow-up status, shared by the screen and the PDF report.

``STATUS_COLOURS`` are strong colours, readable as text on white (contrast at least 4.5:1);
``STATUS_FILLS`` are light tints of the same hues for cell backgrounds, where the text is dark.
"""

from __future__ import annotations

from lofte_data.followup import DONE_UNCOUNTED

STATUS_COLOURS: dict[str, str] = {
    "uppnått": "#006E37",  # green
    "på väg": "#1450A0",  # blue
    DONE_UNCOUNTED: "#6A3D9A",  # purple: done, but the count is not known
    "efter plan": "#AF3C00",  # orange
    "ej påbörjad": "#5F5F5F",  # grey
    "ingen uppgift": "#707070",  # lighter grey
}
FILL_SHARE = 0.18  # how much of the strong colour a background tint holds


def rgb(colour: str) -> tuple[int, int, int]:
    """ "#1450A0" as (20, 80, 160)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def tint(colour: str, share: float = FILL_SHARE) -> str:
    """The colour mixed with white: ``share`` of the colour, the rest white."""
    mixed = (round(255 - (255 - c) * share) for c in rgb(colour))
    return "#" + "".join(f"{c:02X}" for c in mixed)


STATUS_FILLS: dict[str, str] = {status: tint(colour) for status, colour in STATUS_COLOURS.items()}
