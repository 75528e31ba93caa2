"""Follow-up: the red and amber answers on young people's "Rate your review" forms, to talk through with them,
and a record that it was done (SPEC 6a).

Case level, scoped like the worklist (an IRO sees their own reviews' answers; a team manager their teams'). The
follow-ups are kept in their own store (queries/follow_up_store.py), outside the warehouse; the note is never
logged, and only the audit line "a follow-up was recorded" is written.
"""
import datetime as dt

import pandas as pd
import streamlit as st

import queries
from app import access, charts, page
from core import wording
from queries import follow_up_store, shapes

ctx = page.setup("Follow-up of red and amber answers", lambda ctx: (
    "\u201cIt will be important to explore these answers further with your social worker.\u201d "
    "Each red or amber answer in the period, newest form first, to talk through with the young person; "
    f"follow-up is due within {wording.working_days(ctx.settings.follow_up_working_days)} of the form being returned."))
settings = ctx.settings
store_version = follow_up_store.version(settings.follow_up_store)
today = pd.Timestamp(ctx.summary["today"]).date()
ALL = "All"
SHOW = {"Not followed up yet": False, "Talked through": True, "All": None}
DATE = st.column_config.DateColumn(format="DD/MM/YYYY")
COLUMNS = {
    "follow_up_status": "Follow-up", "review_date": "Review date", "submitted_date": "Form returned",
    "stage_no": "Stage", "stage": "Stage wording", "rating": "Rating", "comment": "What the young person said",
    "plan_id": "Plan ID", "team": "Team", "iro": "IRO", "personal_adviser": "Personal adviser",
    "social_worker": "Social worker", "working_days_left": "Working days left (negative = overdue)",
    "followed_up_on": "Talked through on", "follow_up_note": "Note", "follow_up_recorded_by": "Recorded by"}

if "follow_up_done" in st.session_state:
    st.success(st.session_state.pop("follow_up_done"))

choices = ctx.get("follow_up_choices")
if choices.empty:
    st.info("No red or amber answers that you can see in this period. Try another quarter or more teams.")
    st.stop()


def options(kind: str) -> list:
    return [ALL] + choices.loc[choices["choice"] == kind, "value"].tolist()


stages = choices[choices["choice"] == "stage"]
stage_names = dict(zip(stages["stage_no"].astype(int), stages["value"]))
c1, c2, c3, c4, c5 = st.columns(5)
worker = c1.selectbox("Worker", options("worker"), key="fu_worker", help="Personal adviser or social worker.")
iro = c2.selectbox("IRO", options("iro"), key="fu_iro")
team = c3.selectbox("Team", options("team"), key="fu_team")
stage_no = c4.selectbox("Stage", [ALL] + list(stage_names), key="fu_stage",
                        format_func=lambda s: s if s == ALL else f"{s}. {stage_names[s]}")
show = c5.selectbox("Show", list(SHOW), key="fu_show")
chosen = {"worker": None if worker == ALL else worker, "iro": None if iro == ALL else iro,
          "team": None if team == ALL else team, "stage_no": None if stage_no == ALL else int(stage_no),
          "followed_up": SHOW[show]}


def answers(ctx, store_version, **chosen):
    """The list's first rows (the download has every row), its size, and the forms in it to record against."""
    listed = ctx.get("follow_up", limit=charts.SHOWN_ROWS, store_version=store_version, **chosen)
    if listed.empty:
        return 0, 0, None, []
    forms = shapes.follow_up_forms(listed)
    labels = [(rid, f"{r.plan_id or 'plan not loaded yet'} — review {pd.Timestamp(r.review_date):%d/%m/%Y}, "
                    f"{r.team or 'no team yet'} — stage(s) {r.answers} — {r.status.lower()}")
              for rid, r in forms.iterrows()]
    table = charts.prepare_table(charts.plain_columns(listed, COLUMNS), "red_and_amber_answers_to_follow_up",
                                 column_config={c: DATE for c in ("Review date", "Form returned", "Talked through on")},
                                 total=int(listed["total_rows"].iloc[0]))
    return int(listed["total_rows"].iloc[0]), int(listed["total_forms"].iloc[0]), table, labels


total, total_forms, table, labels = ctx.section("answers", answers, store_version=store_version, **chosen)
st.subheader(f"Red and amber answers ({total:,} on {total_forms:,} forms)")
if table is None:
    st.info("No red or amber answers match these choices.")
    st.stop()
charts.draw_table(table, "follow_up", full=lambda: charts.plain_columns(
    ctx.fetch("follow_up", store_version=store_version, **chosen), COLUMNS))

st.subheader("Record a follow-up")
st.caption("Mark a form's red and amber answers as talked through with the young person. The note is optional and "
           f"short (at most {follow_up_store.NOTE_MAX} characters); it is seen by case-level staff only, never by "
           "the panel and never in a log.")
by_label = {}
for rid, label in labels:      # two forms for one review (a young person who filled it in twice) stay apart
    by_label[label if label not in by_label else f"{label} (another form, {len(by_label) + 1})"] = rid
with st.form("record_follow_up", clear_on_submit=True):
    picked = st.selectbox("Form", list(by_label), key="fu_form")
    talked_on = st.date_input("Talked through on", value=today, max_value=today, format="DD/MM/YYYY", key="fu_date")
    note = st.text_area("Note (optional)", max_chars=follow_up_store.NOTE_MAX, key="fu_note")
    submitted = st.form_submit_button("Record the follow-up", type="primary")
if submitted:
    # What is recorded is checked against what this user may see, not taken from the list on screen.
    form = queries.follow_up_form(ctx.db, ctx.scope, by_label[picked])
    if form is None:
        st.error("That form is not one you can record a follow-up for.")
        st.stop()
    try:
        kept = follow_up_store.check(talked_on if isinstance(talked_on, dt.date) else None,
                                     pd.Timestamp(form["review_date"]).date(), today, note)
    except follow_up_store.FollowUpError as exc:
        st.error(str(exc))
        st.stop()
    follow_up_store.record(settings.follow_up_store, str(form["response_id"]), talked_on, kept, ctx.user.id)
    access.log_follow_up(ctx.user)
    st.session_state["follow_up_done"] = (f"Recorded: the answers on the form for plan {form['plan_id'] or '(not loaded yet)'} "
                                          f"were talked through on {talked_on:%d/%m/%Y}.")
    st.rerun()
