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

from . import cells, columns, csv_records, xlsx_bounds

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
    name = cells.printable(display_name or path.name)
    if not path.is_file():
        raise UnreadableFile(f"{name}: file not found")
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise UnreadableFile(f"{name}: macro-enabled Excel files are refused; save it as .xlsx (Excel Workbook) or CSV")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(f"{name}: this is an old-style .xls (or encrypted) Excel file; save it as .xlsx or CSV")
    _start_reader_issues(con)
    if head.startswith(b"PK\x03\x04"):
        rows, row_numbers, left_out, sheet_name, sheet_choice, where = _xlsx_rows(path, name, kind, extra_aliases,
                                                                                   sheet)
        header_index, found_kind, matched = _find_header(rows, kind, extra_aliases, where)
        _raw_from_frame(con, _xlsx_table(rows, header_index, row_numbers))
        headers = [cells.INVISIBLE.sub("", _cell_text(h) or "") for h in rows[header_index]]
        header_row = row_numbers[header_index] if row_numbers else header_index + 1
        if _has_invisible(con, len(headers)):
            cells.clean_raw(con, headers, matched)
        sha256 = file_sha256(path)
    elif suffix in (".xlsx", ".xls"):
        raise UnreadableFile(f"{name}: not a real Excel workbook (the file content is not .xlsx)")
    else:
        headers, header_row, found_kind, matched, sha256 = _read_csv(con, path, name, kind, extra_aliases)
        sheet_name = sheet_choice = None
    ignored = [h for pos, h in enumerate(headers) if pos not in matched and h.strip()]
    ignored += _unnamed_columns_with_data(con, headers, matched)
    if head.startswith(b"PK\x03\x04") and left_out:
        ignored.append(left_out)
    return RawFile(path, name, sha256, found_kind, headers, header_row, matched, ignored, sheet_name,
                   sheet_choice or "")


def _has_invisible(con, width: int) -> bool:
    """Whether any cell holds a character cells.clean_raw removes (one pass over the cells, in DuckDB)."""
    if not width:
        return False
    pattern = cells.INVISIBLE_SQL[:-1] + "\\t\\r\\n]"
    return bool(con.execute("SELECT " + " OR ".join(
        f"coalesce(bool_or(regexp_matches(c{p}, '{pattern}')), false)" for p in range(width)) + " FROM raw").fetchall()[0][0])


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

def _xlsx_table(rows: list[list], header_index: int, row_numbers: list[int] | None = None) -> pa.Table:
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
                     # the spreadsheet's own row numbers where xlsx_bounds packed the sheet's rows together
                     "src_row": pa.array(row_numbers[header_index + 1:header_index + 1 + len(data)] if row_numbers
                                         else range(header_index + 2, header_index + 2 + len(data)), pa.int64())})


def _xlsx_rows(path: Path, name: str, kind: str | None, extra_aliases, sheet: str | None):
    """The rows of the sheet to read; the spreadsheet row of each where xlsx_bounds packed the sheet (else None);
    a note of the cells left out (beyond xlsx_bounds.MAX_COLUMNS), if any; the sheet's name; how it was chosen
    (blank for a workbook of one sheet); and the file and sheet as named in a message."""
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
        bounds = xlsx_bounds.check(path)
    except UnreadableFile:
        raise
    except xlsx_bounds.TooLarge as exc:
        raise UnreadableFile(f"{name}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot be read"
        raise UnreadableFile(f"{name}: cannot be opened as an Excel workbook ({exc.__class__.__name__})") from exc
    try:
        return _read_chosen_sheet(bounds, name, kind, extra_aliases, sheet)
    finally:
        bounds.close()


def _read_chosen_sheet(bounds: xlsx_bounds.Bounds, name: str, kind: str | None, extra_aliases, sheet: str | None):
    """A sheet calamine cannot read (broken XML, a shared string that is not there) makes the file unreadable,
    in one line."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(bounds.path))
        index, choice = _choose_sheet(book, kind, extra_aliases, sheet, name)
        count = len(book.sheet_names)
        if index is None:     # no sheet has a header: the message says so, of the file as a whole
            return [], None, None, "", "", name if count <= 1 else f"{name} (in any of its {count} sheets)"
        where = f'{name} (sheet "{book.sheet_names[index]}")' if choice else name
        # Cells are read as stored values: formulas are never evaluated.
        rows = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
        _put_back_errors(rows, bounds.errors.get(index, []), bounds.row_numbers.get(index))
        return rows, bounds.row_numbers.get(index), bounds.notes.get(index), book.sheet_names[index], choice, where
    except UnreadableFile:
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's panics are BaseException; all mean "cannot be read"
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        detail = " ".join(str(exc).split())[:160]
        raise UnreadableFile(f"{name}: the workbook is damaged and cannot be read ({detail or exc.__class__.__name__}); "
                             "open it in Excel, save it again and reload it") from None


def _put_back_errors(rows: list[list], errors: list[tuple[int, int, str]], row_numbers: list[int] | None) -> None:
    """Excel error cells (#N/A, #DIV/0!…) as their text, never as blank: they load as unknown, with a warning."""
    where = {number: i for i, number in enumerate(row_numbers)} if row_numbers else None
    for row, column, text in errors:
        index = where.get(row) if where is not None else row - 1
        if index is not None and index < len(rows) and column - 1 < len(rows[index]):
            rows[index][column - 1] = text


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
        expected = "plan, actions or traffic-light export, or of a care-leaver list" if not kind else columns.KIND_LABELS[kind]
        raise UnreadableFile(f"{name}: no recognisable header row in the first {HEADER_SEARCH_ROWS} rows "
                             f"(expected the columns of a {expected}, e.g. person_id, team, plan_date)")
    _refuse_two_columns_read_as_one(rows[index], found, matched, extra_aliases, name)
    missing = columns.missing_columns(found, matched.values())
    if missing:
        raise UnreadableFile(f"{name}: required column{'s' if len(missing) > 1 else ''} missing for a "
                             f"{columns.KIND_LABELS[found]}: {', '.join(missing)}")
    return index, found, matched


def _refuse_two_columns_read_as_one(header: list, kind: str, matched: dict[int, str], extra_aliases, name: str):
    """Two columns that both read as one (two 'Team Name' columns): which one holds the data is a guess, so the
    file is refused rather than the first loaded and the other silently left out."""
    first_at = {canonical: pos for pos, canonical in matched.items()}
    for pos, cell in enumerate(header):
        text = _cell_text(cell)
        if pos in matched or not text:
            continue
        again = columns.match_headers([text], kind, extra_aliases).get(0)
        if again in first_at:
            first = first_at[again]
            raise UnreadableFile(
                f"{name}: two columns would both be read as {again}: \"{_cell_text(header[first])}\" (column "
                f"{first + 1}) and \"{text}\" (column {pos + 1}); rename or delete one of them and load the file again")


# ---------------------------------------------------------------- CSV

# The header is looked for in the first lines of the file, however long they are (a 10,000-column header is
# longer than 64 KiB), up to this many characters.
HEADER_SEARCH_CHARS = 16 * 1024 * 1024


def _decode(data: bytes, name: str) -> tuple[str, str, bool]:
    """(text, encoding, per_cell): see cells.decode. UTF-16 without a byte-order mark is read when its pattern
    of NULs is plain; other text full of control characters is not text."""
    sample = data[:65536]
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        utf16 = cells.utf16_without_bom(sample)
        if utf16:
            try:
                return data.decode(utf16), utf16, False
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"{name}: looks like UTF-16 text without a byte-order mark but cannot be read "
                                     "as such; save it again as CSV UTF-8") from exc
        if cells.looks_binary(sample):
            raise UnreadableFile(f"{name}: not a text (CSV) file and not an Excel workbook")
    return cells.decode(data)


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


def _head(text: str) -> str:
    """The first HEADER_SEARCH_ROWS lines (and a few more, for quoted line breaks), bounded in size."""
    end, count = 0, 0
    while count < HEADER_SEARCH_ROWS * 2 and end < min(len(text), HEADER_SEARCH_CHARS):
        found = text.find("\n", end, HEADER_SEARCH_CHARS)
        if found < 0:
            return text[:HEADER_SEARCH_CHARS]
        end, count = found + 1, count + 1
    return text[:end]


def _read_csv_body(con, path: Path, name: str, kind, extra_aliases, data: bytes):
    if data.isascii() and not cells.has_invisible_bytes(data):
        # Plain ASCII is already valid UTF-8: no need to decode the whole file (most exports are like this).
        text, encoding, per_cell, clean = None, "utf-8", False, True
        sample = _head(data[:HEADER_SEARCH_CHARS].decode("ascii"))
    else:
        text, encoding, per_cell = _decode(data, name)
        sample = _head(text)
        clean = not cells.INVISIBLE.search(text)
    try:
        dialect = csv.Sniffer().sniff(sample[:65536], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    head_lines = csv_records.split_lines(sample)
    try:
        with csv_records.no_field_limit():
            head_reader = csv.reader(head_lines, delimiter=delimiter)
            head_rows, line_ends = [], []
            for row in head_reader:
                head_rows.append(row)
                line_ends.append(head_reader.line_num)
                if len(head_rows) >= HEADER_SEARCH_ROWS:
                    break
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: not a readable CSV file ({exc})") from exc
    header_index, found_kind, matched = _find_header(head_rows, kind, extra_aliases, name)
    headers = [cells.INVISIBLE.sub("", h) for h in head_rows[header_index]]
    header_line = line_ends[header_index]    # the line the header ends on
    width = len(headers)
    body_lines = _line_count(text if text is not None else data) - header_line
    if per_cell or not _duckdb_csv(con, path, text, encoding, delimiter, header_line, width, body_lines):
        _python_csv(con, text if text is not None else data.decode("ascii"), delimiter, header_line, headers, matched)
        clean = False
    if not clean:
        cells.clean_raw(con, headers, matched)
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


def _python_csv(con, text, delimiter, header_line, headers, matched) -> None:
    """Careful path: line by line (see csv_records), each row with the line it starts on; cells holding bytes
    that are not UTF-8 are read as Windows-1252, with a warning."""
    records = csv_records.read_records(csv_records.split_lines(text), header_line, delimiter, headers, matched)
    problems = list(records.problems)
    if cells.has_undecoded(text):
        for row, start in zip(records.rows, records.starts):
            for p, cell in enumerate(row):
                if cell is not None and cells.has_undecoded(cell):
                    row[p] = cells.recode_cell(cell)
                    if p in matched:
                        problems.append((start, matched[p], "warning", cells.UNDECODED_REASON))
    width = len(headers)
    frame = pd.DataFrame(records.rows, columns=[*(f"c{i}" for i in range(width)), "overflow"], dtype="string")
    frame["src_row"] = records.starts
    _raw_from_frame(con, frame)
    _add_reader_issues(con, problems)


def _start_reader_issues(con) -> None:
    """Problems found while reading (a broken quote, a cell not UTF-8, invisible characters), by row."""
    con.execute("CREATE OR REPLACE TEMP TABLE reader_issues "
                "(src_row INTEGER, column_name VARCHAR, severity VARCHAR, reason VARCHAR)")


def _add_reader_issues(con, problems: list[tuple]) -> None:
    if problems:
        con.executemany("INSERT INTO reader_issues VALUES (?, ?, ?, ?)", problems)


def _raw_from_frame(con, frame: pd.DataFrame | pa.Table) -> None:
    con.execute("DROP VIEW IF EXISTS raw")
    con.register("raw_frame", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE raw_fast AS SELECT * FROM raw_frame")
    con.unregister("raw_frame")
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_fast")
