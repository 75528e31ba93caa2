"""A national-scale warehouse (SPEC §7), made by loading generated exports through the real loader.

    python -m bench.national [--pieces 4] [--plans 2000000] [--forms 2000000] [--db bench/data/national.duckdb]

Writes plan exports (2,000,000 plan versions of ~400,000 young people, 150 authorities, 1,000 teams, ten years,
half of them reviews) and "Rate your review" exports (2,000,000 forms = 20,000,000 ratings, each matching a review
by person_id + review date) under bench/data/, in `pieces` files of each kind, then loads them one file per load
(as an authority would, export after export) and prints each load's time. Nothing here is committed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.exports import DATA_DIR, plan_export, traffic_light_export

NATIONAL_DB = DATA_DIR / "national.duckdb"
VERSIONS_PER_PERSON = 5


def shape(plans: int) -> dict:
    """The population behind `plans` plan versions: the national proportions (5 versions a person, 1 team per
    ~400 young people up to 1,000 teams, 7 teams an authority up to 150), dates spread over ten years."""
    people = max(plans // VERSIONS_PER_PERSON, 1)
    teams = min(1000, max(5, people // 400))
    return {"people": people, "teams": teams, "authorities": min(150, max(1, teams // 7)),
            # first plans from April 2016 so that the last version of the last person falls before November 2026
            "first_days": 3865 - (VERSIONS_PER_PERSON - 1) * 182 - 30, "review_share": 0.5, "cutoff": None}


def exports(plans: int, forms: int, pieces: int, tag: str) -> tuple[list[Path], list[Path]]:
    """Generate (or reuse) the plan and traffic-light exports, `pieces` files of each."""
    s = shape(plans)
    tag = f"{tag}_{plans}x{forms}"
    plan_files = []
    for k in range(pieces):
        lo, hi = plans * k // pieces, plans * (k + 1) // pieces
        plan_files.append(plan_export(hi - lo, DATA_DIR / f"{tag}_plans_{k + 1}of{pieces}.csv", s["people"],
                                      start=lo, teams=s["teams"], authorities=s["authorities"],
                                      first_days=s["first_days"], review_share=s["review_share"], cutoff=s["cutoff"]))
    form_files = []
    for k in range(pieces):
        lo, hi = forms * k // pieces, forms * (k + 1) // pieces
        form_files.append(traffic_light_export(hi - lo, plan_files, DATA_DIR / f"{tag}_traffic_light_{k + 1}of{pieces}.csv",
                                               start=lo, total=forms))
    return plan_files, form_files


def monthly_export(plans: int = 2_000_000, rows: int = 12_000) -> Path:
    """A month's export for the national warehouse: the next plan versions of the first young people of the
    population (new plan IDs, people already loaded), those dated before November 2026 (about 10,000 rows)."""
    s = shape(plans)
    return plan_export(rows, DATA_DIR / f"national_{plans}_monthly_plans.csv", s["people"], start=plans,
                       teams=s["teams"], authorities=s["authorities"], first_days=s["first_days"],
                       review_share=s["review_share"], cutoff="2026-11-01")


def settings_for(db: Path):
    from core.settings import load_settings
    # one previous generation is enough for a benchmark (each is a full copy of the warehouse)
    return load_settings(env={"PWP_GENERATIONS_KEPT": "1"}, warehouse=str(db))


def build(plans: int = 2_000_000, forms: int = 2_000_000, pieces: int = 4, db: Path = NATIONAL_DB,
          tag: str = "national", rebuild: bool = False, say=print) -> list[dict]:
    """Generate the exports and load them into `db`, one file per load; returns one timing per load."""
    from etl import load

    t0 = time.perf_counter()
    plan_files, form_files = exports(plans, forms, pieces, tag)
    say(f"exports ready in {time.perf_counter() - t0:.1f} s: "
        f"{sum(p.stat().st_size for p in plan_files + form_files) / 1e6:,.0f} MB")
    if rebuild:
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        gens = db.with_name(db.name + ".generations")
        if gens.exists():
            for g in gens.iterdir():
                g.unlink()
    timings = []
    # when and on which code the build ran: RESULTS.md states these, not the time the runner writes them up
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    started = time.strftime("%Y-%m-%d %H:%M")
    for path in plan_files + form_files:
        load1 = os.getloadavg()[0]
        t0 = time.perf_counter()
        [result] = load.load_files([path], settings_for(db))
        seconds = time.perf_counter() - t0
        row = {"file": path.name, "kind": result.kind, "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
               "rejected": result.rows_rejected, "seconds": seconds, "load_avg": load1,
               "already": result.already_loaded_at is not None, "warehouse_mb": db.stat().st_size / 1e6,
               "date": started, "commit": commit}
        timings.append(row)
        say(f"{path.name}: {'already loaded' if row['already'] else f'{seconds:.1f} s'}, read {result.rows_read:,}, "
            f"loaded {result.rows_loaded:,}, rejected {result.rows_rejected:,}; warehouse {row['warehouse_mb']:,.0f} MB "
            f"(load average {load1:.2f})")
    build_log(db).write_text(json.dumps(timings, default=str))
    return timings


def build_log(db: Path) -> Path:
    """Where build() leaves its load timings (read by bench/run.py for RESULTS.md)."""
    return db.with_name(db.name + ".build.json")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2_000_000)
    parser.add_argument("--forms", type=int, default=2_000_000)
    parser.add_argument("--pieces", type=int, default=4)
    parser.add_argument("--db", type=Path, default=NATIONAL_DB)
    parser.add_argument("--rebuild", action="store_true", help="delete the warehouse first")
    args = parser.parse_args()
    build(args.plans, args.forms, args.pieces, args.db, rebuild=args.rebuild)
