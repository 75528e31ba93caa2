"""Online form links: reviews with no "Rate your review" form yet; make a link for one, and print it with a QR code.

Case level, scoped like the worklist (an IRO sees their own reviews). The link carries only a random token;
the young person's details never reach the form service (forms/warehouse_link.py makes the link).
"""
import pandas as pd
import streamlit as st

from app import charts, invite, page

ctx = page.setup("Online form links", "Make a link to the young person's own 'Rate your review' form for a review, "
                 "and print it with a QR code. The link shows nothing about the young person.")
COLUMNS = {"review_date": "Review date", "team": "Team", "iro": "IRO", "young_person": "Young person (pseudonym)",
           "plan_id": "Plan ID"}

reviews = ctx.get("reviews_without_form", limit=charts.SHOWN_ROWS)
if reviews.empty:
    st.info("Every review in the period you chose has a form returned, or there are no reviews you can see.")
    st.stop()
total = int(reviews["total_rows"].iloc[0])
st.subheader(f"Reviews with no form returned ({total:,})")
st.dataframe(charts.plain_columns(reviews, COLUMNS), hide_index=True, key="no_form",
             column_config={"Review date": st.column_config.DateColumn(format="DD/MM/YYYY")})

st.subheader("Make a link")
labels = {f"{r.plan_id} — review {pd.Timestamp(r.review_date):%d/%m/%Y}, {r.team}": i for i, r in enumerate(reviews.itertuples())}
picked = st.selectbox("Review", list(labels), key="invite_review")
if st.button("Make a link", type="primary", key="invite_button"):
    review = reviews.iloc[labels[picked]]
    invite.make(ctx.user, ctx.settings, "invitations", str(review["plan_id"]), review["local_authority"],
                review["review_date"])
invite.show(ctx.settings, "invitations")
