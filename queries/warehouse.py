"""The one door to the warehouse for the dashboard: a handle made once per page run, holding the file's path and its
version as seen then, and answering named queries.

Pages are given the handle, never the path: the path is read from the settings, and the file stat'ed, once per run
(before, each cache key stat'ed the file again: a dozen times per Overview run). The version is the key of every
cached result, so a load (which swaps in a new file) shows on the next run without a restart.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from core import warehouse_file

from .filters import ADMIN, Filters, Scope


@dataclass(frozen=True)
class Warehouse:
    path: str
    version: tuple[int, int] | None       # None: no file there (yet)

    @classmethod
    def at(cls, path: str | os.PathLike) -> "Warehouse":
        """The warehouse file at `path` as it is now."""
        return cls(str(path), warehouse_file.version(path))

    def again(self) -> "Warehouse":
        """The same file looked at afresh: after this run built or upgraded it."""
        return Warehouse.at(self.path)

    @property
    def exists(self) -> bool:
        return self.version is not None

    def query(self, name: str, filters: Filters = Filters(), scope: Scope = ADMIN, **params) -> pd.DataFrame:
        """The named query queries.<name> (its SQL in queries/sql/), with the user's filters and scope and its own
        parameters; not cached (app/data.py caches them per version)."""
        import queries      # the named queries take a Warehouse: imported when asked, not at import time
        return getattr(queries, name)(self, filters, scope, **params)

    # The runner and the report open the file through these (connect_read_only(Path(db)), str(db)).
    def __fspath__(self) -> str:
        return self.path

    def __str__(self) -> str:
        return self.path
