"""Find a young person by the ID in the council's case system: their plans, reviews and Rate your review forms.

The ID typed is turned into the warehouse's pseudonym with the server's key (the loader's own keyed hash) and then
forgotten: the form clears it, and only the pseudonym is kept, queried and cached; the audit log records that a
search was made, never whom for.
"""
import streamlit as st

import queries
from app import access, charts, data, page
from queries.filters import Filters

ctx = page.setup("Find a young person", "Type the young person's ID from your case system to see their plans, "
                 "reviews and Rate your review forms. The sidebar's period and teams do not apply here.")
DATE = st.column_config.DateColumn(format="DD/MM/YYYY")
COLUMNS = {"record": "Record", "review_date": "Review date", "plan_date": "Plan date", "plan_id": "Plan ID",
           "plan_grade": "Plan grade", "plan_grade_reason": "Why", "minutes": "Minutes",
           "minutes_due_date": "Minutes due by", "minutes_sent_date": "Minutes sent", "up_to_date": "Plan up to date?",
           "submitted_date": "Form returned", "response_id": "Form ID", "team": "Team", "iro": "IRO"}

with st.form("find_young_person", clear_on_submit=True, enter_to_submit=True):
    case_id = st.text_input("Young person's ID in your case system", max_chars=64, autocomplete="off",
                            help="As in the plan export's person ID column, e.g. YP100016. Spaces and capitals "
                                 "do not matter. The ID itself is never stored or logged.")
    if st.form_submit_button("Find", type="primary", key="find_button"):
        st.session_state["find_person_key"] = queries.pseudonym(case_id)
        st.session_state["find_searches"] = st.session_state.get("find_searches", 0) + 1
    del case_id

person_key = st.session_state.get("find_person_key")
if person_key is None:
    st.stop()
records = data.get("young_person", ctx.db, Filters(), ctx.scope, person_key=person_key)
# That a search was made, and how many records it showed: never the ID, nor even its pseudonym (the audit log holds
# no young person at all).
access.log_view(ctx.user, "find_young_person", {"search": st.session_state.get("find_searches", 0),
                                                "records": len(records)})
if records.empty:
    st.warning("No plans, reviews or forms that you may see have this ID. Check the ID as written in your case "
               "system" + (", and that the review is yours (an IRO sees only their own reviews)."
                           if ctx.scope.role == "iro" else " and that the young person is in your teams."
                           if ctx.scope.role == "team_manager" else "."))
    st.stop()
plans = records[records["record"] == "Plan or review"]
forms = records[records["record"] != "Plan or review"]
st.markdown(f"**Found.** Young person `{person_key}` (pseudonym): {plans['plan_id'].nunique()} plan versions, "
            f"{int(plans['review_date'].notna().sum())} reviews, {len(forms)} Rate your review forms.")
charts.table(charts.plain_columns(records, COLUMNS), f"young_person_{person_key}", "young_person",
             column_config={c: DATE for c in ("Review date", "Plan date", "Minutes due by", "Minutes sent",
                                              "Form returned")})
