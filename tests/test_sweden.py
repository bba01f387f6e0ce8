"""Tests for the kommun list and name resolution (core)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte_data.sweden import RIKET_CODE, is_riket, kommun_code, load_kommuner, region_code

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
LAN = {
    "01": "Stockholms län",
    "03": "Uppsala län",
    "04": "Södermanlands län",
    "05": "Östergötlands län",
    "06": "Jönköpings län",
    "07": "Kronobergs län",
    "08": "Kalmar län",
    "09": "Gotlands län",
    "10": "Blekinge län",
    "12": "Skåne län",
    "13": "Hallands län",
    "14": "Västra Götalands län",
    "17": "Värmlands län",
    "18": "Örebro län",
    "19": "Västmanlands län",
    "20": "Dalarnas län",
    "21": "Gävleborgs län",
    "22": "Västernorrlands län",
    "23": "Jämtlands län",
    "24": "Västerbottens län",
    "25": "Norrbottens län",
}
KOMMUNER = load_kommuner()


def test_load_kommuner_has_290_unique_four_digit_codes() -> None:
    assert list(KOMMUNER.columns) == ["code", "name", "lan_code", "lan_name"]
    assert len(KOMMUNER) == 290
    assert KOMMUNER["code"].is_unique and KOMMUNER["name"].is_unique
    assert KOMMUNER["code"].str.fullmatch(r"\d{4}").all()
    assert (KOMMUNER["lan_code"] == KOMMUNER["code"].str[:2]).all()
    assert dict(zip(KOMMUNER["lan_code"], KOMMUNER["lan_name"], strict=True)) == LAN


@pytest.mark.parametrize(
    ("code", "name", "lan_code", "lan_name"),
    [
        ("0483", "Katrineholm", "04", "Södermanlands län"),
        ("1960", "Kungsör", "19", "Västmanlands län"),
        ("0180", "Stockholm", "01", "Stockholms län"),
        ("2584", "Kiruna", "25", "Norrbottens län"),
        ("0331", "Heby", "03", "Uppsala län"),
        ("0980", "Gotland", "09", "Gotlands län"),
    ],
)
def test_known_rows(code: str, name: str, lan_code: str, lan_name: str) -> None:
    row = KOMMUNER.loc[KOMMUNER["code"] == code].iloc[0]
    assert (row["name"], row["lan_code"], row["lan_name"]) == (name, lan_code, lan_name)


def test_load_kommuner_returns_a_copy() -> None:
    frame = load_kommuner()
    frame.loc[0, "name"] = "Ändrad"
    assert load_kommuner().loc[0, "name"] != "Ändrad"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kungsör", "1960"),
        ("Kungsörs kommun", "1960"),
        ("Kungsör kommun", "1960"),
        ("Falu kommun", "2080"),
        ("Falun kommun", "2080"),
        ("Ale kommun", "1440"),
        ("Bollnäs kommun", "2183"),
        ("Mora kommun", "2062"),
        ("Borås kommun", "1490"),
        ("Borås stad", "1490"),
        ("Kramfors kommun", "2282"),
        ("Öckerö kommun", "1407"),
        ("Hofors kommun", "2104"),
        ("Stockholms kommun", "0180"),
        ("Stockholms stad", "0180"),
        ("Göteborgs stad", "1480"),
        ("Malmö stad", "1280"),
        ("Region Gotland", "0980"),
        ("Gotlands kommun", "0980"),
        ("Malung-Sälens kommun", "2023"),
        ("Upplands Väsby kommun", "0114"),
        ("upplands-väsby", "0114"),
        ("Upplands-Bro kommun", "0139"),
        ("Dals-Eds kommun", "1438"),
        ("Lilla Edets kommun", "1462"),
        ("\u00a0 KATRINEHOLMS  KOMMUN \u00a0", "0483"),
    ],
)
def test_kommun_code_normalises_names(name: str, code: str) -> None:
    assert kommun_code(name) == code


@pytest.mark.parametrize(
    "name", ["", "kommun", "Hela landet", "Region Stockholm", "Region Nord", "Stockholms län", "Atlantis kommun"]
)
def test_kommun_code_is_none_for_other_names(name: str) -> None:
    assert kommun_code(name) is None


def test_no_name_plus_s_is_another_kommun() -> None:
    """The genitive rule (strip one trailing s) can never turn one kommun into another."""
    names = {name.casefold() for name in KOMMUNER["name"]}
    assert not [name for name in names if name + "s" in names]


def test_every_kommun_in_every_form() -> None:
    for code, name in zip(KOMMUNER["code"], KOMMUNER["name"], strict=True):
        for form in (name, f"{name} kommun", f"{name}s kommun", f"{name} stad", name.upper()):
            assert kommun_code(form) == code, form


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, 289),
    pad=st.sampled_from(["", " ", "\u00a0", "\t", " \u00a0 "]),
    suffix=st.sampled_from(["", " kommun", "s kommun", " stad", "s stad"]),
    upper=st.booleans(),
)
def test_kommun_code_property(index: int, pad: str, suffix: str, upper: bool) -> None:
    name = str(KOMMUNER["name"].iloc[index]) + suffix
    assert kommun_code(pad + (name.upper() if upper else name) + pad) == KOMMUNER["code"].iloc[index]


@pytest.mark.parametrize(("name", "expected"), [("Hela landet", True), (" riket ", True), ("Kungsör", False)])
def test_is_riket(name: str, expected: bool) -> None:
    assert is_riket(name) is expected


def test_region_code() -> None:
    assert region_code("Hela landet") == RIKET_CODE == "0000"
    assert region_code("Riket") == "0000"
    assert region_code("Kungsör kommun") == "1960"
    assert region_code("Region Nord") is None


def test_every_region_in_bra_reference_file_maps_to_one_code() -> None:
    path = REFERENCE / "bra" / "DatabasfilJan2013.txt"
    if not path.exists():
        pytest.skip("referensfilen saknas")
    lines = path.read_bytes().decode("iso-8859-1").splitlines()[1:]
    names = {line.split(";")[0] for line in lines if line.strip()}
    codes = {name: kommun_code(name) for name in names}
    assert len(names) == 290
    assert None not in codes.values()
    assert len(set(codes.values())) == 290
