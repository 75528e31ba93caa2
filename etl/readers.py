"""Readers: turn an export file into a raw DuckDB table of text cells with row numbers.

Every reader gives the same shape: a temp table ``raw`` with columns c0..cN
(VARCHAR, the cells under the header) and ``src_row``: the row number a data
officer sees when opening the file (the spreadsheet row, or the CSV line
counting the header as line 1).

It also has ``overflow`` (VARCHAR): for a row with non-blank cells beyond the header's last column (most often
an unquoted comma in a CSV value, which pushes the later cells along), those cells' text joined with the file's
delimiter; NULL for every other row. Blank cells at the end of a row (a trailing comma) are not overflow.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from . import columns

HEADER_SEARCH_ROWS = 30


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is shown to the data officer as it is."""


@dataclass
class RawFile:
    path: Path
    file_name: str
    sha256: str
    kind: str
    headers: list[str]
    header_row: int                      # row number of the header, as seen in the file
    matched: dict[int, str]              # position -> canonical column
    ignored_columns: list[str] = field(default_factory=list)
    sheet: str | None = None             # a workbook's sheet that was read, and how it was chosen
    sheet_choice: str = ""

    def matched_headers(self) -> dict[str, str]:
        """Header as written in the file -> the column it is read as."""
        return {self.headers[pos]: name for pos, name in sorted(self.matched.items())}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_export(con, path: Path, kind: str | None = None, extra_aliases: dict | None = None,
                display_name: str | None = None, sheet: str | None = None) -> RawFile:
    """Read one export into temp table ``raw``. Raises UnreadableFile with a plain-English reason.
    ``sheet``: the workbook's sheet to read (by name); otherwise the one whose headers match best."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise UnreadableFile(f"{name}: file not found")
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise UnreadableFile(f"{name}: macro-enabled Excel files are refused; save it as .xlsx (Excel Workbook) or CSV")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(f"{name}: this is an old-style .xls (or encrypted) Excel file; save it as .xlsx or CSV")
    if head.startswith(b"PK\x03\x04"):
        rows, sheet_name, sheet_choice, where = _xlsx_rows(path, name, kind, extra_aliases, sheet)
        header_index, found_kind, matched = _find_header(rows, kind, extra_aliases, where)
        _raw_from_frame(con, _xlsx_table(rows, header_index))
        headers = [_cell_text(h) or "" for h in rows[header_index]]
        header_row = header_index + 1
        sha256 = file_sha256(path)
    elif suffix in (".xlsx", ".xls"):
        raise UnreadableFile(f"{name}: not a real Excel workbook (the file content is not .xlsx)")
    else:
        headers, header_row, found_kind, matched, sha256 = _read_csv(con, path, name, kind, extra_aliases)
        sheet_name = sheet_choice = None
    ignored = [h for pos, h in enumerate(headers) if pos not in matched and h.strip()]
    ignored += _unnamed_columns_with_data(con, headers, matched)
    return RawFile(path, name, sha256, found_kind, headers, header_row, matched, ignored, sheet_name,
                   sheet_choice or "")


def _unnamed_columns_with_data(con, headers: list[str], matched: dict[int, str]) -> list[str]:
    """Columns with a blank header that hold data: not loaded, so named like any other unknown column."""
    blank = [pos for pos, h in enumerate(headers) if pos not in matched and not h.strip()]
    if not blank:
        return []
    has_data = con.execute("SELECT " + ", ".join(f"bool_or(trim(c{pos}) <> '')" for pos in blank)
                           + " FROM raw").fetchall()[0]
    return [f"column {pos + 1} (no header)" for pos, found in zip(blank, has_data) if found]


def _overflow_text(extra: list, delimiter: str) -> str | None:
    """Cells beyond the header's last column, joined as they were in the file; None when they are all blank."""
    extra = [c or "" for c in extra]
    while extra and not extra[-1].strip(" "):
        extra.pop()
    return delimiter.join(extra) if extra else None


# ---------------------------------------------------------------- XLSX

def _xlsx_table(rows: list[list], header_index: int) -> pa.Table:
    data = rows[header_index + 1:]
    # Rows are as wide as the sheet's used range, and so is the header row: a column with no header within it
    # is an unknown column (named as ignored), and only a cell beyond the header row's end is overflow.
    width = len(rows[header_index])
    # Column by column: a column of plain text (most of them) needs no conversion a cell.
    # calamine gives rectangular rows, so zip (much quicker than zip_longest) turns rows into columns
    lengths = {len(r) for r in data}
    cells = list((zip if len(lengths) == 1 else itertools.zip_longest)(*data))[:width] if data else []
    cells += [(None,) * len(data)] * (width - len(cells))
    if max(lengths, default=0) > width:
        overflow = pa.array([_overflow_text([_cell_text(c) for c in r[width:]], ",") for r in data], pa.string())
    else:
        overflow = pa.nulls(len(data), pa.string())
    return pa.table({**{f"c{i}": _column_text(col) for i, col in enumerate(cells)}, "overflow": overflow,
                     "src_row": pa.array(range(header_index + 2, header_index + 2 + len(data)), pa.int64())})


def _xlsx_rows(path: Path, name: str, kind: str | None, extra_aliases, sheet: str | None):
    """The rows of the sheet to read, its name, how it was chosen (blank for a workbook of one sheet), and the
    file and sheet as named in a message."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" not in names:
                raise UnreadableFile(f"{name}: a zip file but not an Excel workbook")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise UnreadableFile(f"{name}: the workbook contains macros; macro-enabled files are refused")
            if any(n.startswith("xl/externalLinks/") for n in names):
                raise UnreadableFile(f"{name}: the workbook links to other files (external links); "
                                     "copy the data in as values and save again")
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot be read"
        raise UnreadableFile(f"{name}: cannot be opened as an Excel workbook ({exc.__class__.__name__})") from exc
    index, choice = _choose_sheet(book, kind, extra_aliases, sheet, name)
    count = len(book.sheet_names)
    if index is None:     # no sheet has a header: the message says so, of the file as a whole
        return [], "", "", name if count <= 1 else f"{name} (in any of its {count} sheets)"
    where = f'{name} (sheet "{book.sheet_names[index]}")' if choice else name
    # Cells are read as stored values: formulas are never evaluated.
    return book.get_sheet_by_index(index).to_python(skip_empty_area=False), book.sheet_names[index], choice, where


def _choose_sheet(book, kind: str | None, extra_aliases, sheet: str | None, name: str) -> tuple[int | None, str]:
    """SPEC 2.6: the sheet the user named, or else the one whose header (settings' aliases included) matches the
    columns of an export best: all the required columns first, then the most columns. Cover and guidance sheets,
    and the other lists of an Annex A-style workbook, lose to the data."""
    names = book.sheet_names
    if sheet and sheet.strip():
        wanted = sheet.strip().casefold()
        for index, sheet_name in enumerate(names):
            if sheet_name.strip().casefold() == wanted:
                return index, "the sheet named"
        raise UnreadableFile(f'{name}: there is no sheet called "{sheet.strip()}"; its sheets are '
                             + ", ".join(f'"{n}"' for n in names))
    if len(names) <= 1:
        return (0 if names else None), ""
    best, chosen, chosen_kind = None, 0, None
    for index in range(len(names)):
        head = book.get_sheet_by_index(index).to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
        score, _, found, matched = _best_header(head, kind, extra_aliases)
        if found is None:
            continue
        rank = (not columns.missing_columns(found, matched.values()), score, -index)
        if best is None or rank > best:
            best, chosen, chosen_kind = rank, index, found
    if best is None:
        return None, ""
    return chosen, f"chosen of {len(names)} sheets by its headers, those of a {columns.KIND_LABELS[chosen_kind]}"


def _column_text(column: tuple) -> pa.Array:
    """A column's cells as text (blank is NULL), converted by Arrow where it can: a column of text, or of only
    dates (Excel dates become ISO dates), needs no work a cell in Python; anything else goes cell by cell."""
    try:
        text = pa.array(column, pa.string())
        return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    cells = [None if type(v) is str and not v else v for v in column]
    # Arrow's date path only for a column of nothing but dates: left to infer, Arrow reads a number among
    # dates (a serial without a date format, or a 0/1) as days since 1970, silently.
    if set(map(type, cells)) - {type(None)} == {dt.date}:
        return pa.array(cells, pa.date32()).cast(pa.string())
    return pa.array([_cell_text(v) for v in cells], pa.string())


def _cell_text(value) -> str | None:
    """A cell as the text a person would read; Excel dates become ISO dates."""
    if type(value) is str:        # most cells: the fast path first
        return value or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return str(value)


def _best_header(rows: list[list], kind: str | None, extra_aliases):
    """(columns matched, row index, kind, matched) of the row, among the first few, that matches the most known
    columns; index None when no row matches two."""
    best = (1, None, None, {})  # at least two columns must match
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [_cell_text(c) for c in row]
        if kind:
            matched = columns.match_headers(cells, kind, extra_aliases)
            found = kind
        else:
            found, matched = columns.detect_kind(cells, extra_aliases)
        if found and len(set(matched.values())) > best[0]:
            best = (len(set(matched.values())), index, found, matched)
    return best


def _find_header(rows: list[list], kind: str | None, extra_aliases, name: str):
    """The header is the row, among the first few, that matches the most known columns."""
    _, index, found, matched = _best_header(rows, kind, extra_aliases)
    if index is None:
        expected = "plan, actions or traffic-light export" if not kind else columns.KIND_LABELS[kind]
        raise UnreadableFile(f"{name}: no recognisable header row in the first {HEADER_SEARCH_ROWS} rows "
                             f"(expected the columns of a {expected}, e.g. person_id, team, plan_date)")
    missing = columns.missing_columns(found, matched.values())
    if missing:
        raise UnreadableFile(f"{name}: required column{'s' if len(missing) > 1 else ''} missing for a "
                             f"{columns.KIND_LABELS[found]}: {', '.join(missing)}")
    return index, found, matched


# ---------------------------------------------------------------- CSV

def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _read_csv(con, path: Path, name: str, kind, extra_aliases):
    data = path.read_bytes()
    # The file's hash is worked out from the bytes already read, in a thread while DuckDB reads the file
    # (both let go of the GIL), not in a second pass.
    digest: list[str] = []
    hashing = threading.Thread(target=lambda: digest.append(hashlib.sha256(data).hexdigest()))
    hashing.start()
    try:
        headers, header_line, found_kind, matched = _read_csv_body(con, path, name, kind, extra_aliases, data)
    finally:
        hashing.join()
    return headers, header_line, found_kind, matched, digest[0]


def _read_csv_body(con, path: Path, name: str, kind, extra_aliases, data: bytes):
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"{name}: not a text (CSV) file and not an Excel workbook")
    if data.isascii():
        # Plain ASCII is already valid UTF-8: no need to decode the whole file (most exports are like this).
        text, encoding, sample = None, "utf-8", data[:65536].decode("ascii")
    else:
        try:
            text, encoding = _decode(data, name)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"{name}: the text encoding cannot be read ({exc.reason})") from exc
        sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    head_reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    head_rows, line_ends = [], []
    try:
        for row in head_reader:
            head_rows.append(row)
            line_ends.append(head_reader.line_num)
            if len(head_rows) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: not a readable CSV file ({exc})") from exc
    header_index, found_kind, matched = _find_header(head_rows, kind, extra_aliases, name)
    headers = head_rows[header_index]
    header_line = line_ends[header_index]    # the line the header ends on
    width = len(headers)
    body_lines = _line_count(text if text is not None else data) - header_line
    if not _duckdb_csv(con, path, text, encoding, delimiter, header_line, width, body_lines):
        _python_csv(con, text if text is not None else data.decode("ascii"), delimiter, header_line, width)
    return headers, header_line, found_kind, matched


def _line_count(buf: str | bytes) -> int:
    """Lines in the file, not counting line breaks at its very end (counted without copying it)."""
    newline, cr = ("\n", "\r") if isinstance(buf, str) else (b"\n", b"\r")
    end = len(buf)
    while end and buf[end - 1:end] in (newline, cr):
        end -= 1
    return buf.count(newline, 0, end) + 1


def _duckdb_csv(con, path, text, encoding, delimiter, header_line, width, body_lines) -> bool:
    """Fast path: DuckDB's own reader. Used only when its row numbers are provably exact."""
    source, tmp = path, None
    try:
        if encoding not in ("utf-8", "utf-8-sig"):
            fd, tmp = tempfile.mkstemp(suffix=".csv")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            source = tmp
        # One column more than the header: a row with one cell too many is kept (as overflow); a row with
        # more than that is an error here, and the careful reader takes the file.
        cols = "{" + ", ".join([*(f"'c{i}': 'VARCHAR'" for i in range(width)), "'overflow': 'VARCHAR'"]) + "}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_fast AS SELECT * FROM read_csv(?, header=false, skip={header_line}, "
            f"delim=?, quote='\"', escape='\"', all_varchar=true, null_padding=true, columns={cols}, "
            f"auto_detect=false)", [str(source), delimiter])
    except Exception:  # noqa: BLE001 - any oddity: fall back to the careful reader
        return False
    finally:
        if tmp:
            os.unlink(tmp)
    # DuckDB skips blank lines and joins quoted line breaks, so equal counts mean every row is on its own line.
    if con.execute("SELECT count(*) FROM raw_fast").fetchall()[0][0] != max(body_lines, 0):
        con.execute("DROP TABLE raw_fast")
        return False
    # A view, not a copy: rowid is the file order of a freshly created table.
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS SELECT * EXCLUDE (overflow), "
                f"CASE WHEN trim(overflow) <> '' THEN overflow END AS overflow, "
                f"rowid + {header_line + 1} AS src_row FROM raw_fast")
    return True


def _python_csv(con, text, delimiter, header_line, width) -> None:
    """Careful path: Python's csv module, tracking the line each row starts on."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, starts = [], []
    previous_end = 0
    for row in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if start <= header_line or not row:
            continue
        rows.append([(c if c != "" else None) for c in (row + [None] * width)[:width]]
                    + [_overflow_text(row[width:], delimiter) if len(row) > width else None])
        starts.append(start)
    frame = pd.DataFrame(rows, columns=[*(f"c{i}" for i in range(width)), "overflow"], dtype="string")
    frame["src_row"] = starts
    _raw_from_frame(con, frame)


def _raw_from_frame(con, frame: pd.DataFrame | pa.Table) -> None:
    con.execute("DROP VIEW IF EXISTS raw")
    con.register("raw_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE raw_fast AS SELECT * FROM raw_frame")
    con.unregister("raw_frame")
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_fast")
