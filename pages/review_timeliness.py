"""Review timeliness, the IRO's page: minutes sent on time, the worklist, reviews on time, plans out of date.

Each chart and table is built once per warehouse version, filters and choices (ctx.section) and only drawn on a rerun.
"""
import streamlit as st

from app import charts, invite, page, style
from core import wording

ctx = page.setup("Review timeliness", lambda ctx: (
    f"Minutes are due by {wording.nth_working_day(ctx.minutes_due_working_days)} after the review meeting; "
    f"a review is due within {wording.months(ctx.review_interval_months)} of the previous plan."))
due_soon_days = ctx.due_soon_working_days
due_days = ctx.minutes_due_working_days
DATE = st.column_config.DateColumn(format="DD/MM/YYYY")
WORKLIST_COLUMNS = {
    "action_needed": "Action needed", "iro": "IRO", "team": "Team", "young_person": "Young person (pseudonym)",
    "plan_id": "Plan ID", "review_date": "Review date", "minutes_due_date": "Minutes due by",
    "minutes_sent_date": "Minutes sent", "working_days_since_review": "Working days since review (or taken)",
    "working_days_left": "Working days left (negative = overdue)"}
PLAN_COLUMNS = {"team": "Team", "young_person": "Young person (pseudonym)", "iro": "IRO", "plan_id": "Plan ID",
                "plan_date": "Plan date", "last_review_date": "Last review", "review_was_due_by": "Review was due by",
                "days_overdue": "Days overdue"}


def worklist(ctx, iro):
    """The whole list's counts, and its first rows (only those come to the page; the download has every row)."""
    work = ctx.get("worklist", iro=iro, limit=charts.SHOWN_ROWS)
    counts = ("total_rows", "overdue_rows", "due_soon_rows", "sent_late_rows", "recording_gap_rows")
    whole = {c: int(work[c].iloc[0]) if len(work) else 0 for c in counts}
    if work.empty:
        return whole, None, None
    # the rows' plan, authority and review date, for making an online-form link from a row
    rows = work[["plan_id", "local_authority", "review_date"]]
    return whole, rows, charts.prepare_table(
        charts.plain_columns(work, WORKLIST_COLUMNS),
        "minutes_worklist" + ("" if iro is None else "_" + iro.replace(" ", "_")),
        column_config={c: DATE for c in ("Review date", "Minutes due by", "Minutes sent")}, total=whole["total_rows"])


def minutes_status(ctx):
    """Minutes status by team and quarter, for at most charts.MAX_TEAMS teams."""
    status = ctx.get("minutes_status_by_team_quarter")
    if status.empty:
        return None
    late = status["reviews"].where(status["status"].isin(["Sent late", "Not sent and overdue"]), 0)
    drawn, left_out = charts.focus_teams(status, charts.team_ratio(status, late, "reviews"),
                                         "with the largest share of minutes sent late or not sent and overdue",
                                         small=charts.too_small_teams(status))
    # One chart, grouped by team then quarter (subplots per team cost ~30 ms each to build, and broke past ~30 teams)
    fig = charts.stacked_by_group(drawn, group="team", x="quarter", part="status", y="pct", colours=style.MINUTES_COLOURS,
                                  patterns=style.MINUTES_PATTERNS, y_title="% of reviews",
                                  hover="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})",
                                  custom=["reviews", "team_reviews"])
    chart = charts.prepare_chart(fig, charts.plain_columns(status, {
        "quarter": "Quarter", "team": "Team", "status": "Minutes", "reviews": "Reviews", "team_reviews": "Team's reviews that quarter",
        "pct": "% of reviews", "too_small": "Too small to compare"}),
        "How review minutes stand, by team and quarter of the review", "minutes_status_by_team_quarter", caption=left_out)
    return chart, charts.any_too_small(status)


def working_days(ctx):
    days = ctx.get("minutes_working_days")
    if days.empty:
        return None
    late_label = f"Late (over {wording.working_days(due_days)})"
    days["When sent"] = days["late"].map({True: late_label, False: "On time"})
    days["text"] = ""
    fig = charts.bars(days, part="When sent", colours={late_label: style.ORANGE, "On time": style.BLUISH_GREEN},
                      patterns={late_label: "/", "On time": ""}, x="working_days", y="reviews", text="text",
                      custom=["team"], hover="%{x} working days: %{y} reviews (%{customdata[0]})",
                      x_title="Working days from review to minutes sent", y_title="Reviews")
    fig.add_vline(x=due_days + 0.5, line_dash="dash", annotation_text=f"due by day {due_days}")
    charts.whole_numbers(fig, top=days.groupby("working_days")["reviews"].sum().max())
    charts.whole_numbers(fig, top=days["working_days"].max(), axis="x")
    return charts.prepare_chart(fig, charts.plain_columns(days, {
        "working_days": "Working days to send minutes", "team": "Team", "reviews": "Reviews", "When sent": "When sent"}),
        "How many working days it took to send the minutes (this period)", "minutes_working_days")


def held_on_time(ctx):
    held = ctx.get("held_on_time_by_team_quarter")
    if held.empty:
        return None
    drawn, left_out = charts.focus_teams(held, 1 - charts.team_ratio(held, "held_on_time", "reviews"),
                                         "with the smallest share of reviews held on time",
                                         small=charts.too_small_teams(held))
    fig = charts.lines(drawn, x="quarter", y="pct_on_time", group="team", custom=["held_on_time", "reviews"],
                       hover="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})", x_title="",
                       y_title="% held on time", y_range=[0, 105])
    chart = charts.prepare_chart(fig, charts.plain_columns(held, {
        "quarter": "Quarter", "team": "Team", "held_on_time": "Held on time", "reviews": "Reviews",
        "pct_on_time": "% held on time", "too_small": "Too small to compare"}),
        f"Reviews held within {wording.months(ctx.review_interval_months)} of the previous plan, by quarter", "reviews_held_on_time", caption=left_out)
    return chart, charts.any_too_small(held)


def out_of_date_by_team(ctx):
    ood = ctx.get("out_of_date_by_team")
    drawn, left_out = charts.focus_teams(ood, ood.set_index("team")["pct_out_of_date"],
                                         "with the largest share of plans out of date", small=ood.set_index("team")["too_small"])
    drawn = drawn.assign(text=[charts.n_label(p, n, s) for p, n, s in
                               zip(drawn["pct_out_of_date"], drawn["young_people"], drawn["too_small"])])
    fig = charts.single_bars(drawn, x="team", y="pct_out_of_date", text="text", colour=style.VERMILLION, pattern="x",
                             y_title="% of young people")
    chart = charts.prepare_chart(fig, charts.plain_columns(ood, {
        "team": "Team", "young_people": "Young people", "out_of_date": "Plan out of date", "pct_out_of_date": "% out of date",
        "too_small": "Too small to compare"}), "Young people whose plan is out of date today, by team",
        "plans_out_of_date_by_team", caption=left_out)
    return chart, charts.any_too_small(ood)


def out_of_date_plans(ctx, iro):
    plans = ctx.get("out_of_date_plans", iro=iro, limit=charts.SHOWN_ROWS)
    total = int(plans["total_rows"].iloc[0]) if len(plans) else 0
    return total, charts.prepare_table(
        charts.plain_columns(plans, PLAN_COLUMNS), "plans_out_of_date",
        column_config={c: DATE for c in ("Plan date", "Last review", "Review was due by")}, total=total)


# The page's queries start in the background (the IRO as last chosen: the widget is drawn further down).
chosen_iro = st.session_state.get("worklist_iro", "All IROs")
chosen_iro = None if chosen_iro == "All IROs" else chosen_iro
ctx.prefetch("iros", ("worklist", {"iro": chosen_iro, "limit": charts.SHOWN_ROWS}), "minutes_status_by_team_quarter",
             "minutes_working_days", "held_on_time_by_team_quarter", "out_of_date_by_team",
             ("out_of_date_plans", {"iro": chosen_iro, "limit": charts.SHOWN_ROWS}))

# The worklist first: it is what an IRO comes for.
st.subheader("Worklist: minutes to chase")
iros = ctx.section("iros", lambda ctx: ctx.get("iros")["iro"].tolist())
iro = st.selectbox("IRO", ["All IROs"] + iros, key="worklist_iro",
                   help="Pick your name to see only your reviews.")
iro_param = None if iro == "All IROs" else iro
whole, rows, work = ctx.section("worklist", worklist, iro=iro_param)
gap_months = ctx.settings.recording_gap_months
c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Due in the next {wording.working_days(due_soon_days)}", whole["due_soon_rows"], border=True)
c2.metric("Overdue: not sent", whole["overdue_rows"], border=True,
          help=f"Not sent and more than {wording.working_days(due_days)} since the review (due within the last "
               f"{wording.months(gap_months)}), whatever the period chosen.")
c3.metric("Sent late in this period", whole["sent_late_rows"], border=True)
c4.metric("Probably a recording gap", whole["recording_gap_rows"], border=True,
          help=f"Minutes due more than {wording.months(gap_months)} ago and still not recorded as sent: most were probably sent "
               "but never recorded. Setting recording_gap_months.")
if work is None and ctx.unmatched:
    st.warning("Nothing listed, because your IRO name matches no review in the data (see above): this is not an "
               "all-clear.")
elif work is None:
    st.success("Nothing to chase: no minutes are overdue, due soon or sent late.")
else:
    st.caption(f"Due in the next {wording.working_days(due_soon_days)} first (soonest first), then overdue (most recent "
               f"first), then sent late; minutes overdue for more than {wording.months(gap_months)} come last, as probably a recording "
               "gap. Click a column heading to sort.")
    event = charts.draw_table(work, "worklist", on_select="rerun", selection_mode="single-row",
                              full=lambda: charts.plain_columns(ctx.fetch("worklist", iro=iro_param), WORKLIST_COLUMNS))
    # A row picked in the list: make the young person's online "Rate your review" link for that review.
    picked = event.selection.rows if event is not None else []
    if picked:
        row = rows.iloc[picked[0]]
        if st.button(f"Make an online form link for plan {row['plan_id']}", key="worklist_invite"):
            invite.make(ctx.user, ctx.settings, "review_timeliness", str(row["plan_id"]), row["local_authority"],
                        row["review_date"])
        invite.show(ctx.settings, "review_timeliness")
    else:
        st.caption("Pick a row to make the young person's online 'Rate your review' link for that review.")

st.subheader("Minutes sent on time")
status = ctx.section("minutes_status", minutes_status)
if status is None:
    st.info("No reviews in the quarters up to this period.")
else:
    charts.draw_chart(status[0], key="status")
    charts.too_small_caption(status[1], ctx.small_number_max)

days = ctx.section("working_days", working_days)
if days is not None:
    charts.draw_chart(days, key="days")

st.subheader("Reviews held on time")
held = ctx.section("held_on_time", held_on_time)
if held is None:
    st.info("No reviews with an earlier plan to compare against in these quarters.")
else:
    charts.draw_chart(held[0], key="held")
    charts.too_small_caption(held[1], ctx.small_number_max)

st.subheader("Plans out of date today")
ood, ood_small = ctx.section("out_of_date_by_team", out_of_date_by_team)
charts.draw_chart(ood, key="ood")
charts.too_small_caption(ood_small, ctx.small_number_max)
plans_total, plans = ctx.section("out_of_date_plans", out_of_date_plans, iro=iro_param)
with charts.folded(f"The {plans_total:,} young people whose plan is out of date" + ("" if iro_param is None else f" ({iro})"),
                   "ood_list") as shown:
    if shown:
        charts.draw_table(plans, "ood_list",
                          full=lambda: charts.plain_columns(ctx.fetch("out_of_date_plans", iro=iro_param), PLAN_COLUMNS))
