"""Which cells the panel report hides, written to a file: to check that a change for speed hides exactly the same ones.

    python -m bench.report_cells --db bench/data/national.duckdb --quarter "2026-27 Q2" --out before.json
    python -m bench.report_cells --db ... --compare before.json after.json

Records, for one report (--authority, default all authorities): every quarter's joint hidden cells (every report a
panel can get from the warehouse: each authority's and all authorities', protected together; as report/hidden_cache.py
keeps them beside the warehouse), the report's own hidden cells (its rolling years included) and a digest of its
HTML; then the same report again, reusing the hidden cells the first one kept: its hidden cells and HTML must be the
first one's. (Files written before the cache existed hold the joint cells recorded inside the protection: the same.)
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
    from report import hidden_cache, html

    # First as after a load (nothing kept: every quarter protected), then again reusing what that one kept.
    load = hidden_cache.load
    hidden_cache.load = lambda *a: {}
    try:
        started = time.process_time()
        data = report.build(db, quarter, authority=authority)
        seconds = time.process_time() - started
    finally:
        hidden_cache.load = load
    kept = max(hidden_cache.folder(db).glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    joint = {q: sorted(map(repr, cells)) for q, cells in hidden_cache.load(db, kept.name).items()}
    started = time.process_time()
    warm = report.build(db, quarter, authority=authority)
    warm_seconds = time.process_time() - started
    out = {"quarter": quarter, "authority": authority, "cpu_s": round(seconds, 2), "warm_cpu_s": round(warm_seconds, 2),
           "joint_hidden": joint}
    for name, made in (("", data), ("warm_", warm)):
        values, _, hidden = made.protection
        out.update({f"{name}report_hidden": sorted(map(repr, hidden)), f"{name}report_cells": len(values),
                    f"{name}html_sha256": hashlib.sha256(html.render(made).encode("utf-8")).hexdigest()})
    return out


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    for q in sorted(set(before["joint_hidden"]) | set(after["joint_hidden"])):
        a, b = set(before["joint_hidden"].get(q, [])), set(after["joint_hidden"].get(q, []))
        if a != b:
            problems.append(f"{q}: {len(a - b)} hidden before only, {len(b - a)} after only")
    for name in ("report_hidden", "report_cells", "html_sha256"):
        if before[name] != after[name]:
            problems.append(f"{name} differs")
        # a report reusing kept hidden cells: the same as the first (a file made before the cache has none)
        if f"warm_{name}" in after and after[f"warm_{name}"] != before[name]:
            problems.append(f"{name} differs when reusing the kept hidden cells")
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
          f"{len(result['report_hidden']):,} in the report; figures {result['cpu_s']} s CPU, "
          f"{result['warm_cpu_s']} s reusing them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
