"""Cached reads follow writes made elsewhere: a scheduled refresh or another app replica bumps the data version
in the database, and every process drops its cached reads within loaders.VERSION_TTL."""

from __future__ import annotations

import time

import pandas as pd

from lofte_data.storage import Store


def _incident(external_id: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kommun_code": "0483",
                "occurred_at": pd.Timestamp("2025-06-01 12:00"),
                "category": "Brand",
                "origin": "polisen",
                "external_id": external_id,
                "place": "",
                "lat": None,
                "lon": None,
                "description": "",
                "reported_by": "Polisen",
                "url": None,
            }
        ]
    )


def test_a_write_by_another_process_reaches_the_page_after_the_version_check(app, db_url: str) -> None:
    from lofte_data.ui import loaders

    at = app("0483", "2025", page="pages/lagesbild.py", period="ar")
    assert at.subheader[0].value.startswith("65 händelser")
    other = Store.open(db_url)  # e.g. `python -m lofte_data refresh polisen` from cron, or another replica
    other.add_incidents(_incident("freshness-1"))
    at.run()
    assert at.subheader[0].value.startswith("65 händelser")  # cached, and the dataset not marked yet
    other.mark_dataset("polisen", source="Polisen", note="1 ny händelse")
    time.sleep(loaders.VERSION_TTL + 0.5)  # the version itself is read once per VERSION_TTL
    at.run()
    assert at.subheader[0].value.startswith("66 händelser")
