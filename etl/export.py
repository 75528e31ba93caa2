"""Every view of the warehouse contract written to files analysts' tools take: Parquet (Power BI, pandas, polars,
R, DuckDB), CSV or XLSX (Excel), with a data dictionary (view, column, type, description) from the descriptions
written into the warehouse (etl/contract.py).

All views are read through one read-only connection, so they come from one version of the warehouse even when a
load swaps in a new one meanwhile. CSV and XLSX cells that a spreadsheet would run as a formula are written as
text (app/downloads.py holds that rule for every file the product hands out); Parquet is data, not run.
"""
from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from core import warehouse_file
from core.safe_cells import FORMULA_STARTS, neutralise

from . import warehouse

FORMATS = ("parquet", "csv", "xlsx")
# Data rows in one worksheet (Excel's 1,048,576 rows, less the header); a longer view continues on more sheets.
XLSX_SHEET_ROWS = 1_048_575
DICTIONARY = "data_dictionary"


@dataclass
class Exported:
    view: str
    rows: int
    file: Path


def export(db_path: str | Path, out_dir: str | Path, fmt: str = "parquet",
           views: tuple[str, ...] = warehouse.VIEWS) -> list[Exported]:
    """Write <view>.<fmt> for every view, and data_dictionary.csv / .md, into out_dir."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not Path(db_path).exists():
        raise FileNotFoundError(f"There is no warehouse at {db_path}: load some exports first")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done = []
    with warehouse_file.connect_read_only(db_path) as con:
        dictionary = data_dictionary(con, views)
        described = dict(con.execute("SELECT view_name, coalesce(comment, '') FROM duckdb_views() "
                                     "WHERE list_contains(?, view_name)", [list(views)]).fetchall())
        for view in views:
            file = out / f"{view}.{fmt}"
            rows = con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0]
            columns = [(c, t) for v, c, t, _ in dictionary if v == view]
            {"parquet": _parquet, "csv": _csv, "xlsx": _xlsx}[fmt](con, view, columns, file)
            done.append(Exported(view, rows, file))
    _write_dictionary(dictionary, described, out)
    return done


def data_dictionary(con, views: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(view, column, type, description) for every column of the views, in the views' order."""
    rows = con.execute("SELECT table_name, column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
                       "WHERE schema_name = 'main' AND list_contains(?, table_name) ORDER BY column_index",
                       [list(views)]).fetchall()
    return sorted(rows, key=lambda r: views.index(r[0]))          # stable: columns stay in order


def _write_dictionary(dictionary, described: dict[str, str], out: Path) -> None:
    with open(out / f"{DICTIONARY}.csv", "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["view", "column", "type", "description"])
        writer.writerows(dictionary)
    lines = ["# Data dictionary", "", "The views of the pathway plan quality warehouse, as exported.", ""]
    for view in dict.fromkeys(v for v, *_ in dictionary):
        lines += [f"## {view}", "", described.get(view, ""), "", "| column | type | description |", "|---|---|---|"]
        lines += [f"| `{c}` | {t} | {d.replace('|', chr(92) + '|')} |" for v, c, t, d in dictionary if v == view]
        lines.append("")
    (out / f"{DICTIONARY}.md").write_text("\n".join(lines), encoding="utf-8")


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _parquet(con, view: str, columns, file: Path) -> None:
    con.execute(f"COPY (SELECT * FROM {view}) TO {_quoted(file)} (FORMAT parquet)")


def _text_as_text(columns) -> str:
    """The view's columns, a text cell that would start a formula prefixed with an apostrophe (core/safe_cells.py)."""
    starts = ", ".join("'" + s.replace("'", "''") + "'" for s in FORMULA_STARTS)
    return ", ".join(f"CASE WHEN left({c}, 1) IN ({starts}) THEN '''' || {c} ELSE {c} END AS {c}"
                     if t == "VARCHAR" else c for c, t in columns)


def _csv(con, view: str, columns, file: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel keeps Welsh letters; every text cell quoted (a bare carriage
    return would otherwise start a new row in Excel)."""
    text = [c for c, t in columns if t == "VARCHAR"]
    quote = f", FORCE_QUOTE ({', '.join(text)})" if text else ""
    part = file.with_name(file.name + ".part")
    con.execute(f"COPY (SELECT {_text_as_text(columns)} FROM {view}) TO {_quoted(part)} (HEADER{quote})")
    with open(file, "wb") as target, open(part, "rb") as source:
        target.write("\ufeff".encode("utf-8"))
        while chunk := source.read(1 << 20):
            target.write(chunk)
    part.unlink()


def _xlsx(con, view: str, columns, file: Path) -> None:
    """Streamed into a write-only workbook (memory stays flat); a view longer than a sheet goes on to
    '<view> (2)' and so on."""
    book = Workbook(write_only=True)
    header = [c for c, _ in columns]
    cursor = con.execute(f"SELECT * FROM {view}")
    sheet, in_sheet, sheets = None, XLSX_SHEET_ROWS, 0
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            if in_sheet == XLSX_SHEET_ROWS:
                sheets += 1
                sheet = book.create_sheet(view[:31] if sheets == 1 else f"{view[:26]} ({sheets})")
                sheet.append(header)
                in_sheet = 0
            sheet.append([neutralise(v) for v in row])
            in_sheet += 1
    if sheet is None:                    # an empty view: its header alone
        book.create_sheet(view[:31]).append(header)
    book.save(file)


def zip_bytes(db_path: str | Path, fmt: str = "parquet") -> bytes:
    """The export as one zip file (the Data loads page's download)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="pwp-export-") as tmp:
        export(db_path, tmp, fmt)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(Path(tmp).iterdir()):
                archive.write(file, file.name)
    return buffer.getvalue()
