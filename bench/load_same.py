"""Whether two versions of the loader make the same warehouse: every table, row for row.

    python -m bench.load_same A.duckdb B.duckdb            compare two warehouses already built
    python -m bench.load_same --build ROOT OUT [--rows N]  build warehouses with the code in worktree ROOT into OUT/:
                                                           sample.duckdb (the sample exports), messy.duckdb (a messy
                                                           plan export, then a later one updating it) and, with
                                                           --rows, plans_N.duckdb (bench/data/plans_N.csv)

A loader change meant to be faster must leave every table as it was: the base tables, the load-time tables, the
rejected rows and warnings with their file, row, column and reason, and load_log apart from when it was loaded.
Tables and views are compared as multisets (EXCEPT ALL both ways), tables with their columns and types. Exit status 1
if any differ.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
# Columns that differ between two loads of the same files whatever the code: when it was loaded.
VOLATILE = {"loads": ("loaded_at",), "load_log": ("loaded_at",)}


def compare(a: Path, b: Path) -> list[str]:
    """The differences between the warehouses at a and b, one line each (empty: the same)."""
    con = duckdb.connect(config={"autoload_known_extensions": False})
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables = {db: {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND NOT temporary", [db]).fetchall()}
        for db in ("a", "b")}
    found = [f"tables only in {db}: {sorted(tables[db] - tables[other])}"
             for db, other in (("a", "b"), ("b", "a")) if tables[db] - tables[other]]
    for table in sorted(tables["a"] & tables["b"]):
        cols = {db: con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
                                "AND table_name = ? ORDER BY column_index", [db, table]).fetchall() for db in ("a", "b")}
        if cols["a"] != cols["b"]:
            found.append(f"{table}: columns differ: {cols['a']} / {cols['b']}")
            continue
        keep = ", ".join(f'"{c}"' for c, _ in cols["a"] if c not in VOLATILE.get(table, ()))
        counts = con.execute(f"SELECT (SELECT count(*) FROM a.{table}), (SELECT count(*) FROM b.{table})").fetchall()[0]
        only = [con.execute(f"SELECT count(*) FROM (SELECT {keep} FROM {x}.{table} EXCEPT ALL SELECT {keep} FROM {y}.{table})")
                .fetchall()[0][0] for x, y in (("a", "b"), ("b", "a"))]
        if counts[0] != counts[1] or any(only):
            found.append(f"{table}: {counts[0]} / {counts[1]} rows, {only[0]} only in a, {only[1]} only in b")
        else:
            print(f"  {table}: {counts[0]:,} rows, the same")
    views = {db: {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE database_name = ? "
                                            "AND NOT internal", [db]).fetchall()} for db in ("a", "b")}
    if views["a"] != views["b"]:
        found.append(f"views differ: {sorted(views['a'] ^ views['b'])}")
    # The public views' rows too (what the pages and analysts read), each file's views over its own tables.
    for view in sorted(views["a"] & views["b"]):
        rows = []
        for db in ("a", "b"):
            con.execute(f"USE {db}")
            con.execute(f"CREATE OR REPLACE TEMP TABLE view_{db} AS SELECT * EXCLUDE ({', '.join(VOLATILE.get(view, ('_',)))}) "
                        f"FROM (SELECT *, NULL AS _ FROM {db}.main.{view})")
        con.execute("USE memory")
        only = [con.execute(f"SELECT count(*) FROM (SELECT * FROM view_{x} EXCEPT ALL SELECT * FROM view_{y})")
                .fetchall()[0][0] for x, y in (("a", "b"), ("b", "a"))]
        rows = con.execute("SELECT count(*) FROM view_a").fetchall()[0][0]
        if any(only):
            found.append(f"view {view}: {only[0]} rows only in a, {only[1]} only in b")
        else:
            print(f"  view {view}: {rows:,} rows, the same")
    con.close()
    return found


def messy_exports(directory: Path) -> list[Path]:
    """Two plan exports with most of what goes wrong in real ones: blank, totals and title rows, spaces, "no value"
    markers, dates that are not dates or are outside 1900-2100, words for yes/no, a cell too many, an ID repeated
    with other details, a row repeated exactly, a required cell blank; the second updates and repeats the first."""
    directory.mkdir(parents=True, exist_ok=True)
    header = ("Plan ID,Young Person ID,Team Name,Plan Date,DOB,Nation,Local Authority,IRO,First Plan Date,"
              "Review Date,Minutes Sent Date,Next Review Date,YP Views Recorded,Long Term Goals,Copy Given To YP,"
              "Covers Contingency,Covers Health")
    rows = []
    for i in range(400):
        person = f"YP{1000 + i % 90}"
        day, month, year = 1 + i % 28, 1 + i % 12, 2020 + i % 6
        plan = f"{day:02d}/{month:02d}/{year}"
        review = "" if i % 5 == 0 else f"{min(day + 2, 28):02d}/{month:02d}/{year}"
        odd = i % 37
        cells = [f"PP-{i}", person, f"Team {i % 7}", plan, f"0{1 + i % 9}/03/2006", ["England", "Wales", "E", "cymru", ""][i % 5],
                 ["Northshire", "", " Northshire "][i % 3], f"IRO {i % 11}", f"01/0{1 + i % 9}/2020", review,
                 "" if i % 4 == 0 else f"{min(day + 9, 28):02d}/{month:02d}/{year}", "" if i % 6 == 0 else f"{day:02d}/{month:02d}/{year + 1}",
                 ["Yes", "No", "", "Y", "n", "TRUE", "maybe"][i % 7], ["Yes", "No", ""][i % 3],
                 ["Yes", "No", f"{day:02d}/{month:02d}/{year}", "", "sent"][i % 5], ["Yes", "No"][i % 2], ["Yes", "", "No"][i % 3]]
        if odd == 1:
            cells[3] = "31/02/2026"                       # not a date: rejected
        elif odd == 2:
            cells[4] = "NULL"                             # a marker: a warning
        elif odd == 3:
            cells[10] = "1900-01-01"
        elif odd == 4:
            cells[9] = "N/A"
        elif odd == 5:
            cells[3] = "  " + cells[3] + " "
        elif odd == 6:
            cells[2] = ""                                 # required blank: rejected
        elif odd == 7:
            cells[4] = "12/12/9999"                       # outside 1900-2100
        elif odd == 8:
            cells[1] = "n/a"                              # the young person is a marker
        elif odd == 9:
            cells[3] = "3 May 2024"
        elif odd == 10:
            cells[3] = "2024-05-03"
        elif odd == 11:
            cells.append("spilled")                       # a cell too many
        elif odd == 12:
            cells[15] = "#N/A"
        elif odd == 13:
            cells[1] = " " + person.lower()
        rows.append(",".join(cells))
    rows.insert(50, rows[49])                             # a row repeated exactly
    rows.insert(80, rows[20].replace("Team", "Team X", 1))   # the same plan ID with other details
    rows.insert(120, ",,,,,,,,")                          # a blank row
    body = "\n".join(rows[:300]) + "\nTotal,,,,,,,\n"
    first = directory / "plans_messy_1.csv"
    first.write_text("Plan export for Northshire\n\n" + header + "\n" + body, encoding="utf-8")
    second = directory / "plans_messy_2.csv"              # a later export: some rows again, some changed
    later = [r.replace(",Yes,", ",No,", 1) if n % 3 == 0 else r.replace("Team 3", "Équipe 3") if n % 10 == 1 else r
             for n, r in enumerate(rows[200:])]
    second.write_text(header + "\n" + "\n".join(later) + "\n", encoding="cp1252")
    return [first, second]


def _build(root: Path, out: Path, rows: int | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    messy = messy_exports(out / "exports")
    runs = {"sample.duckdb": "from etl.sample import build_sample_warehouse as b; b(settings)",
            "messy.duckdb": f"from etl import load; [load.load_files([Path(p)], settings) for p in {[str(p) for p in messy]!r}]"}
    if rows:
        runs[f"plans_{rows}.duckdb"] = (f"from etl import load; load.load_files([Path({str(ROOT / 'bench' / 'data' / f'plans_{rows}.csv')!r})], "
                                        "settings)")
    for name, code in runs.items():
        target = out / name
        target.unlink(missing_ok=True)
        script = ("from pathlib import Path; from core.settings import load_settings; "
                  f"settings = load_settings(env={{}}, warehouse={str(target)!r}); {code}")
        subprocess.run([sys.executable, "-c", script], cwd=root, check=True)
        print(f"built {target} with {root}")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--build":
        rows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else None
        _build(Path(argv[1]).resolve(), Path(argv[2]).resolve(), rows)
        return 0
    differences = compare(Path(argv[0]), Path(argv[1]))
    for line in differences:
        print("DIFFERENT: " + line)
    print("the same" if not differences else f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
