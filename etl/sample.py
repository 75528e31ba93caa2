"""The embedded sample warehouse: built from the synthetic exports in sample_data/."""
from __future__ import annotations

from pathlib import Path

from . import load
from core.settings import Settings

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))


def build_sample_warehouse(settings: Settings, progress=None) -> list[load.FileResult]:
    """Load every sample export into settings.warehouse (one all-or-nothing run)."""
    return load.load_files(sample_files(), settings, progress=progress)
