"""A fake OpenID Connect provider on 127.0.0.1, for offline tests of the real st.login() flow.

Serves discovery, /authorize (a tiny HTML login form), /token (RS256 id_token), /jwks and /userinfo
from a uvicorn server in a background thread. Streamlit (through Authlib) checks iss, aud, exp, iat,
nonce, the signature against /jwks and, because discovery advertises S256, a PKCE code_verifier.

    with FakeOidcProvider() as idp:
        secrets_path = idp.write_secrets(tmp_path / "secrets.toml", f"http://127.0.0.1:{port}/oauth2callback")
        # streamlit run app.py ... --secrets.files=<secrets_path>
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import socket
import threading
import time
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

LOGIN_BUTTON_TEXT = "Logga in hos testleverantören"
CANCEL_BUTTON_TEXT = "Avbryt"
CODE_LIFETIME_SECONDS = 120

_FORM_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Testleverantör</title></head>
<body>
<h1>Testleverantör</h1>
<form method="post" action="/authorize">
{hidden}
<label>E-post <input type="email" name="email" autocomplete="off"></label>
<label>Namn <input type="text" name="name" autocomplete="off"></label>
<button type="submit" name="action" value="login">{login}</button>
<button type="submit" name="action" value="cancel">{cancel}</button>
</form>
</body></html>
"""
_FORWARDED_PARAMS = ("client_id", "redirect_uri", "state", "nonce", "scope", "code_challenge", "code_challenge_method")


class FakeOidcProvider:
    """A context manager that runs the provider; ``.issuer`` etc. are valid while it runs."""

    def __init__(
        self,
        *,
        client_id: str = "streamlit-test-client",
        client_secret: str | None = None,
        token_lifetime: int = 3600,
        end_session: bool = False,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.token_lifetime = token_lifetime
        self.end_session = end_session  # advertise end_session_endpoint: st.logout() then visits /logout
        self.redirect_uris: set[str] = set()  # filled by secrets_toml(); /authorize refuses others if non-empty
        self.authorize_requests: list[dict[str, str]] = []  # query of every GET /authorize
        self.token_requests: list[dict[str, str]] = []  # form of every POST /token, plus "auth_method"
        self.logout_requests: list[dict[str, str]] = []
        self.issued_claims: list[dict[str, Any]] = []  # id_token claims, in order of issue
        self._key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
        self._codes: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------------

    def __enter__(self) -> FakeOidcProvider:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("FakeOidcProvider is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))  # bound before the thread starts: the port is ours, no race
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._build_app(), log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fake-oidc", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("fake OIDC provider did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    # -- what a test needs ---------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeOidcProvider is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def secrets_toml(self, redirect_uri: str, cookie_secret: str) -> str:
        """The ``[auth]`` section for Streamlit's default provider (st.login() without arguments)."""
        self.redirect_uris.add(redirect_uri)
        values = {
            "redirect_uri": redirect_uri,
            "cookie_secret": cookie_secret,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "server_metadata_url": self.metadata_url,
        }
        # A JSON string is a valid TOML basic string for everything json.dumps emits.
        return "[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())

    def write_secrets(
        self, path: Path, redirect_uri: str, extra_toml: str = "", *, cookie_secret: str | None = None
    ) -> Path:
        """Write ``[auth]`` then ``extra_toml`` (which must consist of tables, e.g. ``[db]\\nurl = "..."``)."""
        if extra_toml.strip():
            try:
                extra = tomllib.loads(extra_toml)
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"extra_toml is not valid TOML: {error}") from error
            bare = [key for key, value in extra.items() if not isinstance(value, dict)]
            if bare:
                raise ValueError(f"extra_toml has top-level keys {bare}; after [auth] they would land in [auth]")
        text = self.secrets_toml(redirect_uri, cookie_secret or secrets.token_urlsafe(32))
        if extra_toml.strip():
            text += "\n" + extra_toml.strip("\n") + "\n"
        try:
            tomllib.loads(text)  # fail here, not inside Streamlit, if e.g. extra_toml repeats [auth] or its keys
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"[auth] plus extra_toml is not valid TOML: {error}") from error
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    # -- the provider ----------------------------------------------------------------------------------

    def _build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery, methods=["GET"]),
                Route("/authorize", self._authorize_form, methods=["GET"]),
                Route("/authorize", self._authorize_submit, methods=["POST"]),
                Route("/token", self._token, methods=["POST"]),
                Route("/jwks", self._jwks, methods=["GET"]),
                Route("/userinfo", self._userinfo, methods=["GET", "POST"]),
                Route("/logout", self._logout, methods=["GET"]),
            ]
        )

    async def _discovery(self, request: Request) -> Response:
        metadata = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
            "code_challenge_methods_supported": ["S256"],
        }
        if self.end_session:
            metadata["end_session_endpoint"] = f"{self.issuer}/logout"
        return JSONResponse(metadata)

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self._key.as_dict(private=False)]})

    def _check_client_and_redirect(self, params: dict[str, str]) -> str | None:
        if params.get("client_id") != self.client_id:
            return f"unknown client_id {params.get('client_id')!r}"
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri:
            return "missing redirect_uri"
        if self.redirect_uris and redirect_uri not in self.redirect_uris:
            return f"redirect_uri {redirect_uri!r} is not registered ({sorted(self.redirect_uris)})"
        return None

    async def _authorize_form(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.authorize_requests.append(params)
        problem = self._check_client_and_redirect(params)
        if problem is None and params.get("response_type") != "code":
            problem = f"unsupported response_type {params.get('response_type')!r}"
        if problem is None and "openid" not in params.get("scope", "").split():
            problem = "scope lacks openid"
        if problem is None and params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            problem = "only code_challenge_method S256 is supported"
        if problem:
            return PlainTextResponse(f"Felaktig begäran: {problem}", status_code=400)
        hidden = "\n".join(
            f'<input type="hidden" name="{name}" value="{html.escape(params[name], quote=True)}">'
            for name in _FORWARDED_PARAMS
            if name in params
        )
        page = _FORM_PAGE.format(
            hidden=hidden, login=html.escape(LOGIN_BUTTON_TEXT), cancel=html.escape(CANCEL_BUTTON_TEXT)
        )
        return HTMLResponse(page)

    async def _authorize_submit(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        problem = self._check_client_and_redirect(form)
        if problem:
            return PlainTextResponse(f"Felaktig begäran: {problem}", status_code=400)
        back: dict[str, str] = {}
        if form.get("action") == "cancel":
            back["error"] = "access_denied"
        else:
            email = form.get("email", "").strip()
            if not email:
                return PlainTextResponse("Ange en e-postadress", status_code=400)
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = {
                    "client_id": form["client_id"],
                    "redirect_uri": form["redirect_uri"],
                    "nonce": form.get("nonce"),
                    "code_challenge": form.get("code_challenge"),
                    "email": email,
                    "name": form.get("name", "").strip() or email.split("@")[0],
                    "expires": time.time() + CODE_LIFETIME_SECONDS,
                }
            back["code"] = code
        if "state" in form:
            back["state"] = form["state"]
        return RedirectResponse(_add_query(form["redirect_uri"], back), status_code=302)

    def _client_auth(self, request: Request, form: dict[str, str]) -> tuple[str | None, str | None, str]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except ValueError:
                return None, None, "client_secret_basic"
            return unquote(user), unquote(password), "client_secret_basic"
        return form.get("client_id"), form.get("client_secret"), "client_secret_post"

    async def _token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
        client_id, client_secret, method = self._client_auth(request, form)
        self.token_requests.append(dict(form, auth_method=method))
        if client_id != self.client_id or not secrets.compare_digest(client_secret or "", self.client_secret):
            return _token_error("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return _token_error("unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant["expires"] < time.time() or grant["client_id"] != client_id:
            return _token_error("invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _token_error("invalid_grant", description="redirect_uri differs from the authorize request")
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=")
            if not verifier or digest.decode("ascii") != grant["code_challenge"]:
                return _token_error("invalid_grant", description="PKCE code_verifier does not match")

        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "fake-" + hashlib.sha256(grant["email"].lower().encode()).hexdigest()[:16],
            "email": grant["email"],
            "email_verified": True,
            "name": grant["name"],
            "iat": now,
            "auth_time": now,
            "exp": now + self.token_lifetime,
            "at_hash": _at_hash(access_token),
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": self._key.kid}, claims, self._key)
        with self._lock:
            self._access_tokens[access_token] = claims
        self.issued_claims.append(claims)
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
            "scope": "openid email profile",
            "id_token": id_token,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def _userinfo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        claims = self._access_tokens.get(header[7:]) if header.lower().startswith("bearer ") else None
        if claims is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse({key: claims[key] for key in ("sub", "email", "email_verified", "name")})

    async def _logout(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.logout_requests.append(params)
        target = params.get("post_logout_redirect_uri")
        if not target:
            return HTMLResponse("<p>Utloggad hos testleverantören.</p>")
        return RedirectResponse(_add_query(target, {"state": params["state"]} if "state" in params else {}), 302)


def _add_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def _token_error(error: str, status: int = 400, description: str | None = None) -> Response:
    body = {"error": error} | ({"error_description": description} if description else {})
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
