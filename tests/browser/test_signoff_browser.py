"""A Polisen editor and a kommun editor sign a tertial through the real UI (password login, a real server)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lofte_data.access import hash_password
from tests.browser.server import ROOT, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "korrekt häst batteri"


def _secrets(path) -> str:  # noqa: ANN001
    hashed = hash_password(PASSWORD)
    path.write_text(
        '[redaktorer."per@polisen.se"]\nnamn = "Per Polis"\nkommuner = ["1960"]\npart = "Polisen"\n'
        f'losenord = "{hashed}"\n'
        '[redaktorer."anna@kungsor.se"]\nnamn = "Anna Andersson"\nkommuner = ["1960"]\npart = "Kommunen"\n'
        f'losenord = "{hashed}"\n',
        encoding="utf-8",
    )
    return str(path)


def _sign_in(page, url: str, who: str) -> None:  # noqa: ANN001
    page.goto(f"{url}/?kommun=1960&ar=2023")
    wait_rendered(page)
    page.get_by_text("Logga in (redaktörer)").click()
    page.get_by_label("Användarnamn eller e-post").fill(who)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    wait_rendered(page)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Tertialuppföljning").first.click()
    wait_rendered(page)


def _click(page, name: str) -> None:  # noqa: ANN001
    page.get_by_role("button", name=name).click()
    wait_rendered(page)


def test_polisen_and_kommunen_sign_a_tertial(chromium, tmp_path) -> None:
    secrets = _secrets(tmp_path / "secrets.toml")
    env = {"LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with running_app(env, extra_args=(f"--secrets.files={secrets}",)) as url:
        for who, party in (("per@polisen.se", "Polisen"), ("anna@kungsor.se", "Kommunen")):
            context = chromium.new_context(
                locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1920, "height": 1080}
            )
            page = context.new_page()
            _sign_in(page, url, who)
            assert page.locator("h1").first.inner_text().strip() == "Tertialuppföljning"
            if party == "Polisen":
                expect(page.get_by_text("T2 maj–aug 2023: öppen")).to_have_count(1)
                _click(page, "Frys T2")
                expect(page.get_by_text("T2 maj–aug 2023: fryst")).to_have_count(1)
            _click(page, f"Underteckna för {party}")
            expected = "undertecknad av Polisen" if party == "Polisen" else "undertecknad av båda"
            expect(page.get_by_text(f"T2 maj–aug 2023: {expected}")).to_have_count(1)
            full_screenshot(page, ARTIFACTS / f"uppfoljning_{party.lower()}_1920.png")
            context.close()
