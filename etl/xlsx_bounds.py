"""Bounded reading of workbooks (SPEC §2.6: no file can take the service down).

calamine allocates rows × columns of a sheet's used range before giving a single cell, and when that fails the
process aborts (nothing to catch): a 5 KB workbook with one cell at XFD1048576 asks for 512 GB. So before
calamine opens a sheet, its XML is scanned for the cells that exist. A sheet whose range is far larger than its
cells is given to calamine as a packed copy: its rows one after another (their spreadsheet row numbers kept here),
cells beyond column MAX_COLUMNS left out and named in the summary. The same scan finds Excel's error cells
(#N/A, #REF!…), which calamine gives as blank: the reader puts their text back.
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_COLUMNS = 1_000            # far beyond any export's columns; cells further right are not read
MAX_CELLS = 20_000_000         # rows × columns calamine may lay out for one sheet (a few hundred MB)
MAX_UNPACKED = 1 << 30         # bytes any one part of the workbook may unpack to (a zip bomb is refused)
MAX_PACKED_XML = 256 << 20     # a sheet that needs packing is rewritten in memory: up to this size

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"')
_ROW_TAG = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,7})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\st="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?(?:/>|>.*?</(?:\w+:)?c>)", re.S)


class TooLarge(Exception):
    """The sheet cannot be read within the bounds; the message says why, in plain words."""


@dataclass
class Bounds:
    path: Path                                                   # the workbook for calamine (a packed copy if needed)
    row_numbers: dict[int, list[int]] = field(default_factory=dict)  # sheet index -> row of each packed row
    notes: dict[int, str] = field(default_factory=dict)              # sheet index -> cells left out
    # sheet index -> (row, column, text) of each Excel error cell (#N/A, #REF!…), which calamine gives as blank
    errors: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    copy: Path | None = None                                     # the packed copy, to delete after reading

    def close(self) -> None:
        if self.copy:
            self.copy.unlink(missing_ok=True)


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def sheet_parts(zf: zipfile.ZipFile) -> list[str]:
    """The XML part of each sheet, in the workbook's order (the order calamine numbers them)."""
    book = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.namelist() else b""
    targets = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(
        rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    parts = []
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        rid = re.search(rb'\br:id="([^"]+)"|\bid="([^"]+)"', m.group(0))
        target = targets.get((rid.group(1) or rid.group(2)) if rid else b"", b"").decode()
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts.append(os.path.normpath(target).replace(os.sep, "/") if target != "xl/" else "")
    return parts


def check(path: Path) -> Bounds:
    """Scan every sheet; give calamine the workbook as it is, or a copy with the sparse sheets packed."""
    packed: dict[str, bytes] = {}
    bounds = Bounds(path)
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.file_size > MAX_UNPACKED:
                raise TooLarge(f"part of the workbook ({info.filename}) unpacks to {info.file_size / 2**30:.1f} GB, "
                               "more than can be read safely; save the data on its own in a new workbook")
        names = set(zf.namelist())
        for index, part in enumerate(sheet_parts(zf)):
            if part not in names:
                continue
            height, width, rows_present, errors = _extent(zf, part)
            if errors:
                bounds.errors[index] = errors
            # Packed when the range is absurd, or mostly empty rows (a cell typed far below the data).
            if width <= MAX_COLUMNS and height * max(width, 1) <= MAX_CELLS and height <= 2 * rows_present + 10_000:
                continue
            if rows_present * min(width, MAX_COLUMNS) > MAX_CELLS:
                raise TooLarge(f"a sheet has {rows_present:,} rows of up to {min(width, MAX_COLUMNS):,} columns, "
                               "too many cells to read safely; split the export into smaller files")
            if zf.getinfo(part).file_size > MAX_PACKED_XML:
                raise TooLarge(f"a sheet has cells far outside its data (out to {column_letters(width)}{height}) "
                               "and is too large to tidy; delete the cells outside the data and save again")
            packed[part], bounds.row_numbers[index], dropped, furthest = _pack(zf.read(part))
            if dropped:
                bounds.notes[index] = (f"{dropped:,} cell{'s' if dropped > 1 else ''} beyond column "
                                       f"{column_letters(MAX_COLUMNS)} (the furthest at {furthest}), not read")
        if packed:
            fd, name = tempfile.mkstemp(suffix=".xlsx", prefix="pwp-packed-")
            os.close(fd)
            bounds.copy = bounds.path = Path(name)
            with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as out:
                for info in zf.infolist():
                    out.writestr(info.filename, packed.get(info.filename) or zf.read(info.filename))
    return bounds


MAX_ERRORS_KEPT = 100_000


def _extent(zf: zipfile.ZipFile, part: str) -> tuple[int, int, int, list]:
    """(last row, last column, rows holding cells, error cells) of a sheet, read in blocks: the XML is never
    held whole."""
    height = width = rows_present = 0
    errors: list[tuple[int, int, str]] = []
    carry = b""
    with zf.open(part) as fh:
        while True:
            block = fh.read(8 << 20)
            buffer = carry + block
            cut = len(buffer) if not block else buffer.rfind(b">") + 1
            chunk, carry = buffer[:cut], buffer[cut:]
            columns = set(_CELL_REF.findall(chunk))
            if columns:
                width = max(width, max(column_number(c) for c, _ in columns))
                height = max(height, max(int(r) for _, r in columns))
            rows = _ROW_TAG.findall(chunk)
            rows_present += len(rows)
            if rows:
                height = max(height, max(map(int, rows)))
            if b't="e"' in chunk and len(errors) < MAX_ERRORS_KEPT:
                for m in _ERROR_CELL.finditer(chunk):
                    ref = re.search(rb'\sr="([A-Z]{1,3})(\d{1,7})"', m.group(1))
                    value = re.search(rb"<(?:\w+:)?v>([^<]*)<", m.group(2))
                    if ref and value:
                        errors.append((int(ref.group(2)), column_number(ref.group(1)), value.group(1).decode()))
            if not block:
                return height, width, rows_present, errors


def _pack(xml: bytes) -> tuple[bytes, list[int], int, str]:
    """The sheet with its rows numbered 1, 2, 3…, cells beyond MAX_COLUMNS left out; the original row numbers."""
    numbers: list[int] = []
    dropped, furthest = 0, ""

    def cell(m: re.Match) -> bytes:
        nonlocal dropped, furthest
        ref = re.search(rb'\sr="([A-Z]{1,3})(\d{1,7})"', m.group(0)[:m.group(0).find(b">") + 1])
        if ref and column_number(ref.group(1)) > MAX_COLUMNS:
            dropped += 1
            furthest = max(furthest, ref.group(1).decode() + ref.group(2).decode(), key=lambda r: (len(r), r))
            return b""
        if ref:
            return m.group(0).replace(ref.group(0), b' r="' + ref.group(1) + str(len(numbers)).encode() + b'"', 1)
        return m.group(0)

    def row(m: re.Match) -> bytes:
        text = m.group(0)
        start = text[:text.find(b">") + 1]
        found = re.search(rb'\sr="(\d+)"', start)
        numbers.append(int(found.group(1)) if found else (numbers[-1] + 1 if numbers else 1))
        new_start = re.sub(rb'\s(r|spans)="[^"]*"', b"", start)
        new_start = new_start[:-1].rstrip(b"/") + b' r="' + str(len(numbers)).encode() + b'"' + (
            b"/>" if start.endswith(b"/>") else b">")
        return new_start + _CELL.sub(cell, text[len(start):]) if not start.endswith(b"/>") else new_start

    opening = re.search(rb"<(?:\w+:)?sheetData\b[^>]*>", xml)
    closing = re.search(rb"</(?:\w+:)?sheetData>", xml)
    if not opening or not closing or opening.group(0).endswith(b"/>"):
        return xml, [], 0, ""
    body = _ROW.sub(row, xml[opening.end():closing.start()])
    root_close = xml[xml.rfind(b"</"):]
    return xml[:opening.end()] + body + closing.group(0) + root_close, numbers, dropped, furthest
