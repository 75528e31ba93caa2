"""Render time of each dashboard page with AppTest on the sample warehouse, cold (empty cache) and warm.

    python bench/pages.py            # builds the sample warehouse in a temp dir, writes bench/RESULTS.md
"""
from __future__ import annotations

import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["pages/overview.py", "pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py"]
HEADING = "## Page render times (sample warehouse)"
WARM_RUNS = 5


def main() -> int:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from etl.sample import build_sample_warehouse
    from etl.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix="pwp-bench-"))
    db = tmp / "warehouse.duckdb"
    build_sample_warehouse(load_settings(env={}, warehouse=str(db)))
    os.environ["PWP_WAREHOUSE"] = str(db)
    rows = []
    for page in PAGES:
        st.cache_data.clear()
        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / page), default_timeout=120).run()
        cold = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"{page} failed: {at.exception[0].value}")
        warm = []
        for _ in range(WARM_RUNS):
            start = time.perf_counter()
            AppTest.from_file(str(ROOT / page), default_timeout=120).run()
            warm.append(time.perf_counter() - start)
        rows.append((page, cold, statistics.median(warm)))
        print(f"{page}: cold {cold:.2f} s, warm {statistics.median(warm):.2f} s")
    write(rows)
    return 0


def write(rows) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmarks\n"
    section = [HEADING, "",
               f"AppTest, whole page script run, on the sample warehouse ({time.strftime('%Y-%m-%d')}, "
               f"Python {platform.python_version()}, {platform.machine()}). Cold = empty query cache; "
               f"warm = median of {WARM_RUNS} runs with the cache filled. Produced by `python bench/pages.py`.", "",
               "| page | cold (s) | warm (s) |", "|---|---:|---:|"]
    section += [f"| `{page}` | {cold:.2f} | {warm:.2f} |" for page, cold, warm in rows]
    block = "\n".join(section) + "\n"
    pattern = re.compile(re.escape(HEADING) + r".*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: block + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    results.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
