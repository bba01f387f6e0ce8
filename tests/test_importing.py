"""Brå import into the database: all-or-nothing, idempotent, final figures supersede preliminary ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte_data import analysis, importing
from lofte_data.access import OPERATOR
from lofte_data.errors import ImportFileError
from lofte_data.importing import import_bra
from lofte_data.storage import Store, UpsertCounts
from tests.conftest import REFERENCE

HEADER = "Region;Brott;År;Period;Antal;/100 000 inv\n"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{r};\n" for r in rows)).encode("iso-8859-1")


def _kungsor_2017(year: str, count: int) -> bytes:
    return _file(*[f"Kungsör kommun;Totalt antal brott;{year};{m};{count};400" for m in ("Jan", "Feb")])


def test_import_twice_changes_nothing(seeded: Store) -> None:
    first = import_bra(seeded, _kungsor_2017("2017 prel.", 40), filename="a.txt", editor=OPERATOR)
    second = import_bra(seeded, _kungsor_2017("2017 prel.", 40), filename="a.txt", editor=OPERATOR)
    assert first.outcomes.new == 2
    assert second.outcomes == UpsertCounts(new=0, updated=0, unchanged=2, kept_final=0)


def test_final_supersedes_preliminary_but_not_the_other_way(seeded: Store) -> None:
    import_bra(seeded, _kungsor_2017("2017 prel.", 40), filename="prel.txt", editor=OPERATOR)
    final = import_bra(seeded, _kungsor_2017("2017", 42), filename="final.txt", editor=OPERATOR)
    late_prel = import_bra(seeded, _kungsor_2017("2017 prel.", 99), filename="prel2.txt", editor=OPERATOR)
    assert final.outcomes.updated == 2
    assert late_prel.outcomes.kept_final == 2
    stats = seeded.crime_stats(["1960"])
    rows = stats[(stats["year"] == 2017) & (stats["crime_type"] == "totalt")]
    assert rows["count"].tolist() == [42, 42] and not rows["preliminary"].any()


def test_a_bad_line_writes_nothing(seeded: Store) -> None:
    before = seeded.count("crime_stat")
    bad = _file("Kungsör kommun;Totalt antal brott;2017;Jan;40;400", "Kungsör kommun;Totalt antal brott;2017;Foo;4;1")
    with pytest.raises(ImportFileError, match="Rad 3"):
        import_bra(seeded, bad, filename="bad.txt", editor=OPERATOR)
    assert seeded.count("crime_stat") == before


def test_only_unknown_regions_is_refused(seeded: Store) -> None:
    with pytest.raises(ImportFileError, match="Inget sparades"):
        import_bra(seeded, _file("Region Nord;Totalt antal brott;2017;Jan;40;400"), filename="x.txt", editor=OPERATOR)


def test_oversized_file_is_refused(seeded: Store) -> None:
    with pytest.raises(ImportFileError, match="större än"):
        import_bra(seeded, b"x" * (importing.MAX_IMPORT_BYTES + 1), filename="big.txt", editor=OPERATOR)


def test_acceptance_all_290_kommuner_january_2013(seeded: Store) -> None:
    path = REFERENCE / "bra" / "DatabasfilJan2013.txt"
    if not path.exists():
        pytest.skip("referensdata saknas")
    result = import_bra(seeded, path.read_bytes(), filename=path.name, editor=OPERATOR)
    assert result.kommuner == 290
    assert result.periods == "jan 2013–jan 2013"
    codes = [k.code for k in seeded.kommuner()]
    stats = seeded.crime_stats(codes)
    january = stats[(stats["year"] == 2013) & (stats["period"] == "M01")]
    totals = january[january["crime_type"] == "totalt"]
    # Hand-summed from the raw file with awk over the "Totalt antal brott" rows (Heby's zero duplicate ignored).
    assert int(totals["count"].sum()) == 92_598
    assert int(totals.loc[totals["kommun_code"] == "1960", "count"].iloc[0]) == 36
    assert int(totals.loc[totals["kommun_code"] == "0483", "count"].iloc[0]) == 446


def test_acceptance_five_kommuner_2013_2016(store: Store) -> None:
    path = REFERENCE / "bra" / "databasfil_2013-2016_5kommuner_utf8.csv"
    if not path.exists():
        pytest.skip("referensdata saknas")
    from lofte_data.seed import load_areas

    store.add_kommuner(load_areas())
    import_bra(store, path.read_bytes(), filename=path.name, editor=OPERATOR)
    stats = store.crime_stats(["1960"])
    through_august = stats[(stats["year"] < 2016) | (stats["period"] <= "M08")]  # as the August 2016 file had it
    ytd = analysis.year_to_date(through_august, 2016)
    assert (ytd.change.current, ytd.change.previous, ytd.label) == (409, 440, "jan–aug")


def test_embedded_snapshot_matches_the_importer(seeded: Store, tmp_path: Path) -> None:
    """The shipped monthly figures are what the importer makes of the reference file."""
    from lofte_data.seed import DATA_DIR
    from lofte_data.snapshot import CRIME_FILE, EVENTS_FILE, write_default_data

    bra_file = REFERENCE / "bra" / "databasfil_2013-2016_5kommuner_utf8.csv"
    events_file = REFERENCE / "polisen" / "events_5kommuner_2022-12_to_2026-08.json"
    if not bra_file.exists() or not events_file.exists():
        pytest.skip("referensdata saknas")
    write_default_data(bra_file, events_file, out_dir=tmp_path)
    for name in (CRIME_FILE, EVENTS_FILE):
        assert (tmp_path / name).read_text(encoding="utf-8") == (DATA_DIR / name).read_text(encoding="utf-8")
