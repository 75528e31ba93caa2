"""Overview: the headline figures for the period against the previous one, and what most needs attention."""
import pandas as pd
import streamlit as st

from app import charts, page, style

ctx = page.setup("Overview", "How pathway planning is going, at a glance.")
headline = ctx.get("headline")
previous = ctx.filters.previous_period()
previous_label = previous.period_label() if previous else None


def shown(row) -> tuple[str, str | None]:
    """Metric text with its n, and the change against the previous period."""
    if pd.isna(row.value):
        return "No data", None
    mark = style.TOO_SMALL_MARK if row.too_small else ""
    if row.unit == "count":
        text = f"{int(row.value):,}{mark}"
    elif row.unit == "score":
        text = f"{row.value:.0f}{mark} (n={int(row.denominator)} ratings)"
    else:
        text = f"{row.value:.0f}%{mark} ({int(row.numerator)} of {int(row.denominator)})"
    if pd.isna(row.change):
        return text, None
    unit = "" if row.unit == "count" else (" points" if row.unit == "score" else " percentage points")
    return text, f"{row.change:+.0f}{unit} on {previous_label}"


st.subheader("Headline figures")
PER_ROW = 3     # wide enough for "83% (106 of 128)" and its change without cutting them off
columns = st.columns(PER_ROW)
for i, row in enumerate(headline.itertuples()):
    value, delta = shown(row)
    columns[i % PER_ROW].metric(row.label, value, delta, border=True,
                          help=f"Compared with {previous_label}." if previous_label else "No earlier period to compare with.")
ood = ctx.get("out_of_date_now").iloc[0]
if ood["young_people"]:
    columns[len(headline) % PER_ROW].metric(
        "Plans out of date today", f"{ood['pct_out_of_date']:.0f}% ({int(ood['out_of_date'])} of {int(ood['young_people'])})",
        border=True, delta_color="off", help="Young people whose latest plan is more than 6 months old today.")
charts.too_small_note(headline)

st.subheader("Most needing attention")
attention = ctx.get("attention")
if attention.empty:
    st.success("Nothing stands out in this period (or the groups are too small to compare).")
for n, sentence in enumerate(attention["sentence"], start=1):
    st.markdown(f"**{n}.** {sentence}")
st.caption("Picked from: minutes late or not sent, reviews held late and plans out of date (each at its worst team), "
           "the weakest co-production stage and the most often inadequate plan indicator. "
           "Groups of fewer than 5 are left out as too small to compare.")

with st.expander("Table behind these figures"):
    table = charts.plain_columns(headline, {
        "label": "Figure", "value": "This period", "numerator": "Number", "denominator": "Out of",
        "previous_value": f"Previous period ({previous_label or 'none'})", "change": "Change", "too_small": "Too small to compare"})
    charts.table(table, "headline_figures", "headline")
