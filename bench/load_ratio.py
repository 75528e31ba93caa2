"""Load of a 1,000,000-row plan export, validation included, against DuckDB's own read_csv into a table.

Target (issue 2 / 7): at most 1.5x. Run: python -m bench.load_ratio [rows]

Also measured, to show what any loader must spend at least: the floor. Reading the file's cells as text into a
table, then writing the rows the load ended with (`plan_versions`, and the load-time table `review_facts` the
page targets need) into a new warehouse as plain copies: no parsing, no checks, nothing worked out.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import duckdb

from bench.exports import plan_export
from etl import load
from core.settings import load_settings


def measure(rows: int = 1_000_000) -> dict:
    path = plan_export(rows)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        con = duckdb.connect(str(Path(tmp) / "plain.duckdb"))
        con.execute(f"CREATE TABLE plans AS SELECT * FROM read_csv('{path}')")
        con.close()
        read_csv_seconds = time.perf_counter() - t0

        t0 = time.perf_counter()
        [result] = load.load_files([path], load_settings(env={}, warehouse=str(Path(tmp) / "w.duckdb")))
        load_seconds = time.perf_counter() - t0
        floor = _floor(path, Path(tmp) / "w.duckdb", Path(tmp) / "floor.duckdb")
    return {**floor, "floor_ratio": sum(floor.values()) / read_csv_seconds,
            "rows": result.rows_read, "loaded": result.rows_loaded, "read_csv_s": read_csv_seconds,
            "load_s": load_seconds, "ratio": load_seconds / read_csv_seconds, "file_mb": path.stat().st_size / 1e6}


def _floor(path: Path, loaded: Path, scratch: Path) -> dict:
    """Seconds for each part of the floor, each statement timed on its own in a fresh warehouse."""
    seconds = {}
    con = duckdb.connect(str(scratch), config={"autoload_known_extensions": False})
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{loaded}' AS loaded (READ_ONLY)")
    for label, sql in (
            ("floor_text_s", f"CREATE TEMP TABLE cells AS SELECT * FROM read_csv('{path}', all_varchar = true)"),
            ("floor_plan_versions_s", "CREATE TABLE plan_versions AS SELECT * FROM loaded.plan_versions"),
            ("floor_review_facts_s", "CREATE TABLE review_facts AS SELECT * FROM loaded.review_facts")):
        t0 = time.perf_counter()
        con.execute(sql)
        con.execute("CHECKPOINT")
        seconds[label] = time.perf_counter() - t0
    con.close()
    return seconds


if __name__ == "__main__":
    figures = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))
