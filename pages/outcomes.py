"""Care leavers' outcomes (SPEC 6b): in touch, in suitable accommodation, in education, employment or training, from
the care-leaver lists loaded (Annex A List 9, SSDA903 OC3, SSD ssd_care_leavers): by team, by age band, by UASC and
by quarter. Each chart is built once per warehouse version, filters and day (ctx.section) and only drawn on a rerun.
"""
import streamlit as st

from app import charts, page, style

ctx = page.setup("Care leavers' outcomes", "Of the young people on the care-leaver lists in the period (each one's "
                 "latest list in it; those who died left out): how many the service is in touch with, are in suitable "
                 "accommodation, and are in education, employment or training. A young person whose outcome the list "
                 "does not give counts as not known, not as yes.")

OUTCOME_COLOURS = {"In touch": style.BLUE, "In suitable accommodation": style.BLUISH_GREEN,
                   "In education, employment or training": style.ORANGE}
OUTCOME_PATTERNS = {"In touch": "", "In suitable accommodation": "/", "In education, employment or training": "."}
TABLE_COLUMNS = {"group_label": "Group", "outcome_label": "Outcome", "young_people": "Young people", "yes": "Yes",
                 "no": "No", "not_known": "Not known", "pct": "% yes", "too_small": "Too small to compare"}


def headline(ctx):
    """Each outcome for all young people listed in the period: (label, text, help); empty when no list is in it."""
    outcomes = ctx.get("care_leaver_outcomes")
    overall = outcomes[outcomes["dimension"] == "all"]
    cards = [(row.outcome_label, charts.n_label(row.pct, row.young_people, row.too_small).replace("(n=", "(of "),
              f"{int(row.yes)} yes, {int(row.no)} no, {int(row.not_known)} not known.") for row in overall.itertuples()]
    return cards, charts.any_too_small(overall)


def by_group(ctx, dimension: str, title: str, file_name: str):
    """Bars of each outcome's % yes per group (team, age band or UASC), with n; None when there is nothing to draw."""
    outcomes = ctx.get("care_leaver_outcomes")
    rows = outcomes[outcomes["dimension"] == dimension].copy()
    if rows.empty:
        return None
    if dimension == "team":
        rows, left_out = charts.focus_teams(rows, rows.groupby("group_label")["pct"].min().rsub(100),
                                            "with the lowest outcomes", team="group_label",
                                            small=charts.too_small_teams(rows, team="group_label"))
    else:
        left_out = None
    rows["text"] = [charts.n_label(p, n, s) for p, n, s in zip(rows["pct"], rows["young_people"], rows["too_small"])]
    groups = list(dict.fromkeys(rows["group_label"]))
    fig = charts.bars(rows, part="outcome_label", colours=OUTCOME_COLOURS, patterns=OUTCOME_PATTERNS, x="pct",
                      y="group_label", text="text", orientation="h", barmode="group", categories=groups,
                      custom=["yes", "young_people"], hover="%{y}: %{x:.0f}% (%{customdata[0]} of %{customdata[1]})",
                      x_title="% of young people listed")
    # outside the bar, the figure sits on the page: near-black, 4.5:1 or better on white (WCAG)
    fig.update_traces(textposition="outside", outsidetextfont_color=style.DARK_TEXT)
    fig.update_xaxes(range=[0, 115])
    fig.update_layout(height=160 + 75 * len(groups))
    table = charts.plain_columns(outcomes[outcomes["dimension"] == dimension], TABLE_COLUMNS)
    return charts.prepare_chart(fig, table, title, file_name, caption=left_out), charts.any_too_small(rows)


def trend(ctx):
    rows = ctx.get("care_leaver_outcomes_trend")
    if rows.empty:
        return None
    fig = charts.lines(rows, x="quarter", y="pct", group="outcome_label", custom=["yes", "young_people"],
                       hover="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})", x_title="",
                       y_title="% of young people listed", colours=OUTCOME_COLOURS, y_range=[0, 100])
    return charts.prepare_chart(fig, charts.plain_columns(rows, {"quarter": "Quarter", **TABLE_COLUMNS}),
                                "Outcomes by quarter of the lists", "care_leaver_outcomes_by_quarter")


ctx.prefetch("care_leaver_outcomes", "care_leaver_outcomes_trend")
cards, small = ctx.section("headline", headline)
if not cards:
    if not ctx.summary.get("care_leaver_rows"):
        st.info("**No care-leaver list loaded yet.** Load the list your authority already sends (Ofsted's Annex A "
                "List 9, the SSDA903 OC3 table or the Standard Safeguarding Dataset's ssd_care_leavers) on the "
                "*Data loads* page, or with `python -m etl load FILE`.")
    else:
        st.info("No care-leaver list in this period for these teams. Try another quarter, or all quarters.")
    st.stop()

st.subheader("All young people listed")
columns = st.columns(len(cards))
for column, (label, value, help_text) in zip(columns, cards):
    column.metric(label, value, border=True, help=help_text)
charts.too_small_caption(small, ctx.small_number_max)

for dimension, heading, title, file_name in (
        ("team", "By team", "Outcomes by team", "care_leaver_outcomes_by_team"),
        ("age_band", "By age", "Outcomes by age on the list's date (the DfE publishes 17 to 18 and 19 to 21)",
         "care_leaver_outcomes_by_age"),
        ("uasc", "Unaccompanied asylum-seeking children",
         "Outcomes of young people who are or were unaccompanied asylum-seeking children, and of the others",
         "care_leaver_outcomes_by_uasc")):
    built = ctx.section(dimension, by_group, dimension=dimension, title=title, file_name=file_name)
    if built is None:
        continue
    st.subheader(heading)
    chart, small = built
    charts.draw_chart(chart, key=dimension)
    charts.too_small_caption(small, ctx.small_number_max)

st.subheader("Trend")
trend_chart = ctx.section("trend", trend)
if trend_chart is not None:
    charts.draw_chart(trend_chart, key="trend")
