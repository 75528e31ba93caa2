"""Pathway plan quality dashboard: `streamlit run dashboard.py`.

The warehouse path comes from PWP_WAREHOUSE (default data/warehouse.duckdb); with no warehouse
there, the first page built from it makes the sample one from sample_data/.
"""
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Pathway plan quality", page_icon="🧭", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("pages/coproduction.py", title="Co-production", icon="🤝"),
    st.Page("pages/review_timeliness.py", title="Review timeliness", icon="⏱️"),
    st.Page("pages/plan_quality.py", title="Plan quality", icon="✅"),
]
# Pages other issues add; shown only once they exist.
for file_name, title, icon in (("panel_report.py", "Panel report", "📄"), ("data_loads.py", "Data loads", "📥")):
    if (HERE / "pages" / file_name).exists():
        pages.append(st.Page(f"pages/{file_name}", title=title, icon=icon))

st.navigation(pages).run()
