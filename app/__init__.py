"""Streamlit helpers for the dashboard pages: bootstrap, sidebar filters, cached queries, charts."""
