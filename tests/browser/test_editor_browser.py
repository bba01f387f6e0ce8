"""Editors in a real browser: sign in through OIDC (a local fake provider) or a password, log an activity,
see it on the follow-up page, sign out, and no longer reach the editing pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lofte_data.access import hash_password
from tests.browser.fake_oidc import LOGIN_BUTTON_TEXT, FakeOidcProvider
from tests.browser.server import ROOT, free_port, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
EDITORS = '[redaktorer."anna@kungsor.se"]\nnamn = "Anna Andersson"\nkommuner = ["1960"]\n'
# The traffic area's status line before and after logging a speed check in 2023.
BEFORE = "Uppnått 2 · Genomfört, antal saknas 1"
AFTER = "Uppnått 3"
SPEED_CHECKS = (
    "Trafiksäkerhet samt trafikrelaterad brottslighet · Återkommande fartkontroller på de vägsträckor som tipsen gäller"
)


def _heading(page) -> str:  # noqa: ANN001 - playwright Page
    return page.locator("h1").first.inner_text().strip()


def _nav(page, title: str) -> None:  # noqa: ANN001
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    wait_rendered(page)


def _asked_to_sign_in(page) -> None:  # noqa: ANN001
    """A viewer on an editing page: its title, the request to sign in, no form, no editor pages in the menu."""
    assert _heading(page) == "Rapportera"
    expect(page.get_by_text("Den här sidan är för redaktörer.")).to_have_count(1)
    assert page.get_by_role("button", name="Spara aktivitet").count() == 0
    assert page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Rapportera").count() == 0
    expect(page.get_by_test_id("stExpander").filter(has_text="Logga in (redaktörer)")).to_have_count(1)


def _log_speed_check(page) -> None:  # noqa: ANN001
    _nav(page, "Rapportera")
    assert _heading(page) == "Rapportera"
    page.locator("[data-testid='stSelectbox']").filter(has_text="Åtagande").first.click()
    page.get_by_role("option", name=SPEED_CHECKS).click()
    # The closing option list is named after the form's fields for a moment: ask for the text box itself.
    page.get_by_role("textbox", name="Plats", exact=True).fill("Väg 250 vid skolan")
    page.get_by_role("button", name="Spara aktivitet").click()
    wait_rendered(page)
    expect(page.get_by_text("Aktiviteten är sparad.")).to_have_count(1)


def test_oidc_editor_logs_an_activity_and_signs_out(sv_page, tmp_path) -> None:
    port = free_port()
    page = sv_page
    with FakeOidcProvider() as idp:
        secrets = idp.write_secrets(tmp_path / "secrets.toml", f"http://127.0.0.1:{port}/oauth2callback", EDITORS)
        env = {"LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        with running_app(env, port=port, extra_args=(f"--secrets.files={secrets}",)) as url:
            page.goto(f"{url}/rapportera?kommun=1960&ar=2023")  # a link a colleague sent
            wait_rendered(page)
            _asked_to_sign_in(page)

            _nav(page, "Medborgarlöften")
            expect(page.get_by_text(BEFORE, exact=True)).to_have_count(1)
            page.get_by_text("Logga in (redaktörer)").click()
            page.get_by_role("button", name="Logga in med organisationens konto").click()
            page.wait_for_url(f"{idp.issuer}/authorize*")
            page.get_by_label("E-post").fill("anna@kungsor.se")
            page.get_by_role("button", name=LOGIN_BUTTON_TEXT).click()
            page.wait_for_url(f"{url}/**")
            wait_rendered(page)
            expect(page.get_by_text("Inloggad redaktör: Anna Andersson (1960)")).to_have_count(1)

            page.goto(f"{url}/rapportera?kommun=1960&ar=2023")  # the provider sends the editor back to the start
            wait_rendered(page)
            _log_speed_check(page)
            _nav(page, "Medborgarlöften")
            expect(page.get_by_text(AFTER, exact=True)).to_have_count(1)
            full_screenshot(page, ARTIFACTS / "medborgarloften_efter_rapport_1960_2023.png")

            with page.expect_navigation(
                url=f"{url}/**"
            ):  # the sign-out goes through /auth/logout, which clears the cookie
                page.get_by_role("button", name="Logga ut").click()
            wait_rendered(page)
            page.get_by_text("Logga in (redaktörer)").wait_for()
            page.goto(f"{url}/rapportera?kommun=1960&ar=2023")
            wait_rendered(page)
            _asked_to_sign_in(page)
            assert page.get_by_text("Inloggad redaktör").count() == 0


def test_password_editor_signs_in(sv_page, tmp_path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(EDITORS + f'losenord = "{hash_password("korrekt häst batteri")}"\n', encoding="utf-8")
    env = {"LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    page = sv_page
    with running_app(env, extra_args=(f"--secrets.files={secrets}",)) as url:
        page.goto(f"{url}/rapportera?kommun=1960&ar=2023")  # the link a colleague sent: sign in on the spot
        wait_rendered(page)
        _asked_to_sign_in(page)
        page.get_by_test_id("stExpander").filter(has_text="Logga in (redaktörer)").click()
        _sign_in(page, "fel lösenord här", shows="Fel användarnamn eller lösenord.")
        _sign_in(page, "korrekt häst batteri", shows="Inloggad redaktör: Anna Andersson (1960)")
        expect(page.get_by_role("button", name="Spara aktivitet")).to_have_count(1)  # the page itself now
        assert page.get_by_text("Den här sidan är för redaktörer.").count() == 0
        _log_speed_check(page)


def _sign_in(page, password: str, *, shows: str) -> None:  # noqa: ANN001 - playwright Page
    """Sign in as Anna with ``password`` until ``shows`` is on the page. A submission that brings no answer at
    all (the app idle, nothing shown, as in one CI run on a loaded machine) is sent once more, the way a user
    clicks again; a login that answers wrongly or never still fails."""
    for attempt in (1, 2):
        page.get_by_label("Användarnamn eller e-post").fill("anna@kungsor.se")
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in", exact=True).click()
        wait_rendered(page)
        try:
            expect(page.get_by_text(shows)).to_have_count(1, timeout=20_000 if attempt == 1 else None)
            return
        except AssertionError:
            if attempt == 2:
                raise
