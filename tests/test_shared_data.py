"""Shared data needs its own right: Brå for other kommuner, Polisen and Kolada need an administrator;
a kommun editor's Brå import is limited to that kommun; every import and refresh is audited; a Brå import
can be undone in Historik."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lofte_data import access, audit, editing, refresh
from lofte_data.access import OPERATOR, AccessError, Editor
from lofte_data.errors import InputError
from lofte_data.importing import import_bra
from lofte_data.storage import Store, T

HEADER = "Region;Brott;År;Period;Antal;/100 000 inv\n"
KUNGSOR = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
ADMIN = Editor("ada@lan.se", "Ada Admin", frozenset({"1960"}), "oidc", admin=True)
EVENTS = Path(__file__).parent / "fixtures" / "polisen" / "events_sample.json"


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(f"{r};\n" for r in rows)).encode("iso-8859-1")


def _count(store: Store, kommun: str, year: int = 2016, period: str = "M01") -> int | None:
    stats = store.crime_stats([kommun])
    hit = stats[(stats["crime_type"] == "totalt") & (stats["year"] == year) & (stats["period"] == period)]
    return None if hit.empty else int(hit["count"].iloc[0])


def test_accounts_read_the_admin_flag_strictly() -> None:
    table = access.accounts(
        {
            "redaktorer": {
                "ada@lan.se": {"namn": "Ada", "kommuner": ["1960"], "admin": True},
                "bo@lan.se": {"namn": "Bo", "kommuner": ["1960"], "admin": "true"},  # text is not the flag
                "cy@lan.se": {"namn": "Cy", "kommuner": ["1960"]},
            }
        }
    )
    assert [access.editor_for(k, table, method="oidc").admin for k in ("ada@lan.se", "bo@lan.se", "cy@lan.se")] == [
        True,
        False,
        False,
    ]


def test_a_kommun_editor_cannot_import_another_kommuns_row(seeded: Store) -> None:
    before, katrineholm = _count(seeded, "1960"), _count(seeded, "0483")
    data = _file("Kungsör kommun;Totalt antal brott;2016;Jan;1;1", "Katrineholm kommun;Totalt antal brott;2016;Jan;2;2")
    with pytest.raises(AccessError, match=r"Katrineholm \(0483\).*Inget sparades"):
        import_bra(seeded, data, filename="blandad.txt", editor=KUNGSOR)
    assert (_count(seeded, "1960"), _count(seeded, "0483")) == (before, katrineholm)
    assert audit.history(seeded, ["1960", "0483", audit.SHARED_CODE]).empty


def test_a_kommun_editors_own_import_is_audited_and_undone_in_historik(seeded: Store) -> None:
    before = _count(seeded, "1960")
    result = import_bra(
        seeded, _file("Kungsör kommun;Totalt antal brott;2016;Jan;999;1"), filename="k.txt", editor=KUNGSOR
    )
    assert result.outcomes.updated == 1 and _count(seeded, "1960") == 999
    entry = audit.history(seeded, ["1960"]).iloc[0]
    assert (entry["actor"], entry["action"], entry["entity"]) == ("Anna Andersson", "importera", "brottsstatistik")
    assert "k.txt" in entry["summary"] and "1 ändrade" in entry["summary"]
    assert f'"count": {before}' in entry["old_value"]
    editing.undo(seeded, KUNGSOR, int(entry["id"]))
    assert _count(seeded, "1960") == before


def test_undo_of_an_import_removes_the_rows_it_added(seeded: Store) -> None:
    import_bra(seeded, _file("Kungsör kommun;Totalt antal brott;2017;Jan;5;1"), filename="ny.txt", editor=KUNGSOR)
    assert _count(seeded, "1960", 2017) == 5
    editing.undo(seeded, KUNGSOR, int(audit.history(seeded, ["1960"]).iloc[0]["id"]))
    assert _count(seeded, "1960", 2017) is None


def test_an_import_audited_row_by_row_before_is_still_undone(seeded: Store) -> None:
    import_bra(seeded, _file("Kungsör kommun;Totalt antal brott;2017;Jan;5;1"), filename="ny.txt", editor=KUNGSOR)
    entry = int(audit.history(seeded, ["1960"]).iloc[0]["id"])
    row = {"kommun_code": "1960", "crime_type": "totalt", "year": 2017, "period": "M01"}
    earlier = json.dumps({"fil": "ny.txt", "rader": [row | {"count": 5, "per_100k": 1.0, "preliminary": False}]})
    log = T["audit_log"]
    with seeded.engine.begin() as conn:  # the form written before the figures were kept column by column
        conn.execute(sa.update(log).where(log.c.id == entry).values(new_value=earlier))
    editing.undo(seeded, KUNGSOR, entry)
    assert _count(seeded, "1960", 2017) is None


def test_undo_refuses_when_a_later_import_changed_the_figure(seeded: Store) -> None:
    import_bra(seeded, _file("Kungsör kommun;Totalt antal brott;2016;Jan;11;1"), filename="a.txt", editor=KUNGSOR)
    first = int(audit.history(seeded, ["1960"]).iloc[0]["id"])
    import_bra(seeded, _file("Kungsör kommun;Totalt antal brott;2016;Jan;12;1"), filename="b.txt", editor=KUNGSOR)
    with pytest.raises(InputError, match="har ändrats efter importen"):
        editing.undo(seeded, KUNGSOR, first)
    assert _count(seeded, "1960") == 12


def test_an_admins_import_of_several_kommuner_is_shared_and_only_an_admin_undoes_it(seeded: Store) -> None:
    katrineholm = _count(seeded, "0483")
    data = _file("Kungsör kommun;Totalt antal brott;2016;Jan;1;1", "Katrineholm kommun;Totalt antal brott;2016;Jan;2;2")
    import_bra(seeded, data, filename="alla.txt", editor=ADMIN)
    entry = audit.history(seeded, [audit.SHARED_CODE]).iloc[0]
    with pytest.raises(InputError, match="får du inte ångra"):
        editing.undo(seeded, KUNGSOR, int(entry["id"]))
    editing.undo(seeded, ADMIN, int(entry["id"]))
    assert _count(seeded, "0483") == katrineholm


def test_polisen_and_kolada_need_an_administrator(seeded: Store) -> None:
    with pytest.raises(AccessError, match="administratörsbehörighet"):
        refresh.import_polisen_archive(seeded, EVENTS.read_bytes(), editor=KUNGSOR)
    with pytest.raises(AccessError, match="administratörsbehörighet"):
        refresh.refresh_polisen(seeded, editor=KUNGSOR)
    with pytest.raises(AccessError, match="administratörsbehörighet"):
        refresh.refresh_kolada(seeded, editor=KUNGSOR)
    assert audit.history(seeded, [audit.SHARED_CODE]).empty


def test_a_polisen_archive_import_is_audited(seeded: Store) -> None:
    counts = refresh.import_polisen_archive(seeded, EVENTS.read_bytes(), editor=ADMIN, filename="arkiv.json")
    entry = audit.history(seeded, [audit.SHARED_CODE]).iloc[0]
    assert (entry["actor"], entry["action"], entry["entity"]) == ("Ada Admin", "importera", "händelse")
    assert "arkiv.json" in entry["summary"] and f"{counts.new} nya" in entry["summary"]


class _EmptyFeed:
    def fetch_events(self, **_: object) -> pd.DataFrame:
        from lofte_data.sources.polisen import parse_events

        return parse_events([])


def test_an_empty_polisen_answer_is_not_news(seeded: Store) -> None:
    seeded.mark_dataset("polisen", source="Polisen", note="Hämtat: 3 nya händelser")
    before = seeded.dataset("polisen")
    counts = refresh.refresh_polisen(seeded, editor=OPERATOR, client=_EmptyFeed())  # type: ignore[arg-type]
    assert refresh.polisen_summary(counts).startswith("Polisen svarade utan nya händelser")
    assert seeded.dataset("polisen") == before


def test_the_import_page_offers_shared_sources_to_administrators_only(app) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    def page(editor: Editor) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.query_params["kommun"], at.query_params["ar"] = "1960", "2023"
        at.session_state["editor"] = editor
        at.run()
        return at.switch_page("pages/importera.py").run()

    plain = page(KUNGSOR)
    assert not plain.exception
    labels = [b.label for b in plain.button]
    assert "Uppdatera från Kolada" not in labels and "Hämta senaste händelserna från Polisen" not in labels
    assert any("bara en administratör" in c.value for c in plain.caption)
    admin = page(ADMIN)
    assert "Uppdatera från Kolada" in [b.label for b in admin.button]
