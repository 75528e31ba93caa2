"""Overview: the headline figures for the period against the previous one, and what most needs attention.

The figures are worked out once per warehouse version, filters and day (ctx.section) and only drawn on a rerun.
"""
import pandas as pd
import streamlit as st

from app import charts, page, style
from core import wording
from queries import follow_up_store

ctx = page.setup("Overview", "How pathway planning is going, at a glance.")
PER_ROW = 3


def shown(row, previous_label) -> tuple[str, str | None, str | None, bool]:
    """The card's figure (short, so it is never cut off), its n for the caption line under it, the change against the
    previous period, and whether that change rounds to nothing (drawn neutral: no green "+0", no red "-0")."""
    if pd.isna(row.value):
        return "No data", None, None, True
    mark = style.TOO_SMALL_MARK if row.too_small else ""
    if row.unit == "count":
        text, n = f"{int(row.value):,}{mark}", None
    elif row.unit == "score":
        text, n = f"{row.value:.0f}{mark}", f"out of 100, from {int(row.denominator):,} ratings"
    else:
        text, n = f"{row.value:.0f}%{mark}", f"{int(row.numerator):,} of {int(row.denominator):,}"
    if pd.isna(row.change):
        return text, n, None, True
    unit = "" if row.unit == "count" else (" points" if row.unit == "score" else " percentage points")
    if round(row.change) == 0:
        return text, n, f"No change on {previous_label}", True
    return text, n, f"{row.change:+.0f}{unit} on {previous_label}", False


def figures(ctx, store_version):
    """Each headline card (label, value, change, help), the table behind them, and what most needs attention."""
    headline = ctx.get("headline")
    previous = ctx.filters.previous_period()
    previous_label = previous.period_label() if previous else None
    help_text = f"Compared with {previous_label}." if previous_label else "No earlier period to compare with."
    # a rise in inadequate plans is bad news: its change is coloured the other way round
    cards = []
    for row in headline.itertuples():
        value, n, delta, neutral = shown(row, previous_label)
        colour = "off" if neutral else "inverse" if row.metric == "plans_inadequate" else "normal"
        cards.append((row.label, value, n, delta, help_text, colour))
    ood = ctx.get("out_of_date_now").iloc[0]
    if ood["young_people"]:
        cards.append(("Plans out of date today", f"{ood['pct_out_of_date']:.0f}%",
                      f"{int(ood['out_of_date']):,} of {int(ood['young_people']):,} young people", None,
                      f"Young people whose latest plan is more than {wording.months(ctx.review_interval_months)} old today.", "off"))
    table = charts.prepare_table(charts.plain_columns(headline, {
        "label": "Figure", "value": "This period", "numerator": "Number", "denominator": "Out of",
        "previous_value": f"Previous period ({previous_label or 'none'})", "change": "Change",
        "too_small": "Too small to compare"}), "headline_figures")
    return cards, charts.any_too_small(headline), ctx.get("attention", store_version=store_version)["sentence"].tolist(), table


store_version = follow_up_store.version(ctx.settings.follow_up_store)      # a follow-up recorded shows at once
ctx.prefetch("headline", ("attention", {"store_version": store_version}), "out_of_date_now")
cards, small, attention, table = ctx.section("figures", figures, store_version=store_version)

st.subheader("Headline figures")
columns = st.columns(PER_ROW)
for i, (label, value, n, delta, help_text, delta_colour) in enumerate(cards):
    with columns[i % PER_ROW].container(border=True):
        st.metric(label, value, delta, help=help_text, delta_color=delta_colour,
                  delta_arrow="off" if delta_colour == "off" else "auto")
        st.caption(n or "\u00a0")      # the n on its own line (a blank one keeps the cards level)
charts.too_small_caption(small, ctx.small_number_max)

st.subheader("Most needing attention")
if not attention and ctx.unmatched:
    st.warning("Nothing listed here is not an all-clear: part of your access entry matches nothing in the data (see "
               "above).")
elif not attention:
    st.success("Nothing stands out in this period (or the groups are too small to compare).")
for n, sentence in enumerate(attention, start=1):
    st.markdown(f"**{n}.** {sentence}")
st.caption("Picked from: red and amber answers overdue a follow-up, minutes late or not sent, reviews held late and plans out of date (each at its worst team), "
           "the weakest co-production stage and the most often inadequate plan indicator. "
           f"Groups of {wording.too_small(ctx.small_number_max)} are left out as too small to compare.")

with charts.folded("Table behind these figures", "headline") as opened:
    if opened:
        charts.draw_table(table, "headline")
