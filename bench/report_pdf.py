"""The all-authorities panel report to PDF at national scale (issue 23): cold (the first report after a load) and warm.

    python -m bench.report_pdf --db bench/data/national.duckdb --runs 3
    python -m bench.report_pdf --db bench/data/national.duckdb --runs 3 --before /path/to/a/checkout/of/the/old/code

Each run times the command a data officer types, ``python -m cli report --db DB --quarter Q --authority all --out
r.pdf``, in a new process: cold first (the hidden cells kept beside the warehouse, report/hidden_cache.py, removed, as
after a load), then warm (reusing what the cold run kept). With --before, the same command in another checkout is run
before each of this code's runs (the machine is shared: same-run pairs, not figures from different hours). Prints one
table row per run: wall seconds, CPU seconds of the command and everything it started (Chromium included), and the
1-minute load average before it.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUARTER = "2026-27 Q2"


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_once(code: Path, db: Path, quarter: str, cold: bool) -> dict:
    if cold:
        shutil.rmtree(db.resolve().with_name(db.resolve().name + ".report-cache"), ignore_errors=True)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="pwp-bench-pdf-") as tmp:
        out = Path(tmp) / "report.pdf"
        started, cpu = time.perf_counter(), _cpu()
        done = subprocess.run([sys.executable, "-m", "cli", "report", "--db", str(db.resolve()), "--quarter", quarter,
                               "--authority", "all", "--out", str(out)], cwd=code, capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        ok = done.returncode == 0 and out.exists() and out.stat().st_size > 0
    return {"wall_s": seconds, "cpu_s": cpu, "load": load, "ok": ok, "error": done.stderr.strip()[-300:]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "data" / "national.duckdb")
    parser.add_argument("--quarter", default=QUARTER)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with (run first in each pair)")
    args = parser.parse_args(argv)
    print(f"`python -m cli report --db {args.db} --quarter \"{args.quarter}\" --authority all --out r.pdf`\n")
    print("| run | code | cold: wall s | cold: CPU s | load before | warm: wall s | warm: CPU s | load before |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    failed = False
    for n in range(1, args.runs + 1):
        for name, code in ([("before", args.before)] if args.before else []) + [("this code", ROOT)]:
            cold = run_once(code, args.db, args.quarter, cold=True)
            warm = run_once(code, args.db, args.quarter, cold=False)
            for r in (cold, warm):
                if not r["ok"]:
                    failed = True
                    print(f"{name}: the report failed: {r['error']}", file=sys.stderr)
            print(f"| {n} | {name} | {cold['wall_s']:.1f} | {cold['cpu_s']:.1f} | {cold['load']:.1f} | "
                  f"{warm['wall_s']:.1f} | {warm['cpu_s']:.1f} | {warm['load']:.1f} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
