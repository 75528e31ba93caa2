"""When is a Streamlit page drawn? One answer, in JavaScript, for the benchmarks (bench/concurrency.py,
bench/client_cost.py) and the browser tests (tests/helpers/browser.py). No imports: the browser tests import this
without pulling in a benchmark (importing bench.concurrency from the tests once broke their event loop).

Streamlit can report a run finished a moment before it has drawn what the run sent (and a first visit may run the
script twice), so "settled" means: the script is not running, no element is stale from the previous run, no spinner
is left, no placeholder is left where an element's code is still loading (Streamlit's `stSkeleton`: a chart page's
first visit in a browser fetches plotly.js, 4.7 MB, and the chart is not in the page until then, however long that
takes on a busy machine), every plotly chart has drawn its SVG, and nothing on the page has changed for `quiet` ms. Use it as
`page.wait_for_function(SETTLED, arg=quiet_ms)`: it returns false until then, then the time (performance.now()) of
the page's last change, so a timer can leave out the quiet spell used to detect it.
"""

SETTLED = """quiet => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const state = app && app.getAttribute('data-test-script-state');
    const signature = [state, main ? main.getElementsByTagName('*').length : -1,
                       document.querySelectorAll('[data-stale="true"]').length].join('|');
    const now = performance.now();
    if (window.__settledSignature !== signature) {
        window.__settledSignature = signature;
        window.__settledSince = now;
        return false;
    }
    const done = state === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && !document.querySelector('[data-testid="stSpinner"]')
        && !document.querySelector('[data-testid="stSkeleton"]')
        && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))
        && now - window.__settledSince >= quiet;
    return done ? Math.max(window.__settledSince, 1e-3) : false;
}"""
