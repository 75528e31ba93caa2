"""Issue 23: many people at once, in a real browser, against ONE `streamlit run dashboard.py` process.

    python -m bench.concurrency --scale sample                 # K = 1, 5, 10, 20 people, 3 rounds each
    python -m bench.concurrency --scale national               # bench/data/national.duckdb (copy it there first)
    python -m bench.concurrency --scale sample --people 10 --rounds 2 --no-write --profile /tmp/prof.txt

One server process (local sign-in, as the browser tests use: everyone is the admin, so the server's caches are
shared between people as they are between any people with the same scope). Then, for each K, K people in ONE
headless Chromium (a browser context each, run at the lowest CPU priority with this script's own Playwright driver),
each opening the dashboard and clicking through the four main pages in the sidebar menu back to back for N rounds.

Page time = from the click (or the navigation) until the page's last element is there, Streamlit says the script is
not running, no element is stale, every chart has drawn its SVG, and nothing on the page changes (the time of the
last change is taken, so the quiet spell used to detect it is not counted). A failure is an exception box or a
page not drawn in TIMEOUT_S. Server CPU = utime + stime of the server process (/proc/PID/stat) over the page views:
round 1 (each person's first visit of each page: new sessions) and rounds 2.. ("once the people's caches are warm").
Chromium CPU = the same, summed over every Chromium process and thread (bench/chromium_cpu.py: renderers, GPU
process, browser process, utilities), per page view: what the people's browsers queue for on the same cores.

Also: the first page view after a server start (Overview drawn), by a person who comes as soon as the server answers
its health check (a fresh browser), and after a restart on the same address by one who comes once the server's
start-up warm-up is done (a fresh browser, and a returning one); the server's own time from its launch to that
warm-up done (the line its log writes, app/data.py WARMED: robust to a busy machine); and after a load (`python -m
etl load` of a small export into the warehouse while the server runs -> Overview drawn), in a fresh browser context
(nothing cached) and in a returning one (Streamlit's static files in the HTTP cache).
Results go to bench/RESULTS.md, section "Many people at once (issue 23)" (one sub-table per scale).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import chromium_cpu  # noqa: E402
from bench.run import RESULTS, environment  # noqa: E402
from bench.settled import SETTLED  # noqa: E402

HEADING = "## Many people at once (issue 23)"
PAGES = {  # key: (menu title, h1, an element near the page's end: once it is there, the whole page was sent)
    "overview": ("Overview", "Overview", "headline_table"),
    "coproduction": ("Co-production", "Co-production", "comments_team"),
    "review_timeliness": ("Review timeliness", "Review timeliness", "ood_list_table"),
    "plan_quality": ("Plan quality", "Plan quality", "drill_verdict"),
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_S = 90
QUIET_MS = 500
TARGETS = {"p95_10": 3.0, "cpu_warm": 0.1, "first_view": 2.0}
NATIONAL = ROOT / "bench" / "data" / "national.duckdb"
EXCEPTION = '[data-testid="stException"]'


# ------------------------------------------------------------------ the server

def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, db: Path, folder: Path, profile: Path | None = None, port: int | None = None,
                 root: Path = ROOT):
        """`root`: the checkout whose dashboard.py runs (another worktree's, to measure its code against this one)."""
        self.db, self.folder, self.port = db, folder, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PWP_WAREHOUSE": str(db), "PWP_AUDIT_LOG": str(folder / "audit.sqlite"),
               "PWP_FOLLOW_UP_STORE": str(folder / "follow_up.sqlite"), "PWP_AUTH_MODE": "local",
               "PWP_SAMPLE_ON_FIRST_START": "no"}
        if profile:     # a sampling profiler inside the server (bench/_sampler/sitecustomize.py)
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench" / "_sampler"), env.get("PYTHONPATH", "")])
            env["PWP_BENCH_PROFILE"] = str(profile)
        self.log_path = folder / f"server-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.started, self.launched = time.perf_counter(), time.time()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
             f"--server.port={self.port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"],
            cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(folder / f'server-{self.port}.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start in 60 s")
            time.sleep(0.05)
        self.healthy = time.perf_counter()

    def warmed_up(self, timeout: float = 60) -> float | None:
        """Seconds from launching the server to the first warm-up done, from its log's timestamps; None if its log
        says nothing of one in `timeout` s (code from before the warm-up at start)."""
        from app.data import WARMED
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            for line in self.log_path.read_text(errors="replace").splitlines():
                if WARMED in line:
                    stamp = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3})", line)
                    if stamp:
                        at = time.mktime(time.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S"))
                        return at + int(stamp.group(2)) / 1000 - self.launched
            time.sleep(0.1)
        return None

    def cpu(self) -> float:
        """Seconds of CPU the server process has used (all its threads: Tornado, script runs, DuckDB)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# ------------------------------------------------------------------ people

class Failure(Exception):
    pass


async def settled(page, since_ms: float | None = None) -> float:
    """Wait until the page is drawn and idle; the performance.now() of its last change."""
    handle = await page.wait_for_function(SETTLED, arg=QUIET_MS, polling=50, timeout=TIMEOUT_S * 1000)
    return float(await handle.json_value())


async def check(page, key: str) -> None:
    if await page.locator(EXCEPTION).count():
        text = (await page.locator(EXCEPTION).first.text_content() or "")[:200]
        raise Failure(f"exception box on {key}: {text}")
    title = ((await page.locator("h1").first.text_content()) or "").strip()
    if title != PAGES[key][1]:
        raise Failure(f"{key}: the title is {title!r}")


def ready_selector(key: str) -> str:
    return f".st-key-{PAGES[key][2]}"


async def open_first(page, url: str, key: str = "overview", ready: str | None = None) -> float:
    """Navigate to the dashboard; seconds until its first page is drawn (wall clock from the navigation). `ready`: a
    selector for the page's last element, if not ready_selector(key)."""
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    await page.wait_for_selector(ready or ready_selector(key), state="attached", timeout=TIMEOUT_S * 1000)
    last_change = await settled(page)
    await check(page, key)
    # the page's clock starts when its navigation starts: exact, whatever this script was doing meanwhile
    return last_change / 1000


async def click_to(page, key: str, ready: str | None = None) -> float:
    """Click the page in the sidebar menu; seconds until it is drawn and idle."""
    title = PAGES[key][0]
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title)
    t0 = await page.evaluate("() => performance.now()")
    await link.click(timeout=TIMEOUT_S * 1000)
    await page.wait_for_selector(ready or ready_selector(key), state="attached", timeout=TIMEOUT_S * 1000)
    last_change = await settled(page)
    await check(page, key)
    return (last_change - t0) / 1000


async def person(browser, url: str, rounds: int, record: list, failures: list, marks: dict, who: int) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        try:
            seconds = await open_first(page, url)
            record.append((1, who, "overview(open)", seconds))
        except Exception as exc:   # noqa: BLE001  a failure is a figure of the run
            failures.append((who, "open", f"{type(exc).__name__}: {str(exc)[:160]}"))
            return
        order = ["coproduction", "review_timeliness", "plan_quality", "overview"]
        for r in range(1, rounds + 1):
            if r == 2:
                marks.setdefault("round1_done", []).append(time.perf_counter())
                await marks["round2"].wait()      # everyone's round 1 is over: the warm pass starts together
            for key in order:
                try:
                    record.append((r, who, key, await click_to(page, key)))
                except Exception as exc:   # noqa: BLE001
                    failures.append((who, key, f"{type(exc).__name__}: {str(exc)[:160]}"))
                    await page.goto(url, wait_until="commit")
                    try:
                        await settled(page)
                    except Exception:   # noqa: BLE001
                        pass
    finally:
        if "chromium" in marks:     # this person's renderer ends with its context: its CPU so far, for crowd()
            marks["chromium"] = chromium_cpu.merged(marks["chromium"], chromium_cpu.snapshot())
        await context.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


async def crowd(browser, server: Server, k: int, rounds: int) -> dict:
    record, failures = [], []
    marks = {"round2": asyncio.Event()}
    cpu0, load0 = server.cpu(), os.getloadavg()[0]
    browser0 = chromium_cpu.snapshot()      # all of Chromium's CPU too (every process), and the Playwright driver's
    marks["chromium"] = browser0      # renderers end with their context: each person() adds its last figures
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(person(browser, server.url, rounds, record, failures, marks, i)) for i in range(k)]
    cpu1 = None
    while not all(t.done() for t in tasks):
        waiting = len(marks.get("round1_done", []))
        finished_early = sum(1 for t in tasks if t.done())
        if cpu1 is None and waiting + finished_early >= k:
            marks["chromium"] = chromium_cpu.merged(marks["chromium"], chromium_cpu.snapshot())
            cpu1, views1, browser1 = server.cpu(), len(record), marks["chromium"]
            marks["round2"].set()
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    cpu2, browser2 = server.cpu(), chromium_cpu.merged(marks["chromium"], chromium_cpu.snapshot())
    if cpu1 is None:
        cpu1, views1, browser1 = cpu2, len(record), browser2
    first_spent, warm_spent = chromium_cpu.difference(browser0, browser1), chromium_cpu.difference(browser1, browser2)
    times = [s for _, _, _, s in record]
    warm = [s for r, _, _, s in record if r >= 2]
    first = [s for r, _, _, s in record if r == 1]
    return {"people": k, "rounds": rounds, "views": len(record), "failures": failures, "load": load0,
            "p50": pct(times, .5), "p95": pct(times, .95), "max": max(times) if times else float("nan"),
            "first_p95": pct(first, .95), "warm_p50": pct(warm, .5), "warm_p95": pct(warm, .95),
            "cpu_first": (cpu1 - cpu0) / max(views1, 1), "cpu_warm": (cpu2 - cpu1) / max(len(record) - views1, 1),
            "browser_first": chromium_cpu.chromium_total(first_spent) / max(views1, 1),
            "browser_warm": chromium_cpu.chromium_total(warm_spent) / max(len(record) - views1, 1),
            "driver": (first_spent.get(("playwright driver", "all"), 0) + warm_spent.get(("playwright driver", "all"), 0))
            / max(len(record), 1), "elapsed": elapsed}


async def launch(playwright):
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def first_views(playwright, server: Server, returning_context) -> dict:
    """One fresh context (nothing cached) and the returning one (static files cached): Overview drawn, seconds."""
    browser = await launch(playwright)
    try:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        fresh = await open_first(page, server.url)
        await context.close()
    finally:
        await browser.close()
    page = await returning_context.new_page()
    returning = await open_first(page, server.url)
    await page.close()
    return {"fresh": fresh, "returning": returning}


# ------------------------------------------------------------------ the run

def small_export(folder: Path) -> Path:
    """A small plan export (50 new young people in one team), as a council's monthly top-up might be."""
    path = folder / f"top_up_{int(time.time())}.csv"
    rows = ["person_id,team,plan_date"] + [f"BENCH{int(time.time())}-{i},North Leaving Care,01/10/2026"
                                           for i in range(50)]
    path.write_text("\n".join(rows) + "\n")
    return path


def warehouse(scale: str, folder: Path, say) -> Path:
    db = folder / "warehouse.duckdb"
    if scale == "sample":
        from core.settings import load_settings
        from etl.sample import build_sample_warehouse
        say("building the sample warehouse…")
        build_sample_warehouse(load_settings(env={}, warehouse=str(db)))
    else:
        if not NATIONAL.exists():
            raise SystemExit(f"{NATIONAL} is missing: copy the lead's national warehouse there first")
        say("copying the national warehouse…")
        shutil.copyfile(NATIONAL, db)
        os.chmod(db, 0o444)
    return db


async def run(scale: str, people: list[int], rounds: int, profile: Path | None, say) -> dict:
    from playwright.async_api import async_playwright
    folder = Path(tempfile.mkdtemp(prefix="pwp-concurrency-"))
    db = warehouse(scale, folder, say)
    out = {"scale": scale, "crowds": [], "first": {}}
    server = Server(db, folder, profile)
    os.nice(19)      # this script, its Playwright driver and Chromium (started below) at the lowest priority
    try:
        async with async_playwright() as playwright:
            # after a start: the server process is new (nothing cached); a fresh browser
            browser = await launch(playwright)
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            t0 = time.perf_counter()
            seconds = await open_first(page, server.url)
            out["first"]["restart_fresh"] = seconds
            out["first"]["restart_wall"] = time.perf_counter() - server.started
            out["first"]["restart_from_healthy"] = time.perf_counter() - server.healthy
            say(f"first view after a start: {seconds:.2f} s in the page "
                f"({time.perf_counter() - server.started:.1f} s from launching the server)")
            await page.close()
            await browser.close()
            out["first"]["restart_warm_up_s"] = server.warmed_up()
            say(f"the server's warm-up was done {out['first']['restart_warm_up_s'] or float('nan'):.2f} s "
                "after its launch")
            browser = await launch(playwright)
            returning = await browser.new_context(viewport={"width": 1400, "height": 1000})
            warmup = await returning.new_page()
            await open_first(warmup, server.url)       # this context has now visited once: its HTTP cache is full
            await warmup.close()
            for k in people:
                say(f"{k} people × {rounds} rounds…")
                result = await crowd(browser, server, k, rounds)
                say(f"  p50 {result['p50']:.2f} s, p95 {result['p95']:.2f} s, max {result['max']:.2f} s, "
                    f"failures {len(result['failures'])}, CPU/view {result['cpu_first']:.3f} s first, "
                    f"{result['cpu_warm']:.3f} s warm; Chromium CPU/view {result['browser_first']:.3f} s first, "
                    f"{result['browser_warm']:.3f} s warm (load {result['load']:.2f})")
                for f in result["failures"][:5]:
                    say(f"  failure: {f}")
                out["crowds"].append(result)
            # after a load through the real loader, while the server runs
            export = small_export(folder)
            t_load = time.perf_counter()
            loaded = subprocess.run([sys.executable, "-m", "etl", "load", str(export), "--db", str(db)], cwd=ROOT,
                                    env={**os.environ, "PWP_WAREHOUSE": str(db)}, capture_output=True, text=True)
            if loaded.returncode:
                raise RuntimeError(f"the load failed: {loaded.stderr[-1500:]}")
            out["first"]["load_s"] = time.perf_counter() - t_load
            await asyncio.sleep(2)        # a person opens the dashboard a moment after the load, not in the same ms
            views = await first_views(playwright, server, returning)
            out["first"]["load_fresh"], out["first"]["load_returning"] = views["fresh"], views["returning"]
            say(f"first view after a load: fresh browser {views['fresh']:.2f} s, returning {views['returning']:.2f} s")
            # Restarts on the same address, the person coming once the server's start-up warm-up is done (after
            # 60 s, for code without one): each time the first visitor of the new server process, in the
            # returning browser (what the target means, as after a load), then, after another restart, in a fresh one.
            for kind in ("returning", "fresh"):
                server.stop()
                server = Server(db, folder, profile, port=server.port)
                warmed = server.warmed_up()
                if kind == "returning":
                    page = await returning.new_page()
                    seconds = await open_first(page, server.url)
                    await page.close()
                else:
                    fresh = await launch(playwright)
                    page = await (await fresh.new_context(viewport={"width": 1400, "height": 1000})).new_page()
                    seconds = await open_first(page, server.url)
                    await fresh.close()
                out["first"][f"restart_warm_{kind}"] = seconds
                say(f"first view after a restart, once warmed up ({warmed or float('nan'):.2f} s after the launch), "
                    f"{kind} browser: {seconds:.2f} s")
            await browser.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    out["load_after"] = os.getloadavg()[0]
    return out


# ------------------------------------------------------------------ RESULTS.md

def section(scale: str, out: dict, env: dict, command: str) -> list[str]:
    lines = [f"### {scale.capitalize()} warehouse", "",
             f"Measured {env['date']} on {env['machine']}; {env['versions']}; code at `{env['commit']}`"
             + (f" + uncommitted changes in {', '.join(env['dirty'])}" if env["dirty"] else "")
             + f". Produced by `{command}`.", "",
             "| people | page views | failures | p50 s | p95 s | max s | first visits p95 s | warm p95 s | "
             "server CPU / view, first visits | server CPU / view, warm | Chromium CPU / view, first visits | "
             "Chromium CPU / view, warm | load avg |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in out["crowds"]:
        lines.append(f"| {c['people']} | {c['views']} | {len(c['failures'])} | {c['p50']:.2f} | {c['p95']:.2f} | "
                     f"{c['max']:.2f} | {c['first_p95']:.2f} | {c['warm_p95']:.2f} | {c['cpu_first']:.3f} | "
                     f"{c['cpu_warm']:.3f} | {c['browser_first']:.2f} | {c['browser_warm']:.2f} | {c['load']:.2f} |")
    f = out["first"]
    warm_up = f"{f['restart_warm_up_s']:.2f} s" if f.get("restart_warm_up_s") is not None else "none in its log"
    lines += ["", f"First page view (Overview drawn) after a server start: {f['restart_fresh']:.2f} s in a fresh "
                  f"browser opened as soon as the server answered its health check ({f['restart_from_healthy']:.2f} s "
                  f"from that answer and {f['restart_wall']:.1f} s from launching the server, starting Chromium "
                  f"included). Restarted on the same address, a person coming once its start-up warm-up was done "
                  f"(launch to warm-up done: {warm_up}): {f['restart_warm_returning']:.2f} s in a returning browser, "
                  f"{f['restart_warm_fresh']:.2f} s in a fresh one (each the first visitor of its server process). "
                  f"After a load through the real loader "
                  f"(`python -m etl load`, 50 rows, {f['load_s']:.1f} s) while the server ran: "
                  f"{f['load_fresh']:.2f} s in a fresh browser, {f['load_returning']:.2f} s in a returning one "
                  f"(Streamlit's static files in its HTTP cache). Load average after the run: {out['load_after']:.2f}.", ""]
    for c in out["crowds"]:
        for who, key, why in c["failures"][:3]:
            lines.append(f"- failure ({c['people']} people): person {who}, {key}: {' '.join(why.split())}")
    return lines


def write(scale: str, out: dict, env: dict, command: str) -> None:
    text = RESULTS.read_text()
    sub = f"### {scale.capitalize()} warehouse"
    block = "\n".join(section(scale, out, env, command)).rstrip("\n") + "\n"
    if HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n\n<!-- measured sections below are written by bench/concurrency.py -->\n"
    head, _, tail = text.partition(HEADING)
    pattern = re.compile(re.escape(sub) + r"\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if pattern.search(tail):
        tail = pattern.sub(lambda _: block + "\n", tail, count=1)
    else:
        nxt = re.search(r"^## ", tail, re.M)
        cut = nxt.start() if nxt else len(tail)
        tail = tail[:cut].rstrip("\n") + "\n\n" + block + "\n" + tail[cut:]
    RESULTS.write_text(head + HEADING + tail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["sample", "national"], default="sample")
    parser.add_argument("--people", default="1,5,10,20", help="comma-separated K values")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write the server's sampled stacks here (collapsed)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    env = environment()
    say = lambda m: print(m, flush=True)
    out = asyncio.run(run(args.scale, [int(k) for k in args.people.split(",")], args.rounds, args.profile, say))
    print(json.dumps(out, default=str, indent=1))
    if not args.no_write:
        command = "python -m bench.concurrency " + " ".join(sys.argv[1:])
        write(args.scale, out, env, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
