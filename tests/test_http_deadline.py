"""Timeouts bound the whole call: a server on 127.0.0.1 that trickles its answer cannot hold a call past the
client's deadline, even though no single read waits longer than the read timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lofte_data.errors import SchemaError, SourceUnavailableError
from lofte_data.sources.http import HttpClient

TRICKLE = 30  # bytes per step
STEP = 0.4  # seconds between steps: each read returns well inside the read timeout


class Trickle(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"[" + b" " * 10_000 + b"]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith("/big"):
            return
        try:
            for start in range(0, len(body), TRICKLE):
                self.wfile.write(body[start : start + TRICKLE])
                self.wfile.flush()
                time.sleep(STEP)
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def trickling() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_trickling_server_is_cut_off_at_the_deadline(trickling: str) -> None:
    client = HttpClient(timeout=1.0, deadline=2.0, max_retries=0)
    start = time.monotonic()
    with pytest.raises(SourceUnavailableError, match="svarade för långsamt"):
        client.get_json(f"{trickling}/api/events")
    assert time.monotonic() - start < 2.0 + 2 * STEP  # without the deadline: 10 000 / 30 * 0.4 s = 133 s


def test_an_answer_over_the_size_limit_is_refused(trickling: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = HttpClient(timeout=5.0, max_bytes=100, max_retries=0)
    with pytest.raises((SchemaError, SourceUnavailableError)):
        client.get_json(f"{trickling}/api/events")
