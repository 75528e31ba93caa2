"""Which cells the panel report hides, written to a file: to check that a change for speed hides exactly the same ones.

    python -m bench.report_cells --db bench/data/national.duckdb --quarter "2026-27 Q2" --out before.json
    python -m bench.report_cells --db ... --compare before.json after.json

Records, for one report (--authority, default all authorities): every quarter's joint hidden cells (every report a
panel can get from the warehouse: each authority's and all authorities', protected together), the report's own hidden
cells (its rolling years included) and a digest of its HTML. The quarters are protected in this process (not in
forked workers) so that each one's joint answer can be recorded.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path


def record(db: str, quarter: str, authority: str | None) -> dict:
    import report
    from report import html, suppression

    joint: dict[str, list[str]] = {}
    protect = suppression._protect_quarter

    def recording(q, units, stages, small_number_max):
        hidden, per_unit = protect(q, units, stages, small_number_max)
        joint[q] = sorted(map(repr, hidden))
        return hidden, per_unit

    suppression._protect_quarter = recording
    parallel, suppression.PARALLEL_MIN_UNITS = suppression.PARALLEL_MIN_UNITS, 10 ** 9
    try:
        started = time.process_time()
        data = report.build(db, quarter, authority=authority)
        seconds = time.process_time() - started
    finally:
        suppression._protect_quarter, suppression.PARALLEL_MIN_UNITS = protect, parallel
    page = html.render(data)
    values, _, hidden = data.protection
    return {"quarter": quarter, "authority": authority, "cpu_s": round(seconds, 2),
            "joint_hidden": joint, "report_hidden": sorted(map(repr, hidden)), "report_cells": len(values),
            "html_sha256": hashlib.sha256(page.encode("utf-8")).hexdigest()}


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    for q in sorted(set(before["joint_hidden"]) | set(after["joint_hidden"])):
        a, b = set(before["joint_hidden"].get(q, [])), set(after["joint_hidden"].get(q, []))
        if a != b:
            problems.append(f"{q}: {len(a - b)} hidden before only, {len(b - a)} after only")
    for name in ("report_hidden", "report_cells", "html_sha256"):
        if before[name] != after[name]:
            problems.append(f"{name} differs")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--quarter", default="2026-27 Q2")
    parser.add_argument("--authority", default="all", help='one authority, or "all" (the default)')
    parser.add_argument("--out")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in args.compare)
        problems = compare(before, after)
        hidden = sum(len(v) for v in before["joint_hidden"].values())
        print("\n".join(problems) if problems else
              f"the same: {hidden:,} hidden cells over {len(before['joint_hidden'])} quarters (every report), "
              f"{len(before['report_hidden']):,} in the report, the same HTML")
        return 1 if problems else 0
    authority = None if args.authority.strip().lower() == "all" else args.authority
    result = record(args.db, args.quarter, authority)
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    print(f"{sum(len(v) for v in result['joint_hidden'].values()):,} joint hidden cells, "
          f"{len(result['report_hidden']):,} in the report; figures {result['cpu_s']} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
