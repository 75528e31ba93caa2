"""CSV records read line by line, so that a quote never swallows rows (SPEC §2.6).

A quoted value may run over several lines only in a free-text column (comments, action text). Anywhere else the
row is rejected with a reason naming the column and its lines. A quote that opens and does not close properly
(the file ends, junk follows the closing quote, the "value" holds whole rows) rejects only the line it opens on,
and the lines after it are read as rows again. Reasons never quote the cells: they may hold a person's ID.
"""
from __future__ import annotations

import contextlib
import csv
from dataclasses import dataclass, field

# A longer "value" is a quote that did not close, not a comment.
MAX_LINES_IN_VALUE = 50
# Python's csv module's own limit; a longer cell rejects its row instead of failing the file.
MAX_CELL_CHARS = 131_072


def is_free_text(column: str | None) -> bool:
    """Columns where a line break inside a value is part of what was written: comments and action text."""
    return column is not None and (column == "action" or column.endswith("_comment"))


@dataclass
class Records:
    rows: list[list[str | None]] = field(default_factory=list)   # the header's width of cells, then overflow
    starts: list[int] = field(default_factory=list)               # the line each row starts on (header = 1)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, column, severity, reason)


def split_lines(text: str) -> list[str]:
    """Lines with their ends: \\n or \\r\\n; a file with no \\n at all (old Mac Excel) ends lines with \\r."""
    sep = "\r" if "\n" not in text and "\r" in text else "\n"
    lines = text.split(sep)
    last = lines.pop()
    lines = [line + sep for line in lines]
    if last:
        lines.append(last)
    return lines


class _Feed:
    """Gives csv.reader one line at a time and remembers how far it has read."""

    def __init__(self, lines: list[str], start: int):
        self.lines, self.next = lines, start

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines):
            raise StopIteration
        self.next += 1
        return self.lines[self.next - 1]


@contextlib.contextmanager
def no_field_limit():
    old = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _lenient(line: str, delimiter: str) -> list[str]:
    """One line on its own, as forgiving as the csv module allows (an unclosed quote runs to the line's end)."""
    body = line.rstrip("\r\n")
    try:
        return next(csv.reader([body], delimiter=delimiter), [])
    except csv.Error:     # a carriage return inside an unquoted value
        return next(csv.reader([body.replace("\r", " ")], delimiter=delimiter), [])


def read_records(lines: list[str], first: int, delimiter: str, headers: list[str],
                 matched: dict[int, str]) -> Records:
    """The rows from line index `first` on (0-based; the line number shown is index + 1)."""
    out = Records()
    width = len(headers)
    with no_field_limit():
        index = first
        while index is not None and index < len(lines):
            index = _read_from(lines, index, delimiter, headers, matched, width, out)
    return out


def _column(position: int, headers: list[str], matched: dict[int, str]) -> str:
    """The name a reason is filed under: the canonical name where matched (shown as the file's header later)."""
    if position in matched:
        return matched[position]
    if position < len(headers):
        return headers[position] or f"column {position + 1}"
    return f"column {position + 1}"


def _read_from(lines, index, delimiter, headers, matched, width, out: Records) -> int | None:
    """Read rows until a quote goes wrong; returns the line to start again from (None at the end)."""
    feed = _Feed(lines, index)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    while True:
        start = feed.next
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            unclosed = "unexpected end of data" in str(exc)
            if feed.next - start <= 1 and not unclosed:
                # Something odd on this one line (text after a closing quote): read it as before, forgivingly.
                _emit(out, _lenient(lines[start], delimiter), start, width, delimiter, headers, matched)
            else:
                _runaway(out, lines, start, delimiter, width, headers, matched)
            return start + 1
        end = feed.next
        if end - start == 1:
            if row:
                _emit(out, row, start, width, delimiter, headers, matched)
            continue
        # A quoted value ran over lines start+1 .. end
        broken = [p for p, cell in enumerate(row) if "\n" in cell or "\r" in cell]
        if _swallowed_rows(row, lines[start + 1:end], delimiter, width):
            _runaway(out, lines, start, delimiter, width, headers, matched)
            return start + 1
        not_free = [p for p in broken if p in matched and not is_free_text(matched[p])]
        _emit(out, row, start, width, delimiter, headers, matched)
        for p in not_free[:1]:
            out.problems.append((start + 1, _column(p, headers, matched), "rejected",
                                 f"the value runs over lines {start + 1}–{end} (a line break inside quotes); "
                                 "line breaks are accepted only in comments and action text. The row is not loaded"))


def _swallowed_rows(row: list[str], continuation: list[str], delimiter: str, width: int) -> bool:
    """A quoted "value" that is really the rows after an unclosed quote: too long, too many cells, or holding a
    line that is a whole row on its own."""
    if len(continuation) >= MAX_LINES_IN_VALUE:
        return True
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return True
    return width >= 3 and any(len(_lenient(line, delimiter)) >= width for line in continuation)


def _runaway(out: Records, lines, start, delimiter, width, headers, matched) -> None:
    """The line a quote opened on and did not close: rejected on its own; the lines after it are rows again."""
    cells = _lenient(lines[start], delimiter)
    # The quote that never closed is the last one opened on the line: the rest of the line fell into its cell.
    position = max(len(cells) - 1, 0)
    _emit(out, cells, start, width, delimiter, headers, matched, check_length=False)
    out.problems.append((start + 1, _column(position, headers, matched), "rejected",
                         f'a quote (") opens in this column on line {start + 1} and is not closed on that line, so '
                         "the lines after it would have been read into this one value. The row is not loaded; the "
                         "lines after it are read as rows"))


def _emit(out: Records, row: list[str], start: int, width: int, delimiter: str, headers, matched,
          check_length: bool = True) -> None:
    if check_length:
        for p, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                out.problems.append((start + 1, _column(p, headers, matched), "rejected",
                                     f"the value is {len(cell):,} characters long, more than {MAX_CELL_CHARS:,}; "
                                     "the row is not loaded"))
                break
    cells = [(c if c != "" else None) for c in (row + [None] * width)[:width]]
    extra = [c or "" for c in row[width:]]
    while extra and not extra[-1].strip(" "):
        extra.pop()
    out.rows.append(cells + [delimiter.join(extra) if extra else None])
    out.starts.append(start + 1)
