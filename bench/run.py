"""Issue 7 benchmark runner: every target of SPEC §7 measured in one run, written to bench/RESULTS.md.

    python -m bench.run                      # national + growth (the national warehouse is built if missing)
    python -m bench.run --scale national     # load ratio, XLSX load, pages, report, memory, profile at national scale
    python -m bench.run --scale growth       # load and page time at 1x, 10x, 100x the sample warehouse
    python -m bench.run --scale sample       # the page / report / memory targets on the sample warehouse (quick check)

Pages are timed with AppTest (whole page script). Cold = the first run in a fresh Python process with empty
caches (one subprocess per page and filter); warm = the median of the next WARM_RUNS runs in that process.
Each figure is one measurement (not a best-of). Only this runner's sections of RESULTS.md are replaced.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.exports import DATA_DIR

RESULTS = ROOT / "bench" / "RESULTS.md"
PAGES = ["pages/overview.py", "pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py"]
WARM_RUNS = 3
REPORT_QUARTER = "2026-27 Q2"
# The sample warehouse (etl.sample): 2,623 plan versions and 1,513 traffic-light forms.
SAMPLE_PLANS, SAMPLE_FORMS = 2_623, 1_513
TARGETS = {"load_ratio": 2.5, "page_warm_s": 0.3, "page_cold_s": 2.0, "report_s": 8.0, "xlsx_s": 10.0,
           "peak_mb": 2048}


# ------------------------------------------------------------------ environment

def environment() -> dict:
    import duckdb
    import pandas
    import streamlit
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = [line[3:] for line in git("status", "--porcelain").splitlines()
             if line[3:].startswith(("etl/", "queries/", "app/", "pages/", "report/", "dashboard.py"))]
    return {"machine": f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else platform.processor()}), "
                       f"{mem_kb / 1024 / 1024:.0f} GB RAM, {platform.system()} {platform.machine()}",
            "versions": f"Python {platform.python_version()}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, "
                        f"streamlit {streamlit.__version__}",
            "commit": git("rev-parse", "--short", "HEAD"), "dirty": dirty,
            "date": time.strftime("%Y-%m-%d %H:%M")}


def load_avg() -> float:
    return os.getloadavg()[0]


# ------------------------------------------------------------------ page worker (runs in a subprocess)

def _page_worker(page: str, db: str, team: str | None, warm_runs: int, cprofile: bool = False) -> dict:
    """One page, cold then warm, in this (fresh) process; also which named queries the cold run spent its time in."""
    os.environ["PWP_WAREHOUSE"] = db
    import queries
    import queries.runner
    from streamlit.testing.v1 import AppTest

    calls: list[tuple[str, float]] = []
    original = queries.runner.run

    def timed_run(db_path, name, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(db_path, name, *args, **kwargs)
        finally:
            calls.append((name, time.perf_counter() - t0))

    queries.run = queries.runner.run = timed_run      # queries/__init__ calls `run` by its own name

    def once(at=None):
        """One run of the page: in a new AppTest session, or a rerun of `at` (what every click on the page does)."""
        if at is None:
            at = AppTest.from_file(str(ROOT / page), default_timeout=600)
            if team:
                at.session_state["flt_teams"] = [team]
        t0 = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t0
        error = at.exception[0].value if at.exception else None
        if not error and team and "flt_teams" in at.session_state and list(at.session_state["flt_teams"]) != [team]:
            error = f"team filter not applied: {at.session_state['flt_teams']}"
        return seconds, error, at

    cold, error, session = once()
    cold_calls = list(calls)
    # warm: reruns of the same session with the caches filled
    warm = [once(session)[0] for _ in range(warm_runs)] if not error else []
    # and new sessions in the same process: each new AppTest also scans every installed package for Streamlit
    # components (a running server does that once, at start-up)
    warm_new = [once()[0] for _ in range(warm_runs)] if not error else []
    result = {"page": page, "team": team, "cold": cold, "warm": statistics.median(warm) if warm else None,
              "warm_new_session": statistics.median(warm_new) if warm_new else None,
              "error": error, "queries": cold_calls, "warm_query_calls": len(calls) - len(cold_calls), "peak_mb": _peak_mb()}
    if cprofile and not error:
        result["warm_profile"] = _cprofile(lambda: once())
    return result


def _cprofile(fn) -> dict:
    """One more (warm) run under cProfile: own time summed by package, and the slowest functions by cumulative time."""
    import cProfile
    import pstats
    import threading
    prof = cProfile.Profile()

    def start_in_thread(frame, event, arg):      # AppTest runs the page script in its own thread
        sys.setprofile(None)
        prof.enable()

    threading.setprofile(start_in_thread)
    t0 = time.perf_counter()
    try:
        fn()
    finally:
        total = time.perf_counter() - t0
        threading.setprofile(None)
    prof.disable()
    stats = pstats.Stats(prof).stats
    by_package: dict[str, float] = {}
    for (file, _, _), (_, _, tottime, _, _) in stats.items():
        m = re.search(r"site-packages/([^/]+)", file)
        key = m.group(1) if m else ("project" if str(ROOT) in file else ("stdlib/builtin" if file != "~" else "builtin"))
        by_package[key] = by_package.get(key, 0.0) + tottime
    cumulative = sorted(((f"{Path(f).name}:{line} {func}", ct) for (f, line, func), (_, _, _, ct, _) in stats.items()
                         if str(ROOT) in f or "streamlit/elements" in f or "altair" in f or "plotly" in f),
                        key=lambda t: -t[1])
    return {"total_s": total, "by_package": sorted(by_package.items(), key=lambda kv: -kv[1])[:8],
            "cumulative": cumulative[:12]}


def _memory_worker(db: str, team: str) -> dict:
    """Every page, default filters then one team, cold and warm, in one process: the dashboard's peak memory."""
    os.environ["PWP_WAREHOUSE"] = db
    from streamlit.testing.v1 import AppTest
    errors = []
    for selected in (None, team):
        for page in PAGES:
            for _ in range(2):
                at = AppTest.from_file(str(ROOT / page), default_timeout=600)
                if selected:
                    at.session_state["flt_teams"] = [selected]
                at.run()
                if at.exception:
                    errors.append(f"{page}: {at.exception[0].value}")
    return {"peak_mb": _peak_mb(), "errors": errors}


def _report_worker(db: str, quarter: str) -> dict:
    """The report's time split: figures (each report/sql query timed) and rendering to PDF (HTML + Chromium)."""
    import report
    from report import figures
    calls: list[tuple[str, float]] = []
    original = figures.query

    def timed_query(con, name, **params):
        t0 = time.perf_counter()
        try:
            return original(con, name, **params)
        finally:
            calls.append((name, time.perf_counter() - t0))

    figures.query = timed_query
    t0 = time.perf_counter()
    data = report.build(db, quarter)
    built = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report.render(data, "pdf", Path(tmp) / "report.pdf")
        rendered = time.perf_counter() - t0
    return {"figures_s": built, "render_pdf_s": rendered, "queries": calls, "peak_mb": _peak_mb()}


def _load_worker(path: str) -> dict:
    """One load of `path` into an empty warehouse, with the loader's stages timed by its own `timings` hook."""
    from etl import load
    from core.settings import load_settings
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        load.load_files([Path(path)], load_settings(env={}, warehouse=str(Path(tmp) / "w.duckdb")), timings=steps)
        total = time.perf_counter() - t0
    return {"total_s": total, "steps": steps, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def _subprocess(args: list[str], timeout: int = 3600) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.run", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)  # as a module: run as a file, `import bench` failed
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(lines[-1])


# ------------------------------------------------------------------ measurements

def one_team(db: Path) -> str:
    """The single team used for the 'one team selected' figures: the team with the most plan versions."""
    from core import warehouse_file
    with warehouse_file.connect_read_only(db) as con:
        return con.execute("SELECT team FROM plan_versions GROUP BY team ORDER BY count(*) DESC, team LIMIT 1").fetchall()[0][0]


def measure_pages(db: Path, say=print, teams: bool = True) -> list[dict]:
    team = one_team(db)
    rows = []
    for selected in ((None, team) if teams else (None,)):
        for page in PAGES:
            la = load_avg()
            args = ["--_page", page, "--db", str(db), "--warm-runs", str(WARM_RUNS)] + (["--team", selected] if selected else [])
            r = _subprocess(args)
            r.setdefault("page", page)
            r.update(team=selected, load_avg=la)
            rows.append(r)
            if r.get("error"):
                say(f"  {page} ({selected or 'default filters'}): ERROR {r['error']}")
            else:
                say(f"  {page} ({selected or 'default filters'}): cold {r['cold']:.2f} s, warm {r['warm']:.2f} s "
                    f"(load average {la:.2f})")
    return rows


def measure_load_ratio(say=print) -> dict:
    from bench import load_ratio
    la = load_avg()
    r = load_ratio.measure(1_000_000)
    r["load_avg"] = la
    say(f"  load ratio: {r['ratio']:.2f} (load {r['load_s']:.1f} s, read_csv {r['read_csv_s']:.1f} s; "
        f"floor {r['floor_ratio']:.2f})")
    if r["ratio"] > TARGETS["load_ratio"]:
        from bench.exports import plan_export
        r["load_avg_profile"] = load_avg()
        r["profile"] = _subprocess(["--_load", str(plan_export(1_000_000))])
        say(f"  load steps: {json.dumps(r['profile'], default=str)[:400]}")
    return r


def measure_monthly_load(db: Path, say=print) -> dict:
    """A month's plan export loaded into (a copy of) the national warehouse: the load-time tables are worked out
    again only for the young people it touches. Not a target of the issue; recorded for growth."""
    import shutil
    from bench.national import monthly_export, settings_for
    from etl import load
    path = monthly_export()
    with tempfile.TemporaryDirectory(dir=DATA_DIR) as tmp:
        copy = Path(tmp) / "national-copy.duckdb"
        shutil.copyfile(db, copy)
        la = load_avg()
        t0 = time.perf_counter()
        [result] = load.load_files([path], settings_for(copy))
        seconds = time.perf_counter() - t0
    r = {"rows": result.rows_read, "loaded": result.rows_loaded, "rejected": result.rows_rejected, "seconds": seconds,
         "refresh": result.derived_refresh, "load_avg": la}
    say(f"  a month's export into the national warehouse: {seconds:.1f} s ({result.rows_loaded:,} loaded, "
        f"{result.derived_refresh} refresh)")
    return r


def measure_xlsx(say=print) -> dict:
    from bench.exports import xlsx_plan_export
    from etl import load
    from core.settings import load_settings
    t0 = time.perf_counter()
    path = xlsx_plan_export(100_000)
    made = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        la = load_avg()
        t0 = time.perf_counter()
        [result] = load.load_files([path], load_settings(env={}, warehouse=str(Path(tmp) / "w.duckdb")))
        seconds = time.perf_counter() - t0
    r = {"rows": result.rows_read, "loaded": result.rows_loaded, "seconds": seconds, "load_avg": la,
         "file_mb": path.stat().st_size / 1e6, "generated_s": made}
    say(f"  XLSX 100,000 rows: {seconds:.1f} s ({result.rows_loaded:,} loaded)")
    return r


def _forget_kept_cells(db: Path) -> None:
    """As after a load: no hidden cells kept from an earlier report (report/hidden_cache.py), so the run is cold."""
    from report import hidden_cache
    import shutil
    shutil.rmtree(hidden_cache.folder(db), ignore_errors=True)


def measure_report(db: Path, say=print) -> dict:
    """The cold report (the first after a load) is the headline; the next one (reusing its hidden cells) beside it."""
    _forget_kept_cells(db)
    runs = []
    for _ in ("cold", "warm"):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.pdf"
            la = load_avg()
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "etl", "report", "--db", str(db), "--quarter", REPORT_QUARTER,
                                   "--authority", "all",  # every authority in one report: the heaviest one
                                   "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
            seconds = time.perf_counter() - t0
            ok = proc.returncode == 0 and out.exists()
            runs.append({"seconds": seconds, "ok": ok, "load_avg": la,
                         "pdf_kb": out.stat().st_size / 1024 if ok else None,
                         "error": None if ok else (proc.stderr or proc.stdout).strip().splitlines()[-1:]})
    r, warm = runs
    r["warm_seconds"] = warm["seconds"] if warm["ok"] else None
    ok = r["ok"]
    say(f"  report: {r['seconds']:.1f} s cold, {warm['seconds']:.1f} s warm {'ok' if ok else r['error']}")
    if ok:
        _forget_kept_cells(db)
        r["phases"] = _subprocess(["--_report", "--db", str(db)])
        say(f"  report phases: {json.dumps(r['phases'], default=str)[:300]}")
    return r


def measure_memory(db: Path, say=print) -> dict:
    la = load_avg()
    r = _subprocess(["--_memory", "--db", str(db), "--team", one_team(db)])
    r["load_avg"] = la
    say(f"  peak memory (all pages, AppTest, one process): {r.get('peak_mb', float('nan')):.0f} MB {r.get('errors') or ''}")
    return r


def profile(db: Path, page_rows: list[dict], say=print, top: int = 6) -> dict:
    """Where the cold page time goes: named queries by time (from the page runs), then EXPLAIN ANALYZE of the
    slowest ones and plain timings of the public views they read."""
    from core import warehouse_file
    from queries import runner
    from queries.filters import ADMIN, Filters

    per_query: dict[str, list[float]] = {}
    for r in page_rows:
        if r.get("team"):
            continue
        for name, seconds in r.get("queries", []):
            per_query.setdefault(name, []).append(seconds)
    ranked = sorted(((n, max(v), len(v)) for n, v in per_query.items()), key=lambda t: -t[1])
    with warehouse_file.connect_read_only(db) as con:
        latest = con.execute("SELECT max(quarter) FROM calendar WHERE day <= (SELECT max(coalesce(review_date, plan_date)) "
                             "FROM plan_versions)").fetchall()[0][0]
    filters = Filters(quarters=(latest,))
    explains = {}
    for name, _, _ in ranked[:3]:
        with warehouse_file.connect_read_only(db) as con:
            runner.prepare(con, name, filters, ADMIN)
            sql = runner.sql_text(name)
            params = {p: None for p in re.findall(r"\$(\w+)", sql)}
            if "by" in params:
                params["by"] = "stage"
            if "stage_no" in params:
                params["stage_no"] = 1
            out = Path(tempfile.mkdtemp(prefix="pwp-prof-")) / "profile.json"
            con.execute("PRAGMA enable_profiling = 'json'").fetchall()
            con.execute(f"SET profiling_output = '{out}'").fetchall()
            t0 = time.perf_counter()
            con.execute(sql, params or None).fetchall()
            seconds = time.perf_counter() - t0
            con.execute("PRAGMA disable_profiling").fetchall()
            tree = json.loads(out.read_text())
            explains[name] = {"seconds": seconds, "query_s": tree["query"]["total_time"],
                              "planner_s": tree["planner"]["total_time"],
                              "operators": _top_operators(tree["operator"])}
    views = {}
    view_sql = {
        "reviews (all rows, team x quarter)": "SELECT team, quarter, count(*), count(held_on_time), count(minutes_status) FROM reviews GROUP BY ALL",
        "plan_versions (base table, team x quarter)": "SELECT team, year(plan_date), count(*) FROM plan_versions GROUP BY ALL",
        "plan_indicators (indicator x verdict)": "SELECT indicator, verdict, count(*) FROM plan_indicators GROUP BY ALL",
        "plan_quality (overall)": "SELECT overall, count(*) FROM plan_quality GROUP BY ALL",
        "traffic_light_ratings (stage x team x quarter)": "SELECT stage_no, team, quarter, avg(score), count(*) FROM traffic_light_ratings GROUP BY ALL",
        "traffic_light_answers (base table, stage x rating)": "SELECT stage_no, rating, count(*) FROM traffic_light_answers GROUP BY ALL",
        "young_people (nation)": "SELECT nation, count(*), count(started_on_time) FROM young_people GROUP BY ALL",
    }
    for label, sql in view_sql.items():
        with warehouse_file.connect_read_only(db) as con:
            t0 = time.perf_counter()
            n = len(con.execute(sql).fetchall())
            views[label] = {"seconds": time.perf_counter() - t0, "groups": n}
        say(f"  {label}: {views[label]['seconds']:.2f} s")
    warm_ok = [r for r in page_rows if not r.get("error") and r.get("warm") is not None and not r.get("team")]
    warm_profile = None
    if warm_ok:
        worst = max(warm_ok, key=lambda r: r["warm"])
        got = _subprocess(["--_page", worst["page"], "--db", str(db), "--warm-runs", "1", "--cprofile"])
        warm_profile = {"page": worst["page"], **(got.get("warm_profile") or {"error": got.get("error")})}
        say(f"  warm profile of {worst['page']}: {json.dumps(warm_profile, default=str)[:300]}")
    with warehouse_file.connect_read_only(db) as con:
        sizes = dict(con.execute("SELECT table_name, estimated_size FROM duckdb_tables()").fetchall())
    return {"ranked": ranked, "explains": explains, "views": views, "filters": latest, "sizes": sizes,
            "warm_profile": warm_profile}


def _top_operators(nodes: list[dict], n: int = 8) -> list[tuple[str, float, str]]:
    """The operators with the most time in a DuckDB JSON profile: (operator and what it reads, seconds, rows out)."""
    flat = []

    def walk(node):
        info = node.get("extra_info") or {}
        what = info.get("Table") or info.get("Function") or info.get("Join Type") or ""
        if node["type"] == "HASH_GROUP_BY":
            what = "by " + ", ".join(info.get("Groups", []))[:60] if isinstance(info.get("Groups"), list) else what
        if node["type"] == "WINDOW":
            what = str(info.get("Projections", ""))[:80]
        flat.append((f"{node['type']} {what}".strip(), node.get("timing", 0.0), f"{node.get('intermediate_rows', 0):,}"))
        for child in node.get("children", []):
            walk(child)

    for node in nodes:
        walk(node)
    return sorted(flat, key=lambda o: -o[1])[:n]


def growth(say=print) -> list[dict]:
    from bench import national
    rows = []
    for factor in (1, 10, 100):
        plans, forms = SAMPLE_PLANS * factor, SAMPLE_FORMS * factor
        db = DATA_DIR / f"growth_{factor}x.duckdb"
        say(f" {factor}x: {plans:,} plan versions, {forms:,} forms")
        timings = national.build(plans, forms, 1, db, tag="growth", rebuild=True, say=lambda m: say("  " + m))
        pages = measure_pages(db, say, teams=False)
        rows.append({"factor": factor, "plans": plans, "forms": forms, "ratings": forms * 10,
                     "load_s": sum(t["seconds"] for t in timings), "loads": timings, "pages": pages})
    return rows


# ------------------------------------------------------------------ RESULTS.md

def replace_section(heading: str, body: list[str]) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    block = "\n".join([heading, "", *body]).rstrip("\n") + "\n"
    pattern = re.compile(re.escape(heading) + r"\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: block + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text)


def _env_lines(env: dict, command: str) -> list[str]:
    dirty = f" + uncommitted changes in {', '.join(env['dirty'])}" if env["dirty"] else ""
    return [f"Measured {env['date']} on {env['machine']}; {env['versions']}; code at `{env['commit']}`{dirty}. "
            f"Produced by `{command}`. Each figure is one run; the machine was shared with other work, so the "
            f"1-minute load average at the start of each measurement is given beside it (2 cores: above 2 means "
            f"the run was competing for CPU).", ""]


def _one_line(text) -> str:
    return re.sub(r"\s+", " ", str(text)).replace("|", "/")[:160]


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def write_targets(heading: str, env: dict, command: str, db_note: str, res: dict) -> None:
    body = _env_lines(env, command) + [db_note, "", "| target | figure | limit | result | load avg |",
                                       "|---|---:|---:|---|---:|"]
    if "load_ratio" in res:
        r = res["load_ratio"]
        body.append(f"| load of a 1,000,000-row plan export ({r['file_mb']:.0f} MB CSV), validation included, "
                    f"vs DuckDB `read_csv` into a table | {r['ratio']:.2f}× ({r['load_s']:.1f} s vs {r['read_csv_s']:.1f} s) "
                    f"| {TARGETS['load_ratio']}× | {_mark(r['ratio'] <= TARGETS['load_ratio'])} | {r['load_avg']:.2f} |")
        if "floor_ratio" in r:
            body.append(f"| for information: the floor any loader pays, with no parsing, checks or working out: the file's "
                        f"cells read as text into a table ({r['floor_text_s']:.1f} s), then the loaded `plan_versions` "
                        f"({r['floor_plan_versions_s']:.1f} s) and the load-time table `review_facts` the page targets "
                        f"need ({r['floor_review_facts_s']:.1f} s) written as plain copies | {r['floor_ratio']:.2f}× "
                        f"| | | {r['load_avg']:.2f} |")
    for p in res.get("pages", []):
        what = f"one team ({p['team']})" if p.get("team") else "default filters"
        if p.get("error"):
            body.append(f"| `{p['page']}`, {what} | error: {_one_line(p['error'])} | | **missed** | {p['load_avg']:.2f} |")
            continue
        new_session = f" (new session: {p['warm_new_session']:.2f} s)" if p.get("warm_new_session") is not None else ""
        body.append(f"| `{p['page']}`, {what}, warm | {p['warm']:.2f} s{new_session} | 0.3 s | "
                    f"{_mark(p['warm'] < TARGETS['page_warm_s'])} | {p['load_avg']:.2f} |")
        body.append(f"| `{p['page']}`, {what}, cold | {p['cold']:.2f} s | 2 s | "
                    f"{_mark(p['cold'] < TARGETS['page_cold_s'])} | {p['load_avg']:.2f} |")
    if "report" in res:
        r = res["report"]
        fig = f"{r['seconds']:.1f} s" + ("" if r["ok"] else f" (failed or stopped: {_one_line(' '.join(r['error'] or [])) or 'no message'})")
        if r.get("warm_seconds") is not None:
            fig += f" (next report, reusing its hidden cells: {r['warm_seconds']:.1f} s)"
        body.append(f"| quarterly report {REPORT_QUARTER} to PDF (`python -m etl report`), first after a load | {fig} | 10 s | "
                    f"{_mark(r['ok'] and r['seconds'] < TARGETS['report_s'])} | {r['load_avg']:.2f} |")
    if "xlsx" in res:
        r = res["xlsx"]
        body.append(f"| XLSX plan export of 100,000 rows ({r['file_mb']:.0f} MB) loaded | {r['seconds']:.1f} s | 10 s | "
                    f"{_mark(r['seconds'] < TARGETS['xlsx_s'])} | {r['load_avg']:.2f} |")
    if "monthly" in res:
        r = res["monthly"]
        body.append(f"| for information (no target): a month's plan export ({r['rows']:,} rows, new versions of young "
                    f"people already loaded) into the national warehouse, {r['refresh']} refresh of the load-time tables "
                    f"| {r['seconds']:.1f} s | | | {r['load_avg']:.2f} |")
    if "memory" in res:
        r = res["memory"]
        peak = r.get("peak_mb")
        body.append(f"| peak memory of the dashboard process (all pages × both filter sets, cold + warm) | "
                    f"{peak:,.0f} MB | 2,048 MB | {_mark(peak is not None and peak < TARGETS['peak_mb'])}"
                    f"{' (pages that failed: ' + ', '.join(sorted({e.split(':')[0] for e in r['errors']})) + ')' if r.get('errors') else ''} "
                    f"| {r['load_avg']:.2f} |")
    body += ["", "Pages: AppTest runs the whole page script (sidebar, every query, every chart). Cold = first run in a "
             "fresh Python process (one subprocess per page and filter; imports of the page's modules included); warm = "
             f"median of the next {WARM_RUNS} reruns of that session with the caches filled (what every click on the page "
             f"does). In brackets: the median of {WARM_RUNS} new AppTest sessions in the same process, where each new AppTest "
             "also scans every installed package's metadata for Streamlit components (0.2–0.3 s on this machine), which "
             "a running server does once, at start-up. Default filters = the page as first opened (latest "
             "quarter); one team = `flt_teams` set to the team with the most plan versions. Peak memory = VmHWM of one "
             "Python process that runs every page with AppTest (default filters and one team, cold then warm): the "
             "process that would serve the dashboard, measured without a browser."]
    replace_section(heading, body)


def write_national_build(env: dict, timings: list[dict]) -> None:
    if timings and timings[0].get("commit"):       # the build's own time and code, not this run's
        env = {**env, "date": timings[0]["date"], "commit": timings[0]["commit"], "dirty": []}
    body = _env_lines(env, "python -m bench.national --rebuild") + [
        "Generated exports loaded through `etl.load.load_files`, one file per load (each load copies the warehouse, "
        "writes, checkpoints and swaps it in).", "",
        "| file | rows | loaded | seconds | warehouse after (MB) | load avg |", "|---|---:|---:|---:|---:|---:|"]
    for t in timings:
        body.append(f"| `{t['file']}` | {t['rows_read']:,} | {t['rows_loaded']:,} | "
                    f"{'already loaded' if t['already'] else format(t['seconds'], '.1f')} | {t['warehouse_mb']:,.0f} | {t['load_avg']:.2f} |")
    total = sum(t["seconds"] for t in timings if not t["already"])
    body += ["", f"Total load time: {total:.0f} s."]
    replace_section("## National warehouse build (issue 7)", body)


def write_profile(env: dict, prof: dict, page_rows: list[dict], report_res: dict | None = None,
                  load_res: dict | None = None) -> None:
    body = _env_lines(env, "python -m bench.run --scale national") + [
        f"Named queries run during the cold page runs at national scale (default filters, quarter {prof['filters']}), "
        "slowest first; each named query is one short-lived read-only connection (`queries.runner.run`). Time per "
        "call, the slowest call if a query ran more than once.", "",
        "| named query | seconds (slowest call) | calls |", "|---|---:|---:|"]
    body += [f"| `{n}` | {s:.2f} | {c} |" for n, s, c in prof["ranked"]]
    body += ["", "Cold page time split into named queries and the rest (Streamlit, charts, imports):", "",
             "| page | cold (s) | in named queries (s) | rest (s) |", "|---|---:|---:|---:|"]
    for p in page_rows:
        if p.get("team") or p.get("error"):
            continue
        q = sum(s for _, s in p["queries"])
        body.append(f"| `{p['page']}` | {p['cold']:.2f} | {q:.2f} | {p['cold'] - q:.2f} |")
    body += ["", "Public views aggregated on their own (no filters), one connection each:", "",
             "| query | seconds | groups |", "|---|---:|---:|"]
    body += [f"| {label} | {v['seconds']:.2f} | {v['groups']:,} |" for label, v in prof["views"].items()]
    for name, e in prof["explains"].items():
        body += ["", f"Profile of `{name}` (DuckDB JSON profiling, default filters): {e['seconds']:.2f} s to run, of which "
                 f"planning/binding {e['planner_s']:.2f} s; operators with the most time (operator time is summed "
                 "over threads):", "",
                 "| operator | seconds | rows out |", "|---|---:|---:|"]
        body += [f"| {op} | {s:.2f} | {rows} |" for op, s, rows in e["operators"]]
    wp = prof.get("warm_profile") or {}
    if wp.get("by_package"):
        body += ["", f"Where a warm run goes (no query runs when warm: every named query is a cache hit): one warm run of "
                 f"`{wp['page']}` under cProfile (in the page script's thread; profiling inflates it) took "
                 f"{wp['total_s']:.2f} s. Own time by package:", "", "| package | seconds |", "|---|---:|"]
        body += [f"| {k} | {v:.2f} |" for k, v in wp["by_package"]]
        body += ["", "Heaviest calls (cumulative): " + "; ".join(f"`{n}` {t:.2f} s" for n, t in wp["cumulative"][:10]) + "."]
    lp = (load_res or {}).get("profile") or {}
    if lp.get("steps"):
        body += ["", f"Load of the 1,000,000-row plan export into an empty warehouse, run again with the loader's stages "
                 f"timed by its `timings` hook (load average {load_res['load_avg_profile']:.2f}): {lp['total_s']:.1f} s in all "
                 f"(DuckDB `read_csv` of the same file into a table: {load_res['read_csv_s']:.1f} s).", "",
                 "| loader step | seconds |", "|---|---:|"]
        named = sum(lp["steps"].values())
        body += [f"| `{k}` | {v:.1f} |" for k, v in sorted(lp["steps"].items(), key=lambda kv: -kv[1])]
        body.append(f"| rest (lock, load_id, …) | {max(lp['total_s'] - named, 0):.1f} |")
    phases = (report_res or {}).get("phases") or {}
    if phases.get("queries"):
        body += ["", f"Quarterly report ({REPORT_QUARTER}), run again in-process to split its time: figures "
                 f"{phases['figures_s']:.1f} s (report/sql queries + suppression), rendering to PDF "
                 f"{phases['render_pdf_s']:.1f} s (HTML + headless Chromium). Slowest report queries:", "",
                 "| report query | seconds |", "|---|---:|"]
        body += [f"| `{n}` | {t:.2f} |" for n, t in sorted(phases["queries"], key=lambda q: -q[1])[:8]]
    big = sorted(prof["sizes"].items(), key=lambda kv: -(kv[1] or 0))[:6]
    body += ["", "Base table sizes (rows): " + ", ".join(f"`{k}` {v:,}" for k, v in big) + "."]
    replace_section("## Profile at national scale (issue 7)", body)


def write_growth(env: dict, rows: list[dict], national_row: dict | None) -> None:
    body = _env_lines(env, "python -m bench.run --scale growth") + [
        f"Warehouses generated with `bench/national.py`'s generator (the national shape: 5 plan versions a young person, "
        f"half of them reviews, ten years, ~400 young people a team) at 1×, 10× and 100× the sample warehouse "
        f"({SAMPLE_PLANS:,} plan versions, {SAMPLE_FORMS:,} forms), loaded into an empty warehouse (one plan file, then one "
        "traffic-light file). Page time = the sum over the four pages, default filters.", "",
        "| scale | plan versions | forms | load (s) | pages cold, sum (s) | pages warm, sum (s) | slowest page cold (s) | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
    series = list(rows) + ([national_row] if national_row else [])
    for r in series:
        ok = [p for p in r["pages"] if not p.get("error") and not p.get("team")]
        cold = sum(p["cold"] for p in ok)
        warm = sum(p["warm"] for p in ok)
        slow = max((p["cold"] for p in ok), default=float("nan"))
        la = statistics.mean([t["load_avg"] for t in r.get("loads", [])] + [p["load_avg"] for p in ok])
        default = [p for p in r["pages"] if not p.get("team")]
        errs = f" ({len(default) - len(ok)} page failed, not in the sum)" if len(ok) < len(default) else ""
        label = f"{r['factor']}×" if isinstance(r["factor"], int) else f"{r['factor']} (load = 8 files, one load after another)"
        body.append(f"| {label} | {r['plans']:,} | {r['forms']:,} | {r['load_s']:.1f} | {cold:.2f}{errs} | {warm:.2f} | "
                    f"{slow:.2f} | {la:.2f} |")
    body += ["", _growth_sentence(series)]
    replace_section("## Growth: 1×, 10×, 100× the sample warehouse (issue 7)", body)


def _growth_sentence(series: list[dict]) -> str:
    if len(series) < 2:
        return ""
    parts = []
    for a, b in zip(series, series[1:]):
        n = b["plans"] / a["plans"]
        ca = sum(p["cold"] for p in a["pages"] if not p.get("error") and not p.get("team"))
        cb = sum(p["cold"] for p in b["pages"] if not p.get("error") and not p.get("team"))
        parts.append(f"{a['plans']:,} → {b['plans']:,} rows (×{n:.0f}): load ×{b['load_s'] / a['load_s']:.1f}, "
                     f"cold pages ×{cb / ca:.1f}")
    return "Growth per step: " + "; ".join(parts) + "."


# ------------------------------------------------------------------ main

def run_national(env: dict, say=print) -> dict:
    from bench import national
    db = national.NATIONAL_DB
    if not db.exists():
        say("building the national warehouse (bench/national.py)…")
        national.build(say=lambda m: say("  " + m))
    if national.build_log(db).exists():
        write_national_build(env, json.loads(national.build_log(db).read_text()))
    res: dict = {}
    say("load ratio (1,000,000-row plan export)…")
    res["load_ratio"] = measure_load_ratio(say)
    say("XLSX load (100,000 rows)…")
    res["xlsx"] = measure_xlsx(say)
    say("a month's plan export into the national warehouse…")
    res["monthly"] = measure_monthly_load(db, say)
    say("pages at national scale…")
    res["pages"] = measure_pages(db, say)
    say("quarterly report at national scale…")
    res["report"] = measure_report(db, say)
    say("peak memory…")
    res["memory"] = measure_memory(db, say)
    from core import warehouse_file
    with warehouse_file.connect_read_only(db) as con:
        plans, forms, ratings = con.execute("SELECT (SELECT count(*) FROM plan_versions), (SELECT count(*) FROM "
                                            "traffic_light_forms), (SELECT count(*) FROM traffic_light_answers)").fetchall()[0]
    note = (f"National warehouse `bench/data/national.duckdb` ({db.stat().st_size / 1e9:.1f} GB): {plans:,} plan versions, "
            f"{forms:,} traffic-light forms, {ratings:,} ratings.")
    write_targets("## National scale targets (issue 7)", env, "python -m bench.run --scale national", note, res)
    say("profile…")
    prof = profile(db, res["pages"], say)
    write_profile(env, prof, res["pages"], res.get("report"), res.get("load_ratio"))
    (DATA_DIR / "national_results.json").write_text(json.dumps({"res": res, "plans": plans, "forms": forms}, default=str))
    return {"factor": "national", "plans": plans, "forms": forms, "pages": res["pages"],
            "load_s": sum(t["seconds"] for t in _national_build_timings()), "loads": []}


def _national_build_timings() -> list[dict]:
    text = RESULTS.read_text() if RESULTS.exists() else ""
    m = re.search(r"Total load time: ([\d.]+) s", text)
    return [{"seconds": float(m.group(1))}] if m else []


def run_sample(env: dict, say=print) -> None:
    from etl.sample import build_sample_warehouse
    from core.settings import load_settings
    tmp = Path(tempfile.mkdtemp(prefix="pwp-bench-"))
    db = tmp / "warehouse.duckdb"
    build_sample_warehouse(load_settings(env={}, warehouse=str(db)))
    res = {"pages": measure_pages(db, say), "report": measure_report(db, say), "memory": measure_memory(db, say)}
    write_targets("## Targets on the sample warehouse (issue 7)", env, "python -m bench.run --scale sample",
                  "The sample warehouse (`etl.sample`), built in a temporary directory.", res)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["national", "sample", "growth", "all"], default="all")
    parser.add_argument("--_page")
    parser.add_argument("--_memory", action="store_true")
    parser.add_argument("--_report", action="store_true")
    parser.add_argument("--_load")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--db")
    parser.add_argument("--team")
    parser.add_argument("--warm-runs", type=int, default=WARM_RUNS)
    args = parser.parse_args()
    if args._page:
        print(json.dumps(_page_worker(args._page, args.db, args.team, args.warm_runs, args.cprofile), default=str))
        return 0
    if args._report:
        print(json.dumps(_report_worker(args.db, REPORT_QUARTER), default=str))
        return 0
    if args._load:
        print(json.dumps(_load_worker(args._load), default=str))
        return 0
    if args._memory:
        print(json.dumps(_memory_worker(args.db, args.team), default=str))
        return 0
    env = environment()
    say = lambda m: print(m, flush=True)
    national_row = None
    if args.scale in ("national", "all"):
        national_row = run_national(env, say)
    if args.scale == "sample":
        run_sample(env, say)
    if args.scale in ("growth", "all"):
        say("growth series…")
        if national_row is None and (DATA_DIR / "national_results.json").exists():
            saved = json.loads((DATA_DIR / "national_results.json").read_text())
            national_row = {"factor": "national", "plans": saved["plans"], "forms": saved["forms"],
                            "pages": saved["res"]["pages"], "load_s": sum(t["seconds"] for t in _national_build_timings()),
                            "loads": []}
        write_growth(env, growth(say), national_row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
