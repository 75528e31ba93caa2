"""End to end in a real browser: `streamlit run dashboard.py` on a free local port, driven through Debian's
Chromium with Playwright, as a person would use it (local mode: one admin on this computer).

Every page opens with no exception and shows its charts; filters change the figures; an export uploaded on
the Data loads page appears in the charts; the panel report's PDF and XLSX download and open; axe-core finds
no serious or critical accessibility problem; red / amber / green (and every other series a chart tells
apart by colour) can be told apart without colour. Screenshots of every page go to
test-artifacts/screenshots/, downloads to test-artifacts/downloads/.

Marked `browser`: `python -m pytest -m "not browser"` skips them.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import playwright.sync_api as sync_api   # a requirement: missing, these tests must fail, not skip
import pytest

from tests.helpers import browser as bs
from app import access
from tests.helpers import write_csv

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 90_000

# Every page, with what shows that it drew its figures: (url path, title, plotly charts at least, metrics at
# least, and an element near its end, by widget key: once that is there, the whole page has been sent).
PAGES = {
    "overview": ("", "Overview", 0, 8, "headline_table"),
    "coproduction": ("coproduction", "Co-production", 4, 0, "comments_team"),
    "review_timeliness": ("review_timeliness", "Review timeliness", 4, 3, "ood_list_table"),
    "plan_quality": ("plan_quality", "Plan quality", 3, 0, "drill_verdict"),
    "outcomes": ("outcomes", "Care leavers' outcomes", 4, 3, "trend_table"),
    "panel_report": ("panel_report", "Corporate parenting panel report", 3, 0, "panel_quality_chart"),
    "invitations": ("invitations", "Online form links", 0, 0, "invite_button"),
    "follow_up": ("follow_up", "Follow-up of red and amber answers", 0, 0, "fu_note"),
    "find_young_person": ("find_young_person", "Find a young person", 0, 0, "find_button"),
    "data_loads": ("data_loads", "Data loads", 0, 0, "upload_files"),
    "audit_log": ("audit_log", "Audit log", 0, 0, "audit_csv"),
}
SERIOUS = ("serious", "critical")


# ------------------------------------------------------------------------------------------ fixtures

def _copy(warehouse: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


def _server_env(warehouse: Path, folder: Path) -> dict[str, str]:
    return {"PWP_WAREHOUSE": str(warehouse), "PWP_AUDIT_LOG": str(folder / "audit.sqlite"),
            "PWP_AUTH_MODE": "local", "PWP_SAMPLE_ON_FIRST_START": "no"}


@pytest.fixture(scope="module")
def server(sample_warehouse, tmp_path_factory):
    """The dashboard on a copy of the sample warehouse, for the tests that only read."""
    folder = tmp_path_factory.mktemp("browser")
    db = _copy(sample_warehouse, folder)
    with bs.streamlit_server(_server_env(db, folder), bs.ARTIFACTS / "logs" / "streamlit.log") as running:
        yield running


@pytest.fixture(scope="module")
def loading_server(sample_warehouse, tmp_path_factory):
    """A second dashboard on its own copy, for the test that loads an export into it."""
    folder = tmp_path_factory.mktemp("browser_load")
    db = _copy(sample_warehouse, folder)
    with bs.streamlit_server(_server_env(db, folder), bs.ARTIFACTS / "logs" / "streamlit_load.log") as running:
        running.db = db
        yield running


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = bs.launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser session (its own Streamlit session state) per test."""
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def visited(chromium, server):
    """Each page opened once, in a tab of its own, for the tests that only look at it (opening a page is
    the slow part): visited("coproduction") -> the Playwright page, drawn."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    tabs = {}

    def tab(key: str):
        if key not in tabs:
            tabs[key] = context.new_page()
            open_app_page(tabs[key], server, key)
        return tabs[key]

    yield tab
    context.close()


# ------------------------------------------------------------------------------------------ helpers

def open_app_page(page, server, key: str) -> None:
    path, title, _, _, last = PAGES[key]
    try:
        bs.open_page(page, f"{server.url}/{path}", TIMEOUT_MS, ready=f".st-key-{last}")
    except Exception:
        bs.screenshot(page, f"failed_{key}")
        raise AssertionError(f"{key} did not finish drawing; server log:\n{server.log_tail()}")
    assert page.locator("h1").first.text_content().strip() == title


def open_from_menu(page, key: str) -> None:
    """Click the page's link in the sidebar menu (same session, as a person moves around) and wait for it."""
    title, last = PAGES[key][1], PAGES[key][4]
    page.locator(bs.NAV_LINKS).filter(has_text=access.PAGES[key].title).click()
    page.wait_for_selector(f".st-key-{last}", state="attached", timeout=TIMEOUT_MS)
    bs.wait_until_idle(page, TIMEOUT_MS)
    assert page.locator("h1").first.text_content().strip() == title


def no_exception(page, server) -> None:
    errors = page.locator(bs.EXCEPTION)
    assert errors.count() == 0, f"{errors.first.text_content()}\nserver log:\n{server.log_tail()}"


def charts_on(page):
    return page.locator('[data-testid="stPlotlyChart"]')


def chart_titled(page, words: str):
    """The plotly chart whose title contains these words (its graph div, which holds the figure)."""
    found = page.locator(bs.PLOTLY).filter(has=page.locator(".gtitle", has_text=words))
    sync_api.expect(found, f"one chart titled '{words}'").to_have_count(1, timeout=TIMEOUT_MS)
    return found.first


def chart_title(chart) -> str:
    return chart.evaluate("gd => (gd.querySelector('.gtitle') || {}).textContent || ''")


def figure_data(chart) -> list[dict]:
    """The traces as plotly drew them (after defaults), reduced to what a reader sees."""
    return chart.evaluate("""gd => gd._fullData.map(t => ({
        type: t.type, name: t.name, visible: t.visible,
        x: Array.from(t.x || []).map(String), y: Array.from(t.y || []).map(String),
        text: Array.isArray(t.text) ? t.text.map(String) : (t.text == null ? [] : [String(t.text)]),
        pattern: (t.marker && t.marker.pattern && t.marker.pattern.shape) || '',
        symbol: (t.marker && t.marker.symbol) || '', mode: t.mode || '',
        texttemplate: t.texttemplate || ''}))""")


def metric_values(page) -> dict[str, str]:
    values = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').text_content().strip()
        values[label] = metric.locator('[data-testid="stMetricValue"]').text_content().strip()
    return values


def pick_in_multiselect(page, key: str) -> str:
    """Open a multiselect (by its widget key), choose its first option, close it; returns the choice."""
    bs.wait_until_idle(page, TIMEOUT_MS)       # a rerun still drawing would close the list as it opens
    options = page.locator('[role="option"]').filter(has_not_text="Select all")
    for attempt in range(3):
        page.locator(f".st-key-{key} input").click()
        try:
            options.first.wait_for(timeout=10_000)
            break
        except sync_api.TimeoutError:
            page.keyboard.press("Escape")
            bs.wait_until_idle(page, TIMEOUT_MS)
    options.first.wait_for()
    choice = options.first.text_content().strip()
    options.first.click()
    page.keyboard.press("Escape")
    bs.wait_until_idle(page, TIMEOUT_MS)
    return choice


# ------------------------------------------------------------------------------------------ every page

def test_the_menu_holds_every_page_and_each_has_a_test(page, server):
    open_app_page(page, server, "overview")
    links = page.locator(bs.NAV_LINKS)
    titles = [link.inner_text().split("\n")[-1].strip() for link in links.all()]   # the line after the icon
    assert titles == [rule.title for rule in access.PAGES.values()]
    assert set(PAGES) == set(access.PAGES), "a page was added or removed: keep PAGES in this file in step"
    # A person moves between pages with the menu: Co-production opens in the same session.
    open_from_menu(page, "coproduction")
    assert page.url.rstrip("/").endswith("/coproduction")
    no_exception(page, server)


@pytest.mark.parametrize("key", list(PAGES))
def test_every_page_opens_without_an_exception_and_shows_its_charts(visited, server, key):
    _, _, min_charts, min_metrics, _ = PAGES[key]
    page = visited(key)
    bs.screenshot(page, key)
    no_exception(page, server)
    charts = page.locator(bs.PLOTLY)
    assert charts.count() >= min_charts
    for chart in charts.all():
        # Drawn (an SVG with at least one trace) and titled in plain English.
        assert chart.locator(".main-svg").count() >= 1
        assert chart.evaluate("gd => gd._fullData.length") >= 1
        if key != "panel_report":   # the panel report's charts are titled by the subheading above them
            assert len(chart_title(chart)) > 10
    assert page.locator('[data-testid="stMetric"]').count() >= min_metrics
    if key == "data_loads":
        assert page.locator('[data-testid="stFileUploader"]').count() == 1
    if key == "audit_log":   # the other tests' visits are in it
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1 or page.get_by_text("Nothing logged yet").count()


# ------------------------------------------------------------------------------------------ issue 22

def test_the_dashboard_as_a_person_sees_it(page, server):
    """Typed addresses open their page with no "Page not found"; no Deploy menu; the last complete quarter by
    default; card figures never cut off; heat-map text readable; a young person found by their case ID (the box
    empty again afterwards). Screenshots: issue22_*.png."""
    from core import calendar as rules
    bs.open_page(page, f"{server.url}/overview", TIMEOUT_MS, ready=".st-key-headline_table")
    assert page.locator("h1").first.text_content().strip() == "Overview"
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    chosen = page.locator(".st-key-flt_quarters").inner_text()
    assert rules.shift_quarter(rules.financial_quarter(__import__("datetime").date.today()), -1) in chosen
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"] *'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
    assert cut == []
    bs.screenshot(page, "issue22_overview")
    bs.open_page(page, f"{server.url}/coproduction", TIMEOUT_MS, ready=".st-key-comments_team")
    assert page.get_by_text("Page not found").count() == 0
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot text'))
        .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize))""")
    assert sizes and min(sizes) >= 11, sorted(sizes)[:5]
    bs.screenshot(page, "issue22_coproduction")
    bs.open_page(page, f"{server.url}/review_timeliness", TIMEOUT_MS, ready=".st-key-ood_list_table")
    bs.screenshot(page, "issue22_worklist")
    bs.open_page(page, f"{server.url}/find_young_person", TIMEOUT_MS, ready=".st-key-find_button")
    box = page.locator('[data-testid="stForm"] input')
    box.fill("yp100016")
    box.press("Enter")
    page.get_by_text("Found.").wait_for()
    bs.wait_until_idle(page, TIMEOUT_MS)
    assert box.input_value() == ""
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    no_exception(page, server)
    bs.screenshot(page, "issue22_find_young_person")


# ------------------------------------------------------------------------------------------ filters

def test_a_page_is_drawn_only_once_its_charts_code_has_loaded(page, server):
    """A chart page's first visit in a browser fetches plotly.js (4.7 MB); until it has come, Streamlit shows a
    placeholder, and nothing else on the page changes. On a busy machine that took longer than the quiet spell, and
    the wait for a drawn page (bench/settled.py, used by these tests and the benchmarks) ended with no chart in it.
    Here the chart code (an ES module) waits 2 s before it runs: the wait still ends with every chart drawn."""
    def held_back(route):
        response = route.fetch()
        route.fulfill(response=response, body="await new Promise(done => setTimeout(done, 2000));\n" + response.text())
    page.route("**/PlotlyChart.*.js", held_back)
    bs.open_page(page, f"{server.url}/coproduction", TIMEOUT_MS, ready=".st-key-comments_team")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() >= 2
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= charts.count()
    assert page.locator('[data-testid="stSkeleton"]').count() == 0


def test_choosing_a_team_changes_the_headline_figures(page, server):
    open_app_page(page, server, "overview")
    no_exception(page, server)
    before = metric_values(page)
    team = pick_in_multiselect(page, "flt_teams")
    no_exception(page, server)
    after = metric_values(page)
    assert before.keys() == after.keys()
    assert before["Reviews held"] != after["Reviews held"], (team, before, after)
    assert int(after["Reviews held"].rstrip("*").replace(",", "")) < int(before["Reviews held"].replace(",", ""))
    assert f"{team}" in page.locator('[data-testid="stSidebar"]').text_content()
    bs.screenshot(page, "overview_one_team")


def test_adding_a_quarter_changes_the_charts(page, server):
    open_app_page(page, server, "coproduction")
    no_exception(page, server)
    rag = figure_data(chart_titled(page, "Red, amber and green ratings"))
    heat = figure_data(chart_titled(page, "score by stage and team"))
    pick_in_multiselect(page, "flt_quarters")   # a second quarter: more ratings behind every bar
    no_exception(page, server)
    assert figure_data(chart_titled(page, "Red, amber and green ratings")) != rag
    assert figure_data(chart_titled(page, "score by stage and team")) != heat
    assert "Showing" in page.get_by_text("Showing").first.text_content()
    bs.screenshot(page, "coproduction_two_quarters")


# ------------------------------------------------------------------------------------------ data loads

UPLOADED_TEAM = "Browser Upload Team"


def test_an_uploaded_export_appears_in_the_charts(page, loading_server, tmp_path):
    server = loading_server
    # Initial plans for a new team, dated on the last day of the period the pages open on (the last complete
    # quarter): the default period shows them.
    import queries
    from core.calendar import quarter_bounds
    from queries.filters import default_quarter
    today = queries.warehouse_summary(server.db)["today"].iloc[0]
    opens_on = default_quarter(queries.quarters(server.db)["quarter"].tolist(), today.date())
    day = quarter_bounds(opens_on)[1]
    rows = [["person_id", "team", "plan_date", "plan_id", "date_of_birth"]]
    rows += [[f"BROWSER-{n}", UPLOADED_TEAM, day.strftime("%d/%m/%Y"), f"BROWSER-PLAN-{n}", "01/01/2009"]
             for n in range(1, 7)]
    export = write_csv(tmp_path / "browser_plans.csv", rows)

    def teams_in_quality_chart() -> str:
        chart = chart_titled(page, "Plans by grade: good, requires improvement, inadequate or incomplete, by team")
        return " ".join(" ".join(trace["y"]) for trace in figure_data(chart))

    open_app_page(page, server, "plan_quality")
    assert UPLOADED_TEAM not in teams_in_quality_chart()

    open_app_page(page, server, "data_loads")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(export))
    bs.wait_until_idle(page, TIMEOUT_MS)
    no_exception(page, server)
    page.get_by_text("Looks like a").first.wait_for()
    load_button = page.locator(".st-key-load_button button")
    assert load_button.text_content().strip() == "Load 1 file"
    load_button.click()
    bs.wait_until_idle(page, TIMEOUT_MS)
    no_exception(page, server)
    page.get_by_text("Loaded. The dashboard pages show the new figures now.").wait_for()
    bs.screenshot(page, "data_loads_after_upload")

    # Back to Plan quality through the menu, in the same session: the new team is in the chart.
    open_from_menu(page, "plan_quality")
    no_exception(page, server)
    assert UPLOADED_TEAM in teams_in_quality_chart()
    bs.screenshot(page, "plan_quality_after_upload")


# ------------------------------------------------------------------------------------------ panel report

def test_the_panel_report_pdf_and_xlsx_download_and_open(page, server):
    from pypdf import PdfReader

    open_app_page(page, server, "panel_report")
    quarter = page.locator(".st-key-panel_quarter input").input_value()
    folder = bs.ARTIFACTS / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    saved = {}
    for label, suffix in (("Download PDF (A4)", ".pdf"), ("Download Excel workbook", ".xlsx")):
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        assert quarter.replace(" ", "-") in download.suggested_filename
        saved[suffix] = folder / download.suggested_filename
        download.save_as(saved[suffix])
    no_exception(page, server)

    pdf = PdfReader(saved[".pdf"])
    assert len(pdf.pages) >= 2
    text = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert quarter in text and "panel" in text.lower()

    book = openpyxl.load_workbook(saved[".xlsx"], read_only=True)
    assert book.sheetnames
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert len(cells) > 20 and any(quarter in c for c in cells)


# ------------------------------------------------------------------------------------------ without colour

def _distinguishable(traces: list[dict]) -> list[str]:
    """Problems with telling a chart's series apart without colour: bars need a pattern of their own (one may
    be plain) or their series named in every bar's text; lines need a marker symbol of their own."""
    problems = []
    named = {}
    for trace in traces:
        if trace["visible"] is True and trace["name"]:
            named.setdefault((trace["type"], trace["name"]), trace)   # facets repeat a series: one is enough
    bars = [t for (kind, _), t in named.items() if kind == "bar"]
    lines = [t for (kind, _), t in named.items() if kind == "scatter"]
    if len(bars) > 1:
        patterns = [t["pattern"] for t in bars]
        labelled = all(t["text"] and all(s.startswith(t["name"]) for s in t["text"] if s) for t in bars)
        if len(set(patterns)) < len(bars) and not labelled:
            problems.append(f"bars share a pattern: {[(t['name'], t['pattern']) for t in bars]}")
    if len(lines) > 1:
        symbols = [str(t["symbol"]) for t in lines]
        if "markers" not in "".join(t["mode"] for t in lines) or len(set(symbols)) < len(lines):
            problems.append(f"lines share a marker: {[(t['name'], t['symbol']) for t in lines]}")
    for trace in traces:
        if trace["type"] == "heatmap" and not (trace["texttemplate"] or trace["text"]):
            problems.append("a heat map without its values written in the cells")
    return problems


@pytest.mark.parametrize("key", [k for k, (_, _, charts, _, _) in PAGES.items() if charts])
def test_every_chart_tells_its_series_apart_without_colour(visited, key):
    page = visited(key)
    problems = {}
    for chart in page.locator(bs.PLOTLY).all():
        found = _distinguishable(figure_data(chart))
        if found:
            problems[chart_title(chart) or "(untitled)"] = found
    assert not problems, problems
    # What a person who sees no colour at all would see.
    bs.screenshot(page, f"{key}_greyscale", grayscale=True)


def bar_texts(chart) -> list[dict]:
    """Every label drawn on a bar: its colour, size, and the colour behind it (the bar's, or the pattern's
    background, when the label sits inside the bar; the page's white otherwise)."""
    return chart.evaluate("""gd => [...gd.querySelectorAll('g.point')].flatMap(point => {
        const text = point.querySelector('text.bartext'), bar = point.querySelector('path');
        if (!text || !bar || !text.textContent.trim()) return [];
        const look = getComputedStyle(text);
        if (look.display === 'none' || look.visibility === 'hidden' || look.opacity === '0') return [];
        const t = text.getBoundingClientRect(), b = bar.getBoundingClientRect();
        const x = t.x + t.width / 2, y = t.y + t.height / 2;
        const inside = x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
        let background = 'rgb(255, 255, 255)';
        if (inside) {
            const id = (bar.style.fill.match(/url\\("?#([^")]+)"?\\)/) || [])[1];
            const rect = id && gd.querySelector(`pattern[id="${id}"] rect`);
            background = !id ? bar.style.fill : rect ? (rect.getAttribute('fill') || rect.style.fill) : background;
        }
        return [{text: text.textContent, colour: look.fill, background, size: parseFloat(look.fontSize)}];
    })""")


def _hex(css_colour: str) -> str:
    if css_colour.startswith("#"):
        return css_colour
    r, g, b = [int(float(v)) for v in css_colour[css_colour.index("(") + 1:].rstrip(")").split(",")[:3]]
    return f"#{r:02X}{g:02X}{b:02X}"


def test_clicking_a_bar_lists_the_plans_behind_it(page, server):
    """Plan quality's charts are clickable (their click settings sent with the figure, axes fixed): a click on a
    team's bar chooses that grade (and that team, unless it is the all-teams bar) in the list of plans below."""
    open_app_page(page, server, "plan_quality")
    chosen = lambda: [page.locator(f".st-key-{k} input").input_value() for k in ("drill_team", "drill_result")]
    assert chosen() == ["Any", "Any"]
    bars = page.locator(bs.PLOTLY).first.locator(".point path")
    widest = bars.evaluate_all("paths => paths.map(p => p.getBoundingClientRect().width).reduce("
                               "(best, w, i, all) => w > all[best] ? i : best, 0)")
    bar = bars.nth(widest)                              # a bar of 0% has no width to click
    bar.scroll_into_view_if_needed()
    bar.click(force=True)
    bs.wait_until_idle(page, TIMEOUT_MS)
    no_exception(page, server)
    team, grade = chosen()
    assert grade != "Any", (team, grade)


@pytest.mark.parametrize("key", ["coproduction", "review_timeliness", "plan_quality", "outcomes"])
def test_each_chart_has_room_for_its_labels_so_it_is_drawn_once(visited, key):
    """Issues 22 and 23: a chart whose labels did not fit its margins was drawn, widened (plotly's automargin) and
    drawn again, on every page view in every browser. The margins app.charts works out from the labels hold them:
    plotly draws with the margins it was given, and no figure brings a template to copy and compare."""
    page = visited(key)
    redrawn = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
        const L = gd._fullLayout;
        return {title: L.title.text, given: [L.margin.l, L.margin.r, L.margin.t, L.margin.b],
                drawn: [L._size.l, L._size.r, L._size.t, L._size.b], template: gd.layout.template !== undefined};
    }).filter(c => c.template || c.given.some((m, i) => Math.abs(m - c.drawn[i]) > 1))""")
    assert redrawn == []


@pytest.mark.parametrize("key", [k for k, (_, _, charts, _, _) in PAGES.items() if charts])
def test_labels_on_bars_can_be_read(visited, key):
    """The figure written on a bar is the way to read it without colour, so it must be legible: WCAG's 4.5:1
    against what is behind it, and not shrunk below 10px to fit."""
    from core.palette import contrast

    page = visited(key)
    problems = []
    for chart in page.locator(bs.PLOTLY).all():
        for label in bar_texts(chart):
            ratio = contrast(_hex(label["colour"]), _hex(label["background"]))
            if ratio < 4.5 or label["size"] < 9.5:
                problems.append((chart_title(chart)[:40], label["text"], label["colour"], label["background"],
                                 round(ratio, 2), label["size"]))
    assert not problems, problems[:10]


def test_red_amber_and_green_are_labelled_and_patterned_in_the_browser(visited):
    """The co-production chart as drawn: legend reads Red / Amber / Green, every bar's text names its rating,
    each rating has a fill of its own shape (not only its own colour), and the legend keys still differ when
    the page is shown in greyscale."""
    from PIL import Image, ImageChops, ImageStat

    page = visited("coproduction")
    chart = chart_titled(page, "Red, amber and green ratings")
    assert chart.evaluate("gd => [...gd.querySelectorAll('.legendtext')].map(t => t.textContent)") == \
        ["Red", "Amber", "Green"]
    drawn = chart.evaluate("""gd => [...gd.querySelectorAll('g.trace.bars')].map(trace => {
        const fills = [...trace.querySelectorAll('path')].map(p => p.style.fill).filter(f => f && f !== 'none');
        // A pattern fill is url(#id): its shape is the pattern's path, whatever its colour.
        const shape = fill => {
            const id = (fill.match(/url\\("?#([^")]+)"?\\)/) || [])[1];
            const pattern = id && gd.querySelector(`pattern[id="${id}"] path`);
            return pattern ? 'pattern ' + pattern.getAttribute('d') : 'plain';
        };
        return {shapes: [...new Set(fills.map(shape))],
                texts: [...trace.querySelectorAll('text.bartext')].map(t => t.textContent)};
    })""")
    assert len(drawn) == 3
    for rating, trace in zip(["Red", "Amber", "Green"], drawn):
        assert len(trace["shapes"]) == 1, (rating, trace["shapes"])     # one fill shape per rating
        assert trace["texts"] and all(t.startswith(rating + " ") for t in trace["texts"]), (rating, trace["texts"])
    shapes = [trace["shapes"][0] for trace in drawn]
    assert len(set(shapes)) == 3, "two ratings have the same fill shape: only colour tells them apart"
    assert sum(s.startswith("pattern") for s in shapes) >= 2

    # Greyscale: each pair of legend keys must still differ visibly (pattern or lightness).
    grey = page.add_style_tag(content="html { filter: grayscale(1) !important; }")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    keys = [Image.open(io.BytesIO(swatch.screenshot())).convert("L")
            for swatch in chart.locator(".legendpoints").all()]
    bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(bs.SCREENSHOTS / "coproduction_rag_chart_greyscale.png"))
    grey.evaluate("element => element.remove()")
    assert len(keys) == 3
    for i in range(3):
        for j in range(i + 1, 3):
            width, height = min(keys[i].width, keys[j].width), min(keys[i].height, keys[j].height)
            difference = ImageChops.difference(keys[i].crop((0, 0, width, height)), keys[j].crop((0, 0, width, height)))
            assert ImageStat.Stat(difference).mean[0] > 8, f"legend keys {i} and {j} look alike in greyscale"


# ------------------------------------------------------------------------------------------ accessibility

def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations, on everything axe looks at (Streamlit's own menu and
    toolbar included: they pass with the project's theme, .streamlit/config.toml).

    One narrow exception: the faded text of a *disabled* widget (e.g. Plan quality's "Verdict on that
    indicator" until an indicator is chosen). WCAG 1.4.3 exempts inactive controls from the contrast minimum,
    but axe cannot tell, because Streamlit hides the label from assistive technology and names the control
    with aria-label instead; only colour-contrast nodes inside a widget that is disabled are dropped."""
    found = []
    for violation in bs.run_axe(page):
        if violation["impact"] not in SERIOUS:
            continue
        if violation["id"] == "color-contrast":
            violation["nodes"] = [node for node in violation["nodes"] if not page.evaluate(
                """target => {
                    const element = document.querySelector(target);
                    const widget = element && element.closest('[data-testid="stElementContainer"]');
                    return !!(widget && widget.querySelector('[disabled], [aria-disabled="true"]'));
                }""", node["target"][-1])]
            if not violation["nodes"]:
                continue
        found.append(violation)
    return found


@pytest.mark.parametrize("key", list(PAGES))
def test_no_serious_accessibility_violations(visited, key):
    page = visited(key)
    # With the tables behind the charts, and other folded-away content, opened as a person would: one scan
    # then covers everything the page can show (the expanders' headings are there either way).
    expanders = page.locator('[data-testid="stExpander"] summary:visible')   # not those in a closed tab
    for n in range(expanders.count()):
        expanders.nth(n).click()
    if expanders.count():
        bs.wait_until_idle(page, TIMEOUT_MS)
    found = serious_violations(page)
    assert not found, f"{key} (its tables open):\n{bs.describe(found)}"


def test_nothing_on_a_page_keeps_moving_while_people_wait(visited):
    """Issue 23: with ten people on two cores, every moving frame is drawn by a browser that needed the CPU to draw
    pages. Streamlit's grey placeholders (shown while a chart's code loads) pulse forever and elements left from the
    previous run fade; on the dashboard they stand still (app/style.STILL_CSS), still there and still pale."""
    page = visited("overview")
    still = page.evaluate("""() => {
        const made = ['stSkeleton', 'stSkeletonElement'].map(id => {
            const e = document.createElement('div');
            e.setAttribute('data-testid', id);
            e.style.animation = 'pulse 750ms infinite';
            return e;
        });
        const stale = document.createElement('div');
        stale.setAttribute('data-stale', 'true');
        stale.style.transition = 'opacity 1s';
        made.push(stale);
        document.body.append(...made);
        const out = made.map(e => [getComputedStyle(e).animationName, getComputedStyle(e).transitionDuration]);
        made.forEach(e => e.remove());
        return out;
    }""")
    assert still == [["none", "0s"]] * 3
