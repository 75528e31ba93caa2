"""The embedded sample warehouse: built from the synthetic exports in sample_data/."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from . import load
from core.settings import Settings

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
# The sample's care-leaver list (Annex A List 9, which has no date column) is as at the end of the last complete
# quarter on the generator's "today" (16/11/2026), the quarter the dashboard opens on.
SAMPLE_SNAPSHOT_DATE = dt.date(2026, 9, 30)
# The Annex A workbook is Northshire's, and a List 9 has no authority column (a council's own workbook needs none):
# the sample build gives rows without one Northshire, as a council sets PWP_DEFAULT_LOCAL_AUTHORITY to its name.
SAMPLE_AUTHORITY = "Northshire County Council"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))


def build_sample_warehouse(settings: Settings, progress=None) -> list[load.FileResult]:
    """Load every sample export into settings.warehouse (one all-or-nothing run)."""
    settings = dataclasses.replace(settings, default_local_authority=SAMPLE_AUTHORITY)
    return load.load_files(sample_files(), settings, progress=progress, snapshot_date=SAMPLE_SNAPSHOT_DATE)
