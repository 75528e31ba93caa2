"""Loads while people are looking: no failed page, no lost load, loads never interleave."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT, query, write_csv
from tests.helpers.scripts import LOADER, RENDERER



@pytest.mark.slow
def test_loads_in_a_loop_while_another_process_renders_pages(sample_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(sample_warehouse, db)
    files = [write_csv(tmp_path / f"month_{n}.csv", [["person_id", "team", "plan_date"]] +
                       [[f"NEW{n}-{i}", "North Leaving Care", "01/10/2026"] for i in range(50)]) for n in range(8)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    renderer = subprocess.Popen([sys.executable, "-c", RENDERER, str(ROOT), str(db), "20"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    loader = subprocess.run([sys.executable, "-c", LOADER, str(ROOT), str(db), *map(str, files)],
                            capture_output=True, text=True, env=env, timeout=300)
    out, err = renderer.communicate(timeout=300)
    assert loader.returncode == 0, loader.stderr
    assert json.loads(loader.stdout) == [50] * 8                       # no lost load
    report = json.loads(out.strip().splitlines()[-1])
    assert report["renders"] >= 4
    assert report["failures"] == 0, report["messages"]                  # no failed page
    assert query(db, "SELECT count(*) FROM reviews WHERE person_key IN "
                     "(SELECT person_key FROM young_people) AND plan_date = DATE '2026-10-01' "
                     "AND team = 'North Leaving Care'")[0][0] >= 400


def test_two_loads_at_the_same_time_are_serialised_never_interleaved(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    files = [write_csv(tmp_path / f"part_{n}.csv", [["person_id", "team", "plan_date"]] +
                       [[f"P{n}-{i}", f"Team {n}", "01/10/2025"] for i in range(20_000)]) for n in range(2)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", LOADER, str(ROOT), str(db), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for f in files]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outputs]
    assert [json.loads(o) for o, _ in outputs] == [[20_000], [20_000]]
    # both loads are there, each whole: one load id per file, every row of each
    assert query(db, "SELECT file_name, rows_loaded FROM load_log ORDER BY file_name") == [
        ("part_0.csv", 20_000), ("part_1.csv", 20_000)]
    assert query(db, "SELECT team, count(*) FROM reviews GROUP BY team ORDER BY team") == [
        ("Team 0", 20_000), ("Team 1", 20_000)]
