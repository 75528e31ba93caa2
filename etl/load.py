"""Load exports into the warehouse: all files of a run, or none of them.

Each row read ends up loaded, rejected (with reasons) or duplicate, so
rows_read = rows_loaded + rows_rejected + rows_duplicate for every file.
A row whose plan / action / response ID is already in the warehouse with
other content replaces it (a later export updates, never duplicates).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core import warehouse_file
from . import normalise, readers, warehouse
from .cells import printable
from core.settings import Settings


@dataclass
class FileResult:
    file_name: str
    kind: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    rows_with_warnings: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    matched_columns: dict[str, str] = field(default_factory=dict)   # header in the file -> canonical name
    issues: list[tuple] = field(default_factory=list)               # (row_number, column, severity, reason), first ones
    issue_count: int = 0
    # The rejected rows' cells as in the file, to send back to the source team. In memory only: never stored.
    rejected_cells: pd.DataFrame | None = None
    already_loaded_at: dt.datetime | None = None
    # About the whole file, for its summary: the sheet read, a date column read month-first.
    notes: list[str] = field(default_factory=list)
    # "incremental": the load-time tables were worked out again only for the people and forms this run
    # touched; "full": for every row (first load, changed settings, actions, or a large share touched).
    derived_refresh: str = ""


# How each kind's typed rows become base-table rows: target table, key column, column expressions.
_KEY = {"plans": "plan_id", "actions": "action_id", "traffic_light": "response_id", "care_leavers": "snapshot_id"}
_TABLE = {"plans": "plan_versions", "actions": "actions", "traffic_light": "traffic_light_forms",
          "care_leavers": "care_leaver_records"}
_COVERS = [f"covers_{a}" for a in (
    "personal_adviser", "contact_support", "accommodation", "post18_arrangement", "education_training",
    "employment", "relationships", "independent_living_skills", "finance", "health", "contingency")]
# The stored key of a form exported with an ID (see the traffic_light response_id below); also used by the online
# form service to find which of its forms a load took in.
RESPONSE_KEY_SQL = ("'RS-' || left(sha256(concat_ws('|', lower(local_authority_value), response_id, "
                    "strftime(start_time, '%Y-%m-%d %H:%M'))), 16)")


def response_keys(response_ids: list[str], local_authority: str) -> dict[str, str]:
    """The stored response_id of each exported ID of one authority, for an export without a start time."""
    con = duckdb.connect(":memory:", config={"autoload_known_extensions": False, "autoinstall_known_extensions": False})
    try:
        rows = con.execute(f"""SELECT response_id, {RESPONSE_KEY_SQL}
                               FROM (SELECT unnest($ids) AS response_id, $la AS local_authority_value,
                                            NULL::TIMESTAMP AS start_time)""",
                           {"ids": list(response_ids), "la": local_authority}).fetchall()
    finally:
        con.close()
    return dict(rows)


_COLUMNS = {
    "plans": {
        # never containing the raw person_id: a keyed hash of the person and the plan date
        "plan_id": "coalesce(plan_id, 'PV-' || pseudonym(raw_person_id || '|' || strftime(plan_date, '%Y-%m-%d')))",
        "person_key": "person_key", "team": "team",
        "local_authority": "local_authority_value", "nation": "nation_value",
        **{c: c for c in (
            "date_of_birth", "personal_adviser", "social_worker", "iro", "first_plan_date", "needs_assessment_date",
            "eligibility_date", "plan_date", "review_date", "minutes_sent_date", "yp_agreed_minutes", "draft_copy_given",
            "next_review_date", "yp_views_recorded", "long_term_goals", "copy_given_to_yp", *_COVERS)},
    },
    "actions": {
        "action_id": "coalesce(action_id, 'AC-' || left(md5(concat_ws('|', plan_id, person_key, plan_date, action, owner, due_date)), 16))",
        **{c: c for c in ("plan_id", "person_key", "plan_date", "action", "owner", "due_date", "status", "completed_date")},
    },
    "traffic_light": {
        # SPEC 2.6: response IDs are local to one form (online forms number them 1, 2, 3 ...) and to one authority,
        # so a response is its authority, its ID and when it was started (an online form's Start time, to the
        # minute): another form's or authority's response 1 is another response; the same form exported again
        # gives the same keys, so a later export updates. Without an ID, the form's own content.
        "response_id": "CASE WHEN response_id IS NULL "
                       "THEN 'TL-' || left(md5(concat_ws('|', person_key, review_date, plan_id, submitted_date, answers_text)), 16) "
                       f"ELSE {RESPONSE_KEY_SQL} END",
        # a form with no person_id (the online form's) belongs to the young person of its plan
        "person_key": "coalesce(person_key, (SELECT any_value(p.person_key) FROM plan_versions p WHERE p.plan_id = typed.plan_id))",
        **{c: c for c in ("review_date", "plan_id", "submitted_date")},
    },
    "care_leavers": {
        # SPEC 6b: a row is its authority, young person and list date: the same list again changes nothing (or
        # updates what changed), a later list adds
        "snapshot_id": "'CL-' || left(sha256(concat_ws('|', lower(local_authority_value), person_key, "
                       "strftime(snapshot_value, '%Y-%m-%d'))), 16)",
        "person_key": "person_key", "local_authority": "local_authority_value", "nation": "nation_value",
        "snapshot_date": "snapshot_value", "team": "team", "eligibility": "eligibility_code",
        "owed_pathway_plan": "owed_value",
        "uasc": "CASE uasc_code WHEN 'yes' THEN true WHEN 'no' THEN false END",
        "date_of_birth": "date_of_birth", "in_touch": "in_touch_code", "latest_contact_date": "latest_contact_date",
        "accommodation": "accommodation_code",
        "accommodation_suitable": "CASE accommodation_suitable_code WHEN 'suitable' THEN true WHEN 'unsuitable' THEN false END",
        "activity": "activity_code", "personal_adviser": "personal_adviser", "latest_plan_date": "latest_plan_date",
    },
}


def load_files(paths: list[Path], settings: Settings, kind: str | None = None, display_names: list[str] | None = None,
               progress=None, on_wait=None, sheet: str | None = None,
               snapshot_date: dt.date | None = None, timings: dict[str, float] | None = None) -> list[FileResult]:
    """Load every file or none: any unreadable file raises UnreadableFile and the warehouse is left as it was.
    ``sheet``: the sheet to read in each workbook, by name (default: the one whose headers match).
    ``snapshot_date``: the date of a care-leaver list without a snapshot date column (default: the file's date).
    ``timings``: if given, filled with the seconds each stage of the load took (for bench/)."""
    progress = progress or (lambda fraction, message: None)
    stage = _stage_timer(timings)
    path = Path(settings.warehouse)
    results: list[FileResult] = []
    with warehouse_file.load_lock(path, settings.lock_timeout_seconds, on_wait):
        with stage("working copy"):
            tmp = warehouse_file.working_copy(path)
            con = warehouse_file.connect_writer(tmp)
        try:
            with stage("schema and macros"):
                settings_before = _settings_row(con)
                warehouse.apply_schema(con, settings, derive=False)
                normalise.create_macros(con, settings.pseudonym_key)
            for table, key in warehouse.TOUCHED.items():
                con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({key} VARCHAR)")
            for index, file_path in enumerate(paths):
                name = printable(display_names[index] if display_names else Path(file_path).name)
                progress(index / max(len(paths), 1), f"Reading {name}")
                results.append(_load_one(con, Path(file_path), name, kind, settings, sheet, snapshot_date, stage))
            progress(0.9, "Working out reviews, indicators and co-production figures")
            with stage("choose incremental or full refresh"):
                _touch_forms_of_touched_people(con)
                incremental = (settings_before == _settings_row(con)
                               and not any(r.kind == "actions" and r.rows_loaded for r in results)
                               and _touched_share(con) <= INCREMENTAL_MAX_SHARE)
            mode = warehouse.refresh_derived(con, incremental, timings)
            for r in results:
                r.derived_refresh = mode
            progress(0.97, "Saving the warehouse")
            with stage("checkpoint"):
                con.execute("CHECKPOINT")
                con.close()
            with stage("publish"):
                if any(r.already_loaded_at is None for r in results) or not path.exists():
                    warehouse_file.publish(tmp, path, settings.generations_kept)
                else:
                    tmp.unlink()
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
    progress(1.0, "Done")
    return results


def _stage_timer(timings: dict[str, float] | None):
    """A context manager factory adding each stage's seconds to `timings` (nothing when it is None)."""
    @contextlib.contextmanager
    def stage(label: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            if timings is not None:
                timings[label] = timings.get(label, 0.0) + time.perf_counter() - t0
    return stage


def _load_one(con, path: Path, name: str, kind: str | None, settings: Settings, sheet: str | None = None,
              snapshot_date: dt.date | None = None, stage=None) -> FileResult:
    stage = stage or _stage_timer(None)
    with stage("read the file"):
        raw = readers.read_export(con, path, kind, settings.aliases, display_name=name, sheet=sheet)
    result = FileResult(name, raw.kind, raw.sha256, ignored_columns=raw.ignored_columns,
                        matched_columns=raw.matched_headers(), notes=sheet_notes(raw))
    earlier = con.execute("SELECT min(loaded_at) FROM loads WHERE file_sha256 = ?", [raw.sha256]).fetchall()[0][0]
    if earlier is not None:
        result.already_loaded_at = earlier
        return result
    with stage("type and check"):
        result.notes += normalise.stage(con, raw, settings, snapshot_date)
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0]
    with stage("classify and write rows"):
        _upsert(con, raw.kind, load_id, name, {c: raw.headers[pos] for pos, c in raw.matched.items()})
    with stage("record counts and issues"):
        _record(con, raw, result, load_id, name)
    return result


def _record(con, raw: readers.RawFile, result: FileResult, load_id: int, name: str) -> None:
    """The file's counts in loads, its issues in row_issues, and the first issues and rejected cells in `result`."""
    counts = con.execute("""
        SELECT (SELECT count(*) FROM typed),
               (SELECT count(*) FROM writes),
               (SELECT count(DISTINCT src_row) FROM issues WHERE severity = 'rejected'),
               (SELECT count(*) FILTER (WHERE duplicate) FROM classified),
               (SELECT count(DISTINCT src_row) FROM issues WHERE severity = 'warning'
                  AND src_row NOT IN (SELECT src_row FROM issues WHERE severity = 'rejected'))
    """).fetchall()[0]
    (result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate, result.rows_with_warnings) = counts
    assert result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate, result
    con.execute("INSERT INTO loads VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
                [load_id, name, raw.sha256, raw.kind, *counts, ", ".join(raw.ignored_columns) or None])
    con.execute("INSERT INTO row_issues SELECT ?, ?, src_row, column_name, severity, reason FROM issues "
                "ORDER BY src_row, severity, column_name", [load_id, name])
    result.issue_count = con.execute("SELECT count(*) FROM issues").fetchall()[0][0]
    result.issues = con.execute("SELECT src_row, column_name, severity, reason FROM issues "
                                f"ORDER BY src_row, severity, column_name LIMIT {MAX_ISSUES_KEPT}").fetchall()
    result.rejected_cells = _rejected_cells(con, raw)


MAX_ISSUES_KEPT = 10_000
# A summary names this many columns not loaded, then says how many more (a file can have thousands).
MAX_COLUMNS_NAMED = 30
# Above this share of the young people (or forms) touched, working the load-time tables out again for
# everyone is as quick, and keeps them in date order.
INCREMENTAL_MAX_SHARE = 0.25


def _settings_row(con) -> tuple | None:
    """The settings the load-time tables were worked out with (schema version and thresholds)."""
    try:
        return con.execute("SELECT * FROM settings").fetchall()[0]
    except duckdb.Error:
        return None


def _touch_forms_of_touched_people(con) -> None:
    """The forms of the people touched, or linked to their plans, may link differently now: touch them too."""
    if not con.execute("SELECT count(*) FROM traffic_light_forms").fetchall()[0][0]:
        return      # no forms: nothing to look up (the subqueries would still read every plan version)
    con.execute("""
        INSERT INTO touched_forms
        SELECT response_id FROM traffic_light_forms
        WHERE person_key IN (SELECT person_key FROM touched_persons)
           OR plan_id IN (SELECT plan_id FROM plan_versions WHERE person_key IN (SELECT person_key FROM touched_persons))
    """)


def _touched_share(con) -> float:
    """The larger of the shares of young people and of forms touched."""
    persons, all_persons, forms, all_forms = con.execute("""
        SELECT (SELECT count(DISTINCT person_key) FROM touched_persons),
               (SELECT count(DISTINCT person_key) FROM plan_versions),
               (SELECT count(DISTINCT response_id) FROM touched_forms),
               (SELECT count(*) FROM traffic_light_forms)""").fetchall()[0]
    return max(persons / max(all_persons, 1), forms / max(all_forms, 1))


def _rejected_cells(con, raw: readers.RawFile) -> pd.DataFrame:
    frame = con.execute(
        f"SELECT src_row, * EXCLUDE (src_row) FROM raw WHERE src_row IN "
        f"(SELECT src_row FROM issues WHERE severity = 'rejected') ORDER BY src_row LIMIT {MAX_ISSUES_KEPT}").df()
    beyond = "Cells beyond the last column"
    frame.columns = ["row_number"] + [h or f"column {i + 1}" for i, h in enumerate(raw.headers)] + [beyond]
    # raw's overflow column, kept only when a rejected row has some: otherwise it is an empty column to send back.
    if frame[beyond].isna().all():
        frame = frame.drop(columns=beyond)
    return frame


def rejected_for_source(result: FileResult) -> pd.DataFrame:
    """The rejected rows as they were in the file, each with its row number and reasons: to send back to the source team."""
    cells = result.rejected_cells if result.rejected_cells is not None else pd.DataFrame(columns=["row_number"])
    reasons = (pd.DataFrame([(row, f"{column}: {reason}") for row, column, severity, reason in result.issues
                             if severity == "rejected"], columns=["row_number", "reason"])
               .groupby("row_number", as_index=False)["reason"].agg("; ".join))
    out = cells.merge(reasons, on="row_number", how="left")
    return out.rename(columns={"row_number": "Row in file", "reason": "Why it was not loaded"})


def sheet_notes(raw: readers.RawFile) -> list[str]:
    """SPEC 2.6: the summary names the sheet read (of a workbook with several, or the one named)."""
    return [f'read the sheet "{raw.sheet}" ({raw.sheet_choice})'] if raw.sheet_choice else []


def inspect_file(path: Path, settings: Settings, kind: str | None = None, display_name: str | None = None,
                 rows: int = 5, sheet: str | None = None) -> tuple[readers.RawFile, pd.DataFrame]:
    """What a load would make of a file, without loading it: kind, matched and ignored columns, first rows."""
    with warehouse_file.connect_memory() as con:
        raw = readers.read_export(con, Path(path), kind, settings.aliases, display_name=display_name, sheet=sheet)
        preview = con.execute(f"SELECT * EXCLUDE (src_row, overflow) FROM raw ORDER BY src_row LIMIT {int(rows)}").df()
    preview.columns = [h or f"column {i + 1}" for i, h in enumerate(raw.headers)]
    return raw, preview


def previous_versions(settings: Settings) -> list[Path]:
    """The earlier versions of the warehouse kept for undo, oldest first."""
    return warehouse_file.generations(Path(settings.warehouse))


def undo_last_load(settings: Settings) -> Path:
    """Put back the warehouse as it was before the last load, under the load lock (never half-way through a load).
    Returns the version restored; FileNotFoundError when none is kept."""
    path = Path(settings.warehouse)
    with warehouse_file.load_lock(path, settings.lock_timeout_seconds):
        return warehouse_file.rollback(path)


def upgrade_if_needed(settings: Settings) -> bool:
    """A warehouse made by an older version gets the current tables and views (same copy-and-swap as a load)."""
    path = Path(settings.warehouse)
    if not path.exists() or warehouse.schema_version(path) == warehouse.SCHEMA_VERSION:
        return False
    with warehouse_file.load_lock(path, settings.lock_timeout_seconds):
        if warehouse.schema_version(path) == warehouse.SCHEMA_VERSION:
            return False          # another process upgraded it while we waited
        tmp = warehouse_file.working_copy(path)
        try:
            with warehouse_file.connect_writer(tmp) as con:
                warehouse.apply_schema(con, settings)
                con.execute("CHECKPOINT")
            warehouse_file.publish(tmp, path, settings.generations_kept)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return True


def _reject_superseded(con, kind: str, header_of: dict[str, str]) -> None:
    """A row whose ID comes again further down the same file with other details is not loaded: the later row
    is. Said, never done silently (a later file updating a row is the usual, silent, case)."""
    key = _KEY[kind]
    if key in header_of:                   # 'Plan ID "PP-1"'
        column, what, named = header_of[key], header_of[key], True
    else:                                  # an ID worked out from the row: say what it is made of
        column = header_of.get("person_id", "person_id")
        what, named = {"plans": "The same young person and plan date", "actions": "The same action",
                       "traffic_light": "The same form",
                       "care_leavers": "The same young person on the same day's list"}[kind], False
    # the ID as written in the file (a response's key is worked out from its ID)
    shown = "t.response_id" if kind == "traffic_light" else "c.key_value"
    con.execute(f"""
        INSERT INTO issues
        SELECT c.src_row, $column, 'rejected',
               $what || CASE WHEN $named THEN ' "' || {shown} || '"' ELSE '' END
               || ' appears again on row ' || c.written_row || ' of this file with other details; that later row is loaded instead'
        FROM classified c JOIN typed t ON t.src_row = c.src_row
        WHERE NOT c.duplicate AND c.src_row <> c.written_row
    """, {"column": column, "what": what, "named": named})


# A form's answers in one text, part of what a form is (a form sent again with other ratings or comments is an update).
_ANSWERS_TEXT = ("string_agg(stage_no || ':' || coalesce(rating, '') || ':' || coalesce(comment, ''), '|' "
                 "ORDER BY stage_no) AS answers_text")


def _upsert(con, kind: str, load_id: int, file_name: str, header_of: dict[str, str]) -> None:
    """Classify each accepted row as new, update or duplicate, then write new and updated rows.

    Only a row whose key is already in the warehouse or comes again in the file can be a duplicate or be
    superseded, so only those rows are compared (by a hash of their content, and the stored rows of their keys
    by the same hash of the stored columns); every other accepted row is new and is written as it is."""
    key, table = _KEY[kind], _TABLE[kind]
    exprs = _COLUMNS[kind]
    source = "typed"
    if kind == "traffic_light":
        con.execute(f"CREATE OR REPLACE TEMP TABLE answers_text AS SELECT src_row, {_ANSWERS_TEXT} "
                    "FROM answers GROUP BY src_row")
        source = "typed LEFT JOIN answers_text USING (src_row)"
    select = ", ".join(f"{expr} AS {col}" for col, expr in exprs.items())
    content = [*exprs, "answers_text"] if kind == "traffic_light" else list(exprs)
    hashed = ", ".join(f"coalesce(CAST({col} AS VARCHAR), '∅')" for col in content)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE keyed AS
        SELECT src_row, {exprs[key]} AS key_value FROM {source}
        WHERE src_row NOT IN (SELECT src_row FROM issues WHERE severity = 'rejected')
    """)
    # The rows to compare: their key comes again in the file or is already stored.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE compared AS
        SELECT src_row, key_value FROM keyed
        WHERE key_value IN (SELECT key_value FROM keyed GROUP BY key_value HAVING count(*) > 1
                            UNION ALL
                            SELECT {key} FROM {table} WHERE {key} IN (SELECT key_value FROM keyed))
    """)
    stored = table
    if kind == "traffic_light":
        stored = (f"{table} LEFT JOIN (SELECT response_id, {_ANSWERS_TEXT} FROM traffic_light_answers "
                  "WHERE response_id IN (SELECT key_value FROM compared) GROUP BY response_id) USING (response_id)")
    # duplicate: identical to an earlier row of this file, or to the row already in the warehouse; of the others,
    # the last row of each key in the file is written (written_row)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE classified AS
        WITH hashed AS (
            SELECT src_row, {key} AS key_value, md5(concat_ws('|', {hashed})) AS row_hash
            FROM (SELECT src_row, {select}{", answers_text" if kind == "traffic_light" else ""} FROM {source}
                  WHERE src_row IN (SELECT src_row FROM compared))
        ),
        stored AS (
            SELECT DISTINCT {key}, md5(concat_ws('|', {hashed})) AS row_hash FROM {stored}
            WHERE {key} IN (SELECT key_value FROM compared)
        ),
        judged AS (
            SELECT h.src_row, h.key_value,
                   (row_number() OVER (PARTITION BY h.key_value, h.row_hash ORDER BY h.src_row) > 1
                    OR s.{key} IS NOT NULL) AS duplicate
            FROM hashed h LEFT JOIN stored s ON s.{key} = h.key_value AND s.row_hash = h.row_hash
        )
        SELECT *, max(src_row) FILTER (WHERE NOT duplicate) OVER (PARTITION BY key_value) AS written_row
        FROM judged
    """)
    _reject_superseded(con, kind, header_of)
    # The rows not written (few): rejected, duplicate or superseded. Every other row of typed is written.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE not_written AS
        SELECT src_row FROM issues WHERE severity = 'rejected'
        UNION
        SELECT src_row FROM classified WHERE duplicate
    """)
    con.execute("CREATE OR REPLACE TEMP VIEW writes AS SELECT src_row, key_value FROM keyed ANTI JOIN not_written USING (src_row)")
    # Only a compared key can be stored already.
    rewritten = "(SELECT key_value FROM classified WHERE src_row = written_row)"
    if kind == "plans":      # the people whose versions change: before (a plan_id may move) and after
        con.execute(f"INSERT INTO touched_persons SELECT person_key FROM plan_versions WHERE plan_id IN {rewritten}")
        con.execute("INSERT INTO touched_persons SELECT person_key FROM typed ANTI JOIN not_written USING (src_row)")
    elif kind == "traffic_light":
        con.execute("INSERT INTO touched_forms SELECT key_value FROM writes")
        con.execute("INSERT INTO rated_forms SELECT key_value FROM writes")      # their answers were written
    con.execute(f"DELETE FROM {table} WHERE {key} IN {rewritten}")
    cols = ", ".join(exprs)
    with normalise.order_free(con):
        con.execute(f"INSERT INTO {table} ({cols}, load_id, source_file, source_row) "
                    f"SELECT {select}, ?, ?, src_row FROM {source} ANTI JOIN not_written USING (src_row)",
                    [load_id, file_name])
    if kind == "traffic_light":
        con.execute(f"DELETE FROM traffic_light_answers WHERE response_id IN {rewritten}")
        con.execute("""INSERT INTO traffic_light_answers
            SELECT w.key_value, a.stage_no, a.rating, a.comment
            FROM writes w JOIN answers a USING (src_row)""")


def summary(result: FileResult, max_issues: int = 10) -> str:
    """A one-screen summary of one file's load, in plain English."""
    from .columns import KIND_LABELS
    lines = [f"{result.file_name} ({KIND_LABELS.get(result.kind, result.kind)})"]
    if result.already_loaded_at is not None:
        lines.append(f"  already loaded on {result.already_loaded_at:%d/%m/%Y %H:%M}: nothing changed")
        return "\n".join(lines)
    lines.append(f"  read {result.rows_read:,} · loaded {result.rows_loaded:,} · rejected {result.rows_rejected:,}"
                 f" · duplicate {result.rows_duplicate:,} · with warnings {result.rows_with_warnings:,}")
    if result.ignored_columns:
        named = result.ignored_columns[:MAX_COLUMNS_NAMED]
        more = len(result.ignored_columns) - len(named)
        lines.append(f"  columns not loaded (not in the specification): {', '.join(named)}"
                     + (f" … and {more:,} more" if more else ""))
    lines += [f"  {note}" for note in result.notes]
    shown = result.issues[:max_issues]
    for row, column, severity, reason in shown:
        lines.append(f"  row {row}, {column}: {'rejected' if severity == 'rejected' else 'warning'}: {reason}")
    if result.issue_count > len(shown):
        lines.append(f"  … and {result.issue_count - len(shown):,} more: see the rejected_rows and load_warnings views")
    return "\n".join(lines)
