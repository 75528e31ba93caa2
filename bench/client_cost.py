"""Issues 22 and 23: what a page costs the BROWSER to draw (Chromium's main-thread CPU per page view).

    python -m bench.client_cost                                  # this checkout, sample warehouse, 3 rounds
    python -m bench.client_cost --before /work/wt/h22c-base      # and another checkout's code, rounds alternating
    python -m bench.client_cost --rounds 1 --profile /tmp/cpu    # also a JS CPU profile per page view (.cpuprofile)
    python -m bench.client_cost --rounds 2 --people 10 --before /work/wt/base   # and 10 people at once, each round

With many people on 2 cores the page time is the browsers queueing for a CPU, not the server (bench/RESULTS.md,
"Many people at once"): each page view costs Chromium's renderer main thread the React render of Streamlit's
elements, plotly.js drawing SVG, data grids, style and layout. Wall time on a shared machine swings with its load;
the CPU the renderer's main thread spent is much steadier, so that is the figure here.

One `streamlit run dashboard.py` per checkout (bench.concurrency.Server: local sign-in, the sample warehouse built
once and copied for each), one headless Chromium (this script and it at the lowest priority). Each round, for each
checkout: a fresh browser context opens the dashboard (the Overview as a first view: nothing cached) and clicks
through Co-production, Review timeliness, Plan quality and the Overview in the sidebar menu, twice (each page's first
visit in the tab compiles its code, e.g. plotly.js; the second pass is a person clicking on); then a returning
context (Streamlit's static files in its HTTP cache) opens the Overview in a new tab. For each page view, from the
Chrome DevTools Protocol (`Performance.getMetrics`, differences over the view): TaskDuration (all the main thread's
tasks), ScriptDuration (JavaScript), LayoutDuration, RecalcStyleDuration; and once the page is settled
(bench/settled.py): its DOM nodes, plotly charts, data grids (st.dataframe), and the bytes of the websocket messages
the server sent for the view. Medians over the rounds; the 1-minute load average at the start and end is printed
beside them. The wall time (as bench.concurrency times it) is printed too, for information.

A second table has ALL of Chromium's CPU per view (bench/chromium_cpu.py: the renderer's main thread and its other
threads, the GPU process compositing in software, the browser process, network and storage utilities), the CPU per
second the settled page still costs (`idle`: an animation that never stops shows here), and the Playwright driver's
(the benchmark's own). With `--people K`, each round also runs K fresh contexts at once, as bench.concurrency does
(open, the four pages, then the four again once all have): all of Chromium's CPU per view over each pass.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import environment  # noqa: E402
from bench import chromium_cpu  # noqa: E402
from bench.concurrency import PAGES, Server, click_to, launch, open_first, ready_selector, warehouse  # noqa: E402

ORDER = ["coproduction", "review_timeliness", "plan_quality", "overview"]
# A page's last element, in this code or in the code before issue 22/23's browser work (aaec88c: its tables were not
# folded, so their download buttons ended the Overview and Review timeliness), so --before can name that checkout.
READY = {key: ", ".join([ready_selector(key)] + [f".st-key-{old}" for old in earlier])
         for key, earlier in {"overview": ["headline_csv"], "coproduction": [], "review_timeliness": ["ood_list_csv"],
                              "plan_quality": []}.items()}
METRICS = {"TaskDuration": "task", "ScriptDuration": "script", "LayoutDuration": "layout",
           "RecalcStyleDuration": "style"}
VIEWPORT = {"width": 1400, "height": 1000}
# All of Chromium's CPU per view (bench/chromium_cpu.py), by process and thread: the columns of the second table.
PARTS = {"renderer main": ("renderer", "main"), "renderer compositor": ("renderer", "compositor"),
         "renderer io": ("renderer", "io"),
         "renderer thread pool": ("renderer", "thread pool"), "renderer other": ("renderer", None), "gpu main": ("gpu", "main"),
         "gpu viz compositor": ("gpu", "viz compositor"), "gpu other": ("gpu", None),
         "browser": ("browser", None), "utilities": ("utility", None)}
IDLE_S = 2.0        # after each view: what the settled page costs while the person reads it
# What a settled page holds: every element (the whole document: sidebar, dialogs), plotly charts and their SVG
# elements, data grids (a canvas each), expanders and tabs.
COUNTS = """() => ({
    nodes: document.getElementsByTagName('*').length,
    charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    svg: [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg')].reduce(
        (n, s) => n + s.getElementsByTagName('*').length, 0),
    grids: document.querySelectorAll('[data-testid="stDataFrame"]').length,
    tables: document.querySelectorAll('[data-testid="stTable"]').length,
    expanders: document.querySelectorAll('[data-testid="stExpander"]').length,
})"""


class Probe:
    """One tab: its CDP session (the renderer's metrics) and the websocket bytes it has received."""

    def __init__(self, page, cdp, profile: Path | None):
        self.page, self.cdp, self.profile, self.received = page, cdp, profile, 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.received += len(payload)

    @classmethod
    async def open(cls, context, profile: Path | None = None) -> "Probe":
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        if profile:
            await cdp.send("Profiler.enable")
        return cls(page, cdp, profile)

    async def metrics(self) -> dict:
        answer = await self.cdp.send("Performance.getMetrics")
        return {m["name"]: m["value"] for m in answer["metrics"]}

    async def view(self, name: str, action) -> dict:
        """Run `action` (a navigation or a click that ends when the page is settled); its cost."""
        before, received = await self.metrics(), self.received
        processes = chromium_cpu.snapshot()
        if self.profile:
            await self.cdp.send("Profiler.start")
        seconds = await action()
        if self.profile:
            answer = await self.cdp.send("Profiler.stop")
            self.profile.mkdir(parents=True, exist_ok=True)
            (self.profile / f"{name}.cpuprofile").write_text(json.dumps(answer["profile"]))
        after = await self.metrics()
        settled_processes = chromium_cpu.snapshot()
        await asyncio.sleep(IDLE_S)
        idle = chromium_cpu.difference(settled_processes, chromium_cpu.snapshot())
        row = {short: after.get(m, 0) - before.get(m, 0) for m, short in METRICS.items()}
        row.update(parts(chromium_cpu.difference(processes, settled_processes)))
        row["idle"] = chromium_cpu.chromium_total(idle) / IDLE_S
        row.update(await self.page.evaluate(COUNTS))
        row.update(wall=seconds, ws_kb=(self.received - received) / 1024)
        return row


def parts(spent: dict) -> dict:
    """A view's Chromium CPU: all of it, and by PARTS (a thread group of None = the process's threads not named
    before it)."""
    row = {"all": chromium_cpu.chromium_total(spent), "driver": spent.get(("playwright driver", "all"), 0.0)}
    named = {part for part in PARTS.values() if part[1]}
    for label, (kind, group) in PARTS.items():
        row[label] = sum(s for (k, g), s in spent.items()
                         if (k == kind or k.startswith(kind + " ")) and (g == group if group else (k, g) not in named))
    return row


async def one_round(browser, server: Server, returning, label: str, profile: Path | None) -> dict:
    """A fresh context: the Overview as a first view, the four pages (each one's first visit in this tab: its code
    is compiled, e.g. plotly.js on the first page with a chart), then the four again (the warm pass, as a person
    clicking on); then the returning context's first view."""
    views: dict[str, dict] = {}
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        probe = await Probe.open(context, profile / label if profile else None)
        views["Overview, first view"] = await probe.view(
            "first_view", lambda: open_first(probe.page, server.url, ready=READY["overview"]))
        for visit in ("first visit", "again"):
            for key in ORDER:
                views[f"{PAGES[key][0]}, {visit}"] = await probe.view(
                    f"{key}_{visit.replace(' ', '_')}", lambda key=key: click_to(probe.page, key, READY[key]))
    finally:
        await context.close()
    probe = await Probe.open(returning)
    try:
        views["Overview, first view (returning browser)"] = await probe.view(
            "returning", lambda: open_first(probe.page, server.url, ready=READY["overview"]))
    finally:
        await probe.page.close()
    return views


async def crowd_round(browser, server: Server, people: int) -> dict:
    """`people` fresh contexts at once, as bench.concurrency runs them: each opens the dashboard and clicks through
    the four pages (first visits), then, once all have, through the four again (the warm pass). All of Chromium's CPU
    (and the Playwright driver's) over each phase, per page view; and the wall time of the warm pass."""
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(people)]
    pages = [await c.new_page() for c in contexts]

    async def first(page):
        await open_first(page, server.url, ready=READY["overview"])
        for key in ORDER:
            await click_to(page, key, READY[key])

    async def again(page):
        return [await click_to(page, key, READY[key]) for key in ORDER]

    try:
        out = {}
        for phase, action, views in (("first pass", first, people * (1 + len(ORDER))),
                                     ("warm pass", again, people * len(ORDER))):
            before, t0 = chromium_cpu.snapshot(), time.perf_counter()
            walls = await asyncio.gather(*(action(page) for page in pages))
            out[phase] = {k: v / views for k, v in parts(chromium_cpu.difference(before, chromium_cpu.snapshot())).items()}
            out[phase]["elapsed"] = time.perf_counter() - t0
            if phase == "warm pass":
                out[phase]["wall"] = statistics.median(w for ws in walls for w in ws)
    finally:
        for c in contexts:
            await c.close()
    return out


def median_rows(rounds: list[dict]) -> dict:
    return {view: {k: statistics.median(r[view][k] for r in rounds) for k in rounds[0][view]}
            for view in rounds[0]}


def table(results: dict, load: tuple[float, float], checkouts: dict[str, Path]) -> list[str]:
    env = environment()
    code = ", ".join(f"{label} = `{root}`" for label, root in checkouts.items())
    lines = [f"Measured {env['date']} on {env['machine']}; {env['versions']}; this checkout at `{env['commit']}`"
             + (f" + uncommitted changes in {', '.join(env['dirty'])}" if env["dirty"] else "") + f" ({code}). "
             f"Medians of {len(next(iter(results.values()))['rounds'])} rounds; 1-minute load average "
             f"{load[0]:.2f} at the start, {load[1]:.2f} at the end.", "",
             "| page view | code | main thread CPU s | JS s | layout s | style s | DOM nodes | charts | chart SVG "
             "nodes | data grids | websocket KB | wall s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    views = list(next(iter(results.values()))["median"])
    for view in [v for v in views if "task" in next(iter(results.values()))["median"][v]]:
        for label, result in results.items():
            r = result["median"][view]
            lines.append(f"| {view} | {label} | {r['task']:.3f} | {r['script']:.3f} | {r['layout']:.3f} | "
                         f"{r['style']:.3f} | {r['nodes']:.0f} | {r['charts']:.0f} | {r['svg']:.0f} | "
                         f"{r['grids']:.0f} | {r['ws_kb']:.0f} | {r['wall']:.2f} |")
    lines += ["", "All of Chromium's CPU per view, s (bench/chromium_cpu.py: every process and thread; `idle` = CPU s per "
              f"s in the {IDLE_S:.0f} s after the page settled; `driver` = the Playwright driver, the benchmark's own):",
              "", "| page view | code | all Chromium | " + " | ".join(PARTS) + " | idle / s | driver |",
              "|---|---|" + "---:|" * (len(PARTS) + 3)]
    for view in views:
        for label, result in results.items():
            r = result["median"][view]
            idle = f"{r['idle']:.3f}" if "idle" in r else f"(wall p50 {r['wall']:.2f} s)" if "wall" in r else ""
            lines.append(f"| {view} | {label} | {r['all']:.3f} | " + " | ".join(f"{r[p]:.3f}" for p in PARTS)
                         + f" | {idle} | {r['driver']:.3f} |")
    return lines


async def run(checkouts: dict[str, Path], rounds: int, profile: Path | None, say, people: int = 0) -> tuple[dict, tuple]:
    from playwright.async_api import async_playwright
    folder = Path(tempfile.mkdtemp(prefix="pwp-client-cost-"))
    built = warehouse("sample", folder, say)
    servers = {}
    load0 = os.getloadavg()[0]
    try:
        for label, root in checkouts.items():
            own = folder / label
            own.mkdir()
            shutil.copyfile(built, own / "warehouse.duckdb")
            servers[label] = Server(own / "warehouse.duckdb", own, root=root)
        os.nice(19)
        results = {label: {"rounds": []} for label in checkouts}
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            returning = {}
            for label, server in servers.items():      # warm each server's caches and each returning context
                returning[label] = await browser.new_context(viewport=VIEWPORT)
                await one_round(browser, server, returning[label], label, None)
            for r in range(rounds):
                for label, server in servers.items():
                    views = await one_round(browser, server, returning[label], f"{label}-{r + 1}", profile)
                    if people:
                        crowd = await crowd_round(browser, server, people)
                        views.update({f"{people} people, {phase}, per view": row for phase, row in crowd.items()})
                    results[label]["rounds"].append(views)
                    say(f"round {r + 1} {label}: " + ", ".join(f"{v} {m.get('task', m['all']):.2f} s"
                                                              for v, m in views.items()))
            await browser.close()
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    for result in results.values():
        result["median"] = median_rows(result["rounds"])
    return results, (load0, os.getloadavg()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout (e.g. a worktree of main) measured alongside")
    parser.add_argument("--profile", type=Path, help="write a JavaScript CPU profile of each page view here")
    parser.add_argument("--people", type=int, default=0,
                        help="also, each round, this many people at once (all of Chromium's CPU per view)")
    args = parser.parse_args()
    checkouts = {"before": args.before.resolve()} if args.before else {}
    checkouts["this"] = ROOT
    say = lambda m: print(m, file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    results, load = asyncio.run(run(checkouts, args.rounds, args.profile, say, args.people))
    say(f"done in {time.perf_counter() - t0:.0f} s")
    print("\n".join(table(results, load, checkouts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
