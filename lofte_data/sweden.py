"""Swedish kommuner and their official codes (core): load the list, resolve names as sources spell them."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

KOMMUNKODER_CSV = Path(__file__).parent / "data" / "kommunkoder.csv"
RIKET_CODE = "0000"

_RIKET_NAMES = frozenset({"hela landet", "riket", "hela riket", "sverige"})
_SUFFIXES = (" kommun", " stad")
# Official names whose genitive is not simply name + "s" (or the name itself).
_ALIASES = {"falu": "Falun", "region gotland": "Gotland"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\-\u2013]+")


@lru_cache(maxsize=1)
def _kommuner() -> pd.DataFrame:
    return pd.read_csv(KOMMUNKODER_CSV, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


def load_kommuner() -> pd.DataFrame:
    """All 290 kommuner: columns code, name, lan_code, lan_name (all str; codes keep their leading zero)."""
    return _kommuner().copy()


def _key(name: str) -> str:
    """Comparison key: case-folded, NBSP and hyphens as plain spaces, whitespace collapsed."""
    return _SPACES.sub(" ", name).strip().casefold()


@lru_cache(maxsize=1)
def _codes_by_key() -> dict[str, str]:
    frame = _kommuner()
    codes = {_key(name): code for name, code in zip(frame["name"], frame["code"], strict=True)}
    for alias, name in _ALIASES.items():
        codes[_key(alias)] = codes[_key(name)]
    return codes


def _strip_suffix(key: str) -> str:
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)].strip()
    return key


def kommun_code(name: str) -> str | None:
    """Official 4-digit code for a kommun name as sources write it ("Kungsörs kommun", "Falu kommun"); else None."""
    codes = _codes_by_key()
    key = _key(name)
    for candidate in (key, _strip_suffix(key)):
        if candidate in codes:
            return codes[candidate]
        if candidate.endswith("s") and candidate[:-1] in codes:
            return codes[candidate[:-1]]
    return None


def is_riket(name: str) -> bool:
    """True for the whole country as sources name it ("Hela landet", "Riket"); its code is RIKET_CODE."""
    return _key(name) in _RIKET_NAMES


def region_code(name: str) -> str | None:
    """Kommun code, RIKET_CODE ("0000") for the whole country, None for other regions (län, polisregion)."""
    return RIKET_CODE if is_riket(name) else kommun_code(name)
