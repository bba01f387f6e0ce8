"""The command line: import, refresh without network, and Swedish errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte_data.__main__ import main
from lofte_data.storage import Store


def test_init_db_creates_and_seeds(db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["init-db"]) == 0
    assert "Databasen är klar" in capsys.readouterr().out
    assert Store.open(db_url).promise("1960", 2023) is not None


def test_import_bra_reports_what_it_did(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    file = tmp_path / "Databasfil.txt"
    file.write_bytes(
        "Region;Brott;År;Period;Antal;/100 000 inv\nArboga kommun;Våldsbrott ;2017;Jan;5;37;\n".encode("latin-1")
    )
    assert main(["import-bra", str(file)]) == 0
    assert "1 nya" in capsys.readouterr().out
    assert main(["import-bra", str(file)]) == 0
    assert "1 oförändrade" in capsys.readouterr().out


def test_bad_file_gives_swedish_error_and_exit_2(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    file = tmp_path / "trasig.txt"
    file.write_text("hej;hopp\n", encoding="utf-8")
    assert main(["import-bra", str(file)]) == 2
    assert capsys.readouterr().err.startswith("Fel: ")


def test_missing_file(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["import-bra", str(tmp_path / "finns-inte.txt")]) == 2
    assert "kunde inte läsas" in capsys.readouterr().err


def test_report_command_writes_a_pdf(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "rapport.pdf"
    assert main(["report", "--kommun", "1960", "--ar", "2023", "--tertial", "3", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert main(["report", "--kommun", "1960", "--ar", "2022", "--tertial", "1", "-o", str(out)]) == 2
    assert "Det finns inget medborgarlöfte för Kungsör 2022" in capsys.readouterr().err
