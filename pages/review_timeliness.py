"""Review timeliness, the IRO's page: minutes sent on time, the worklist, reviews on time, plans out of date."""
import pandas as pd
import plotly.express as px
import streamlit as st

from app import charts, page, style

ctx = page.setup("Review timeliness", "Minutes are due by the 20th working day after the review meeting; "
                 "a review is due within 6 months of the previous plan.")
due_soon_days = int(ctx.summary["due_soon_working_days"])
due_days = int(ctx.summary["minutes_due_working_days"])

# The worklist first: it is what an IRO comes for.
st.subheader("Worklist: minutes to chase")
iros = ctx.get("iros")["iro"].tolist()
iro = st.selectbox("IRO", ["All IROs"] + iros, key="worklist_iro",
                   help="Pick your name to see only your reviews.")
iro_param = None if iro == "All IROs" else iro
# Only the first rows come to the page; the counts and the CSV download cover the whole list.
work = ctx.get("worklist", iro=iro_param, limit=charts.SHOWN_ROWS)
whole = work.iloc[0] if len(work) else pd.Series(0, index=["total_rows", "overdue_rows", "due_soon_rows", "sent_late_rows"])
c1, c2, c3 = st.columns(3)
c1.metric("Overdue: not sent", int(whole["overdue_rows"]), border=True,
          help=f"Not sent and more than {due_days} working days since the review, whatever the period chosen.")
c2.metric(f"Due in the next {due_soon_days} working days", int(whole["due_soon_rows"]), border=True)
c3.metric("Sent late in this period", int(whole["sent_late_rows"]), border=True)
if work.empty:
    st.success("Nothing to chase: no minutes are overdue, due soon or sent late.")
else:
    WORKLIST_COLUMNS = {
        "action_needed": "Action needed", "iro": "IRO", "team": "Team", "young_person": "Young person (pseudonym)",
        "plan_id": "Plan ID", "review_date": "Review date", "minutes_due_date": "Minutes due by",
        "minutes_sent_date": "Minutes sent", "working_days_since_review": "Working days since review (or taken)",
        "working_days_left": "Working days left (negative = overdue)"}
    dates = {c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in ("Review date", "Minutes due by", "Minutes sent")}
    st.caption("Most urgent first. Click a column heading to sort.")
    charts.table(charts.plain_columns(work, WORKLIST_COLUMNS),
                 "minutes_worklist" + ("" if iro_param is None else "_" + iro_param.replace(" ", "_")), "worklist",
                 column_config=dates, total=whole["total_rows"],
                 full=lambda: charts.plain_columns(ctx.fetch("worklist", iro=iro_param), WORKLIST_COLUMNS))

# Minutes status by team and quarter, for at most charts.MAX_TEAMS teams
st.subheader("Minutes sent on time")
status = ctx.get("minutes_status_by_team_quarter")
if status.empty:
    st.info("No reviews in the quarters up to this period.")
else:
    late = status["reviews"].where(status["status"].isin(["Sent late", "Not sent and overdue"]), 0)
    drawn, left_out = charts.focus_teams(status, charts.team_ratio(status, late, "reviews"),
                                         "with the largest share of minutes sent late or not sent and overdue",
                                         small=charts.too_small_teams(status))
    # One chart, grouped by team then quarter (subplots per team cost ~30 ms each to build, and broke past ~30 teams)
    fig = charts.stacked_by_group(drawn, group="team", x="quarter", part="status", y="pct", colours=style.MINUTES_COLOURS,
                                  patterns=style.MINUTES_PATTERNS, y_title="% of reviews",
                                  hover="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})",
                                  custom=["reviews", "team_reviews"])
    charts.chart_with_table(fig, charts.plain_columns(status, {
        "quarter": "Quarter", "team": "Team", "status": "Minutes", "reviews": "Reviews", "team_reviews": "Team's reviews that quarter",
        "pct": "% of reviews", "too_small": "Too small to compare"}),
        "How review minutes stand, by team and quarter of the review", "minutes_status_by_team_quarter", key="status",
        caption=left_out)
    charts.too_small_note(status)

days = ctx.get("minutes_working_days")
if not days.empty:
    days["When sent"] = days["late"].map({True: f"Late (over {due_days} working days)", False: "On time"})
    fig = px.bar(days, x="working_days", y="reviews", color="When sent", pattern_shape="When sent",
                 color_discrete_map={f"Late (over {due_days} working days)": style.ORANGE, "On time": style.BLUISH_GREEN},
                 pattern_shape_map={f"Late (over {due_days} working days)": "/", "On time": ""},
                 hover_data=["team"], labels={"working_days": "Working days from review to minutes sent", "reviews": "Reviews"})
    fig.add_vline(x=due_days + 0.5, line_dash="dash", annotation_text=f"due by day {due_days}")
    charts.chart_with_table(fig, charts.plain_columns(days, {
        "working_days": "Working days to send minutes", "team": "Team", "reviews": "Reviews", "When sent": "When sent"}),
        "How many working days it took to send the minutes (this period)", "minutes_working_days", key="days")

# Reviews held on time
st.subheader("Reviews held on time")
held = ctx.get("held_on_time_by_team_quarter")
if held.empty:
    st.info("No reviews with an earlier plan to compare against in these quarters.")
else:
    drawn, left_out = charts.focus_teams(held, 1 - charts.team_ratio(held, "held_on_time", "reviews"),
                                         "with the smallest share of reviews held on time",
                                         small=charts.too_small_teams(held))
    fig = charts.lines(drawn, x="quarter", y="pct_on_time", group="team", custom=["held_on_time", "reviews"],
                       hover="%{x}: %{y:.0f}% (%{customdata[0]} of %{customdata[1]})", x_title="",
                       y_title="% held on time", y_range=[0, 105])
    charts.chart_with_table(fig, charts.plain_columns(held, {
        "quarter": "Quarter", "team": "Team", "held_on_time": "Held on time", "reviews": "Reviews",
        "pct_on_time": "% held on time", "too_small": "Too small to compare"}),
        "Reviews held within 6 months of the previous plan, by quarter", "reviews_held_on_time", key="held",
        caption=left_out)
    charts.too_small_note(held)

# Plans out of date today
st.subheader("Plans out of date today")
ood = ctx.get("out_of_date_by_team")
drawn, left_out = charts.focus_teams(ood, ood.set_index("team")["pct_out_of_date"],
                                     "with the largest share of plans out of date", small=ood.set_index("team")["too_small"])
drawn = drawn.assign(text=[charts.n_label(p, n, s) for p, n, s in
                           zip(drawn["pct_out_of_date"], drawn["young_people"], drawn["too_small"])])
fig = px.bar(drawn, x="team", y="pct_out_of_date", text="text", color_discrete_sequence=[style.VERMILLION],
             pattern_shape_sequence=["x"], labels={"team": "", "pct_out_of_date": "% of young people"})
charts.chart_with_table(fig, charts.plain_columns(ood, {
    "team": "Team", "young_people": "Young people", "out_of_date": "Plan out of date", "pct_out_of_date": "% out of date",
    "too_small": "Too small to compare"}), "Young people whose plan is out of date today, by team", "plans_out_of_date_by_team",
    key="ood", caption=left_out)
charts.too_small_note(ood)
plans = ctx.get("out_of_date_plans", iro=iro_param, limit=charts.SHOWN_ROWS)
plans_total = int(plans["total_rows"].iloc[0]) if len(plans) else 0
PLAN_COLUMNS = {"team": "Team", "young_person": "Young person (pseudonym)", "iro": "IRO", "plan_id": "Plan ID",
                "plan_date": "Plan date", "last_review_date": "Last review", "review_was_due_by": "Review was due by",
                "days_overdue": "Days overdue"}
with st.expander(f"The {plans_total:,} young people whose plan is out of date" + ("" if iro_param is None else f" ({iro})")):
    charts.table(charts.plain_columns(plans, PLAN_COLUMNS), "plans_out_of_date", "ood_list",
                 column_config={c: st.column_config.DateColumn(format="DD/MM/YYYY")
                                for c in ("Plan date", "Last review", "Review was due by")},
                 total=plans_total, full=lambda: charts.plain_columns(ctx.fetch("out_of_date_plans", iro=iro_param), PLAN_COLUMNS))
