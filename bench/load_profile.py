"""Where a load's time goes, statement by statement: wall and CPU seconds (all DuckDB threads) of each SQL statement
the loader runs, largest CPU first, with the 1-minute load average.

    python -m bench.load_profile [rows] [--top N]      (default: the 1,000,000-row plan export, top 15)

The load is the same as bench.load_ratio's (bench/data/plans_<rows>.csv into an empty warehouse); only the
connection is wrapped, to time each statement. On a shared machine compare CPU seconds, not wall.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.exports import plan_export
from core import warehouse_file
from core.settings import load_settings
from etl import load


class _Timed:
    """A loader connection that records each statement's wall and CPU seconds."""

    def __init__(self, con, timed: list):
        self._con, self._timed = con, timed

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._con.close()

    def execute(self, sql, *args, **kwargs):
        cpu0, t0 = time.process_time(), time.perf_counter()
        result = self._con.execute(sql, *args, **kwargs)
        self._timed.append((time.perf_counter() - t0, time.process_time() - cpu0, " ".join(sql.split())))
        return result


def profile(rows: int = 1_000_000) -> tuple[dict, list]:
    path = plan_export(rows)
    timed: list = []
    connect = warehouse_file.connect_writer
    warehouse_file.connect_writer = lambda p: _Timed(connect(p), timed)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            load_avg = os.getloadavg()[0]
            cpu0, t0 = time.process_time(), time.perf_counter()
            load.load_files([path], load_settings(env={}, warehouse=str(Path(tmp) / "w.duckdb")))
            total = {"load_avg": load_avg, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - cpu0,
                     "statements_cpu_s": sum(c for _, c, _ in timed)}
    finally:
        warehouse_file.connect_writer = connect
    return total, sorted(timed, key=lambda r: -r[1])


def main(argv: list[str]) -> None:
    top = int(argv[argv.index("--top") + 1]) if "--top" in argv else 15
    rest = [a for i, a in enumerate(argv) if a != "--top" and (i == 0 or argv[i - 1] != "--top")]
    total, timed = profile(int(rest[0]) if rest else 1_000_000)
    print(" ".join(f"{k}={v:.2f}" for k, v in total.items()))
    print("  wall s   CPU s  statement")
    for wall, cpu, sql in timed[:top]:
        print(f"{wall:8.2f} {cpu:7.2f}  {sql[:110]}")


if __name__ == "__main__":
    main(sys.argv[1:])
