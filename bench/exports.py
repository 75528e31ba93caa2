"""Generate large synthetic exports for benchmarks (never committed: written under bench/data/).

    plan_export(rows)                     a plan export CSV, UK text dates, Yes/No (the shape of sample_data/)
    traffic_light_export(forms, plans)    a "Rate your review" CSV whose forms match reviews in the plan export(s)
    xlsx_plan_export(rows)                a plan export as an .xlsx workbook (openpyxl write_only), real Excel dates

Everything is deterministic (DuckDB hash of the row number), so the same call writes the same file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent / "data"

COVERS = ["personal_adviser", "contact_support", "accommodation", "post18_arrangement", "education_training",
          "employment", "relationships", "independent_living_skills", "finance", "health", "contingency"]

PLAN_DATE_COLUMNS = ("Plan Date", "DOB", "First Plan Date", "Review Date", "Minutes Sent Date", "Next Review Date")


def _plan_select(rows: int, people: int, start: int, teams: int, authorities: int, first_days: int,
                 review_share: float | None, cutoff: str | None) -> str:
    """SELECT of a plan export's rows start .. start+rows-1 (row i is version i // people of person i % people)."""
    yes_no = lambda n: f"CASE WHEN hash(i, {n}) % 10 < 8 THEN 'Yes' WHEN hash(i, {n}) % 10 < 9 THEN 'No' ELSE '' END"
    covers = ",\n".join(f"{yes_no(20 + k)} AS \"Covers {c.replace('_', ' ')}\"" for k, c in enumerate(COVERS))
    # review_share None: every later version is a review (the original generator); else ~that share of all rows
    if review_share is None:
        is_review = "version > 0"
    else:
        # version 0 is the initial plan; later versions are reviews with probability p so that the overall share fits
        later = max(1.0 - people / max(start + rows, 1), 1e-9)
        p = min(max(review_share / later, 0.0), 1.0)
        is_review = f"(version > 0 AND hash(i, 11) % 1000 < {int(p * 1000)})"
    where = f"WHERE plan_day < DATE '{cutoff}'" if cutoff else ""
    return f"""
        WITH base AS (
            SELECT i, i % {people} AS person, i // {people} AS version,
                   DATE '2016-04-01' + CAST(hash(i % {people}) % {first_days} AS INTEGER) AS first_date
            FROM range({start}, {start + rows}) t(i)
        ), dated AS (
            SELECT *, first_date + CAST(version * 182 + hash(i, 1) % 30 AS INTEGER) AS plan_day,
                   {is_review} AS is_review,
                   person % {teams} AS team_no
            FROM base
        )
        SELECT 'PP-' || i AS "Plan ID",
               'YP' || (100000 + person) AS "Young Person ID",
               'Team ' || team_no AS "Team Name",
               strftime(plan_day, '%d/%m/%Y') AS "Plan Date",
               strftime(first_date - INTERVAL 16 YEAR + INTERVAL 30 DAY, '%d/%m/%Y') AS "DOB",
               CASE WHEN person % 7 = 0 THEN 'Wales' ELSE 'England' END AS "Nation",
               'Authority ' || (team_no % {authorities}) AS "Local Authority",
               'PA ' || (hash(person) % 5000) AS "Personal Adviser",
               'SW ' || (hash(person, 2) % 5000) AS "Social Worker",
               'IRO ' || (person % 700) AS "IRO",
               strftime(first_date, '%d/%m/%Y') AS "First Plan Date",
               CASE WHEN is_review THEN strftime(plan_day, '%d/%m/%Y') ELSE '' END AS "Review Date",
               CASE WHEN is_review AND hash(i, 3) % 20 > 0
                    THEN strftime(plan_day + CAST(5 + hash(i, 4) % 35 AS INTEGER), '%d/%m/%Y') ELSE '' END AS "Minutes Sent Date",
               {yes_no(5)} AS "YP Agreed Minutes",
               {yes_no(6)} AS "Draft Copy Given",
               strftime(plan_day + 182, '%d/%m/%Y') AS "Next Review Date",
               {yes_no(7)} AS "YP Views Recorded",
               {yes_no(8)} AS "Long-term goals",
               {yes_no(9)} AS "Copy given to YP",
               {covers}
        FROM dated {where}
    """


def plan_export(rows: int, path: Path | None = None, people: int | None = None, *, start: int = 0,
                teams: int = 1000, authorities: int = 150, first_days: int = 365,
                review_share: float | None = None, cutoff: str | None = "2026-11-01") -> Path:
    """A plan export shaped like a real one (UK text dates, Yes/No), `rows` plan versions; built by DuckDB for speed.

    Rows start .. start+rows-1 of one population of `people` young people, so an export can be written in
    pieces that together make one history. first_days spreads the first plans (365 = one year; 10 years of
    data: first_days ≈ 3650 - 182 × versions). review_share: the share of rows that are reviews (None: every
    version after the first). cutoff: rows dated on or after it are left out (None: keep every row).
    """
    path = path or DATA_DIR / f"plans_{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    people = people or max(rows // 4, 1)
    sql = _plan_select(rows, people, start, teams, authorities, first_days, review_share, cutoff)
    tmp = path.with_suffix(".part")
    duckdb.execute(f"COPY ({sql}) TO '{tmp}' (HEADER, DELIMITER ',')").fetchall()
    tmp.rename(path)
    return path


RATING_WORDS = ["Red", "Amber", "Green", "RED", "GREEN", "AMBER", "R", "A", "G", "green"]
COMMENTS = ["It was all decided before I got there", "My PA listened to me", "I did not get a copy",
            "The meeting was at a good time for me", "Nobody asked me who should come"]


def traffic_light_export(forms: int, plans: list[Path], path: Path | None = None, *, start: int = 0,
                         total: int | None = None, blank_share: float = 0.0) -> Path:
    """A "Rate your review" export: rows start .. start+forms-1 of `total` forms, each for a review in `plans`.

    Forms are spread over the reviews in the plan export(s) (review k gets forms k, k + reviews, …), and each
    carries the review's person_id and review date, so it links like a real one. Ten stages per form, rated in
    the mixed spellings seen in real exports; blank_share of the answers are left blank (0: 10 ratings a form).
    """
    path = path or DATA_DIR / f"traffic_light_{forms}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    files = ", ".join(f"'{p}'" for p in plans)
    words = "[" + ", ".join(f"'{w}'" for w in RATING_WORDS) + "]"
    comments = "[" + ", ".join("'" + c.replace("'", "''") + "'" for c in COMMENTS) + "]"
    # a skew so that some stages are weaker than others (stage n: more red as n grows)
    stage = lambda n: (f"CASE WHEN hash(j, {100 + n}) % 1000 < {int(blank_share * 1000)} THEN '' "
                       f"ELSE {words}[1 + CAST((hash(j, {n}) % 100 + {n * 3}) % 100 // 10 AS INTEGER)] END AS stage_{n}")
    note = lambda n: (f"CASE WHEN hash(j, {200 + n}) % 20 = 0 THEN {comments}[1 + CAST(hash(j, {300 + n}) % 5 AS INTEGER)] "
                      f"ELSE '' END AS stage_{n}_comment")
    con = duckdb.connect()
    con.execute(f"""CREATE TEMP TABLE rv AS
        SELECT row_number() OVER (ORDER BY "Plan ID") - 1 AS k, "Young Person ID" AS person_id, "Review Date" AS review_date
        FROM read_csv([{files}], all_varchar = true) WHERE coalesce("Review Date", '') <> ''""").fetchall()
    reviews = con.execute("SELECT count(*) FROM rv").fetchall()[0][0]
    tmp = path.with_suffix(".part")
    con.execute(f"""COPY (
        SELECT 'TL-' || j AS response_id, rv.person_id, rv.review_date,
               strftime(CAST(strptime(rv.review_date, '%d/%m/%Y') AS DATE) + CAST(hash(j, 99) % 20 AS INTEGER), '%Y-%m-%d') AS submitted_date,
               {", ".join(stage(n) for n in range(1, 11))},
               {", ".join(note(n) for n in range(1, 11))}
        FROM range({start}, {start + forms}) t(j) JOIN rv ON rv.k = j % {reviews}
        ORDER BY j
    ) TO '{tmp}' (HEADER, DELIMITER ',')""").fetchall()
    con.close()
    tmp.rename(path)
    return path


def xlsx_plan_export(rows: int = 100_000, path: Path | None = None) -> Path:
    """The plan export of plan_export(rows) as an .xlsx workbook (openpyxl write_only), dates as Excel dates."""
    from openpyxl import Workbook

    path = path or DATA_DIR / f"plans_{rows}.xlsx"
    if path.exists():
        return path
    csv = plan_export(rows, DATA_DIR / f"plans_{rows}_for_xlsx.csv")
    con = duckdb.connect()
    rel = con.execute(f"SELECT * FROM read_csv('{csv}', all_varchar = true)")
    headers = [d[0] for d in rel.description]
    records = rel.fetchall()
    con.close()
    dates = {i for i, h in enumerate(headers) if h in PLAN_DATE_COLUMNS}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pathway plans")
    sheet.append(headers)
    parse = lambda v: dt.datetime.strptime(v, "%d/%m/%Y") if v else None
    for record in records:
        sheet.append([parse(v) if i in dates else v for i, v in enumerate(record)])
    tmp = path.with_suffix(".part.xlsx")
    book.save(tmp)
    tmp.rename(path)
    return path
