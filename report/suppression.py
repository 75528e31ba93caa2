"""Small-number suppression: the single home of the rule in SPEC §3 for anything a panel sees.

* Primary: a count from 1 to ``small_number_max`` (default 4) is shown as ``[c]``.
* Secondary: more cells are hidden until no hidden count can be worked out from
  what is shown: not from a row or column total, not from other cells of the same
  table, not from the other periods shown (a rolling 12-month figure minus the
  previous one is this quarter minus the same quarter last year).
* Rates: a percentage or score is shown only when every count it is built on is
  shown, so a rate never reveals a hidden count.

Published counts are linked by linear equations (a total equals the sum of its
parts). A hidden cell can be recovered by subtraction, or by any chain of sums
and differences, exactly when its unit vector lies in the row space of those
equations restricted to the hidden cells. ``recoverable`` checks that; the
secondary step keeps hiding cells until it finds none.

Pure functions, no I/O: the report and the dashboard's panel role both use them.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

SUPPRESSED = "[c]"
DEFAULT_SMALL_NUMBER_MAX = 4

NOTE = ("[c] means the figure is hidden to protect young people's privacy: it is a count from 1 to {max}, "
        "a rate built on such a count, or a figure hidden as well so that a hidden one cannot be worked out "
        "by adding or subtracting the other figures shown (including totals and other periods).")

# An equation: {cell: coefficient, ...} whose weighted sum is zero, e.g. {total: 1, part_a: -1, part_b: -1}.
Equation = Mapping[Hashable, int]


def is_small(value: int, small_number_max: int = DEFAULT_SMALL_NUMBER_MAX) -> bool:
    """Primary rule: a count from 1 to small_number_max (0 is not small: it discloses no one)."""
    return 1 <= int(value) <= small_number_max


def note(small_number_max: int = DEFAULT_SMALL_NUMBER_MAX) -> str:
    return NOTE.format(max=small_number_max)


def total_equation(total: Hashable, parts: Iterable[Hashable]) -> dict:
    """total = sum(parts), as an equation."""
    equation = {total: 1}
    for part in parts:
        equation[part] = equation.get(part, 0) - 1
    return equation


def recoverable(hidden: Iterable[Hashable], equations: Sequence[Equation]) -> set:
    """The hidden cells whose value follows from the shown cells and the equations.

    The shown cells are known numbers, so only the hidden columns of each equation
    matter. A hidden cell j is determined iff every solution of the system agrees on
    it, i.e. iff the null space of the hidden-column matrix is zero at j.
    """
    hidden = list(dict.fromkeys(hidden))
    if not hidden:
        return set()
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for equation in equations:
        row = np.zeros(len(hidden))
        for cell, coefficient in equation.items():
            if cell in index:
                row[index[cell]] += coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, singular.max())).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        return set(hidden)
    free = np.abs(null_space).max(axis=0) > 1e-9
    return {cell for cell, is_free in zip(hidden, free) if not is_free}


def suppress(values: Mapping[Hashable, int], equations: Sequence[Equation],
             small_number_max: int = DEFAULT_SMALL_NUMBER_MAX,
             totals: Iterable[Hashable] = ()) -> set:
    """The cells to hide: primary (small counts) plus secondary, so none can be recovered.

    ``totals`` are cells to hide as a last resort only (readers rely on totals).
    Secondary cells are chosen from an equation the exposed cell is in: preferably the
    smallest non-zero count that is not a total, which loses the least information.
    """
    totals = set(totals)
    hidden = {cell for cell, value in values.items() if is_small(value, small_number_max)}
    by_cell: dict = {}
    for number, equation in enumerate(equations):
        for cell in equation:
            by_cell.setdefault(cell, []).append(number)

    def hidden_in(number):
        return sum(1 for c in equations[number] if c in hidden)

    def cost(cell):
        value = int(values[cell])
        # how many equations with a lone hidden cell this one would also close
        helps = sum(1 for number in by_cell.get(cell, []) if hidden_in(number) == 1)
        return (cell in totals, -helps, value == 0, value, str(cell))

    while True:
        exposed = recoverable(hidden, equations)
        if not exposed:
            return hidden
        # First the plain subtraction attack: an equation in which an exposed cell is the only hidden one.
        candidates = {c for cell in exposed for number in by_cell.get(cell, []) if hidden_in(number) == 1
                      for c in equations[number] if c not in hidden}
        if not candidates:
            # Determined only through a chain of equations: any shown cell of an equation touching an exposed cell.
            candidates = {c for cell in exposed for number in by_cell.get(cell, [])
                          for c in equations[number] if c not in hidden}
        if not candidates:
            # Every neighbour is hidden already: widen to any shown cell linked to a hidden one.
            candidates = {c for cell in hidden for number in by_cell.get(cell, [])
                          for c in equations[number] if c not in hidden}
        if not candidates:  # pragma: no cover - would need equations that pin a cell with everything hidden
            raise RuntimeError(f"cannot protect cells {sorted(map(str, exposed))}")
        hidden.add(min(candidates, key=cost))


def rate(numerator, denominator, scale: float = 100.0):
    """A rate from published counts; None (shown as [c]) when either count is hidden or the denominator is 0."""
    if numerator is None or denominator is None or isinstance(numerator, str) or isinstance(denominator, str):
        return None
    if denominator == 0:
        return None
    return scale * numerator / denominator


def suppress_table(counts: pd.DataFrame, row_total: str | None = "Total", column_total: str | None = "Total",
                   small_number_max: int = DEFAULT_SMALL_NUMBER_MAX) -> pd.DataFrame:
    """Suppress one count table; totals are added (as the last row/column) when named.

    Returns an object-dtype copy with hidden cells replaced by ``[c]``.
    For the dashboard's panel role and any one-off table.
    """
    table = counts.copy().astype("int64")
    if column_total is not None:
        table[column_total] = table.sum(axis=1)
    if row_total is not None:
        table.loc[row_total] = table.sum(axis=0)
    values = {(r, c): int(table.loc[r, c]) for r in table.index for c in table.columns}
    body_rows = [r for r in table.index if r != row_total]
    body_cols = [c for c in table.columns if c != column_total]
    equations = []
    if column_total is not None:
        equations += [total_equation((r, column_total), [(r, c) for c in body_cols]) for r in table.index]
    if row_total is not None:
        equations += [total_equation((row_total, c), [(r, c) for r in body_rows]) for c in table.columns]
    total_cells = {k for k in values if k[0] == row_total or k[1] == column_total}
    hidden = suppress(values, equations, small_number_max, totals=total_cells)
    return mark(table, hidden)


def mark(table: pd.DataFrame, hidden: Iterable[tuple]) -> pd.DataFrame:
    """Replace the (row, column) cells in ``hidden`` with [c]."""
    out = table.astype(object)
    for row, column in hidden:
        out.loc[row, column] = SUPPRESSED
    return out
