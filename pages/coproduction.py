"""Co-production: how young people rated their reviews ("Rate your review", Red 0 / Amber 1 / Green 2).

Each chart and table is built once per warehouse version, filters and choices (ctx.section) and only drawn on a rerun.
"""
import pandas as pd
import streamlit as st

import queries
from app import charts, page, style
from core import wording
from queries import follow_up_store, shapes

ctx = page.setup("Co-production", "How young people rate each stage of their review. "
                 "Score = 50 × the average rating (Red 0, Amber 1, Green 2), so 0 is all red and 100 all green.")


def stages(ctx):
    """The period's ratings by stage (None when there are none), its weakest stage, and the choices for comments."""
    by_stage = shapes.stage_table(ctx.get("ratings_by_stage"))
    if by_stage.empty:
        return None
    weakest = queries.weakest_stage(by_stage)
    teams = sorted(ctx.get("coproduction_stage_team")["team"].unique().tolist())
    return {"by_stage": by_stage, "weakest": weakest, "stage_options": by_stage["stage_no"].tolist(),
            "stage_names": dict(zip(by_stage["stage_no"], by_stage["stage"])), "teams": teams}


def heat_map(ctx):
    """Score by stage x team (a column per team, for at most charts.MAX_TEAMS teams: the lowest scores)."""
    labels = list(dict.fromkeys(ctx.get("ratings_by_stage")["stage_label"]))
    grid = ctx.get("coproduction_stage_team")
    drawn, left_out = charts.focus_teams(grid, -charts.team_ratio(grid, grid["score"] * grid["ratings"], "ratings"),
                                         "with the lowest co-production scores", small=charts.too_small_teams(grid))
    # the score, and its n on a second line: short enough for a cell at a readable size
    drawn = drawn.assign(cell=[charts.n_label(s, n, small, "{:.0f}").replace(" (", "<br>(") for s, n, small in
                               zip(drawn["score"], drawn["ratings"], drawn["too_small"])])
    fig = charts.heat_map(drawn, rows="stage_label", columns="team", value="score", text="cell", row_order=labels,
                          colour_scale=style.SCORE_SCALE, value_range=(0, 100), colour_title="Score",
                          hover="%{y}<br>%{x}<br>Score %{z:.0f}<extra></extra>")
    fig.update_layout(height=520)
    chart = charts.prepare_chart(fig, charts.plain_columns(grid, {
        "stage_no": "Stage", "stage": "Stage wording", "team": "Team", "ratings": "Ratings", "score": "Score (0–100)",
        "pct_red": "% red", "pct_amber": "% amber", "pct_green": "% green", "too_small": "Too small to compare"}),
        "Co-production score by stage and team (0 = all red, 100 = all green)", "coproduction_by_stage_and_team",
        caption=left_out)
    return chart, charts.any_too_small(grid)


def ratings_by_stage(ctx):
    """Red / amber / green per stage."""
    ratings = ctx.get("ratings_by_stage")
    ratings = ratings.assign(text=ratings["rating_label"] + " " + ratings["pct"].map(lambda v: f"{v:.0f}%"))
    fig = charts.bars(ratings, part="rating_label", colours=style.by_label(ratings, "rating", style.RAG_COLOURS),
                      patterns=style.by_label(ratings, "rating", style.RAG_PATTERNS), x="pct",
                      y="stage_label", text="text", custom=["count", "ratings"], orientation="h",
                      hover="%{y}<br>%{x:.0f}% (%{customdata[0]} of %{customdata[1]})",
                      categories=list(dict.fromkeys(ratings["stage_label"])), x_title="% of ratings")
    fig.update_traces(textposition="inside", insidetextanchor="middle")
    fig.update_layout(height=480)
    return charts.prepare_chart(fig, charts.plain_columns(shapes.stage_table(ratings), {
        "stage_no": "Stage", "stage": "Stage wording", "ratings": "Ratings", "red": "Red", "amber": "Amber",
        "green": "Green", "pct_red": "% red", "pct_amber": "% amber", "pct_green": "% green", "score": "Score (0–100)",
        "too_small": "Too small to compare"}), "Red, amber and green ratings for each stage", "ratings_by_stage")


def trend(ctx, by):
    trend = ctx.get("coproduction_trend", by=by)
    if trend.empty:
        return None
    drawn, left_out = trend, None
    if by == "team":
        drawn, left_out = charts.focus_teams(trend, -charts.team_ratio(trend, trend["score"] * trend["ratings"], "ratings",
                                                                       team="group"),
                                             "with the lowest co-production scores over these quarters", team="group",
                                             small=charts.too_small_teams(trend, team="group"))
    if by == "stage":       # ten stages: a small chart each, not ten tangled lines
        fig = charts.small_multiples(drawn, x="quarter", y="score", group="group", custom=["ratings"],
                                     hover="%{x}: score %{y:.0f} (n=%{customdata[0]})", y_title="Score",
                                     y_range=[0, 105])
    else:
        fig = charts.lines(drawn, x="quarter", y="score", group="group", custom=["ratings"],
                           hover="%{x}: score %{y:.0f} (n=%{customdata[0]})", x_title="Quarter", y_title="Score (0–100)",
                           y_range=[0, 100])
    return charts.prepare_chart(fig, charts.plain_columns(trend, {
        "quarter": "Quarter", "group": {"stage": "Stage", "team": "Team"}[by], "ratings": "Ratings", "score": "Score (0–100)",
        "too_small": "Too small to compare"}), f"Co-production score by quarter, per {by}",
        f"coproduction_trend_by_{by}", caption=left_out)


def response_rate(ctx):
    """Reviews with at least one form returned, per 100 reviews held (never above 100); forms per review beside it."""
    rate = ctx.get("response_rate")
    drawn, left_out = charts.focus_teams(rate, -rate.set_index("team")["response_rate"], "with the lowest response rates",
                                         small=rate.set_index("team")["too_small"])
    # The total is named for what it is: with one team it is that team again (left out); for a team manager it is
    # their own teams, never "All teams" (issue 22).
    if (drawn["team"] != "All teams").sum() == 1:
        drawn = drawn[drawn["team"] != "All teams"]
    elif ctx.scope.role == "team_manager":
        drawn = drawn.replace({"team": {"All teams": "All your teams"}})
    drawn = drawn.assign(text=[f"{r:.0f}% ({w} of {h})" + (style.TOO_SMALL_MARK if s else "") if pd.notna(r) else "no reviews"
                               for r, w, h, s in zip(drawn["response_rate"], drawn["reviews_with_form"],
                                                     drawn["reviews_held"], drawn["too_small"])])
    fig = charts.single_bars(drawn, x="team", y="response_rate", text="text", colour=style.BLUE,
                             y_title="Reviews with a form returned (%)")
    chart = charts.prepare_chart(fig, charts.plain_columns(rate, {
        "team": "Team", "reviews_with_form": "Reviews with a form returned", "reviews_held": "Reviews held",
        "response_rate": "Response rate (%)", "forms_returned": "Forms returned",
        "forms_per_review": "Forms per review held", "too_small": "Too small to compare"}),
        "Response rate: reviews with a Rate your review form returned, per 100 reviews held", "response_rate",
        caption=left_out)
    total = rate[rate["team"] == "All teams"]
    per_review = None
    if len(total) and pd.notna(total["forms_per_review"].iloc[0]):
        per_review = (f"{int(total['forms_returned'].iloc[0])} forms were returned for "
                      f"{int(total['reviews_held'].iloc[0])} reviews held: {total['forms_per_review'].iloc[0]:.2f} "
                      "forms per review (a review can get more than one form; the response rate counts it once).")
    return chart, charts.any_too_small(rate), per_review


def follow_up(ctx, store_version):
    """Forms with a red or amber answer talked through with the young person, and in time, by team and quarter."""
    rates = ctx.get("follow_up_rates", trend=True, store_version=store_version)
    if rates.empty:
        return None
    drawn, left_out = charts.focus_teams(rates, 1 - charts.team_ratio(rates, "followed_up_in_time", "forms_with_red_or_amber"),
                                         "with the smallest share followed up in time", small=charts.too_small_teams(rates))
    fig = charts.lines(drawn, x="quarter", y="pct_in_time", group="team",
                       custom=["followed_up_in_time", "forms_with_red_or_amber"],
                       hover="%{x}: %{y:.0f}% in time (%{customdata[0]} of %{customdata[1]} forms)", x_title="Quarter",
                       y_title="% followed up in time", y_range=[0, 105])
    chart = charts.prepare_chart(fig, charts.plain_columns(rates, {
        "quarter": "Quarter", "team": "Team", "forms_with_red_or_amber": "Forms with a red or amber answer",
        "followed_up": "Followed up", "followed_up_in_time": "Followed up in time",
        "not_yet_due": "Not followed up, not due yet", "overdue": "Not followed up, overdue",
        "pct_followed_up": "% followed up", "pct_in_time": "% followed up in time (of those due)",
        "too_small": "Too small to compare"}),
        "Red and amber answers talked through with the young person in time, by quarter of the review",
        "follow_up_by_team_and_quarter", caption=left_out)
    return chart, charts.any_too_small(rates)


def comments(ctx, stage_no, team):
    said = ctx.get("comments", stage_no=stage_no, team=team)
    if said.empty:
        return 0, None
    return len(said), charts.prepare_table(
        charts.plain_columns(said, {"review_date": "Review date", "team": "Team", "rating": "Rating",
                                    "comment": "What the young person said"}), "young_peoples_comments",
        column_config={"Review date": st.column_config.DateColumn(format="DD/MM/YYYY")})


ctx.prefetch("ratings_by_stage", "coproduction_stage_team", ("coproduction_trend", {"by": "stage"}),
             ("coproduction_trend", {"by": "team"}), "response_rate")
here = ctx.section("stages", stages)
if here is None:
    st.info("No Rate your review forms in this period for these teams. Try another quarter or more teams.")
    st.stop()

weakest = here["weakest"]
if weakest is not None:
    st.warning(f"**Weakest stage: {int(weakest['stage_no'])}. {weakest['stage']}** — score {weakest['score']:.0f} out of 100; "
               f"{weakest['pct_red']:.0f}% of {int(weakest['ratings'])} ratings red, {weakest['pct_green']:.0f}% green.", icon="⚠️")

heat, heat_small = ctx.section("heat_map", heat_map)
charts.draw_chart(heat, key="heat")
charts.too_small_caption(heat_small, ctx.small_number_max)

charts.draw_chart(ctx.section("ratings_by_stage", ratings_by_stage), key="rag")

# Trends
st.subheader("Is co-production improving?")
# Only the tab shown is drawn (choosing the other reruns the page): a hidden chart cost every page view its drawing.
tab_stage, tab_team = st.tabs(["By stage", "By team"], key="trend_by", on_change="rerun")
for tab, by in ((tab_stage, "stage"), (tab_team, "team")):
    with tab:
        if not tab.open:
            continue
        chart = ctx.section("trend", trend, by=by)
        if chart is None:
            st.info("No ratings in the quarters up to this period.")
        else:
            charts.draw_chart(chart, key=f"trend_{by}")

# Response rate
st.subheader("How many reviews did young people rate?")
rate, rate_small, per_review = ctx.section("response_rate", response_rate)
charts.draw_chart(rate, key="response")
charts.too_small_caption(rate_small, ctx.small_number_max)
if per_review:
    st.caption(per_review)

# Comments
st.subheader("In young people's own words")
left, right = st.columns(2)
stage_options, stage_names = here["stage_options"], here["stage_names"]
default_stage = stage_options.index(int(weakest["stage_no"])) if weakest is not None else 0
stage_no = left.selectbox("Stage", stage_options, index=default_stage, format_func=lambda s: f"{s}. {stage_names[s]}",
                          key="comments_stage")
team = right.selectbox("Team", ["All teams"] + here["teams"], key="comments_team")
count, said = ctx.section("comments", comments, stage_no=int(stage_no), team=None if team == "All teams" else team)
if said is None:
    st.info("No comments for this stage and team in this period.")
else:
    st.caption(f"{count} comments, newest first.")
    charts.draw_table(said, "comments")

# Follow-up of red and amber answers (recorded on the Follow-up page)
st.subheader("Are red and amber answers followed up?")
followed = ctx.section("follow_up", follow_up, store_version=follow_up_store.version(ctx.settings.follow_up_store))
if followed is None:
    st.info("No forms with a red or amber answer in the quarters up to this period.")
else:
    charts.draw_chart(followed[0], key="follow_up")
    charts.too_small_caption(followed[1], ctx.small_number_max)
    st.caption(f"In time: talked through within {wording.working_days(ctx.settings.follow_up_working_days)} of the form "
               "being returned (of the review, when the form has no date). Forms still inside that time are left out "
               "of the in-time share until they are followed up or become overdue.")
