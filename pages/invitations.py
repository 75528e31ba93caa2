"""Online form links: reviews with no "Rate your review" form yet; make a link for one, and print it with a QR code.

Case level, scoped like the worklist (an IRO sees their own reviews). The link carries only a random token;
the young person's details never reach the form service (forms/warehouse_link.py makes the link).
"""
import pandas as pd
import streamlit as st

from app import access, charts, page
from core.settings import load_settings
from forms import warehouse_link

ctx = page.setup("Online form links", "Make a link to the young person's own 'Rate your review' form for a review, "
                 "and print it with a QR code. The link shows nothing about the young person.")
settings = load_settings()
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
    link = warehouse_link.make_link(settings, str(review["plan_id"]), review["local_authority"])
    access.log_view(ctx.user, "invitations", {"made_link_for": str(review["plan_id"])})
    st.session_state.invite_made = (link, pd.Timestamp(review["review_date"]).date(), str(review["plan_id"]))
if "invite_made" in st.session_state:
    link, review_date, plan_id = st.session_state.invite_made
    st.success(f"Link made for plan {plan_id}. It works for {settings.forms_token_days} days, for one form. "
               "It is shown only now: copy or print it before leaving this page.")
    st.code(link, language=None)
    st.image(warehouse_link.qr_svg(link), width=240, caption="QR code of the link")
    st.download_button("Printable invitation with the QR code (HTML)",
                       warehouse_link.printable_invitation(link, review_date, settings.forms_token_days),
                       file_name=f"rate_your_review_{plan_id}.html", mime="text/html", key="invite_print")
