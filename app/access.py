"""Who is looking, and what they may see (SPEC §6). One home for sign-in, roles and page permissions.

Sign-in modes (setting `auth_mode`):
* local  - no sign-in; one person on this computer, who is admin. The server must listen on
           127.0.0.1 only (.streamlit/config.toml), else nothing is shown.
* header - an authenticating reverse proxy puts the user's email in a header (`auth_header`),
           which Streamlit's `server.trustedUserHeaders` maps into `st.user`.
* oidc   - Streamlit's own `st.login` (settings in .streamlit/secrets.toml); identity is the
           email claim of the signed-in user.
In header and OIDC modes the access file (TOML, kept by the admin) gives each user a role,
and teams or an IRO name; anyone not in it sees a message and no data.

The user's Scope goes into every named query, which applies it in SQL (queries/sql/_scope.sql);
pages are also refused here, so a page asked for by URL is refused, not merely hidden.
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from queries.filters import CASE_LEVEL_ROLES, ROLES, Scope

from . import audit

LOCAL_USER = "local"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class PageRule:
    file: str
    title: str
    icon: str
    roles: tuple[str, ...]


# Every page of the app, in menu order, with the roles that may open it.
PAGES: dict[str, PageRule] = {
    "overview": PageRule("pages/overview.py", "Overview", "🏠", CASE_LEVEL_ROLES),
    "coproduction": PageRule("pages/coproduction.py", "Co-production", "🤝", CASE_LEVEL_ROLES),
    "review_timeliness": PageRule("pages/review_timeliness.py", "Review timeliness", "⏱️", CASE_LEVEL_ROLES),
    "plan_quality": PageRule("pages/plan_quality.py", "Plan quality", "✅", CASE_LEVEL_ROLES),
    "outcomes": PageRule("pages/outcomes.py", "Care leavers' outcomes", "🧭", CASE_LEVEL_ROLES),
    # The panel report covers every team: not for a team manager, who sees only their own teams.
    "panel_report": PageRule("pages/panel_report.py", "Panel report", "📄", ("admin", "manager", "iro", "panel")),
    "invitations": PageRule("pages/invitations.py", "Online form links", "🔗", CASE_LEVEL_ROLES),
    # Case level (the young people's own words and the follow-up notes): never the panel.
    "follow_up": PageRule("pages/follow_up.py", "Follow-up", "💬", CASE_LEVEL_ROLES),
    # Case level: one young person's records, found by the ID from the council's case system.
    "find_young_person": PageRule("pages/find_young_person.py", "Find a young person", "🔍", CASE_LEVEL_ROLES),
    "data_loads": PageRule("pages/data_loads.py", "Data loads", "📥", ("admin",)),
    "audit_log": PageRule("pages/audit_log.py", "Audit log", "🔎", ("admin",)),
}


@dataclass(frozen=True)
class User:
    id: str            # email, or "local"
    scope: Scope

    @property
    def role(self) -> str:
        return self.scope.role

    def may_open(self, page_key: str) -> bool:
        rule = PAGES.get(page_key)
        return rule is not None and self.role in rule.roles

    def label(self) -> str:
        extra = ""
        if self.scope.role == "team_manager":
            extra = f", {', '.join(self.scope.teams)}"
        elif self.scope.role == "iro":
            extra = f", {self.scope.iro}"
        who = "this computer (no sign-in)" if self.id == LOCAL_USER else self.id
        return f"{who} — {self.role.replace('_', ' ')}{extra}"


class AccessFileError(ValueError):
    pass


# --- the access file -----------------------------------------------------------------------------

def parse_access(data: dict, source: str = "access file") -> dict[str, Scope]:
    """{email (lower case): Scope} from the parsed TOML, or AccessFileError saying what is wrong."""
    users = data.get("users")
    if not isinstance(users, dict) or set(data) - {"users"}:
        raise AccessFileError(f"{source}: expected only [users.\"email\"] tables")
    out: dict[str, Scope] = {}
    for email, entry in users.items():
        where = f'{source}: users."{email}"'
        if not isinstance(entry, dict):
            raise AccessFileError(f"{where} must be a table with a role")
        unknown = set(entry) - {"role", "teams", "iro", "name"}
        if unknown:
            raise AccessFileError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
        role = entry.get("role")
        if role not in ROLES:
            raise AccessFileError(f"{where}: role must be one of {', '.join(ROLES)}")
        teams = entry.get("teams", [])
        if not isinstance(teams, list) or not all(isinstance(t, str) and t for t in teams):
            raise AccessFileError(f"{where}: teams must be a list of team names")
        if role == "team_manager" and not teams:
            raise AccessFileError(f"{where}: a team_manager needs teams = [...]")
        iro = entry.get("iro")
        if role == "iro" and not (isinstance(iro, str) and iro.strip()):
            raise AccessFileError(f'{where}: an iro needs iro = "their name as in the plan export"')
        out[email.strip().lower()] = Scope(role=role, teams=tuple(sorted(teams)) if role == "team_manager" else (),
                                           iro=iro.strip() if role == "iro" else None)
    return out


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_access(path: str, mtime_ns: int) -> dict[str, Scope]:
    with open(path, "rb") as fh:
        try:
            return parse_access(tomllib.load(fh), Path(path).name)
        except tomllib.TOMLDecodeError as exc:
            raise AccessFileError(f"{Path(path).name} is not valid TOML: {exc}") from exc


def load_access(path: str | Path) -> dict[str, Scope]:
    """The access file, re-read whenever it changes (the admin edits it while the app runs)."""
    path = Path(path)
    if not path.is_file():
        raise AccessFileError(f"The access file {path.name} was not found (setting access_file / PWP_ACCESS_FILE).")
    return _load_access(str(path), path.stat().st_mtime_ns)


# --- who is signed in ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    user: User | None = None
    signed_in_as: str | None = None     # the identity, when signed in but not in the access file
    problem: str | None = None          # a set-up error: show it, show no data


def _header_user_key(settings: Settings) -> str | None:
    mapping = st.get_option("server.trustedUserHeaders") or {}
    wanted = settings.auth_header.strip().lower()
    return next((key for header, key in mapping.items() if header.strip().lower() == wanted), None)


def identify(settings: Settings) -> Identity:
    mode = settings.auth_mode
    if mode == "local":
        address = st.get_option("server.address")
        if address not in LOOPBACK:
            return Identity(problem=(
                "Local mode (no sign-in) serves this computer only, but the server is listening on "
                f"`{address or 'every network address'}`. Start it from the project folder (whose "
                "`.streamlit/config.toml` sets `server.address = \"127.0.0.1\"`), or set PWP_AUTH_MODE to "
                "`header` or `oidc` to let other people sign in."))
        return Identity(user=User(LOCAL_USER, Scope("admin")))
    trusted = st.get_option("server.trustedUserHeaders") or {}
    if mode == "header":
        user_key = _header_user_key(settings)
        if user_key is None:
            return Identity(problem=(
                f"Header sign-in is chosen, but Streamlit's `server.trustedUserHeaders` does not map the "
                f"`{settings.auth_header}` header. Add `trustedUserHeaders = {{\"{settings.auth_header}\" = \"email\"}}` "
                "under `[server]` in `.streamlit/config.toml`."))
        identity = st.user.get(user_key)
    else:  # oidc
        if trusted:
            # A mapped header overrides the signed-in claims: a browser could send one and become anyone.
            return Identity(problem="OIDC sign-in is chosen, so `server.trustedUserHeaders` must be empty.")
        if not st.user.get("is_logged_in"):
            return Identity()
        identity = st.user.get("email") or st.user.get("preferred_username")
    if not isinstance(identity, str) or not identity.strip():
        return Identity()
    identity = audit.clean(identity.strip().lower(), 254)
    try:
        scopes = load_access(settings.access_file)
    except AccessFileError as exc:
        return Identity(signed_in_as=identity, problem=f"The access list could not be read: {exc}")
    scope = scopes.get(identity)
    if scope is None:
        return Identity(signed_in_as=identity)
    return Identity(user=User(identity, scope))


# --- what each page does first ---------------------------------------------------------------------

def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        st.error(f"The settings could not be read: {exc}")
        st.stop()


def _log(settings: Settings, who: str, role: str | None, event: str, page_key: str | None, detail: dict | None = None,
         once: bool = True) -> None:
    """Write an audit line; with once=True, only when it differs from this session's last one (reruns repeat)."""
    signature = (who, event, page_key, repr(sorted((detail or {}).items())))
    if once and st.session_state.get("_audit_last") == signature:
        return
    try:
        audit.record(settings.audit_log, who, role, event, page_key, detail)
    except Exception as exc:  # never show data because the log failed; never fail silently either
        st.error(f"The audit log could not be written ({type(exc).__name__}), so no data is shown.")
        st.stop()
    st.session_state["_audit_last"] = signature


def current(settings: Settings | None = None) -> tuple[Settings, Identity]:
    settings = settings or _settings()
    return settings, identify(settings)


def stop_without_user(settings: Settings, who: Identity, page_key: str | None) -> None:
    """No data for a set-up problem, a signed-out or an unknown user: a message, a sign-in button, then stop."""
    if who.problem:
        st.error(who.problem)
    elif who.signed_in_as:
        _log(settings, who.signed_in_as, None, "unknown_user", page_key)
        st.warning(f"You are signed in as **{who.signed_in_as}**, but you are not on this dashboard's access list, "
                   "so no data is shown. Ask the dashboard's administrator to add you.")
        if settings.auth_mode == "oidc":
            st.button("Sign out", on_click=st.logout, key="access_sign_out")
    elif settings.auth_mode == "oidc":
        st.info("**Please sign in.** This dashboard holds information about children in care.")
        st.button("Sign in", on_click=st.login, type="primary", key="access_sign_in")
    else:
        _log(settings, "(no user header)", None, "signed_out", page_key)
        st.warning("You are not signed in, so no data is shown. Open the dashboard through your "
                   "organisation's sign-in page.")
    st.stop()


def _through_the_menu() -> None:
    """Run pages through dashboard.py's menu, never as Streamlit's old pages/ folder app.

    Until dashboard.py has called st.navigation once in this server, Streamlit treats the pages/ folder the old way:
    a first visit to a typed address (/overview) ran pages/overview.py on its own, with a menu of file names, no wide
    layout, and for every later visitor too. Leaving that mode and rerunning runs dashboard.py, whose menu opens the
    same page (a page's id is its address in both). Streamlit has no public switch for this (1.67)."""
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def require(page_key: str, settings: Settings | None = None) -> User:
    """The signed-in user, if they may open this page; otherwise a message, an audit line, and stop. `settings`:
    the page run's own, when it has read them already."""
    _through_the_menu()
    settings, who = current(settings)
    if who.user is None:
        stop_without_user(settings, who, page_key)
    user = who.user
    if not user.may_open(page_key):
        title = PAGES[page_key].title if page_key in PAGES else page_key
        _log(settings, user.id, user.role, "refused", page_key)
        st.error(f"**{title}** is not available to your role ({user.role.replace('_', ' ')}).")
        _link_to_first_page(user)
        st.stop()
    st.session_state["_access_user"] = user
    st.session_state["_access_page"] = page_key
    return user


def _link_to_first_page(user: User) -> None:
    """A way back from a refused address (a typed or bookmarked one) to the first page this user may open."""
    from streamlit.errors import StreamlitAPIException
    first = next((rule for key, rule in PAGES.items() if user.may_open(key)), None)
    if first is None:
        return
    try:
        st.page_link(first.file, label=f"Go to {first.title}", icon=first.icon)
    except StreamlitAPIException:   # a page run on its own (not through dashboard.py's menu) has no pages to link
        pass


def who_is_here() -> tuple[User | None, str | None]:
    """The user and page that the last require() in this session let through."""
    return st.session_state.get("_access_user"), st.session_state.get("_access_page")


def log_view(user: User, page_key: str, detail: dict | None = None, settings: Settings | None = None) -> None:
    """Who opened which page with which filters (once per change, not on every rerun)."""
    _log(settings or _settings(), user.id, user.role, "open", page_key, detail)


def log_download(user: User, page_key: str | None, file_name: str, rows: int | None) -> None:
    """Called from a download's data callable, outside the script run: no session state."""
    settings = load_settings()
    audit.record(settings.audit_log, user.id, user.role, "download", page_key, {"file": file_name, "rows": rows})


def log_follow_up(user: User) -> None:
    """That a follow-up was recorded, by whom: never which form, plan or young person, never the note."""
    _log(_settings(), user.id, user.role, "follow_up", "follow_up", once=False)


def caller_page_key(depth: int = 2) -> str:
    """The page key of the script that called us (pages/<key>.py)."""
    return Path(sys._getframe(depth).f_code.co_filename).stem


def refuse(page_key: str) -> None:
    """Stands in for a page the user may not open, at its URL: says so (and logs it) without running it."""
    require(page_key)


def sidebar_identity(user: User, settings: Settings) -> None:
    st.sidebar.caption(f"Signed in as {user.label()}")
    if settings.auth_mode == "oidc":
        st.sidebar.button("Sign out", on_click=st.logout, key="access_sidebar_sign_out")


# --- access-file entries that match nothing in the data (issue 22) ---------------------------------------------------

def _names_in_data(db: str) -> tuple[set[str], set[str]]:
    """Every team and IRO name in the warehouse (read with the admin's scope only to compare names; never shown)."""
    from queries.filters import ADMIN, Filters

    from . import data
    teams = set(data.get("filter_options", db, Filters(), ADMIN)["team"].dropna())
    iros = set(data.get("iros", db, Filters(), ADMIN)["iro"].dropna())
    return teams, iros


def unmatched(db: str, scope: Scope) -> list[str]:
    """The names in this user's access entry (teams, or IRO name) that match nothing in the data loaded: with them,
    pages would be empty and say "nothing to chase" when the truth is that the name is wrong."""
    if scope.role not in ("team_manager", "iro"):
        return []
    teams, iros = _names_in_data(db)
    if scope.role == "team_manager":
        return [t for t in scope.teams if t not in teams]
    return [] if scope.iro in iros else [scope.iro]


def unmatched_entries(db: str, settings: Settings) -> list[dict]:
    """For the admin: every access-file entry naming a team or IRO that is in no data loaded (header and OIDC
    modes; local mode has no access file)."""
    if settings.auth_mode == "local":
        return []
    try:
        scopes = load_access(settings.access_file)
    except AccessFileError:
        return []
    teams, iros = _names_in_data(db)
    out = []
    for email, scope in scopes.items():
        for team in scope.teams:
            if team not in teams:
                out.append({"user": email, "role": scope.role, "entry": f"team \"{team}\""})
        if scope.role == "iro" and scope.iro not in iros:
            out.append({"user": email, "role": scope.role, "entry": f"iro \"{scope.iro}\""})
    return out


def unmatched_warning(names: list[str], scope: Scope) -> str:
    what = "team" if scope.role == "team_manager" else "IRO name"
    listed = ", ".join(f"**{n}**" for n in names)
    return (f"Your access entry names the {what}{'s' if len(names) > 1 else ''} {listed}, which match"
            f"{'es' if len(names) == 1 else ''} nothing in the data loaded, so nothing of "
            f"{'it' if len(names) == 1 else 'them'} can be shown here: an empty list does not mean all is well. "
            "Ask the dashboard's administrator to correct the access file (names exactly as in the plan export).")


def project_file(rule: PageRule) -> Path:
    return PROJECT_ROOT / rule.file
