"""Plan quality: plans good vs inadequate, per team and per indicator, with the plans behind every figure."""
import plotly.express as px
import streamlit as st

from app import charts, page, style

ctx = page.setup("Plan quality", "A plan is inadequate if any indicator is inadequate, good if every indicator that "
                 "applies is good, and incomplete when data is missing. Click a bar to see the plans behind it.")
by_team = ctx.get("plan_quality_by_team")
if by_team.empty:
    st.info("No plans in this period for these teams. Try another quarter or more teams.")
    st.stop()

RESULTS = ["good", "inadequate", "incomplete"]
VERDICTS = ["good", "inadequate", "unknown"]
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


# Per team: good / inadequate / incomplete (a bar per team, for at most charts.MAX_TEAMS teams, and all teams)
drawn, left_out = charts.focus_teams(by_team, by_team.set_index("team")["pct_inadequate"],
                                     "with the largest share of inadequate plans", small=by_team.set_index("team")["too_small"])
long = drawn.melt(id_vars=["team", "plans", "too_small"], value_vars=["pct_good", "pct_inadequate", "pct_incomplete"],
                  var_name="result", value_name="pct")
long["result"] = long["result"].str.replace("pct_", "")
long["count"] = drawn.melt(id_vars=["team"], value_vars=RESULTS)["value"].to_numpy()   # same order as the melt above
long["Result"] = long["result"].map(style.RESULT_LABELS)
long["text"] = [f"{p:.0f}%" if p else "" for p in long["pct"]]
long["team_label"] = [t + (f" (n={n})" + (style.TOO_SMALL_MARK if s else "")) for t, n, s in
                      zip(long["team"], long["plans"], long["too_small"])]
fig = px.bar(long, y="team_label", x="pct", color="Result", pattern_shape="Result", text="text", orientation="h",
             color_discrete_map=style.RESULT_COLOURS, pattern_shape_map=style.RESULT_PATTERNS,
             category_orders={"Result": [style.RESULT_LABELS[r] for r in RESULTS]},
             custom_data=["team", "result", "count", "plans"], labels={"pct": "% of plans", "team_label": ""})
fig.update_traces(hovertemplate="%{y}<br>%{x:.0f}% (%{customdata[2]} of %{customdata[3]} plans)<extra></extra>",
                  textposition="inside")
fig.update_layout(barmode="stack", height=140 + 45 * len(drawn))
event = charts.chart_with_table(fig, charts.plain_columns(by_team, {
    "team": "Team", "plans": "Plans", "good": "Good", "inadequate": "Inadequate", "incomplete": "Incomplete",
    "pct_good": "% good", "pct_inadequate": "% inadequate", "pct_incomplete": "% incomplete",
    "too_small": "Too small to compare"}), "Plans good, inadequate or incomplete, by team", "plan_quality_by_team",
    key="by_team", on_select="rerun", caption=left_out)
charts.too_small_note(by_team)
drill_from(selected_points(event), "team")

# Per indicator
st.subheader("Which parts of the plans fall short?")
indicators = ctx.get("indicators_by_team")
teams_here = ["All teams"] + sorted(t for t in indicators["team"].unique() if t != "All teams")
indicator_team = st.selectbox("Indicators for", teams_here, key="indicator_team")
shown = indicators[indicators["team"] == indicator_team]
long = shown.melt(id_vars=["indicator", "indicator_label", "team", "plans", "too_small", "sort_order"],
                  value_vars=["pct_good", "pct_inadequate", "pct_unknown"], var_name="verdict", value_name="pct")
long["verdict"] = long["verdict"].str.replace("pct_", "")
long["Verdict"] = long["verdict"].map(style.RESULT_LABELS)
long["text"] = [f"{p:.0f}%" if p else "" for p in long["pct"]]
long["label"] = [f"{l} (n={n})" + (style.TOO_SMALL_MARK if s else "") for l, n, s in
                 zip(long["indicator_label"], long["plans"], long["too_small"])]
order = shown.sort_values("sort_order")
fig = px.bar(long.sort_values("sort_order"), y="label", x="pct", color="Verdict", pattern_shape="Verdict", text="text",
             orientation="h", color_discrete_map=style.RESULT_COLOURS, pattern_shape_map=style.RESULT_PATTERNS,
             category_orders={"Verdict": [style.RESULT_LABELS[v] for v in VERDICTS]},
             custom_data=["team", "indicator", "verdict", "plans"], labels={"pct": "% of plans it applies to", "label": ""})
fig.update_traces(textposition="inside")
fig.update_yaxes(categoryorder="array", categoryarray=[f"{l} (n={n})" + (style.TOO_SMALL_MARK if s else "") for l, n, s in
                                                       zip(order["indicator_label"], order["plans"], order["too_small"])][::-1])
fig.update_layout(barmode="stack", height=520)
event = charts.chart_with_table(fig, charts.plain_columns(indicators, {
    "indicator_label": "Indicator", "team": "Team", "plans": "Plans it applies to", "good": "Good",
    "inadequate": "Inadequate", "unknown": "Unknown", "pct_good": "% good", "pct_inadequate": "% inadequate",
    "pct_unknown": "% unknown", "too_small": "Too small to compare"}),
    f"Each indicator: good, inadequate or unknown ({indicator_team})", "plan_indicators_by_team", key="indicators",
    on_select="rerun")
charts.too_small_note(shown)
drill_from(selected_points(event), "indicator")

# Trend
st.subheader("Trend by quarter")
trend = ctx.get("plan_quality_trend")
if not trend.empty:
    long = trend.melt(id_vars=["quarter", "plans"], value_vars=["pct_good", "pct_inadequate", "pct_incomplete"],
                      var_name="result", value_name="pct")
    long["Result"] = long["result"].str.replace("pct_", "").map(style.RESULT_LABELS)
    fig = charts.lines(long, x="quarter", y="pct", group="Result", custom=["plans"],
                       hover="%{x}: %{y:.0f}% of %{customdata[0]} plans", x_title="", y_title="% of plans",
                       colours=style.RESULT_COLOURS)
    charts.chart_with_table(fig, charts.plain_columns(trend, {
        "quarter": "Quarter", "plans": "Plans", "good": "Good", "inadequate": "Inadequate", "incomplete": "Incomplete",
        "pct_good": "% good", "pct_inadequate": "% inadequate", "pct_incomplete": "% incomplete",
        "too_small": "Too small to compare"}), "Share of plans good, inadequate or incomplete, by quarter",
        "plan_quality_trend", key="trend")

# Drill-down
st.subheader("The plans behind the figures")
st.caption("Choose, or click a bar above, to list the plans with every indicator's verdict and the reason for it.")
labels = dict(zip(indicators["indicator"], indicators["indicator_label"]))
c1, c2, c3, c4 = st.columns(4)
for key, options in (("drill_team", [ANY] + teams_here[1:]), ("drill_result", [ANY] + RESULTS),
                     ("drill_indicator", [ANY] + list(labels)), ("drill_verdict", [ANY] + VERDICTS)):
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
team = c1.selectbox("Team", [ANY] + teams_here[1:], key="drill_team")
result = c2.selectbox("Plan result", [ANY] + RESULTS, key="drill_result",
                      format_func=lambda r: style.RESULT_LABELS.get(r, r))
indicator = c3.selectbox("Indicator", [ANY] + list(labels), key="drill_indicator", format_func=lambda i: labels.get(i, i))
verdict = c4.selectbox("Verdict on that indicator", [ANY] + VERDICTS, key="drill_verdict",
                       format_func=lambda v: style.RESULT_LABELS.get(v, v), disabled=indicator == ANY)
plans = ctx.get("plan_drilldown", team=None if team == ANY else team, overall=None if result == ANY else result,
                indicator=None if indicator == ANY else indicator,
                verdict=None if verdict == ANY or indicator == ANY else verdict)
if plans.empty:
    st.info("No plans match these choices in this period.")
else:
    st.caption(f"{plans['plan_id'].nunique()} plans; one row per indicator.")
    plans["plan_result"] = plans["plan_result"].map(style.RESULT_LABELS)
    plans["verdict"] = plans["verdict"].map(style.RESULT_LABELS)
    charts.table(charts.plain_columns(plans, {
        "team": "Team", "young_person": "Young person (pseudonym)", "plan_id": "Plan ID", "plan_date": "Plan date",
        "review_date": "Review date", "plan_result": "Plan result", "indicator": "Indicator", "verdict": "Verdict",
        "reason": "Reason"}), "plans_behind_the_figures", "drill",
        column_config={c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in ("Plan date", "Review date")})
