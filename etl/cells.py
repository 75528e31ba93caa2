"""Text of cells: decoded per cell, and cleaned of characters nobody can see (SPEC §2.6).

* A UTF-8 file with a few bytes that are not UTF-8 stays UTF-8: only the cells holding those bytes are read as
  Windows-1252, each with a warning. A file with no UTF-8 letters at all is a Windows-1252 file, read whole.
* Control characters, NUL, zero-width and bidirectional marks are removed from values (line breaks and tabs
  become a space, except in comments and action text), each cell with a warning: they would split a team or a
  person in two, and a spreadsheet written later refuses them.
"""
from __future__ import annotations

import re

from .csv_records import is_free_text

# Invisible characters removed from every value: C0/C1 controls but tab and line breaks, DEL, soft hyphen,
# zero-width spaces and joiners, bidirectional marks and isolates, word joiners, a BOM in the middle of text.
_INVISIBLE_CLASS = (r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{00AD}\x{061C}\x{200B}-\x{200F}\x{202A}-\x{202E}"
                    r"\x{2060}-\x{2064}\x{2066}-\x{2069}\x{FEFF}")
INVISIBLE_SQL = f"[{_INVISIBLE_CLASS}]"            # RE2, for DuckDB
LINE_BREAKS_SQL = r"[\t\r\n]+"
_UNDECODED = re.compile("[\udc80-\udcff]")


INVISIBLE = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u00AD\u061C\u200B-\u200F\u202A-\u202E"
                       r"\u2060-\u2064\u2066-\u2069\uFEFF]")
INVISIBLE_BYTES = re.compile(rb"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")
# Every byte but those: bytes.translate deletes them, leaving the control bytes (several times quicker than the
# pattern over a whole file).
_NOT_INVISIBLE_BYTES = bytes(b for b in range(256) if not INVISIBLE_BYTES.match(bytes([b])))


def has_invisible_bytes(data: bytes) -> bool:
    """Whether the bytes hold a control character that clean_raw would remove."""
    return bool(data.translate(None, _NOT_INVISIBLE_BYTES))


def printable(text: str) -> str:
    """A file name safe to print: control characters (a terminal's escape sequences) and invisible marks are
    shown as codes (\\x1b, \\u202e), never sent to the terminal or page as they are."""
    return re.sub(r"[\t\r\n]", " ", INVISIBLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text))


def looks_binary(sample: bytes) -> bool:
    """More than one byte in twenty a control character: not a text file (a few NULs in text are cleaned)."""
    if not sample:
        return False
    controls = len(INVISIBLE_BYTES.findall(sample))
    return controls / len(sample) > 0.05


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is NUL, as in UTF-16 text of Latin letters."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, per_cell): per_cell when the text holds undecoded bytes for recode_cell to read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", False
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", False
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="surrogateescape")
    # Real UTF-8 letters (é, ŵ, ’) beside the odd bytes: a UTF-8 file with a few bad cells, read per cell.
    if bom or re.search("[^\x00-\x7f\udc80-\udcff]", text):
        return text, "utf-8", True
    try:
        return body.decode("cp1252"), "cp1252", False
    except UnicodeDecodeError:
        return body.decode("latin-1"), "latin-1", False


def has_undecoded(cell: str) -> bool:
    return _UNDECODED.search(cell) is not None


def recode_cell(cell: str) -> str:
    """A cell's bytes that were not UTF-8 read as Windows-1252 (its UTF-8 letters stay as they are)."""
    return _UNDECODED.sub(lambda m: _cp1252_char(ord(m.group()) - 0xDC00), cell)


_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}     # bytes Windows-1252 has no letter for: read as Latin-1


def _cp1252_char(byte: int) -> str:
    return chr(byte) if byte in _CP1252_HOLES else bytes([byte]).decode("cp1252")


UNDECODED_REASON = ("some characters were not UTF-8 text (the rest of the file is): read as Windows-1252 "
                    "(£, é, ’); check the value")
INVISIBLE_REASON = ("control characters or invisible marks (NUL, zero-width or direction marks) were removed "
                    "from the value (a line break or tab inside it became a space)")


def clean_raw(con, headers: list[str], matched: dict[int, str]) -> None:
    """Remove invisible characters from the cells of view ``raw`` (which then reads a cleaned copy)
    and add a warning to ``reader_issues`` for each cell changed in a column that is loaded."""
    width = len(headers)
    if not width:
        return
    warn = [p for p in range(width) if p in matched]
    if warn:
        unions = " UNION ALL ".join(
            f"SELECT src_row, '{matched[p]}' AS column_name FROM raw "
            f"WHERE regexp_matches(c{p}, '{_pattern(matched.get(p))}')" for p in warn)
        con.execute(f"INSERT INTO reader_issues SELECT src_row, column_name, 'warning', ? FROM ({unions})",
                    [INVISIBLE_REASON])
    cleaned = ", ".join(f"{_clean_sql(f'c{p}', matched.get(p))} AS c{p}" for p in range(width))
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_clean AS SELECT {cleaned}, * EXCLUDE ("
                + ", ".join(f"c{p}" for p in range(width)) + ") FROM raw ORDER BY src_row")
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_clean")


def _pattern(column: str | None) -> str:
    return INVISIBLE_SQL if is_free_text(column) else f"{INVISIBLE_SQL[:-1]}\\t\\r\\n]"


def _clean_sql(cell: str, column: str | None) -> str:
    removed = f"regexp_replace({cell}, '{INVISIBLE_SQL}', '', 'g')"
    if is_free_text(column):
        return removed
    return f"regexp_replace({removed}, '{LINE_BREAKS_SQL}', ' ', 'g')"
