"""Generate large synthetic plan exports for benchmarks (never committed: written under bench/data/)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent / "data"

COVERS = ["personal_adviser", "contact_support", "accommodation", "post18_arrangement", "education_training",
          "employment", "relationships", "independent_living_skills", "finance", "health", "contingency"]


def plan_export(rows: int, path: Path | None = None, people: int | None = None) -> Path:
    """A plan export shaped like a real one (UK text dates, Yes/No), `rows` plan versions; built by DuckDB for speed."""
    path = path or DATA_DIR / f"plans_{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    people = people or max(rows // 4, 1)
    yes_no = lambda n: f"CASE WHEN hash(i, {n}) % 10 < 8 THEN 'Yes' WHEN hash(i, {n}) % 10 < 9 THEN 'No' ELSE '' END"
    covers = ",\n".join(f"{yes_no(20 + k)} AS \"Covers {c.replace('_', ' ')}\"" for k, c in enumerate(COVERS))
    duckdb.execute(f"""
        COPY (
        WITH base AS (
            SELECT i, i % {people} AS person, i // {people} AS version,
                   DATE '2016-04-01' + CAST(hash(i % {people}) % 365 AS INTEGER) AS first_date
            FROM range({rows}) t(i)
        ), dated AS (
            SELECT *, first_date + CAST(version * 182 + hash(i, 1) % 30 AS INTEGER) AS plan_day FROM base
        )
        SELECT 'PP-' || i AS "Plan ID",
               'YP' || (100000 + person) AS "Young Person ID",
               'Team ' || (person % 1000) AS "Team Name",
               strftime(plan_day, '%d/%m/%Y') AS "Plan Date",
               strftime(first_date - INTERVAL 16 YEAR + INTERVAL 30 DAY, '%d/%m/%Y') AS "DOB",
               CASE WHEN person % 7 = 0 THEN 'Wales' ELSE 'England' END AS "Nation",
               'Authority ' || (person % 150) AS "Local Authority",
               'PA ' || (hash(person) % 5000) AS "Personal Adviser",
               'SW ' || (hash(person, 2) % 5000) AS "Social Worker",
               'IRO ' || (person % 700) AS "IRO",
               strftime(first_date, '%d/%m/%Y') AS "First Plan Date",
               CASE WHEN version > 0 THEN strftime(plan_day, '%d/%m/%Y') ELSE '' END AS "Review Date",
               CASE WHEN version > 0 AND hash(i, 3) % 20 > 0
                    THEN strftime(plan_day + CAST(5 + hash(i, 4) % 35 AS INTEGER), '%d/%m/%Y') ELSE '' END AS "Minutes Sent Date",
               {yes_no(5)} AS "YP Agreed Minutes",
               {yes_no(6)} AS "Draft Copy Given",
               strftime(plan_day + 182, '%d/%m/%Y') AS "Next Review Date",
               {yes_no(7)} AS "YP Views Recorded",
               {yes_no(8)} AS "Long-term goals",
               {yes_no(9)} AS "Copy given to YP",
               {covers}
        FROM dated WHERE plan_day < DATE '2026-11-01'
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)
    return path
