"""The test access file (one user of each role) and what must never appear in a log or a panel view."""
from __future__ import annotations

import re

from tests.helpers import query

TEAM = "North Leaving Care"
IRO = "IRO Jo Hartley"

ACCESS_TOML = f"""
[users."admin@example.org"]
role = "admin"

[users."manager@example.org"]
role = "manager"

[users."Team.Manager@Example.org"]
role = "team_manager"
teams = ["{TEAM}"]

[users."iro@example.org"]
role = "iro"
iro = "{IRO}"

[users."panel@example.org"]
role = "panel"
"""


# --- what must never appear in a log or a panel view ---------------------------------------------

PERSON_ID = re.compile(r"YP\d{6}")      # the sample exports' young person IDs


def sensitive(db) -> dict[str, set[str]]:
    """The sample data's comments and person keys (the raw IDs are matched by PERSON_ID)."""
    comments = {r[0] for r in query(db, "SELECT DISTINCT comment FROM traffic_light_ratings WHERE comment IS NOT NULL")}
    keys = {r[0] for r in query(db, "SELECT DISTINCT person_key FROM young_people")}
    return {"comments": {c for c in comments if len(c) > 12}, "person_keys": keys}


def leaks(text: str, secrets: dict[str, set[str]]) -> list[str]:
    found = PERSON_ID.findall(text)
    for kind, values in secrets.items():
        found += [f"{kind}: {v[:40]}" for v in values if v in text]
    return found
