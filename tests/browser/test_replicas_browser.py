"""Two app replicas on one PostgreSQL behind Debian's nginx, set up as docs/deploy.md says: sticky by client
address, websocket upgrade, one cookie secret, /_stcore/metrics closed. An editor signs in and logs an activity
through nginx; a viewer on each replica, opened directly, sees it on the next run of the page within the stated
bound (loaders.VERSION_TTL plus one rerun), although each replica had the old figures in its cache."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lofte_data.access import hash_password
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from lofte_data.ui.loaders import VERSION_TTL
from tests.browser.conftest import new_context
from tests.browser.server import RENDER_TIMEOUT_MS, free_port, running_app, wait_healthy, wait_rendered
from tests.browser.test_editor_browser import AFTER, BEFORE, EDITORS, _log_speed_check
from tests.conftest import POSTGRES_URL, _empty_postgres

# The shared PostgreSQL test database: in the same test worker as the other tests that empty and fill it.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("postgres")]

PASSWORD = "korrekt häst batteri"
FOLLOW_UP = "/medborgarloften?kommun=1960&ar=2023"
BOUND_S = VERSION_TTL + 1  # the stated bound (docs/deploy.md: a run that starts VERSION_TTL after a write sees it)

NGINX_CONF = """
worker_processes 1;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path @DIR@/body;
    proxy_temp_path @DIR@/proxy;
    fastcgi_temp_path @DIR@/fastcgi;
    uwsgi_temp_path @DIR@/uwsgi;
    scgi_temp_path @DIR@/scgi;
    upstream lofte {
        hash $remote_addr consistent;
        server 127.0.0.1:@A@ max_fails=3 fail_timeout=10s;
        server 127.0.0.1:@B@ max_fails=3 fail_timeout=10s;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        listen 127.0.0.1:@PORT@;
        client_max_body_size 64m;
        location = /_stcore/metrics { deny all; }
        location / {
            proxy_pass http://lofte;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 86400s;
            proxy_buffering off;
        }
    }
}
"""


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.fail("nginx saknas: installera med apt-get install -y nginx (se scripts/test)")
    return found


@contextmanager
def running_nginx(ports: tuple[int, int], folder: Path) -> Iterator[str]:
    """nginx in the foreground on a free port with its pid, logs and temporary files in ``folder``."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    text = NGINX_CONF.replace("@DIR@", str(folder)).replace("@PORT@", str(port))
    conf.write_text(text.replace("@A@", str(ports[0])).replace("@B@", str(ports[1])), encoding="utf-8")
    process = subprocess.Popen([_nginx(), "-c", str(conf), "-p", str(folder), "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, 20.0, name="nginx")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """Two replicas (one database, one cookie secret, one secrets file) and nginx in front: their URLs."""
    if not POSTGRES_URL:
        pytest.skip("needs LOFTE_TEST_POSTGRES_URL (scripts/test sets it when run as root, as CI does)")
    url = _empty_postgres(POSTGRES_URL)
    store = Store.open(url)
    seed_defaults(store)
    store.engine.dispose()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(EDITORS + f'losenord = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    args = (f"--secrets.files={secrets}",)
    env = {"LOFTE_DATABASE_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": "en-gemensam-hemlighet-for-replikerna"}
    ports = (free_port(), free_port())
    with ExitStack() as stack:
        first, second = (stack.enter_context(running_app(env, port=p, extra_args=args)) for p in ports)
        front = stack.enter_context(running_nginx(ports, tmp_path / "nginx"))
        yield first, second, front


def _sign_in(page) -> None:  # noqa: ANN001 - playwright Page
    page.get_by_text("Logga in (redaktörer)").click()
    page.get_by_label("Användarnamn eller e-post").fill("anna@kungsor.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    wait_rendered(page)
    expect(page.get_by_text("Inloggad redaktör: Anna Andersson (1960)")).to_have_count(1)


# Counts the runs the page starts from now on (a rerun is asked for, then waited for).
_COUNT_RUNS = """() => {
    window.__runs = 0;
    const app = document.querySelector("[data-testid='stApp']");
    new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.__runs += 1; })
        .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def _rerun(page) -> None:  # noqa: ANN001 - playwright Page
    """Run the page again in its session, as a viewer's next click does: Streamlit's R key."""
    page.evaluate("window.__runs = 0")
    page.locator("[data-testid='stMain'] h1").first.click()
    page.keyboard.press("r")
    page.wait_for_function("() => window.__runs > 0", timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)


def _seconds_until_shown(page, text: str, since: float) -> float:  # noqa: ANN001
    """Rerun the open page until ``text`` shows: the seconds from ``since`` to the start of the first run that
    showed it. A run that started more than BOUND_S after ``since`` and still shows old figures fails."""
    while True:
        started = time.monotonic() - since
        _rerun(page)
        if page.get_by_text(text, exact=True).count() == 1:
            return started
        assert started < BOUND_S, f"{page.url} showed the old figures {started:.1f} s after the edit"
        page.wait_for_timeout(500)


def test_an_edit_through_nginx_reaches_both_replicas(chromium, replicas) -> None:
    first, second, front = replicas
    assert _status(f"{front}/_stcore/health") == 200
    assert _status(f"{front}/_stcore/metrics") == 403  # internal only
    assert _status(f"{first}/_stcore/metrics") == 200

    viewers = [new_context(chromium) for _ in range(2)]
    pages = [context.new_page() for context in viewers]
    for page, replica in zip(pages, (first, second), strict=True):
        page.goto(replica + FOLLOW_UP)
        # A fresh server opened on a sub-page reruns through the router once: wait for the figures themselves.
        expect(page.get_by_text(BEFORE, exact=True)).to_have_count(1, timeout=RENDER_TIMEOUT_MS)  # old, cached
        page.evaluate(_COUNT_RUNS)

    editor = new_context(chromium)
    page = editor.new_page()
    page.goto(front + FOLLOW_UP)  # the websocket through nginx
    wait_rendered(page)
    _sign_in(page)
    _log_speed_check(page)
    saved = time.monotonic()

    waited = [_seconds_until_shown(p, AFTER, saved) for p in pages]
    print(f"the edit showed on the replicas after {waited[0]:.1f} s and {waited[1]:.1f} s (bound {BOUND_S} s)")
    for context in (*viewers, editor):
        context.close()
