"""Programs the concurrency tests run in other processes: a loader and a page renderer.
Both take the project root, the warehouse, then their own arguments."""
import textwrap

LOADER = textwrap.dedent("""
    import json, sys, time
    from etl import load
    from core.settings import load_settings
    settings = load_settings(env={}, warehouse=sys.argv[2])
    done = []
    for path in sys.argv[3:]:
        [result] = load.load_files([path], settings)
        done.append(result.rows_loaded)
    print(json.dumps(done))
""")

RENDERER = textwrap.dedent("""
    import json, os, sys, time
    os.environ["PWP_WAREHOUSE"] = sys.argv[2]
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    pages = ["pages/overview.py", "pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py"]
    deadline = time.monotonic() + float(sys.argv[3])
    renders = failures = 0
    messages = []
    while time.monotonic() < deadline or renders < len(pages):
        page = pages[renders % len(pages)]
        st.cache_data.clear()              # every render reads the warehouse, not a cache
        at = AppTest.from_file(os.path.join(sys.argv[1], page), default_timeout=60)
        try:
            at.run()
            problems = [e.value for e in at.exception] + [e.value for e in at.error]
        except Exception as exc:  # noqa: BLE001
            problems = [repr(exc)]
        renders += 1
        if problems:
            failures += 1
            messages.append(f"{page}: {problems[0]}"[:300])
    print(json.dumps({"renders": renders, "failures": failures, "messages": messages[:5]}))
""")
