"""Sign-in for editors (streamlit): OIDC or password in the sidebar, and the guard of editing pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lofte_data import access
from lofte_data.access import Editor
from lofte_data.models import Kommun
from lofte_data.ratelimit import SqlCallLog
from lofte_data.storage import Store
from lofte_data.ui import loaders, state, widgets


def _secrets() -> dict:
    """The secrets file as a dict; empty when there is none (the meeting-room default)."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def current_editor() -> Editor | None:
    """The signed-in editor: through OIDC (st.login) when configured, else the password login."""
    table = access.accounts(_secrets())
    if st.user.get("is_logged_in", False):
        return access.editor_for(st.user.get("email"), table, method="oidc")
    return st.session_state.get("editor")


def login_box() -> Editor | None:
    """The sidebar's sign-in and sign-out for editors; viewers can ignore it."""
    secrets = _secrets()
    editor = current_editor()
    box = st.sidebar.container(border=True)
    if editor is not None:
        role = ", administratör" if editor.admin else ""
        box.caption(f"Inloggad redaktör: {widgets.plain(editor.name)} ({', '.join(sorted(editor.kommuner))}{role})")
        if box.button("Logga ut", key="logout"):
            _logout()
        return editor
    if st.user.get("is_logged_in", False):
        box.warning(f"Kontot {widgets.plain(st.user.get('email', ''))} har ingen redaktörsbehörighet.")
        if box.button("Logga ut", key="logout"):
            _logout()
        return None
    with box.expander("Logga in (redaktörer)"):
        if "auth" in secrets:
            if st.button("Logga in med organisationens konto", key="oidc_login"):
                st.login()
        if any(a.password_hash for a in access.accounts(secrets).values()):
            _password_form(secrets)
        elif "auth" not in secrets:
            st.caption("Inloggning är inte uppsatt. Se README, avsnittet Redaktörer.")
    return None


def _client_address() -> str:
    """The client's address for the login throttle; without one (some proxies, AppTest) the browser session."""
    address = st.context.ip_address
    if address:
        return address
    session = st.session_state.setdefault("_login_session", f"session-{id(st.session_state)}")
    return str(session)


def _password_form(secrets: dict) -> None:
    with st.form("password_login", clear_on_submit=True):
        username = st.text_input("Användarnamn eller e-post")
        password = st.text_input("Lösenord", type="password")
        if st.form_submit_button("Logga in"):
            try:
                st.session_state["editor"] = access.password_login(
                    username,
                    password,
                    access.accounts(secrets),
                    throttle=access.LoginThrottle(SqlCallLog(loaders.store())),
                    address=_client_address(),
                )
                st.rerun()
            except access.AccessError as exc:
                st.error(str(exc))


def _logout() -> None:
    st.session_state.pop("editor", None)
    if st.user.get("is_logged_in", False):
        st.logout()  # sends the browser through /auth/logout, which clears the cookie and reloads
    else:
        st.rerun()


def require_editor(kommun: Kommun) -> Editor:
    """Stop an editing page unless an editor of ``kommun`` is signed in (the page is also left out of a viewer's
    menu; the editing functions check again)."""
    editor = current_editor()
    if editor is None:
        st.error("Den här sidan är för redaktörer. Logga in under **Logga in (redaktörer)** i sidomenyn.")
        st.stop()
    if not editor.may_edit(kommun.code):
        st.info(f"Du är redaktör för {', '.join(sorted(editor.kommuner))}. Välj en av dem i sidomenyn.")
        st.stop()
    return editor


@dataclass(frozen=True)
class EditorPage:
    """What every editing page starts from: the selection, the signed-in editor and the store."""

    sel: state.Selection
    editor: Editor
    store: Store


def editor_page(title: str) -> EditorPage:
    """The shared start of an editing page: heading, then the editor guard (the page stops for anyone else)."""
    sel = state.selection()
    widgets.header(title, sel)
    return EditorPage(sel=sel, editor=require_editor(sel.kommun), store=loaders.store())
