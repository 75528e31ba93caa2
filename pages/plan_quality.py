"""Plan quality: each plan's overall grade, per team and per indicator, with the plans behind every figure.

Each chart and table is built once per warehouse version, filters and choices (ctx.section) and only drawn on a rerun.
"""
import streamlit as st

from queries import shapes
from app import charts, page, style

ctx = page.setup("Plan quality", "A plan is inadequate when it is out of date, lacks the young person's voice, has "
                 "vague actions or no long-term goals; it requires improvement when another \"must\" is missed; it is good "
                 "when every check that applies is met, and incomplete when data is missing. "
                 "Click a bar to see the plans behind it.")

ANY = "Any"


def selected_points(event) -> list[dict]:
    try:
        return list(event["selection"]["points"])
    except (TypeError, KeyError, AttributeError):
        return []


def drill_from(points: list[dict], source: str) -> None:
    """A click on a bar fills in the drill-down choices below (once per new click)."""
    if not points:
        return
    custom = points[0].get("customdata") or []
    signature = (source, tuple(str(c) for c in custom))
    if st.session_state.get("drill_last") == signature:
        return
    st.session_state["drill_last"] = signature
    if source == "team" and len(custom) >= 2:
        st.session_state.update(drill_team=custom[0] if custom[0] != "All teams" else ANY, drill_result=custom[1],
                                drill_indicator=ANY, drill_verdict=ANY)
    elif source == "indicator" and len(custom) >= 3:
        st.session_state.update(drill_team=custom[0] if custom[0] != "All teams" else ANY, drill_result=ANY,
                                drill_indicator=custom[1], drill_verdict=custom[2])


def by_team(ctx):
    """Per team: the share of plans of each grade (a bar per team, for at most charts.MAX_TEAMS teams, and all teams).
    None when there are no plans in the period."""
    grades = ctx.get("plan_grades", by="team")
    if grades.empty:
        return None
    inadequate = grades[grades["grade"] == "inadequate"].set_index("team")
    drawn, left_out = charts.focus_teams(grades, inadequate["pct"], "with the largest share of inadequate plans",
                                         small=inadequate["too_small"])
    drawn = drawn.assign(text=[f"{p:.0f}%" if p else "" for p in drawn["pct"]],
                         team_label=[t + (f" (n={n})" + (style.TOO_SMALL_MARK if s else "")) for t, n, s in
                                     zip(drawn["team"], drawn["plans"], drawn["too_small"])])
    fig = charts.bars(drawn, part="grade_label", colours=style.by_label(grades, "grade", style.RESULT_COLOURS),
                      patterns=style.by_label(grades, "grade", style.RESULT_PATTERNS), x="pct", y="team_label",
                      text="text", orientation="h", custom=["team", "grade", "count", "plans"],
                      hover="%{y}<br>%{x:.0f}% (%{customdata[2]} of %{customdata[3]} plans)", x_title="% of plans")
    fig.update_traces(textposition="inside")
    fig.update_layout(height=140 + 45 * drawn["team"].nunique(dropna=False))
    by_team = shapes.grades_table(grades)
    chart = charts.prepare_chart(fig, charts.plain_columns(by_team, {
        "team": "Team", "plans": "Plans", "good": "Good", "requires_improvement": "Requires improvement",
        "inadequate": "Inadequate", "incomplete": "Incomplete",
        "pct_good": "% good", "pct_requires_improvement": "% requires improvement", "pct_inadequate": "% inadequate",
        "pct_incomplete": "% incomplete",
        "too_small": "Too small to compare"}), "Plans by grade: good, requires improvement, inadequate or incomplete, by team", "plan_quality_by_team",
        caption=left_out, selectable=True)
    return chart, charts.any_too_small(by_team)


def choices(ctx):
    """The teams the indicators can be shown for ("All teams" first), and the drill-down's choices in words: each
    indicator's, plan grade's and verdict's plain-English name."""
    verdicts = ctx.get("indicator_verdicts")
    grades = ctx.get("plan_grades", by="team")
    teams = ["All teams"] + sorted(t for t in verdicts["team"].unique() if t != "All teams")
    return (teams, dict(zip(verdicts["indicator"], verdicts["indicator_label"])),
            dict(zip(grades["grade"], grades["grade_label"])), dict(zip(verdicts["verdict"], verdicts["verdict_label"])))


def indicators_for(ctx, team):
    verdicts = ctx.get("indicator_verdicts")
    shown = verdicts[verdicts["team"] == team]
    shown = shown.assign(text=[f"{p:.0f}%" if p else "" for p in shown["pct"]],
                         label=[f"{l} (n={n})" + (style.TOO_SMALL_MARK if s else "") for l, n, s in
                                zip(shown["indicator_label"], shown["plans"], shown["too_small"])])
    fig = charts.bars(shown, part="verdict_label", colours=style.by_label(verdicts, "verdict", style.RESULT_COLOURS),
                      patterns=style.by_label(verdicts, "verdict", style.RESULT_PATTERNS), x="pct", y="label",
                      text="text", orientation="h", custom=["team", "indicator", "verdict", "plans"],
                      hover="%{y}<br>%{x:.0f}% of %{customdata[3]} plans", x_title="% of plans it applies to",
                      categories=list(dict.fromkeys(shown["label"])))
    fig.update_traces(textposition="inside")
    fig.update_layout(height=520)
    chart = charts.prepare_chart(fig, charts.plain_columns(shapes.indicators_table(verdicts), {
        "indicator_label": "Indicator", "team": "Team", "plans": "Plans it applies to", "good": "Good",
        "inadequate": "Inadequate", "unknown": "Unknown", "pct_good": "% good", "pct_inadequate": "% inadequate",
        "pct_unknown": "% unknown", "too_small": "Too small to compare"}),
        f"Each indicator: good, inadequate or unknown ({team})", "plan_indicators_by_team", selectable=True)
    return chart, charts.any_too_small(shown)


def quality_trend(ctx):
    grades = ctx.get("plan_grades", by="quarter")
    if grades.empty:
        return None
    fig = charts.lines(grades, x="quarter", y="pct", group="grade_label", custom=["plans"],
                       hover="%{x}: %{y:.0f}% of %{customdata[0]} plans", x_title="", y_title="% of plans",
                       colours=style.by_label(grades, "grade", style.RESULT_COLOURS))
    return charts.prepare_chart(fig, charts.plain_columns(shapes.grades_table(grades), {
        "quarter": "Quarter", "plans": "Plans", "good": "Good", "requires_improvement": "Requires improvement",
        "inadequate": "Inadequate", "incomplete": "Incomplete",
        "pct_good": "% good", "pct_requires_improvement": "% requires improvement", "pct_inadequate": "% inadequate",
        "pct_incomplete": "% incomplete",
        "too_small": "Too small to compare"}), "Share of plans of each grade, by quarter",
        "plan_quality_trend")


def drilldown(ctx, team, overall, indicator, verdict):
    plans = ctx.get("plan_drilldown", team=team, overall=overall, indicator=indicator, verdict=verdict)
    if plans.empty:
        return 0, None
    # What a reader came for first (the indicator, its verdict and why), then which plan: never off-screen to the right
    return plans["plan_id"].nunique(), charts.prepare_table(charts.plain_columns(plans, {
        "indicator": "Indicator", "verdict": "Verdict", "reason": "Reason", "plan_id": "Plan ID", "team": "Team",
        "plan_result": "Plan grade", "plan_reason": "Why", "young_person": "Young person (pseudonym)",
        "plan_date": "Plan date", "review_date": "Review date"}), "plans_behind_the_figures",
        column_config={c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in ("Plan date", "Review date")})


WITHOUT_PLAN_COLUMNS = {
    "status": "Status", "team": "Team", "young_person": "Young person (pseudonym)", "local_authority": "Local authority",
    "eligibility": "Eligibility", "age_band": "Age", "personal_adviser": "Personal adviser", "reason": "Why inadequate",
    "latest_plan_id": "Latest plan ID", "latest_plan_loaded": "Latest plan loaded", "next_review_due_by": "Review was due by",
    "list_latest_plan_date": "Latest plan date on the list", "snapshot_date": "List dated"}


def without_plan(ctx):
    """SPEC 6b, "there is no plan": the young people owed a pathway plan (latest care-leaver list) with none loaded or
    none in date, counted per team, and listed (case level). None when no care-leaver list is loaded."""
    if not ctx.summary.get("care_leaver_rows"):
        return None
    counts = ctx.get("without_plan_by_team")
    people = ctx.get("without_plan", limit=charts.SHOWN_ROWS)
    total = int(people["total_rows"].iloc[0]) if len(people) else 0
    by_team = charts.prepare_table(charts.plain_columns(counts, {
        "team": "Team", "owed": "Owed a pathway plan", "no_plan": "No plan loaded", "out_of_date": "Plan out of date",
        "pct_no_plan": "% with no plan loaded", "too_small": "Too small to compare"}), "owed_a_plan_by_team")
    listed = charts.prepare_table(charts.plain_columns(people, WITHOUT_PLAN_COLUMNS), "young_people_without_a_plan",
                                  column_config={c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in (
                                      "Latest plan loaded", "Review was due by", "Latest plan date on the list",
                                      "List dated")}, total=total)
    return counts[counts["team"] == "All teams"].iloc[0], by_team, listed


# The page's queries start in the background (the drill-down as last chosen: its widgets are drawn further down).
chosen = {key: st.session_state.get(f"drill_{key}", ANY) for key in ("team", "result", "indicator", "verdict")}
ctx.prefetch("without_plan_by_team", ("without_plan", {"limit": charts.SHOWN_ROWS}), ("plan_grades", {"by": "team"}),
             "indicator_verdicts", ("plan_grades", {"by": "quarter"}), ("plan_drilldown", {
    "team": None if chosen["team"] == ANY else chosen["team"], "overall": None if chosen["result"] == ANY else chosen["result"],
    "indicator": None if chosen["indicator"] == ANY else chosen["indicator"],
    "verdict": None if chosen["verdict"] == ANY or chosen["indicator"] == ANY else chosen["verdict"]}))
missing = ctx.section("without_plan", without_plan)
if missing is not None:
    everyone, by_team_table, listed = missing
    st.markdown(f"**There is no plan** for **{int(everyone['no_plan']):,}** of the {int(everyone['owed']):,} young people "
                "owed a pathway plan on the latest care-leaver list (no plan version loaded), and the plan of "
                f"**{int(everyone['out_of_date']):,}** is out of date today: for each, *plan up to date* is inadequate.")
    with charts.folded("Young people owed a pathway plan without one in date", "without_plan") as shown:
        if shown:
            charts.draw_table(by_team_table, "owed_by_team")
            charts.draw_table(listed, "without_plan", full=lambda: charts.plain_columns(ctx.fetch("without_plan"),
                                                                                       WITHOUT_PLAN_COLUMNS))
        st.caption("Owed a pathway plan: eligible, relevant and former relevant children on their authority's latest "
                   "list (qualifying care leavers are owed advice, not a plan), unless the list records that they died.")
teams_chart = ctx.section("by_team", by_team)
if teams_chart is None:
    st.info("No plans in this period for these teams. Try another quarter or more teams.")
    st.stop()
event = charts.draw_chart(teams_chart[0], key="by_team")
charts.too_small_caption(teams_chart[1], ctx.small_number_max)
drill_from(selected_points(event), "team")

# Per indicator
st.subheader("Which parts of the plans fall short?")
teams_here, labels, grade_labels, verdict_labels = ctx.section("choices", choices)
indicator_team = st.selectbox("Indicators for", teams_here, key="indicator_team")
chart, small = ctx.section("indicators", indicators_for, team=indicator_team)
event = charts.draw_chart(chart, key="indicators")
charts.too_small_caption(small, ctx.small_number_max)
drill_from(selected_points(event), "indicator")

# Trend
st.subheader("Trend by quarter")
trend_chart = ctx.section("trend", quality_trend)
if trend_chart is not None:
    charts.draw_chart(trend_chart, key="trend")

# Drill-down
st.subheader("The plans behind the figures")
st.caption("Choose, or click a bar above, to list the plans with every indicator's verdict and the reason for it.")
c1, c2, c3, c4 = st.columns(4)
for key, options in (("drill_team", [ANY] + teams_here[1:]), ("drill_result", [ANY] + list(grade_labels)),
                     ("drill_indicator", [ANY] + list(labels)), ("drill_verdict", [ANY] + list(verdict_labels))):
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
team = c1.selectbox("Team", [ANY] + teams_here[1:], key="drill_team")
result = c2.selectbox("Plan grade", [ANY] + list(grade_labels), key="drill_result",
                      format_func=lambda r: grade_labels.get(r, r))
indicator = c3.selectbox("Indicator", [ANY] + list(labels), key="drill_indicator", format_func=lambda i: labels.get(i, i))
verdict = c4.selectbox("Verdict on that indicator", [ANY] + list(verdict_labels), key="drill_verdict",
                       format_func=lambda v: verdict_labels.get(v, v), disabled=indicator == ANY)
count, plans = ctx.section("drilldown", drilldown, team=None if team == ANY else team,
                           overall=None if result == ANY else result, indicator=None if indicator == ANY else indicator,
                           verdict=None if verdict == ANY or indicator == ANY else verdict)
if plans is None:
    st.info("No plans match these choices in this period.")
else:
    st.caption(f"{count} plans; one row per indicator.")
    charts.draw_table(plans, "drill")
