"""Run a named query (queries/sql/<name>.sql) through a short-lived read-only connection,
with the user's filters and scope applied by sql/_scope.sql."""
from __future__ import annotations

import contextlib
import re
import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core import warehouse_file

from .filters import Filters, Scope

SQL_DIR = Path(__file__).parent / "sql"


@lru_cache(maxsize=None)
def sql_text(name: str, sql_dir: Path = SQL_DIR) -> str:
    return (sql_dir / f"{name}.sql").read_text()


# A column that would make a result case-level. The panel report's queries run in aggregate-only mode: a result
# carrying one of these is refused, so a query edited to return rows can never reach a panel (SPEC 6).
CASE_LEVEL_COLUMNS = frozenset({"person_key", "person_id", "plan_id", "response_id", "action_id", "comment",
                                "iro", "personal_adviser", "social_worker", "birth_month", "date_of_birth"})


def run_aggregate(con, sql_dir: Path, name: str, **params) -> pd.DataFrame:
    """The result of <sql_dir>/<name>.sql on a connection the caller holds (the report reads several queries on
    one), its $name placeholders filled from `params`; refused if it carries a case-level column."""
    text = sql_text(name, sql_dir)
    frame = con.execute(text, {k: v for k, v in params.items() if f"${k}" in text}).df()
    leaked = sorted(CASE_LEVEL_COLUMNS.intersection(frame.columns))
    if leaked:
        raise PermissionError(f"{name}.sql gives case-level columns ({', '.join(leaked)}); "
                              "an aggregate-only query may give counts only")
    return frame


@lru_cache(maxsize=None)
def scope_sql_for(name: str) -> str:
    """The parts of sql/_scope.sql this query needs: every macro, and only the temp views it reads
    (creating a view binds the public views under it, which costs time on every connection)."""
    statements = sql_text("_scope").split(";\n")
    views = {i: m.group(1) for i, st in enumerate(statements) if (m := re.search(r"CREATE OR REPLACE TEMP VIEW (\w+)", st))}
    needed, reads = set(), sql_text(name)
    while True:     # a view the query reads, and the views those read (defined before them in the file)
        more = {i for i, view in views.items() if i not in needed and re.search(rf"\b{view}\b", reads)}
        if not more:
            break
        needed |= more
        reads += "\n".join(statements[i] for i in more)
    return ";\n".join(st for i, st in enumerate(statements) if i not in views or i in needed)


def _variables(filters: Filters, scope: Scope) -> dict:
    trend_from, trend_to = filters.trend_bounds()
    if scope.role == "team_manager":
        scope_teams = list(scope.teams)      # a team manager with no teams sees nothing
    else:
        scope_teams = None
    return {
        "f_quarters": ("VARCHAR[]", list(filters.quarters)),
        "f_from": ("DATE", filters.date_from),
        "f_to": ("DATE", filters.date_to),
        "f_nation": ("VARCHAR", filters.nation),
        "f_local_authority": ("VARCHAR", filters.local_authority),
        "f_teams": ("VARCHAR[]", list(filters.teams)),
        "trend_from": ("DATE", trend_from),
        "trend_to": ("DATE", trend_to),
        "s_role": ("VARCHAR", scope.role),
        "s_teams": ("VARCHAR[]", scope_teams),
        "s_iro": ("VARCHAR", scope.iro),
    }


_shared = threading.local()      # this thread's connection while reusing_connection() is open


@contextlib.contextmanager
def reusing_connection(db_path: str | Path):
    """Within this block, the named queries this thread runs on `db_path` share one read-only connection (each
    still sets its own filters and scope), instead of opening one each: opening the file, setting the variables and
    creating the scoped views cost ~50 ms a query at national scale. Keep the block short: it holds the file open."""
    if getattr(_shared, "connection", None) is not None:      # already inside one: nothing to add
        yield
        return
    con = warehouse_file.connect_read_only(db_path)
    _shared.connection = (str(db_path), con, {"views": set(), "variables": None})
    try:
        yield
    finally:
        _shared.connection = None
        con.close()


def prepare(con, name: str, filters: Filters, scope: Scope, state: dict | None = None) -> None:
    """Set the variables of this query's filters and scope, and create the scoped views it reads. On a shared
    connection (`state`), only what differs from the query before: the views read the variables when a query
    runs, not when they are created, so they are created once."""
    variables = _variables(filters, scope)
    if state is None or state["variables"] != variables:
        for var, (sql_type, value) in variables.items():
            con.execute(f"SET VARIABLE {var} = ?::{sql_type}", [value]).fetchall()
        if state is not None:
            state["variables"] = variables
    statements = scope_sql_for(name)
    if state is None or statements not in state["views"]:
        con.execute(statements).fetchall()
        if state is not None:
            state["views"].add(statements)


def run(db_path: str | Path, name: str, filters: Filters, scope: Scope, params: dict | None = None,
        frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The result of sql/<name>.sql as a DataFrame; `params` fill its $name placeholders. `frames` are small tables
    kept outside the warehouse (the follow-up store), registered by name on the connection for this query only."""
    if not scope.case_level:
        # The panel sees only the panel report (report/), whose figures are suppressed; these named
        # queries give unsuppressed counts and case-level rows, so a panel scope gets none of them.
        raise PermissionError(f"The {scope.role} role may not run the dashboard's queries ({name})")
    shared = getattr(_shared, "connection", None)
    if shared is not None and shared[0] == str(db_path):
        _, con, state = shared
        with _registered(con, frames):
            prepare(con, name, filters, scope, state)
            return con.execute(sql_text(name), params or {}).df()
    with warehouse_file.connect_read_only(db_path) as con, _registered(con, frames):
        prepare(con, name, filters, scope, None)
        return con.execute(sql_text(name), params or {}).df()


@contextlib.contextmanager
def _registered(con, frames: dict[str, pd.DataFrame] | None):
    for table, frame in (frames or {}).items():
        con.register(table, frame)
    try:
        yield
    finally:
        for table in frames or {}:
            con.unregister(table)
