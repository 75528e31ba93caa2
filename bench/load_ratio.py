"""Load of a 1,000,000-row plan export, validation and load-time tables included, against DuckDB's own read_csv of
the same file into a table, in the same run.

Target (issue 23): at most 2.5x. Run: python -m bench.load_ratio [rows] [--runs N]

Each run times read_csv into a table, then the load into an empty warehouse with the loader's stages timed by its
`timings` hook, then the floor: what any loader must spend at least, reading the file's cells as text into a table
and writing the rows the load ended with (`plan_versions`, and the load-time table `review_facts` the page targets
need) into a new warehouse as plain copies: no parsing, no checks, nothing worked out.
With several runs (the machine is shared) it prints each run, then the min and median ratio. CPU seconds of the
process (all DuckDB threads) are printed beside the wall-clock ones: on a shared machine their ratio (cpu_ratio) is
the steadier figure.
"""
from __future__ import annotations

import os
import statistics
import subprocess
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
        load_avg = os.getloadavg()[0]
        cpu0, t0 = time.process_time(), time.perf_counter()
        con = duckdb.connect(str(Path(tmp) / "plain.duckdb"))
        con.execute(f"CREATE TABLE plans AS SELECT * FROM read_csv('{path}')")
        con.close()
        read_csv_seconds, read_csv_cpu = time.perf_counter() - t0, time.process_time() - cpu0

        stages: dict[str, float] = {}
        cpu0, t0 = time.process_time(), time.perf_counter()
        [result] = load.load_files([path], load_settings(env={}, warehouse=str(Path(tmp) / "w.duckdb")),
                                   timings=stages)
        load_seconds, load_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        floor = _floor(path, Path(tmp) / "w.duckdb", Path(tmp) / "floor.duckdb")
    return {"load_avg": load_avg, "rows": result.rows_read, "loaded": result.rows_loaded,
            "read_csv_s": read_csv_seconds, "load_s": load_seconds, "read_csv_cpu_s": read_csv_cpu, "load_cpu_s": load_cpu,
            "ratio": load_seconds / read_csv_seconds, "cpu_ratio": load_cpu / read_csv_cpu, **floor, "floor_ratio": sum(floor.values()) / read_csv_seconds,
            "file_mb": path.stat().st_size / 1e6, "stages": stages}


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


def _line(figures: dict) -> str:
    return " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in figures.items() if k != "stages")


def main(argv: list[str]) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 1
    rest = [a for i, a in enumerate(argv) if a != "--runs" and (i == 0 or argv[i - 1] != "--runs")]
    rows = int(rest[0]) if rest else 1_000_000
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    print(f"commit {commit}, {rows:,} rows, {runs} run(s)")
    ratios = []
    for _ in range(runs):
        figures = measure(rows)
        ratios.append(figures["ratio"])
        print(_line(figures))
        print("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in figures["stages"].items()))
    if runs > 1:
        print(f"ratio min={min(ratios):.2f} median={statistics.median(ratios):.2f} max={max(ratios):.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
