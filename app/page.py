"""What every page does first: find (or build) the warehouse, draw the sidebar filters, say what data this is."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, TypeVar

import pandas as pd
import streamlit as st

from core.settings import Settings, SettingsError, load_settings
from etl import load, sample
from queries.filters import Filters, Scope, default_quarter, quarter_label
from queries.warehouse import Warehouse

from . import access, audit, data

ALL = "All"
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    db: Warehouse                       # made once per page run: its path and version (page.setup)
    filters: Filters
    scope: Scope
    summary: pd.Series

    user: "access.User | None" = None
    page_key: str | None = None
    unmatched: tuple[str, ...] = ()     # the user's access-file teams / IRO name that match nothing in the data
    settings: Settings | None = None    # read once per page run (page.setup)

    # The thresholds the figures were worked out with: the warehouse's copy, stored at load (core/wording.py writes
    # them in words).
    @property
    def small_number_max(self) -> int:
        return int(self.summary["small_number_max"])

    @property
    def review_interval_months(self) -> int:
        return int(self.summary["review_interval_months"])

    @property
    def minutes_due_working_days(self) -> int:
        return int(self.summary["minutes_due_working_days"])

    @property
    def due_soon_working_days(self) -> int:
        return int(self.summary["due_soon_working_days"])

    def get(self, name: str, **kwargs) -> pd.DataFrame:
        return data.get(name, self.db, self.filters, self.scope, **kwargs)

    def fetch(self, name: str, **kwargs) -> pd.DataFrame:
        """Not cached: for downloads made when clicked."""
        return data.fetch(name, self.db, self.filters, self.scope, **kwargs)

    def prefetch(self, *requests: "str | tuple[str, dict]") -> None:
        """Start the page's queries (a name, or (name, kwargs)) in the background, in the order it needs them."""
        data.prefetch(self.db, self.filters, self.scope, requests)

    def section(self, name: str, build: "Callable[..., T]", **choices) -> T:
        """build(self, **choices): a part of the page made from query results (a finished chart and its table),
        built once and drawn again on every rerun with the same warehouse version, day, filters, scope and choices.
        `build` may use only the context and `choices` (never session state or widgets directly), and its result
        is shared: draw it, never change it."""
        key = (self.page_key, name, self.db, dt.date.today(), self.filters, self.scope, tuple(sorted(choices.items())))
        return data.built(key, lambda: build(self, **choices))


def run_settings() -> Settings:
    """The settings, read once per page run and passed on from there; settings that cannot be read are said in plain
    words, and the page stops."""
    try:
        return load_settings()
    except SettingsError as exc:
        st.error(f"The settings could not be read: {exc}")
        st.stop()


def warehouse(settings: Settings) -> Warehouse:
    """The warehouse handle for this page run (its version is the key of everything the page remembers: a load
    swaps in a new file, a new version). Made once per run: pages pass the handle, never a path."""
    return Warehouse.at(settings.warehouse)


_CHECKED: set = set()       # (warehouse path, version) already checked to be of the current schema


def bootstrap(db: Warehouse, settings: Settings) -> Warehouse:
    """First start with no warehouse: build the sample one, showing progress. Returns the handle, made again when
    this run built or upgraded the file.

    Only at the default path: a warehouse set with PWP_WAREHOUSE is for real data, and must
    never be seeded with the sample; it starts empty and fills from the Data loads page."""
    path = db.path
    if db.exists:
        # Once per warehouse file, not on every rerun: a load swaps in a new file (a new version).
        if (path, db.version) not in _CHECKED:
            load.upgrade_if_needed(settings)
            db = db.again()
            _CHECKED.add((path, db.version))
        return db
    if not settings.builds_sample_on_first_start:
        st.info("**No data loaded yet.** This warehouse is new: load your exports on the *Data loads* page, "
                "or from a terminal with `python -m etl load FILES`.")
        st.caption(f"Warehouse: `{path}`")
        st.stop()
    # One placeholder for the note and its progress bar, emptied when the build is done (else the note stayed
    # above the figures until the next page).
    box = st.empty()
    with box.container():
        st.info("No warehouse was found, so the dashboard is building one from the **sample data** "
                "(invented young people, teams and reviews). This takes a few seconds and happens once.")
        bar = st.progress(0.0, text="Building the sample warehouse…")

    def progress(fraction, message=""):
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=str(message) or "Building the sample warehouse…")

    sample.build_sample_warehouse(settings, progress=progress)
    box.empty()
    data.clear()
    db = db.again()
    data.warm_up(db)
    return db


def _summary(db: Warehouse, scope: Scope) -> pd.Series:
    """What is loaded, and the settings the figures use (remembered per warehouse version and day)."""
    key = ("warehouse_summary", db, dt.date.today(), scope)
    return data.built(key, lambda: data.get("warehouse_summary", db, Filters(), scope).iloc[0])


def _choices(db: Warehouse, scope: Scope, nation: str | None = None, authority: str | None = None):
    """The sidebar's choices (remembered per warehouse version and day): with no nation, the quarters and nations;
    with a nation (ALL for any), the authorities in it; with an authority too (ALL for any), the teams in both."""
    def build():
        if nation is None:
            return (data.get("quarters", db, Filters(), scope)["quarter"].tolist(),
                    [ALL] + sorted(_options(db, scope)["nation"].dropna().unique().tolist()))
        narrowed = _options(db, scope)
        if nation != ALL:
            narrowed = narrowed[narrowed["nation"] == nation]
        if authority is None:
            return [ALL] + sorted(narrowed["local_authority"].dropna().unique().tolist())
        if authority != ALL:
            narrowed = narrowed[narrowed["local_authority"] == authority]
        return sorted(narrowed["team"].dropna().unique().tolist())
    return data.built(("sidebar", db, dt.date.today(), scope, nation, authority), build)


def _options(db: Warehouse, scope: Scope) -> pd.DataFrame:
    return data.get("filter_options", db, Filters(), scope)


def _is_sample(summary: pd.Series) -> bool:
    files = summary.get("files_loaded")
    names = {p.name for p in sample.sample_files()}
    return files is not None and len(files) > 0 and set(files) <= names


def setup(title: str, intro: "str | Callable[[Context], str] | None" = None, page_key: str | None = None) -> Context:
    """Who is looking (refused unless their role may open this page), title, warehouse, sidebar filters and
    data banner; stops the page with a friendly note when nothing is loaded. The scope every query of the
    page runs with is the signed-in user's, never a default. page_key defaults to the calling page's file name.
    An intro that states a threshold is a function of the context (its words are made from the warehouse's values).
    """
    page_key = page_key or access.caller_page_key()
    settings = run_settings()           # the context carries them to the page
    user = access.require(page_key, settings)
    scope = user.scope
    st.title(title)
    intro_box = st.empty()
    if isinstance(intro, str):
        intro_box.caption(intro)
    db = warehouse(settings)
    if db.exists:
        # The sidebar's queries (once per warehouse version and day) start in the background, on one connection,
        # while bootstrap checks the warehouse's schema (if it upgrades it, these are for the old version: unused).
        data.prefetch(db, Filters(), scope, ["warehouse_summary", "quarters", "filter_options"])
    db = bootstrap(db, settings)
    try:
        summary = _summary(db, scope)
    except Exception as exc:  # a file that is not a warehouse, or an older one: say so, never a traceback
        st.error(f"The warehouse at `{db}` could not be read ({type(exc).__name__}). "
                 "Load your exports again with `python -m etl load FILES --db …` or point PWP_WAREHOUSE at another file.")
        st.stop()
    if not summary["plan_versions"] and not summary.get("care_leaver_rows"):
        st.info("**No data loaded yet.** Load your exports (plan export, actions, Rate your review forms, care-leaver "
                "list) on the "
                "*Data loads* page, or from a terminal with `python -m etl load FILES`. "
                "The figures appear here as soon as a load finishes.")
        st.caption(f"Warehouse: `{db}`")
        st.stop()
    unmatched = tuple(access.unmatched(db, scope))
    if unmatched:
        st.warning(access.unmatched_warning(list(unmatched), scope), icon="⚠️")
        if scope.role == "team_manager" and len(unmatched) == len(scope.teams):
            st.stop()       # none of their teams is in the data: every page would be empty
    filters = sidebar(db, scope, summary)
    access.log_view(user, page_key, audit.filters_detail(filters), settings)
    if _is_sample(summary):
        st.warning("**Sample data.** These figures come from the invented sample exports, not from real young people. "
                   "Set PWP_WAREHOUSE to your warehouse, or load your exports, to see your own figures.", icon="ℹ️")
    today = pd.Timestamp(summary["today"]).strftime("%d/%m/%Y")
    loaded = pd.Timestamp(summary["last_loaded_at"]).strftime("%d/%m/%Y %H:%M") if pd.notna(summary["last_loaded_at"]) else "never"
    st.caption(f"Showing **{filters.period_label()}**. Data last loaded {loaded}; "
               f"overdue and out-of-date figures are as of {today}.")
    if filters.unfinished(pd.Timestamp(summary["today"]).date()):
        st.caption("This period is not over yet, so its counts are still growing; percentages compare fairly.")
    ctx = Context(db, filters, scope, summary, user, page_key, unmatched, settings)
    if callable(intro):
        intro_box.caption(intro(ctx))
    return ctx


def _keep_valid(key: str, options: list, multi: bool) -> None:
    """After a new load the options may change: drop remembered choices that no longer exist."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        kept = [v for v in value if v in options]
        if kept != list(value):
            st.session_state[key] = kept
    elif value not in options:
        del st.session_state[key]


def sidebar(db: Warehouse, scope: Scope, summary: pd.Series) -> Filters:
    """The global filters. Widgets keep their values for the whole session, across pages."""
    quarters, nations = _choices(db, scope)
    sb = st.sidebar
    sb.header("Filters")
    mode = sb.radio("Period", ["Financial quarter", "Date range"], key="flt_period_mode", horizontal=True,
                    persist_state="session")
    chosen_quarters: tuple[str, ...] = ()
    date_from = date_to = None
    if mode == "Financial quarter":
        _keep_valid("flt_quarters", quarters, multi=True)
        today = pd.Timestamp(summary["today"]).date()
        first = default_quarter(quarters, today)
        picked = sb.multiselect("Financial quarter(s)", quarters, default=[first] if first else [], key="flt_quarters",
                                format_func=lambda q: quarter_label(q, today),
                                help="UK financial year: Q1 is April to June. Opens on the last complete quarter; "
                                     "the one still running is marked \"so far\". Leave empty for all quarters.",
                                persist_state="session")
        chosen_quarters = tuple(sorted(picked))
    else:
        today = pd.Timestamp(summary["today"]).date()
        value = sb.date_input("From – to", value=(today - dt.timedelta(days=90), today), key="flt_dates",
                              format="DD/MM/YYYY", persist_state="session")
        if isinstance(value, (tuple, list)) and len(value) == 2:
            date_from, date_to = value
        elif isinstance(value, (tuple, list)) and len(value) == 1:
            date_from = value[0]
    _keep_valid("flt_nation", nations, multi=False)
    nation = sb.selectbox("Nation", nations, key="flt_nation", persist_state="session")
    authorities = _choices(db, scope, nation)
    _keep_valid("flt_la", authorities, multi=False)
    authority = sb.selectbox("Local authority", authorities, key="flt_la", persist_state="session")
    teams = _choices(db, scope, nation, authority)
    _keep_valid("flt_teams", teams, multi=True)
    picked_teams = sb.multiselect("Team(s)", teams, key="flt_teams", placeholder="All teams",
                                  help="Leave empty for all teams.", persist_state="session")
    return Filters(quarters=chosen_quarters, date_from=date_from, date_to=date_to,
                   nation=None if nation == ALL else nation,
                   local_authority=None if authority == ALL else authority,
                   teams=tuple(sorted(picked_teams)))
