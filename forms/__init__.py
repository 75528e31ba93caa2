"""The young person's own "Rate your review" form (SPEC §6a), served to the public apart from the staff dashboard.

Its own process and port (`python -m forms`), plain server-rendered HTML with no JavaScript, English and
Cymraeg. It never opens the warehouse: answers wait in its own small SQLite store (store.py) until
`python -m etl forms-load` or the Data loads page brings them in as a traffic-light export (warehouse_link.py,
the one module here that knows about the warehouse).
"""
