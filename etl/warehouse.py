"""The warehouse's tables and views: the schema, the load-time (derived) tables and the public views, applied in
order from the .sql files in sql/. The file itself (connect, lock, copy, swap, generations) is
core/warehouse_file.py's.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core import calendar
from core.settings import Settings
from core.warehouse_file import connect_read_only

from . import columns, contract

SQL_DIR = Path(__file__).parent / "sql"
SCHEMA_VERSION = 10    # 10: no stored row_hash (compared from the stored columns); 9: person facts on first version
# Tables derived from the base tables at every load: one SELECT each in sql/derived/<table>.sql, whose header says
# how it is kept (read by derived_tables below):
#   -- key: <column>                each row is worked out for one young person or one form, by this key
#   -- refreshed for: <temp table>  the keys an incremental load works out again (filled by the loader)
#   -- depends on: <tables>         load-time tables it reads, built before it
#   -- changed rows go to: <temp table>   the keys whose rows came out different are refreshed downstream too
HEADER = re.compile(r"^-- (key|refreshed for|depends on|changed rows go to): (.+)$", re.M)


@dataclass(frozen=True)
class Derived:
    table: str
    key: str
    touched: str
    depends_on: tuple[str, ...]
    changed_to: str | None


def derived_tables() -> list[Derived]:
    """The load-time tables in build order (each after those it depends on), from the headers of their .sql."""
    declared = {}
    for path in sorted((SQL_DIR / "derived").glob("[!_]*.sql")):
        header = dict(HEADER.findall(path.read_text()))
        depends = tuple(t.strip() for t in header["depends on"].split(",") if not t.startswith("("))
        declared[path.stem] = Derived(path.stem, header["key"], header["refreshed for"], depends,
                                      header.get("changed rows go to"))
    ordered: list[Derived] = []

    def visit(name: str, seen: tuple = ()) -> None:
        if name in seen:
            raise ValueError(f"sql/derived: {' -> '.join(seen + (name,))} depend on each other")
        if any(d.table == name for d in ordered):
            return
        for dependency in declared[name].depends_on:
            visit(dependency, seen + (name,))
        ordered.append(declared[name])
    for name in declared:
        visit(name)
    return ordered


DERIVED = {d.table: d for d in derived_tables()}
# The temp tables of keys a load fills, and their key column.
TOUCHED = {d.touched: d.key for d in DERIVED.values()}
# Load-time tables of earlier versions, dropped when a warehouse is upgraded.
RETIRED = ("indicator_facts", "plan_quality_facts", "plan_verdicts", "authorities_with_actions")
# Views in dependency order; each is one file in sql/views/.
VIEWS = ("reviews", "young_people", "traffic_light_ratings", "traffic_light_responses", "traffic_light_comments",
         "plan_indicators", "plan_quality", "care_leaver_snapshots", "care_leavers", "young_people_without_plan",
         "load_log", "rejected_rows", "load_warnings")
PUBLIC_VIEWS = ("young_people", "reviews", "traffic_light_ratings", "plan_indicators", "load_log", "rejected_rows")


def apply_schema(con, settings: Settings, derive: bool = True) -> None:
    """Create or upgrade base tables; refresh the calendar, settings and stage tables;
    with `derive`, also the load-time tables and the views (a load does that once, at its end)."""
    con.execute((SQL_DIR / "schema.sql").read_text())
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'calendar'").fetchall()[0][0]:
        con.register("calendar_frame", calendar.calendar_frame())
        con.execute("CREATE TABLE calendar AS SELECT CAST(day AS DATE) AS day, is_working_day, "
                    "CAST(working_day_number AS INTEGER) AS working_day_number, quarter FROM calendar_frame ORDER BY day")
        con.unregister("calendar_frame")
    con.execute((SQL_DIR / "care_leaver_codes.sql").read_text())
    con.execute("DELETE FROM stages")
    con.executemany("INSERT INTO stages VALUES (?, ?)", list(enumerate(columns.STAGES, start=1)))
    con.execute("""
        CREATE OR REPLACE TABLE settings AS SELECT
            ?::INTEGER AS schema_version, ?::INTEGER AS minutes_due_working_days, ?::INTEGER AS due_soon_working_days,
            ?::INTEGER AS review_interval_months, ?::INTEGER AS england_start_age, ?::INTEGER AS wales_start_age,
            ?::INTEGER AS wales_assessment_months, ?::INTEGER AS small_number_max, ?::DATE AS today_override""",
                [SCHEMA_VERSION, settings.minutes_due_working_days, settings.due_soon_working_days,
                 settings.review_interval_months, settings.england_start_age, settings.wales_start_age,
                 settings.wales_assessment_months, settings.small_number_max, settings.today_date])
    if derive:
        refresh_derived(con)


def refresh_derived(con, incremental: bool = False, timings: dict | None = None) -> str:
    """Work out the load-time tables from the base tables, then (re)create the public views on them.

    Incremental: only the rows of the young people and forms in temp tables touched_persons / touched_forms, and
    the ratings of the forms in rated_forms (answers loaded again) or whose link came out different (every other
    row depends only on its own person's or form's base rows). Falls back to a full refresh
    when a table is missing. Returns "incremental" or "full".
    """
    for table in RETIRED:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for table, key in TOUCHED.items():
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({key} VARCHAR)")
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    incremental = incremental and all(t in existing for t in DERIVED)
    for table, derived in DERIVED.items():
        t0 = time.perf_counter()
        _refresh_views(con, everything=not incremental)
        select = (SQL_DIR / "derived" / f"{table}.sql").read_text().strip().rstrip(";")
        if incremental:
            key, touched = derived.key, derived.touched
            if derived.changed_to:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_before AS SELECT * FROM {table} "
                            f"WHERE {key} IN (SELECT {key} FROM {touched})")
            con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {touched})")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM (\n{select}\n)")
            if derived.changed_to:      # the rows that came out different: what is built from them follows
                con.execute(f"INSERT INTO {derived.changed_to} SELECT {key} FROM (SELECT * FROM {table} WHERE {key} "
                            f"IN (SELECT {key} FROM {touched}) EXCEPT SELECT * FROM {table}_before)")
        else:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS\n{select}")
        if timings is not None:
            timings[f"derived table {table}"] = timings.get(f"derived table {table}", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    for view in VIEWS:
        con.execute((SQL_DIR / "views" / f"{view}.sql").read_text())
    contract.write_comments(con, VIEWS)
    if timings is not None:
        timings["views"] = timings.get("views", 0.0) + time.perf_counter() - t0
    return "incremental" if incremental else "full"


def _refresh_views(con, everything: bool) -> None:
    """The refresh_* views of sql/derived/_refresh.sql: the rows this refresh works out (all, or those a load
    touched); one over a load-time table not made yet comes on a later pass."""
    sql = re.sub(r"\{in (\w+): (\w+)\}", lambda m: "true" if everything else f"{m[2]} IN (SELECT {m[2]} FROM {m[1]})",
                 (SQL_DIR / "derived" / "_refresh.sql").read_text())
    for statement in filter(str.strip, sql.split(";")):
        try:
            con.execute(statement)
        except duckdb.CatalogException:
            pass


def schema_version(path: Path) -> int | None:
    with connect_read_only(path) as con:
        try:
            return con.execute("SELECT schema_version FROM settings").fetchall()[0][0]
        except duckdb.Error:
            return None
