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


# Arithmetic for the rank test: elimination is exact (Python integers), the final check is modulo this prime.
_PRIME = (1 << 61) - 1
_SEED = 20261
# A connected block with more hidden cells than this is not solved: every shown cell linked to it is hidden too
# (more suppression, never less). Far above any real report (a national report's largest block is a few thousand).
MAX_BLOCK_CELLS = 200_000


def _components(hidden: Sequence[Hashable], rows: Sequence[Sequence[Hashable]]) -> list[list[Hashable]]:
    """Hidden cells grouped so that cells sharing an equation are in one group (union-find)."""
    parent = {cell: cell for cell in hidden}

    def find(cell):
        root = cell
        while parent[root] != root:
            root = parent[root]
        while parent[cell] != root:
            parent[cell], cell = root, parent[cell]
        return root

    for cells in rows:
        first = find(cells[0])
        for cell in cells[1:]:
            other = find(cell)
            if other != first:
                parent[other] = first
    groups: dict = {}
    for cell in hidden:
        groups.setdefault(find(cell), []).append(cell)
    return list(groups.values())


def _determined(rows: list[dict], n_columns: int) -> set:
    """Columns 0..n-1 fixed by the homogeneous system ``rows`` (sparse {column: integer coefficient}).

    Sparse Gaussian elimination in exact integers (fraction-free, rows kept primitive), short rows and rare
    columns first, so the equations of one team are used up before the long team-sum rows. A pivot column is
    determined iff it is zero in every null vector. One null vector is drawn at random (free columns random,
    pivot columns by back-substitution) and evaluated modulo a 61-bit prime: a determined column is exactly 0
    there, since the elimination is exact; a free column is non-zero except with probability about 2**-61, and
    then it is reported as determined, which only hides more. So the answer is never "safe" wrongly.
    """
    import heapq
    import math
    import random

    active = {i: dict(row) for i, row in enumerate(rows) if row}
    col_rows: dict[int, set] = {}
    for i, row in active.items():
        for col in row:
            col_rows.setdefault(col, set()).add(i)
    heap = [(len(row), i) for i, row in active.items()]
    heapq.heapify(heap)
    pivots: list[tuple[int, dict]] = []
    while heap:
        length, i = heapq.heappop(heap)
        row = active.get(i)
        if row is None or len(row) != length:
            continue
        del active[i]
        for col in row:
            col_rows[col].discard(i)
        if not row:
            continue
        # Markowitz: the column in fewest other rows; a unit coefficient first to keep numbers small.
        col = min(row, key=lambda c: (len(col_rows[c]), abs(row[c]) != 1, c))
        if row[col] < 0:
            row = {c: -v for c, v in row.items()}
        a = row[col]
        for j in list(col_rows[col]):
            other = active[j]  # updated in place: the long team-sum rows are never copied
            b = other[col]
            g = math.gcd(a, b)
            fa, fb = a // g, b // g
            if fa != 1:
                for c in other:
                    other[c] *= fa
            for c, v in row.items():
                w = other.get(c, 0) - fb * v
                if w:
                    if c not in other:
                        col_rows.setdefault(c, set()).add(j)
                    other[c] = w
                elif c in other:
                    del other[c]
                    if c != col:
                        col_rows[c].discard(j)
            col_rows[col].discard(j)
            if fa != 1 and other:
                content = math.gcd(*other.values())
                if content > 1:
                    for c in other:
                        other[c] //= content
            heapq.heappush(heap, (len(other), j))
        pivots.append((col, row))
    pivot_cols = {col for col, _ in pivots}
    rng = random.Random(_SEED)
    x = [0] * n_columns
    for col in range(n_columns):
        if col not in pivot_cols:
            x[col] = rng.randrange(1, _PRIME)
    for col, row in reversed(pivots):
        a = row[col] % _PRIME
        if a == 0:  # pragma: no cover - coefficients here are tiny; a multiple of the prime cannot happen
            raise ArithmeticError("pivot is a multiple of the check prime")
        total = sum(v * x[c] for c, v in row.items() if c != col) % _PRIME
        x[col] = (-total * pow(a, -1, _PRIME)) % _PRIME
    return {col for col in pivot_cols if x[col] == 0}


def recoverable(hidden: Iterable[Hashable], equations: Sequence[Equation]) -> set:
    """The hidden cells whose value follows from the shown cells and the equations.

    The shown cells are known numbers, so only the hidden columns of each equation
    matter. A hidden cell j is determined iff every solution of the system agrees on
    it, i.e. iff the null space of the hidden-column matrix is zero at j. Equations
    only link cells they share, so each connected block of hidden cells is solved on
    its own (exact sparse elimination, see ``_determined``).
    """
    hidden = list(dict.fromkeys(hidden))
    if not hidden:
        return set()
    index = {cell: i for i, cell in enumerate(hidden)}
    restricted = []
    for equation in equations:
        row: dict = {}
        for cell, coefficient in equation.items():
            if cell in index and coefficient:
                row[cell] = row.get(cell, 0) + int(coefficient)
        row = {cell: v for cell, v in row.items() if v}
        if row:
            restricted.append(row)
    return _recoverable_rows(hidden, restricted)


def _recoverable_rows(hidden: list, restricted: list[dict]) -> set:
    """``recoverable`` on equations already restricted to the hidden cells (dicts of non-zero integers)."""
    out = set()
    by_cell: dict = {}
    for number, row in enumerate(restricted):
        for cell in row:
            by_cell.setdefault(cell, []).append(number)
    for block in _components(hidden, [list(row) for row in restricted]):
        out |= _block_recoverable(block, restricted, by_cell)
    return out


def _block_recoverable(block: list, restricted: list[dict], by_cell: dict) -> set:
    numbers = sorted({n for cell in block for n in by_cell.get(cell, ())})
    if not numbers:
        return set()
    local = {cell: i for i, cell in enumerate(block)}
    rows = [{local[cell]: v for cell, v in restricted[n].items()} for n in numbers]
    return {block[i] for i in _determined(rows, len(block))}


def _linked(cells: Iterable[Hashable], equations: Sequence[Equation], by_cell: Mapping) -> set:
    """Every cell reachable from ``cells`` through shared equations."""
    seen, stack, used = set(cells), list(cells), set()
    while stack:
        for number in by_cell.get(stack.pop(), ()):
            if number in used:
                continue
            used.add(number)
            for other in equations[number]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
    return seen


def suppress(values: Mapping[Hashable, int], equations: Sequence[Equation],
             small_number_max: int = DEFAULT_SMALL_NUMBER_MAX,
             totals: Iterable[Hashable] = (), forced: Iterable[Hashable] = (), last: Iterable[Hashable] = (),
             cheap: Mapping[Hashable, int] | Iterable[Hashable] = ()) -> set:
    """The cells to hide: primary (small counts) plus secondary, so none can be recovered.

    ``totals`` are cells to hide as a last resort only (readers rely on totals).
    ``forced`` are hidden as if small, whatever their value (e.g. a score resting on 1-4 young people's forms).
    ``last`` are hidden only after totals (e.g. the figures a report is read for).
    ``cheap`` are cells unimportant to the story (e.g. "minutes: dates unclear"): complements are taken from them first;
    a mapping gives each a rank (0 first).
    Secondary cells are chosen from an equation the exposed cell is in: preferably a cheap one, then the
    smallest non-zero count that is not a total, which loses the least information.

    Two steps, repeated until nothing can be recovered:

    1. Subtraction: every equation with exactly one hidden cell gets a second one (cheap, local; this is
       almost all of the secondary suppression).
    2. Chains: each connected block of hidden cells that changed is checked for cells fixed by any
       combination of equations (``recoverable``); a block with such a cell gets one more hidden cell
       from an equation touching it, then back to 1. Blocks that did not change are not solved again.

    Then the greedy choice is undone wherever it hid more than needed (``_prune``): each secondary cell, the most
    valuable first, is shown again if no hidden cell can then be worked out.
    """
    totals, last = set(totals), set(last)
    cheap = dict(cheap) if isinstance(cheap, Mapping) else dict.fromkeys(cheap, 0)
    dear = max(cheap.values(), default=0) + 1
    # copied only where a coefficient is zero or not an int (a report quarter has ~100,000 equations)
    equations = [equation if all(type(c) is int and c for c in equation.values())
                 else {cell: int(c) for cell, c in equation.items() if c} for equation in equations]
    by_cell: dict = {}
    for number, equation in enumerate(equations):
        for cell in equation:
            by_cell.setdefault(cell, []).append(number)
    static = {}

    def static_cost(cell):
        key = static.get(cell)
        if key is None:
            value = int(values[cell])
            key = static[cell] = (cell in last, cell in totals, value == 0, cheap.get(cell, dear), value, str(cell))
        return key

    hidden: set = set()
    hidden_count = [0] * len(equations)
    lone = {}  # cell -> number of equations in which it would close a lone hidden cell
    touched = {}  # cell -> number of its equations with a hidden cell already
    queue: list[int] = []
    grown: list[int] = []  # equations with a second (third, ...) hidden cell since they were last checked

    def hide(cell):
        hidden.add(cell)
        for number in by_cell.get(cell, ()):
            count = hidden_count[number] = hidden_count[number] + 1
            if count == 1:
                queue.append(number)
                for c in equations[number]:
                    lone[c] = lone.get(c, 0) + 1
                    touched[c] = touched.get(c, 0) + 1
            elif count == 2:
                for c in equations[number]:
                    lone[c] -= 1
            if count >= 2:
                grown.append(number)

    def cost(cell):
        key = static_cost(cell)
        # Equations it would leave with a lone hidden cell (each needs one more later) less those it would close.
        opens = len(by_cell.get(cell, ())) - touched.get(cell, 0)
        # A hidden 0 is a poor complement (a total of 0 gives every part as 0): after every non-zero count.
        return key[:4] + (opens - lone.get(cell, 0),) + key[4:]

    for cell, value in values.items():
        if is_small(value, small_number_max):
            hide(cell)
    for cell in sorted(set(forced) - hidden, key=str):
        if cell in values:
            hide(cell)
    fixed = set(hidden)  # primary and forced: never shown again

    solved: dict[frozenset, frozenset] = {}  # block of hidden cells -> its recoverable cells
    while True:
        # 1. Subtraction: close every equation with one hidden cell.
        while queue:
            pending, queue[:] = sorted(set(queue)), []
            for number in pending:
                if hidden_count[number] != 1:
                    continue
                candidates = [c for c in equations[number] if c not in hidden]
                if candidates:
                    hide(min(candidates, key=cost))
            # 1b. Nor may the hidden cells of one equation add up to a small count (see small_sum).
            while grown and not queue:
                pending, grown[:] = sorted(set(grown)), []
                for number in pending:
                    if small_sum(equations[number], hidden, values, small_number_max):
                        candidates = [c for c in equations[number] if c not in hidden]
                        if candidates:
                            hide(min(candidates, key=cost))
        # 2. Chains, per connected block of hidden cells.
        restricted_rows, row_numbers = [], []
        for number, count in enumerate(hidden_count):
            if count:
                restricted_rows.append([c for c in equations[number] if c in hidden])
                row_numbers.append(number)
        blocks = _components(sorted(hidden, key=str), restricted_rows)
        row_of_cell: dict = {}
        for k, cells in enumerate(restricted_rows):
            for cell in cells:
                row_of_cell.setdefault(cell, []).append(k)
        added = False
        for block in blocks:
            key = frozenset(block)
            exposed = solved.get(key)
            if exposed is None:
                if len(block) > MAX_BLOCK_CELLS:
                    # Too big to solve: hide every cell linked to the block by any chain of equations. Then the
                    # equations touching those cells hold only hidden cells, and nothing shown is left to subtract.
                    linked = _linked(block, equations, by_cell)
                    for cell in sorted(linked - hidden, key=str):
                        hide(cell)
                    solved[frozenset(linked)] = frozenset()
                    added = True
                    break  # the blocks have merged: find them again
                ks = sorted({k for cell in block for k in row_of_cell.get(cell, ())})
                local = {cell: i for i, cell in enumerate(block)}
                rows = [{local[c]: equations[row_numbers[k]][c] for c in restricted_rows[k]} for k in ks]
                exposed = solved[key] = frozenset(block[i] for i in _determined(rows, len(block)))
            if not exposed:
                continue
            exposed = sorted(exposed, key=str)
            # Determined only through a chain of equations: any shown cell of an equation touching an exposed cell.
            candidates = {c for cell in exposed for number in by_cell.get(cell, [])
                          for c in equations[number] if c not in hidden}
            if not candidates:
                # Every neighbour is hidden already: widen to any shown cell linked to a hidden one of this block.
                candidates = {c for cell in block for number in by_cell.get(cell, [])
                              for c in equations[number] if c not in hidden}
            if not candidates:  # pragma: no cover - would need equations that pin a cell with everything hidden
                raise RuntimeError(f"cannot protect cells {sorted(map(str, exposed))}")
            hide(min(candidates, key=cost))
            added = True
        if not added and not queue and not grown:
            return _prune(hidden, fixed, equations, by_cell, static_cost, values, small_number_max)


# A secondary cell whose block of hidden cells (once it is shown) is bigger than this is left hidden: the check
# would cost more than it is worth at national scale, and leaving it hidden only hides more.
PRUNE_MAX_BLOCK = 400
# Past this many secondary cells (a quarter of a national warehouse) no cell is shown again (pairs: past a third of it):
# the report stays within its time, hiding more, never less.
PRUNE_MAX_SECONDARY = 1500


def small_sum(equation: Equation, hidden: set, values: Mapping, small_number_max: int) -> bool:
    """Whether the hidden cells of one equation add up to a count from 1 to small_number_max that the shown ones give.

    With every other cell of ``total = a + b + c`` shown, the hidden ones' sum is known: two hidden counts of a
    team's minutes, late 2 and overdue 0, say "2 minutes not on time" as plainly as a shown 2 would (a rate with
    its n says it too). Only when the hidden cells are all on one side (all parts, or the total alone): a total
    and a part hidden together give only shown parts.
    """
    signs = {coefficient > 0 for cell, coefficient in equation.items() if cell in hidden}
    if len(signs) != 1:
        return False
    return is_small(sum(abs(c) * int(values[cell]) for cell, c in equation.items() if cell in hidden),
                    small_number_max)


def _prune(hidden: set, fixed: set, equations: list, by_cell: dict, cost, values: Mapping = None,
           small_number_max: int = DEFAULT_SMALL_NUMBER_MAX) -> set:
    """Show again each secondary cell whose hiding is not needed, the most valuable first (highest ``cost``).

    The greedy steps choose complements one equation at a time, and a later choice can make an earlier one
    unnecessary. A cell is shown again only when, with it shown, no hidden cell of its block can be worked out
    (the same exact test as ``recoverable``), so the result is as safe as before and never hides more.
    """
    hidden = set(hidden)
    if len(hidden) - len(fixed) > PRUNE_MAX_SECONDARY:
        return hidden
    for cell in sorted(hidden - fixed, key=cost, reverse=True):
        if cell in hidden and _can_show(hidden, (cell,), equations, by_cell, values, small_number_max):
            hidden.discard(cell)
    # Pairs: two cells hidden together for each other (a team's count and its total) can only be shown together.
    secondary = sorted(hidden - fixed, key=cost, reverse=True)
    if len(secondary) <= PRUNE_MAX_SECONDARY // 3:
        for cell in secondary:
            partners = {c for n in by_cell.get(cell, ()) for c in equations[n] if c in hidden and c not in fixed}
            for other in sorted(partners - {cell}, key=cost, reverse=True):
                if cell in hidden and other in hidden and _can_show(hidden, (cell, other), equations, by_cell, values,
                                                                    small_number_max):
                    hidden -= {cell, other}
    return hidden




def _can_show(hidden: set, cells: tuple, equations: list, by_cell: dict, values: Mapping = None,
              small_number_max: int = DEFAULT_SMALL_NUMBER_MAX) -> bool:
    """Whether ``cells`` can be shown with no hidden cell then worked out, nor a small sum of hidden cells of one
    equation (``hidden`` is left as it was)."""
    hidden.difference_update(cells)
    try:
        if values is not None and any(small_sum(equations[n], hidden, values, small_number_max)
                                      for cell in cells for n in by_cell.get(cell, ())):
            return False
        return _safe_after_showing(hidden, cells, equations, by_cell)
    finally:
        hidden.update(cells)


def _safe_after_showing(hidden: set, cells: tuple, equations: list, by_cell: dict) -> bool:
    numbers = {n for cell in cells for n in by_cell.get(cell, ())}
    # the quick test first: an equation left with one hidden cell gives it by subtraction
    if any(sum(1 for c in equations[n] if c in hidden) == 1 for n in numbers):
        return False
    block, stack, used = set(), [c for n in numbers for c in equations[n] if c in hidden], set()
    block.update(stack)
    while stack and len(block) <= PRUNE_MAX_BLOCK:
        for number in by_cell.get(stack.pop(), ()):
            if number not in used:
                used.add(number)
                for other in equations[number]:
                    if other in hidden and other not in block:
                        block.add(other)
                        stack.append(other)
    if len(block) > PRUNE_MAX_BLOCK:
        return False
    ordered = sorted(block, key=str)
    local = {c: i for i, c in enumerate(ordered)}
    rows = [{local[c]: v for c, v in equations[n].items() if c in block} for n in used]
    return not _determined([r for r in rows if r], len(ordered))


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
    grid = table.to_numpy()
    values = {(r, c): int(grid[i, j]) for i, r in enumerate(table.index) for j, c in enumerate(table.columns)}
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
    rows = {r: i for i, r in enumerate(table.index)}
    columns = {c: j for j, c in enumerate(table.columns)}
    grid = table.to_numpy(dtype=object, copy=True)
    for row, column in hidden:
        grid[rows[row], columns[column]] = SUPPRESSED
    return pd.DataFrame(grid, index=table.index, columns=table.columns)
