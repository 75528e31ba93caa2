"""How much the panel report hides (issue 16), on the sample warehouse: written to bench/RESULTS.md.

    python -m bench.suppression            # the sample warehouse is built in a temporary folder

For each report a panel can get for the quarter (all authorities, each authority), counts every count the report
draws (its tables by team and stage for the quarter, the counts the headline's rates of the other periods rest on,
the data-quality table; not the counts of other periods no figure is drawn from): shown, hidden as small (1-4), hidden as secondary (5 or more, or 0, hidden so that a small
one cannot be worked out), and the share of counts of 5 or more that are hidden (aim: under 10%).
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Suppression in the panel report, sample warehouse (issue 16)"
QUARTER = "2026-27 Q2"


def displayed(report, key) -> bool:
    """Whether a count of the report's protection is drawn in one of its tables (not only used for a total)."""
    from report.figures import ALL_STAGES, ALL_TEAMS, HEADLINE_COUNTS
    kind, period, team = key[:3]
    if kind == "follow_up" and key[-1] in ("late", "unknown"):
        return False  # worked out only to link the others (issue 19): drawn nowhere
    if kind == "outcomes" and key[-1] == "no":
        return False  # care leavers' outcomes (issue 20): "no" links yes and not known to the young people, drawn nowhere
    if kind == "follow_up" and period == report.periods.year_label(report.quarter) and key[-1] == "due":
        return True  # the follow-up table's n for the 12 months, every team
    if period == report.quarter:
        return True
    if period == report.periods.previous and kind == "ratings" and team == ALL_TEAMS:
        return True  # the stage table's "score last quarter"
    if kind == "ratings":
        return period in report.periods.all_periods and team == ALL_TEAMS and key[3] == ALL_STAGES
    # the other periods are in the headline only: its rates and their n (a count no rate rests on is drawn nowhere)
    return period in report.periods.all_periods and team == ALL_TEAMS and (kind, key[-1]) in HEADLINE_COUNTS


def measure(report, files) -> dict:
    from report.suppression import SUPPRESSED, is_small
    values, _, hidden = report.protection
    small = report.small_number_max
    counts = {"shown": 0, "small": 0, "secondary": 0, "big": 0, "big_hidden": 0}

    def one(value, is_hidden):
        counts["shown" if not is_hidden else "small" if is_small(value, small) else "secondary"] += 1
        if value > small:
            counts["big"] += 1
            counts["big_hidden"] += is_hidden

    for key, value in values.items():
        if displayed(report, key):
            one(value, key in hidden)
    shown_files = report.files.set_index("File")
    for _, row in files.iterrows():
        for column, label in (("rows_read", "Rows read"), ("rows_loaded", "Rows loaded"),
                              ("rows_rejected", "Rows rejected"), ("rows_duplicate", "Duplicate rows")):
            one(int(row[column]), shown_files.loc[row["file_name"], label] == SUPPRESSED)
    return counts


def run(db: Path, quarter: str) -> list[tuple]:
    from core.warehouse_file import connect_read_only
    from report import figures
    found = figures.coverage(db)
    with connect_read_only(db) as con:
        files = figures.query(con, "files_loaded")
    rows = []
    for authority in [None] + found.authorities:
        start = time.perf_counter()
        built = figures.build(db, quarter, authority=authority)
        seconds = time.perf_counter() - start
        m = measure(built, files)
        rows.append((authority or "All authorities", m, seconds))
    return rows


def table(rows, quarter: str, when: str, code: str) -> str:
    lines = [SECTION, "",
             f"`python -m bench.suppression` at {when} (code `{code}`), report for {quarter}. Counts are every count the "
             "report draws (tables by team and stage, the counts the headline's rates and n rest on in the six periods, the "
             "data-quality table; a count of another period no figure is drawn from is not counted); *secondary* = hidden though not 1-4, so that a small one cannot be worked out, "
             "across every report a panel can get from the warehouse.", "",
             "| report | counts shown | hidden as small (1-4) | hidden as secondary | counts of 5+ hidden | seconds |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, m, seconds in rows:
        share = m["big_hidden"] / m["big"] if m["big"] else 0.0
        lines.append(f"| {name} | {m['shown']} | {m['small']} | {m['secondary']} | "
                     f"{m['big_hidden']} of {m['big']} ({share:.1%}) | {seconds:.2f} |")
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(SECTION) + r".*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _: section.rstrip("\n") + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    import datetime as dt
    import subprocess
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default=QUARTER)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    from etl.sample import build_sample_warehouse
    from core.settings import load_settings
    with tempfile.TemporaryDirectory(prefix="pwp-bench-") as tmp:
        db = Path(tmp) / "sample.duckdb"
        build_sample_warehouse(load_settings(env={}, warehouse=str(db)))
        rows = run(db, args.quarter)
    code = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    section = table(rows, args.quarter, dt.datetime.now().strftime("%Y-%m-%d %H:%M"), code)
    print(section)
    if not args.no_write:
        write(section)


if __name__ == "__main__":
    main()
