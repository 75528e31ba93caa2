"""Normalise and check the raw rows of one export, in SQL.

From temp table ``raw`` (text cells + src_row) this builds:
  ``typed``  - one row per data row: canonical columns, typed (dates, yes/no), person_key;
  ``issues`` - every problem found: (src_row, column_name, severity, reason),
               severity 'rejected' (the row is not loaded) or 'warning' (loaded, value unknown).
Blank rows and total rows are not data rows and do not appear in ``typed``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from pathlib import Path

from . import columns
from .columns import CODE, DATE, DATETIME, RATING, TEXT, YES_OR_DATE, YESNO
from .readers import RawFile

SQL_DIR = Path(__file__).parent / "sql"
# "Total", "Totals", "Grand total", "Sub-total", "subtotal": the word that makes a row a totals row.
TOTAL_WORD = r"(grand\s+)?(sub[\s-]*)?totals?"
# The column named for a row with cells beyond the header's last column.
BEYOND_LAST_COLUMN = "(beyond the last column)"


def create_macros(con, pseudonym_key: str) -> None:
    key = pseudonym_key.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    block = key.ljust(64, b"\0")
    pads = {name: "".join(f"\\x{b ^ x:02X}" for b in block) for name, x in (("ipad", 0x36), ("opad", 0x5C))}
    sql = (SQL_DIR / "macros.sql").read_text().replace("{ipad}", pads["ipad"]).replace("{opad}", pads["opad"])
    con.execute(sql)


@contextlib.contextmanager
def order_free(con):
    """For a statement writing a table whose rows are found by key, never by position: DuckDB may then write from
    both threads at once without keeping its input's order (a fifth or so less wall time at 1,000,000 rows). Never
    around reading a file (raw's row numbers are its order) or a table written in a chosen order."""
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("SET preserve_insertion_order = true")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# The SQL type of each parsed column type.
_SQL_TYPE = {DATE: "DATE", DATETIME: "TIMESTAMP", YESNO: "BOOLEAN", YES_OR_DATE: "BOOLEAN"}


def _is_parsed(col: columns.Column) -> bool:
    """A column read as a date or yes/no (not kept as text)."""
    return col.type in _SQL_TYPE and not col.personal


def _typed_expr(col: columns.Column) -> str:
    raw = f"raw_{col.name}"
    if col.type == DATE:
        return f"parse_date({raw})"
    if col.type == DATETIME:
        return f"parse_datetime({raw})"
    if col.type == YESNO:
        return f"parse_yes_no({raw})"
    if col.type == YES_OR_DATE:
        # SPEC 2.4: for copy_given_to_yp a date also means yes
        return f"coalesce(parse_yes_no({raw}), CASE WHEN parse_date({raw}) IS NOT NULL THEN true END)"
    return raw


def stage(con, raw: RawFile, settings, snapshot_date: dt.date | None = None) -> list[str]:
    """Build ``typed`` and ``issues``; return the notes about the whole file for its summary.
    ``snapshot_date``: the date of a care-leaver list with no snapshot date column (given at load)."""
    spec = columns.KINDS[raw.kind]
    position = {name: pos for pos, name in raw.matched.items()}
    width = len(raw.headers)
    raw_cells = [f"c{i}" for i in range(width)]
    # Blank rows and "Total" rows (title rows are above the header) are not data rows. The cheap tests come
    # first; only a row whose first cell is all spaces pays for trimming every cell.
    first_raw = f"coalesce({', '.join(raw_cells)})" if raw_cells else "NULL"
    first_cell = (f"CASE WHEN {first_raw} IS NULL THEN NULL WHEN trim({first_raw}) <> '' THEN {first_raw} "
                  f"ELSE coalesce({', '.join(_clean(c) for c in raw_cells)}) END") if raw_cells else "NULL"
    # A totals row may also start with a count ("2 | Total | ..."): a row with no date in any date column and a
    # cell that reads just "Total" (or "Totals:", "Grand total", "Sub-total") is one too. Data rows have a
    # date, so they never pay for looking at every cell.
    date_cells = [f"c{position[c.name]}" for c in spec if c.type == DATE and c.name in position]
    total_row = "false"
    if date_cells:
        no_dates = " AND ".join(f"({c} IS NULL OR trim({c}) = '')" for c in date_cells)
        labels = " OR ".join(f"regexp_full_match(lower(trim({c})), '{TOTAL_WORD}\\s*:?')" for c in raw_cells)
        total_row = f"CASE WHEN {no_dates} THEN coalesce({labels}, false) ELSE false END"
    cleaned = ", ".join(
        f"{_clean(f'c{position[c.name]}')} AS raw_{c.name}" if c.name in position else f"NULL::VARCHAR AS raw_{c.name}"
        for c in spec)
    # The data rows with each cell trimmed (blank is NULL): a view, read by the one pass that types the cells below
    # (and again only by a check that needs every cell's text, the month-first dates).
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW cells AS
        SELECT CAST(src_row AS INTEGER) AS src_row, {cleaned}
        FROM (SELECT *, {first_cell} AS first_cell FROM raw)
        WHERE first_cell IS NOT NULL
          AND NOT (lower(first_cell) LIKE '%total%' AND regexp_matches(lower(first_cell), '^\\s*{TOTAL_WORD}\\b'))
          AND NOT {total_row}
    """)
    # SPEC 2.6: a "no value" marker (NULL, N/A, 1900-01-01, #REF! ...) is a blank cell, remembered in
    # null_markers (column and text, NULL for a row with none) so that the checks can say so. No marker reads as a
    # date or yes/no, so a typed cell is looked at for one only when it did not parse.
    in_file = [c.name for c in spec if c.name in position]
    parsed = [c for c in spec if c.name in position and _is_parsed(c)]
    words = [c for c in spec if c.name in position and not _is_parsed(c)]
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW mapped AS
        SELECT src_row, {", ".join(f"CASE WHEN is_null_marker(raw_{c.name}) THEN NULL ELSE raw_{c.name} END AS raw_{c.name}"
                                   if c.name in position else f"raw_{c.name}" for c in spec)}
        FROM cells
    """)
    extra = {}
    if raw.kind in ("plans", "traffic_light", "care_leavers"):
        extra["local_authority_value"] = f"coalesce(local_authority, {_lit(settings.default_local_authority)})"
    if raw.kind == "plans":
        extra["nation_value"] = f"coalesce(parse_nation(nation), {_lit(settings.default_nation)})"
    if raw.kind == "care_leavers":       # a care-leaver list names no nation: the setting's (SPEC 2.1)
        extra["nation_value"] = _lit(settings.default_nation)
    # The keyed hash costs two SHA-256 a value: work it out once per distinct ID (a young person has
    # several rows), not once per row.
    person_cell = _clean(f"c{position['person_id']}") if "person_id" in position else "NULL::VARCHAR"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE person_keys AS
        SELECT id, pseudonym(id) AS person_key FROM (SELECT DISTINCT {person_cell} AS id FROM raw)
        WHERE id IS NOT NULL AND NOT is_null_marker(id)
    """)
    # One pass over the cells types and maps them all, each cell once. Narrow on purpose: the typed value, and
    # the text as written only where it did not parse (and is no marker), which is all the checks' messages need.
    # Inner to outer: each cell's typed value, or for text whether it is a marker; whether a cell that did not
    # parse is a marker; the values as kept.
    marker_of_word = ", ".join(f"CASE WHEN is_null_marker(raw_{c.name}) THEN true END AS m_{c.name}" for c in words)
    typed_values = ", ".join(f"{_typed_expr(c)} AS v_{c.name}" for c in parsed)
    marker_of_parsed = ", ".join(
        f"CASE WHEN v_{c.name} IS NULL AND raw_{c.name} IS NOT NULL AND is_null_marker(raw_{c.name}) THEN true END "
        f"AS m_{c.name}" for c in parsed)
    markers = ", ".join(f"CASE WHEN m_{n} THEN {{'column_name': {_lit(n)}, 'text': raw_{n}}} END" for n in in_file)
    null_markers = (f"CASE WHEN {' OR '.join(f'm_{n}' for n in in_file)} "
                    f"THEN list_filter([{markers}], lambda m: m IS NOT NULL) END" if in_file
                    else "NULL::STRUCT(column_name VARCHAR, text VARCHAR)[]")

    def kept(c) -> str:
        if c.name not in position:
            return (f"NULL::VARCHAR AS raw_{c.name}" if c.personal or c.type == RATING
                    else f"NULL::VARCHAR AS raw_{c.name}, NULL::{_SQL_TYPE[c.type]} AS {c.name}" if _is_parsed(c)
                    else f"NULL::VARCHAR AS {c.name}")
        if _is_parsed(c):
            return f"CASE WHEN v_{c.name} IS NULL AND m_{c.name} IS NULL THEN raw_{c.name} END AS raw_{c.name}, v_{c.name} AS {c.name}"
        return f"CASE WHEN m_{c.name} THEN NULL ELSE raw_{c.name} END AS {'raw_' if c.personal or c.type == RATING else ''}{c.name}"
    with order_free(con):
        con.execute(f"""
        CREATE OR REPLACE TEMP TABLE typed AS
        SELECT t.*, k.person_key{"".join(f", {sql} AS {name}" for name, sql in extra.items())}
        FROM (SELECT src_row, {", ".join(kept(c) for c in spec)}, {null_markers} AS null_markers
              FROM (SELECT *{f", {marker_of_parsed}" if parsed else ""}
                    FROM (SELECT *{f", {typed_values}" if parsed else ""}{f", {marker_of_word}" if words else ""}
                          FROM cells))) t
        LEFT JOIN person_keys k ON k.id = t.raw_person_id
        """)
    con.execute("CREATE OR REPLACE TEMP TABLE issues (src_row INTEGER, column_name VARCHAR, severity VARCHAR, reason VARCHAR)")
    header_of = {name: raw.headers[pos] for pos, name in raw.matched.items()}
    notes = _month_first_dates(con, spec, header_of)
    checks = _generic_checks(spec, header_of)
    if checks:
        # One pass over the rows: each row gives the list of its problems.
        con.execute(f"""
            INSERT INTO issues
            SELECT src_row, problem.column_name, problem.severity, problem.reason
            FROM (SELECT src_row, unnest(list_filter([{', '.join(checks)}], lambda p: p IS NOT NULL)) AS problem
                  FROM typed)
        """)
    # A "no value" marker in a column that is not required: loaded as unknown, with a warning. (In a required
    # column the row is rejected as blank, by the checks above, which name the marker.)
    required = [c.name for c in spec if c.required]
    con.execute(f"""
        INSERT INTO issues
        SELECT src_row, m.column_name, 'warning',
               '"' || m.text || '" is a "no value" marker (what some systems write for nothing); loaded as unknown'
        FROM (SELECT src_row, unnest(null_markers) AS m FROM typed WHERE len(null_markers) > 0)
        {f"WHERE m.column_name NOT IN ({', '.join(map(_lit, required))})" if required else ""}
    """)
    # More cells than the header has columns (raw.overflow): a separator inside a value that is not in quotes,
    # most often, so the cells after it are in the wrong columns. Loading the row would load wrong values.
    con.execute(f"""
        INSERT INTO issues
        SELECT src_row, {_lit(BEYOND_LAST_COLUMN)}, 'rejected',
               'the row has more cells than the header has columns ("' || overflow || '" after the last one), '
               || 'so its values may be in the wrong columns; a value with a comma in it needs quotes. '
               || 'The row is not loaded'
        FROM raw WHERE overflow IS NOT NULL AND src_row IN (SELECT src_row FROM typed)
    """)
    # What the reader found (a quote that swallowed lines, a cell not UTF-8, invisible characters removed).
    con.execute("INSERT INTO issues SELECT * FROM reader_issues WHERE src_row IN (SELECT src_row FROM typed)")
    if raw.kind == "traffic_light":
        _stage_ratings(con, header_of)
    if raw.kind == "care_leavers":
        notes += _care_leaver_snapshot(con, raw, header_of, snapshot_date)
        notes += _care_leaver_codes(con, header_of)
    check_file = SQL_DIR / "checks" / f"{raw.kind}.sql"
    if check_file.exists():
        con.execute(f"INSERT INTO issues {check_file.read_text().rstrip().rstrip(';')}")
    # Name columns as the data officer sees them in the file.
    if header_of:
        renames = " ".join(f"WHEN {_lit(name)} THEN {_lit(header)}" for name, header in header_of.items())
        con.execute(f"UPDATE issues SET column_name = CASE column_name {renames} ELSE column_name END")
    return notes


def _month_first_dates(con, spec, header_of: dict[str, str]) -> list[str]:
    """SPEC 2.6: a text date column whose dates only make sense month-first (8/19/2026, and none like 19/08/2026)
    is read month-first for the whole file; one with both stays day-first. Either way the summary says so.
    Only a column with a date that did not read day-first can be one, so most files pay one quick count."""
    parser = {c.name: {DATE: "parse_date", DATETIME: "parse_datetime"}[c.type] for c in spec
              if c.type in (DATE, DATETIME) and c.name in header_of}
    dates = list(parser)
    if not dates:
        return []
    month_only = ("TRY_CAST(date_parts({v}).a AS INTEGER) BETWEEN 1 AND 12 "
                  "AND TRY_CAST(date_parts({v}).b AS INTEGER) BETWEEN 13 AND 31")
    found = con.execute("SELECT " + ", ".join(
        f"count(*) FILTER (WHERE raw_{n} IS NOT NULL AND {month_only.format(v=f'raw_{n}')})" for n in dates)
        # typed keeps a date's text only where it did not read: the rows with none are passed over at once (the
        # aggregate's filters alone would each be worked out for every row)
        + " FROM typed WHERE " + " OR ".join(f"raw_{n} IS NOT NULL" for n in dates)).fetchall()[0]
    notes = []
    for name, candidates in zip(dates, found):
        if not candidates:
            continue
        day_only, month_first, day_example, month_example = con.execute(f"""
            SELECT count(*) FILTER (WHERE a BETWEEN 13 AND 31 AND b BETWEEN 1 AND 12),
                   count(*) FILTER (WHERE a BETWEEN 1 AND 12 AND b BETWEEN 13 AND 31),
                   min(v) FILTER (WHERE a BETWEEN 13 AND 31 AND b BETWEEN 1 AND 12),
                   min(v) FILTER (WHERE a BETWEEN 1 AND 12 AND b BETWEEN 13 AND 31)
            FROM (SELECT v, TRY_CAST(p.a AS INTEGER) AS a, TRY_CAST(p.b AS INTEGER) AS b
                  FROM (SELECT raw_{name} AS v, date_parts(raw_{name}) AS p FROM mapped WHERE raw_{name} IS NOT NULL))
        """).fetchall()[0]
        header = header_of[name]
        if day_only:
            notes.append(f"{header}: {month_first:,} date{'s only make' if month_first > 1 else ' only makes'} sense month-first "
                         f"(like \"{month_example}\") but {day_only:,} only day-first (like \"{day_example}\"), so "
                         "the column is read day-first, as UK dates; the month-first ones are not read as dates "
                         "(listed with their rows)")
            continue
        con.execute(f"""
            UPDATE typed SET {name} = {parser[name]}(swap_day_month(m.raw_{name})),
                             raw_{name} = CASE WHEN {parser[name]}(swap_day_month(m.raw_{name})) IS NULL THEN m.raw_{name} END
            FROM mapped m WHERE m.src_row = typed.src_row AND m.raw_{name} IS NOT NULL
        """)
        notes.append(f"{header}: read month-first (8/19/2026 is 19 August) for the whole file, because "
                     f"{month_first:,} of its dates (like \"{month_example}\") only make sense month-first and none "
                     "only day-first")
    return notes


def _clean(cell: str) -> str:
    """A cell with surrounding spaces removed and blank as NULL (trimming only what needs it is much cheaper)."""
    # (blank first: most cells of an export are, or are not padded at all, and are passed on as they are)
    return f"CASE WHEN {cell} = '' THEN NULL WHEN {cell} LIKE ' %' OR {cell} LIKE '% ' THEN nullif(trim({cell}), '') ELSE {cell} END"


def _problem(condition: str, column: str, severity: str, reason_sql: str) -> str:
    return (f"CASE WHEN {condition} THEN {{'column_name': {_lit(column)}, 'severity': {_lit(severity)}, "
            f"'reason': {reason_sql}}} END")


def _generic_checks(spec, header_of: dict[str, str]) -> list[str]:
    """SQL expressions, one per possible problem, each a struct or NULL."""
    checks = []
    for col in spec:
        raw = f"raw_{col.name}"
        if col.name not in header_of or col.own_check:
            continue
        blank = (f"CASE WHEN len(null_markers) > 0 AND list_contains(list_transform(null_markers, lambda m: m.column_name), "
                 f"{_lit(col.name)}) THEN '\"' || list_filter(null_markers, lambda m: m.column_name = {_lit(col.name)})[1].text "
                 f"|| '\" is a \"no value\" marker (what some systems write for nothing), so ' || "
                 f"{_lit(header_of[col.name])} || ' is blank: every row needs it' "
                 f"ELSE {_lit(header_of[col.name] + ' is blank: every row needs it')} END")
        if col.required and col.type in (TEXT, DATE):
            # typed keeps a date's text only where it did not parse, and other text under its own name
            blank_sql = (f"{raw} IS NULL AND {col.name} IS NULL" if col.type == DATE
                         else f"{raw} IS NULL" if col.personal else f"{col.name} IS NULL")
            checks.append(_problem(blank_sql, col.name, "rejected", blank))
        if col.type in (DATE, DATETIME):
            severity = "rejected" if col.required else "warning"
            outcome = "the row is not loaded" if col.required else "loaded as unknown"
            # A real date outside 1900-2100 (9999-12-31, what some systems write for "no end") is not a typing
            # slip of day and month: say so rather than how to write a date.
            checks.append(_problem(
                f"{raw} IS NOT NULL AND {col.name} IS NULL", col.name, severity,
                f"'\"' || {raw} || CASE WHEN parse_date_any({raw}) IS NOT NULL "
                f"THEN '\" is outside the years 1900 to 2100, so it is not taken as a date; {outcome}' "
                f"ELSE '\" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); {outcome}' END"))
        if col.type in (YESNO, YES_OR_DATE):
            allowed = "yes or no" + (" (or a date)" if col.type == YES_OR_DATE else "")
            checks.append(_problem(f"{raw} IS NOT NULL AND {col.name} IS NULL", col.name, "warning",
                                   f"'\"' || {raw} || '\" is not {allowed}; loaded as unknown'"))
    return checks


def _stage_ratings(con, header_of: dict[str, str]) -> None:
    """Traffic-light answers, long: one row per form and stage; a rating that is none of the accepted forms rejects the form."""
    statements = [(n, rating, text) for wording in (columns.STATEMENTS, columns.STATEMENTS_CY)
                  for n, boxes in enumerate(wording, start=1) for rating, text in zip(columns.RATINGS, boxes)]
    con.execute("CREATE OR REPLACE TEMP TABLE statements (stage_no TINYINT, rating VARCHAR, text VARCHAR)")
    con.executemany("INSERT INTO statements VALUES (?, ?, ?)", statements)
    unions = " UNION ALL ".join(
        f"SELECT src_row, {n}::TINYINT AS stage_no, raw_stage_{n} AS raw_rating, stage_{n}_comment AS comment FROM typed"
        for n in range(1, 11))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE answers AS
        SELECT a.src_row, a.stage_no, a.raw_rating, a.comment,
               coalesce(parse_rating_word(a.raw_rating), s.rating) AS rating
        FROM ({unions}) a
        LEFT JOIN (SELECT stage_no, rating, norm_text(text) AS norm FROM statements) s
               ON s.stage_no = a.stage_no AND s.norm = norm_text(a.raw_rating)
        WHERE a.raw_rating IS NOT NULL OR a.comment IS NOT NULL
    """)
    cases = " ".join(f"WHEN {n} THEN {_lit(header_of.get(f'stage_{n}', f'stage_{n}'))}" for n in range(1, 11))
    con.execute(f"""
        INSERT INTO issues
        SELECT src_row, CASE stage_no {cases} END, 'rejected',
               '"' || raw_rating || '" is not a rating (Red, Amber, Green, R, A, G, Coch, Ambr, Gwyrdd or the text of a box on the form); the whole form is not loaded'
        FROM answers WHERE raw_rating IS NOT NULL AND rating IS NULL
    """)


def _care_leaver_snapshot(con, raw: RawFile, header_of: dict[str, str], given: dt.date | None) -> list[str]:
    """SPEC 6b: the date of the list each row is on: its snapshot date column, else the date given at load, else the
    file's modification date. The summary says which."""
    if given is not None:
        fallback, source = given, "given at load (--snapshot-date)"
    else:
        fallback = dt.date.fromtimestamp(Path(raw.path).stat().st_mtime)
        source = "the file's modification date (the list has no snapshot date and none was given with --snapshot-date)"
    con.execute("ALTER TABLE typed ADD COLUMN snapshot_value DATE")
    con.execute("UPDATE typed SET snapshot_value = coalesce(snapshot_date, ?::DATE)", [fallback])
    when = fallback.strftime("%d/%m/%Y")
    if "snapshot_date" not in header_of:
        return [f"snapshot date {when}: {source}"]
    blank = con.execute("SELECT count(*) FROM typed WHERE snapshot_date IS NULL AND raw_snapshot_date IS NULL").fetchall()[0][0]
    note = f"snapshot date from the column {header_of['snapshot_date']}"
    return [note + (f"; {blank:,} row{'s' if blank != 1 else ''} without one taken as of {when}, {source}" if blank else "")]


def _care_leaver_codes(con, header_of: dict[str, str]) -> list[str]:
    """SPEC 6b: each coded value (LA in Touch, ACCOM, ACTIV, eligibility ...) as its code of sql/care_leaver_codes.sql,
    in column <name>_code: written as the code ("B1", "YES"), its meaning ("Returned Home"), other words for it, Annex
    A's "a) Yes" or "B: Parents/relatives". A value that is none of them loads as unknown, with a warning."""
    fields = [c.name for c in columns.CARE_LEAVER_COLUMNS if c.type == CODE]
    values = " UNION ALL ".join(f"SELECT DISTINCT {_lit(f)} AS field, {f} AS value FROM typed WHERE {f} IS NOT NULL"
                                for f in fields)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE code_values AS
        WITH v AS ({values}),
        words AS (SELECT field, code, unnest(list_distinct(list_concat(words, [norm_text(code), norm_text(meaning)]))) AS word
                  FROM care_leaver_codes),
        -- OC3's ACCOM: the type letter, then 1 (suitable) or 2 (unsuitable)
        oc3 AS (SELECT field, value, upper(value[1]) AS letter, CASE value[2] WHEN '1' THEN 'suitable' ELSE 'unsuitable' END AS suitable
                FROM v WHERE field = 'accommodation' AND regexp_full_match(value, '[A-Za-z][12]')
                  AND upper(value[1]) IN (SELECT code FROM care_leaver_codes WHERE field = 'accommodation'))
        SELECT v.field, v.value,
               coalesce(oc3.letter,
                        (SELECT min(w.code) FROM words w WHERE w.field = v.field AND w.word = norm_text(v.value)),
                        -- Annex A's lettered choices: "a) Yes", "d) Refu", "b) Former relevant child"
                        (SELECT min(w.code) FROM words w WHERE w.field = v.field
                           AND w.word = norm_text(regexp_replace(v.value, '^[A-Za-z]\)\s*', ''))),
                        -- a code before a colon or dash: "B: Parents/relatives", "F1: Full time in higher education"
                        (SELECT min(c.code) FROM care_leaver_codes c WHERE c.field = v.field
                           AND upper(c.code) = upper(regexp_extract(v.value, '^([A-Za-z][0-9]?)\s*[:\-–]', 1)))) AS code,
               oc3.suitable
        FROM v LEFT JOIN oc3 USING (field, value)
    """)
    for f in fields:
        con.execute(f"ALTER TABLE typed ADD COLUMN {f}_code VARCHAR")
        con.execute(f"UPDATE typed SET {f}_code = c.code FROM code_values c WHERE c.field = {_lit(f)} AND c.value = typed.{f}")
    named = " ".join(f"WHEN {_lit(f)} THEN {_lit(header_of.get(f, f))}" for f in fields)
    unknown = " UNION ALL ".join(f"SELECT src_row, {_lit(f)} AS field, {f} AS value FROM typed "
                                 f"WHERE {f} IS NOT NULL AND {f}_code IS NULL" for f in fields)
    con.execute(f"""
        INSERT INTO issues
        SELECT src_row, field, 'warning',
               '"' || value || '" is not one of the codes of ' || CASE field {named} END || ' ('
               || (SELECT string_agg(code, ', ' ORDER BY code) FROM care_leaver_codes k WHERE k.field = u.field)
               || CASE WHEN field = 'accommodation' THEN ', each with 1 for suitable or 2 for not, as in OC3' ELSE '' END
               || ', or the words they stand for); loaded as unknown'
        FROM ({unknown}) u
    """)
    # OC3 gives suitability in ACCOM's second character; a separate column (Annex A, SSD) gives it otherwise.
    con.execute("""UPDATE typed SET accommodation_suitable_code = c.suitable
                   FROM code_values c WHERE c.field = 'accommodation' AND c.value = typed.accommodation AND c.suitable IS NOT NULL""")
    # Owed a pathway plan: by eligibility (sql/care_leaver_codes.sql). A list with no eligibility at all is the OC3
    # table, whose young people are by its definition relevant or former relevant (looked after for 13 weeks from
    # the age of 14, some of it after 16): each is owed a plan.
    con.execute("ALTER TABLE typed ADD COLUMN owed_value BOOLEAN")
    if "eligibility" not in header_of:
        con.execute("UPDATE typed SET owed_value = true")
        return ["no eligibility column: every young person on the list is taken as owed a pathway plan (as in the "
                "SSDA903 OC3 table, whose care leavers are relevant or former relevant)"]
    con.execute("""UPDATE typed SET owed_value = c.counts FROM care_leaver_codes c
                   WHERE c.field = 'eligibility' AND c.code = typed.eligibility_code""")
    return []
