"""End to end: a throwaway Streamlit app logs in and out through the fake OIDC provider in Chromium."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.fake_oidc import LOGIN_BUTTON_TEXT, FakeOidcProvider
from tests.browser.server import free_port, running_app

pytestmark = pytest.mark.browser

EMAIL = "anna@kungsor.se"
APP = """\
import streamlit as st

if st.user.get("is_logged_in", False):
    st.markdown(f"Inloggad som **{st.user.get('email')}** ({st.user.get('name')})")
    st.write("Hemlig sektion:", st.secrets["extra"]["greeting"])
    if st.button("Logga ut"):
        st.logout()
else:
    st.write("Inte inloggad")
    if st.button("Logga in"):
        st.login()
"""


def wait_idle(page) -> None:  # noqa: ANN001 - playwright Page
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=15000)


@pytest.fixture
def idp() -> Iterator[FakeOidcProvider]:
    with FakeOidcProvider() as provider:
        yield provider


def test_login_and_logout_through_the_fake_provider(chromium, idp: FakeOidcProvider, tmp_path: Path):
    from playwright.sync_api import expect

    port = free_port()
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    extra = textwrap.dedent("""\
        [extra]
        greeting = "hej från en egen sektion"
    """)
    secrets_path = idp.write_secrets(tmp_path / "secrets.toml", f"http://127.0.0.1:{port}/oauth2callback", extra)

    with running_app({}, script=app, port=port, extra_args=(f"--secrets.files={secrets_path}",)) as url:
        context = chromium.new_context(locale="sv-SE")
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            page.goto(url)
            wait_idle(page)
            expect(page.get_by_text("Inte inloggad")).to_be_visible()

            page.get_by_role("button", name="Logga in").click()
            page.wait_for_url(f"{idp.issuer}/authorize?*")
            page.get_by_label("E-post").fill(EMAIL)
            page.get_by_label("Namn").fill("Anna Andersson")
            page.get_by_role("button", name=LOGIN_BUTTON_TEXT).click()

            page.wait_for_url(f"{url}/")
            wait_idle(page)
            expect(page.get_by_text(EMAIL)).to_be_visible()
            expect(page.get_by_text("Anna Andersson", exact=False)).to_be_visible()
            expect(page.get_by_text("hej från en egen sektion")).to_be_visible()

            page.get_by_role("button", name="Logga ut").click()
            expect(page.get_by_text("Inte inloggad")).to_be_visible()
            wait_idle(page)
            assert page.get_by_text(EMAIL).count() == 0

            # A reload reads the (now deleted) identity cookie again: still logged out.
            page.reload()
            wait_idle(page)
            expect(page.get_by_text("Inte inloggad")).to_be_visible()
            assert page.get_by_text(EMAIL).count() == 0
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print((tmp_path / "streamlit.log").read_text(errors="replace"))
            raise
        finally:
            context.close()

    (authorize,) = idp.authorize_requests
    assert authorize["state"] and authorize["nonce"]
    assert authorize["code_challenge_method"] == "S256"
    assert authorize["redirect_uri"] == f"http://127.0.0.1:{port}/oauth2callback"
    (token,) = idp.token_requests
    assert token["auth_method"] == "client_secret_basic" and token["code_verifier"]
    assert idp.issued_claims[0]["nonce"] == authorize["nonce"]


def test_write_secrets_puts_auth_first_and_keeps_extra_sections(tmp_path: Path):
    import tomllib

    provider = FakeOidcProvider(client_id="klient")
    provider.port = 1234  # not started: only the URLs are needed
    extra = '[extra]\ngreeting = "hej"\n\n[connections.db]\nurl = "sqlite:///x.db"\n'
    path = provider.write_secrets(tmp_path / "s" / "secrets.toml", "http://127.0.0.1:9/oauth2callback", extra)
    parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    assert parsed["auth"]["client_id"] == "klient"
    assert parsed["auth"]["server_metadata_url"] == "http://127.0.0.1:1234/.well-known/openid-configuration"
    assert len(parsed["auth"]["cookie_secret"]) >= 32
    assert parsed["extra"] == {"greeting": "hej"} and parsed["connections"]["db"]["url"] == "sqlite:///x.db"
    with pytest.raises(ValueError, match="top-level"):
        provider.write_secrets(tmp_path / "bad.toml", "http://127.0.0.1:9/oauth2callback", 'admins = ["a@b.se"]\n')
    with pytest.raises(ValueError, match="not valid TOML"):
        provider.write_secrets(tmp_path / "bad.toml", "http://127.0.0.1:9/oauth2callback", "[auth]\nx = 1\n")
