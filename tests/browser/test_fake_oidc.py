"""End to end: a throwaway Streamlit app logs in and out through the fake OIDC provider in Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.fake_oidc import LOGIN_BUTTON_TEXT, FakeOidcProvider
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, free_port

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


@contextmanager
def streamlit_app(app: Path, secrets_path: Path, port: int) -> Iterator[str]:
    """Run ``app`` with only ``secrets_path`` as its secrets; yield its URL."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--server.fileWatcherType=none", "--browser.gatherUsageStats=false", f"--secrets.files={secrets_path}",
    ]  # fmt: skip
    log_path = app.parent / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=app.parent, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not become healthy:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_idle(page) -> None:  # noqa: ANN001 - playwright Page
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=15000)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium saknas: installera med apt-get install -y chromium (se .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def idp() -> Iterator[FakeOidcProvider]:
    with FakeOidcProvider() as provider:
        yield provider


def test_login_and_logout_through_the_fake_provider(browser, idp: FakeOidcProvider, tmp_path: Path):
    from playwright.sync_api import expect

    port = free_port()
    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    extra = textwrap.dedent("""\
        [extra]
        greeting = "hej från en egen sektion"
    """)
    secrets_path = idp.write_secrets(tmp_path / "secrets.toml", f"http://127.0.0.1:{port}/oauth2callback", extra)

    with streamlit_app(app, secrets_path, port) as url:
        context = browser.new_context(locale="sv-SE")
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
