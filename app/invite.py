"""Making a young person's online-form link for one review, from any page that lists reviews (the Online form
links page, and a row of the IRO worklist): one way to make it, log it and show it, so both pages agree."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from forms import warehouse_link

from . import access


def make(user: access.User, settings, page_key: str, plan_id: str, local_authority, review_date) -> None:
    """A new link for this review (a token stored hashed by the form service), remembered for this session only."""
    link = warehouse_link.make_link(settings, plan_id, None if pd.isna(local_authority) else str(local_authority))
    access.log_view(user, page_key, {"made_link_for": plan_id})
    st.session_state[f"invite_made_{page_key}"] = (link, pd.Timestamp(review_date).date(), plan_id)


def show(settings, page_key: str) -> None:
    """The link made on this page, with its QR code and a printable invitation: shown once, never stored."""
    made = st.session_state.get(f"invite_made_{page_key}")
    if made is None:
        return
    link, review_date, plan_id = made
    st.success(f"Link made for plan {plan_id}. It works for {settings.forms_token_days} days, for one form. "
               "It is shown only now: copy or print it before leaving this page.")
    st.code(link, language=None)
    st.image(warehouse_link.qr_svg(link), width=240, caption="QR code of the link")
    st.download_button("Printable invitation with the QR code (HTML)",
                       warehouse_link.printable_invitation(link, review_date, settings.forms_token_days),
                       file_name=f"rate_your_review_{plan_id}.html", mime="text/html", key=f"invite_print_{page_key}")
