"""Audit log (admin only): who opened which page with which filters, who downloaded what, who was refused."""
import json

import pandas as pd
import streamlit as st

from app import access, audit, downloads, page

settings = page.run_settings()
user = access.require("audit_log", settings)
access.log_view(user, "audit_log", None, settings)
st.title("Audit log")
st.caption("Every page opened (with its filters), every download (file name and number of rows), and every "
           "refusal. It never holds a young person's name, ID or comment. Newest first.")

log = audit.read(settings.audit_log)
if log.empty:
    st.info("Nothing logged yet.")
    st.stop()
left, middle, right = st.columns(3)
people = left.multiselect("Who", sorted(log["user"].unique()), key="audit_users", placeholder="Everyone")
events = middle.multiselect("What", list(audit.EVENTS), key="audit_events", placeholder="Everything")
pages = right.multiselect("Page", sorted(log["page"].dropna().unique()), key="audit_pages", placeholder="Every page")
shown = log
if people:
    shown = shown[shown["user"].isin(people)]
if events:
    shown = shown[shown["event"].isin(events)]
if pages:
    shown = shown[shown["page"].isin(pages)]


def readable(detail: str) -> str:
    try:
        values = json.loads(detail or "{}")
    except ValueError:
        return detail
    return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                     for k, v in values.items() if v not in (None, [], ""))


# Stored in UTC (unambiguous across the clock change); shown as the time in the UK.
local = pd.to_datetime(shown["at"], utc=True, errors="coerce").dt.tz_convert("Europe/London")
table = shown.assign(at=local.dt.strftime("%d/%m/%Y %H:%M:%S").fillna(shown["at"]),
                     detail=shown["detail"].map(readable)).rename(columns={
    "at": "When (UK time)", "user": "User", "role": "Role", "event": "Event", "page": "Page", "detail": "Details"})
st.caption(f"{len(table)} of the latest {len(log)} entries.")
st.dataframe(table, hide_index=True)
downloads.csv_button("Download this log (CSV)", table, "audit_log.csv", key="audit_csv")
