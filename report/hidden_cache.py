"""Each quarter's hidden cells kept for the next report of the same warehouse version (issue 23).

Protecting a quarter decides the hidden cells of every report a panel can get (each authority's and all authorities')
together, so they are the same for the next report of that quarter whatever its authority: a second report reuses
them instead of solving the whole warehouse again. The first report after a load does all the work (the benchmark's
headline is that one: bench/report_pdf.py).

Kept in ``<warehouse>.report-cache/`` beside the warehouse file (the file itself is published read-only and replaced
by every load; its folder holds its generations too). An entry is found only by a key made of the warehouse file's
version (core.warehouse_file.version: a load makes a new one), a digest of every count and name the protection is
worked out from (so a follow-up recorded since, another "today" or another setting is another key), the small-number
threshold, the stages and the code of the rule itself: a version's entry can never be served for another. Entries of
other versions are removed when one is written. It holds only which cells are hidden (their keys), no count; JSON,
not pickle, so a file put there can never run code. A folder that cannot be written just means no cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from core.warehouse_file import version

KEEP = 16  # entries kept for one warehouse version (report quarters, days, follow-ups recorded since)
# the code the hidden cells are worked out by (figures.py builds what suppression.py is given)
CODE = [Path(__file__).with_name(name) for name in ("cells.py", "suppression.py", "figures.py", "hidden_cache.py")]


def folder(db_path) -> Path:
    path = Path(db_path).resolve()
    return path.with_name(path.name + ".report-cache")


def key(db_path, frames: dict[str, pd.DataFrame], authorities: list[str], stages: list[int], small_number_max: int,
        quarter: str) -> str | None:
    """The entry's file name, or None when the warehouse has no version (no file)."""
    found = version(db_path)
    if found is None:
        return None
    digest = hashlib.sha256()
    for path in CODE:
        digest.update(path.read_bytes())
    digest.update(json.dumps([quarter, small_number_max, [int(s) for s in stages], authorities]).encode("utf-8"))
    for name in sorted(frames):
        frame = frames[name]
        digest.update(name.encode("utf-8"))
        digest.update(json.dumps([list(frame.columns), len(frame)]).encode("utf-8"))
        # the rows in any order (a query's rows come in no fixed order; the protection does not depend on it)
        digest.update(np.sort(pd.util.hash_pandas_object(frame, index=False).to_numpy()).tobytes())
    return f"{found[0]}-{found[1]}-{digest.hexdigest()[:40]}.json"


def load(db_path, name: str | None) -> dict[str, set]:
    """{quarter: its joint hidden cells} kept under ``name``; {} when there is none (or it cannot be read)."""
    if name is None:
        return {}
    try:
        kept = json.loads((folder(db_path) / name).read_text(encoding="utf-8"))
        return {q: {tuple(cell) for cell in cells} for q, cells in kept["quarters"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save(db_path, name: str | None, quarters: dict[str, set]) -> None:
    """Keep ``quarters`` under ``name`` (written whole, then renamed into place); remove other versions' entries."""
    if name is None or not quarters:
        return
    where = folder(db_path)
    try:
        where.mkdir(exist_ok=True)
        text = json.dumps({"quarters": {q: list(cells) for q, cells in quarters.items()}})  # a key (tuple): a list
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=where, suffix=".tmp", delete=False) as out:
            written = Path(out.name)
            out.write(text)
        try:
            os.replace(written, where / name)
        finally:
            written.unlink(missing_ok=True)
        prefix = "-".join(name.split("-")[:2]) + "-"
        mine = []
        for other in where.glob("*.json"):
            if other.name.startswith(prefix):
                mine.append((other.stat().st_mtime_ns, other))
            else:
                other.unlink(missing_ok=True)
        for _, other in sorted(mine, reverse=True)[KEEP:]:  # this version's oldest (other days, settings)
            other.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        return  # no cache: the next report works the cells out again
