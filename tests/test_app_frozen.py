"""AppTests of the viewer pages with a frozen tertial: Översikt, Medborgarlöften and Möte (page and slides) say
that it is frozen, who signed and whose signature it awaits."""

from __future__ import annotations

from datetime import date

import pytest

from lofte_data import signoff
from lofte_data.access import Editor
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

POLIS = Editor("per@polisen.se", "Per Polis", frozenset({"1960"}), "lösenord", party="Polisen")
KOMMUN = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
T1 = "Tertial 1 2023 fryst "
SIGNED = "undertecknad av Polisen (Per Polis) och Kommunen (Anna Andersson)"
WAITING = "väntar på underskrift av Polisen och Kommunen"


@pytest.fixture
def frozen(db_url: str) -> Store:
    """Kungsör 2023: T1 frozen and signed by both parties, T2 frozen and not signed yet."""
    store = Store.open(db_url)
    seed_defaults(store)
    first = signoff.freeze(store, KOMMUN, kommun_code="1960", year=2023, tertial=1, today=date(2023, 5, 2))
    signoff.sign(store, POLIS, frozen_id=first)
    signoff.sign(store, KOMMUN, frozen_id=first)
    signoff.freeze(store, KOMMUN, kommun_code="1960", year=2023, tertial=2, today=date(2023, 9, 1))
    return store


def _frozen_lines(at) -> list[str]:  # noqa: ANN001 - AppTest
    lines = [line for c in at.caption for line in c.value.replace("\\", "").split("  \n")]
    return [line.removeprefix(":material/lock: ") for line in lines if line.startswith(":material/lock: Tertial")]


def _assert_both(at) -> None:  # noqa: ANN001 - AppTest
    assert not at.exception
    first, second = _frozen_lines(at)
    assert first.startswith(T1) and first.endswith(f" · {SIGNED}")
    assert second.startswith("Tertial 2 2023 fryst ") and second.endswith(f" · {WAITING}")


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("page", [None, "pages/medborgarloften.py", "pages/mote.py"])
def test_a_frozen_tertial_shows_on_the_viewer_pages(app, page: str | None) -> None:
    _assert_both(app("1960", "2023", page=page))


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("slide", ["1", "5"])
def test_every_slide_of_the_deck_says_the_tertial_is_frozen(app, slide: str) -> None:
    _assert_both(app("1960", "2023", page="pages/mote.py", presentation="1", bild=slide))


@pytest.mark.usefixtures("frozen")
def test_a_year_without_a_frozen_tertial_has_no_line(app) -> None:
    at = app("1960", "2024", page="pages/medborgarloften.py")
    assert not at.exception and _frozen_lines(at) == []
