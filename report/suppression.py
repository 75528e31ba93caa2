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

import contextlib
import gc
import itertools
import multiprocessing as mp
import os
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import pandas as pd

from .cells import (ALL, ALL_STAGES, ALL_TEAMS, HEADLINE_COUNTS, NOT_LINKED, RATINGS, UNIMPORTANT, Periods, _add_follow_up,
                    _add_period, _Cells, _quarter_cells, _sum, _Unit, _unit, total_equation)

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
    # copied only where a coefficient is zero or not an int (a report quarter has ~100,000 equations: one plain loop)
    given, equations = equations, []
    by_cell: dict = defaultdict(list)  # read with .get only: never grows a key on reading
    for number, equation in enumerate(given):
        for c in equation.values():
            if type(c) is not int or not c:
                equation = {cell: int(c) for cell, c in equation.items() if c}
                break
        equations.append(equation)
        for cell in equation:
            by_cell[cell].append(number)
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
        if 1 <= int(value) <= small_number_max:  # is_small, inline: a quarter of 150 authorities has ~100,000 cells
            hide(cell)
    for cell in sorted(set(forced) - hidden, key=str):
        if cell in values:
            hide(cell)
    fixed = set(hidden)  # primary and forced: never shown again

    solved: dict[frozenset, frozenset] = {}  # block of hidden cells -> its recoverable cells
    while True:
        while queue or grown:
            # 1. Subtraction: close every equation with one hidden cell.
            while queue:
                pending, queue[:] = sorted(set(queue)), []
                for number in pending:
                    if hidden_count[number] != 1:
                        continue
                    candidates = [c for c in equations[number] if c not in hidden]
                    if candidates:
                        hide(min(candidates, key=cost))
            # 1b. Nor may the hidden cells of one equation add up to a small count (see small_sum). Also after step 2,
            # whose cell can join equations that already hold hidden ones.
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
    plus = minus = False
    total = 0
    for cell, c in equation.items():  # one pass (called for every equation that gains a hidden cell)
        if cell in hidden:
            if c > 0:
                plus = True
            else:
                minus = True
            total += abs(c) * int(values[cell])
    return plus != minus and is_small(total, small_number_max)


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


# ---------------------------------------------------------------- the panel report's cells (report/cells.py)
# Every report a panel can get from one warehouse, protected together: each quarter once, jointly for each authority
# and all authorities (so no two reports disagree on a cell), then each report's rolling years.


def _coproduction_forced(quarter: str, unit_key, unit: _Unit, cells: _Cells, hidden: set, stages: list[int],
                         small_number_max: int) -> set:
    """Answers hidden with the forms behind them (SPEC 3, small numbers: a score is a rate over young people).

    A team's score, % green / red and answer count n rest on its forms: hidden when 1-4 forms have a rated
    stage, and whenever its forms count is hidden, since n bounds it (forms <= n <= 10 x forms), so a shown n
    beside a hidden count could pin it. For all teams that includes every stage's answers.
    """
    out = set()
    for team in [ALL_TEAMS] + unit.teams.get(quarter, []):
        tw = {} if team == ALL_TEAMS else {"team": team}
        rated = _sum(unit.rated, "rated_forms", quarter=[quarter], **tw)
        if (unit_key, "forms", quarter, team, ALL) in hidden or is_small(rated, small_number_max):
            out |= {(unit_key, "ratings", quarter, team, ALL_STAGES, r) for r in RATINGS + (ALL,)}
            if team == ALL_TEAMS:
                out |= {(unit_key, "ratings", quarter, team, s, r) for s in stages for r in RATINGS + (ALL,)}
    return out


def _protect_quarter(quarter: str, units: dict, stages: list[int], small_number_max: int) -> tuple[set, dict]:
    """The hidden cells of one quarter in every report that can be made: each authority's and all authorities'.

    Decided jointly: all authorities' cell = the sum of the authorities' cells is an equation like a team total,
    so a count hidden in one authority's report cannot come back as (all authorities) - (the others).
    Returns hidden (unit, key) cells and each unit's cells.
    """
    joint, per_unit = _Cells(), {}
    for unit_key, unit in units.items():
        if unit_key is not None:
            per_unit[unit_key] = _quarter_cells(quarter, unit, stages)
    # A team of one authority has the same counts in the all-authorities report: copied, not summed again (a second).
    owners: dict = {}
    for unit_key, cells in per_unit.items():
        for team in cells.teams:
            if team != ALL_TEAMS:
                owners.setdefault(team, []).append(cells.teams[team])
    copy: dict = {}
    if None in units:
        shared = units[None].shared_teams
        copy = {} if shared is None else {t: c[0] for t, c in owners.items() if len(c) == 1 and t not in shared}
        per_unit[None] = _quarter_cells(quarter, units[None], stages, copy)
    per_unit = {unit_key: per_unit[unit_key] for unit_key in units}
    # A team's cells in the all-authorities report are the same numbers as in its own authority's report (and so are
    # every cell of a warehouse with one authority and no unlinked forms): one cell
    # each (an alias), not two cells and an equation, which would double the problem with 150 authorities.
    alias: dict[tuple, tuple] = {}
    copied_equations: dict[int, str] = {}  # id of a copied team's equation -> its authority
    same: dict[int, dict] = {}             # id of such an equation -> the joint equation built for it
    parts_of: dict[tuple, list] = {}          # each cell's authorities, found once (150 authorities x their cells)
    # Forms not linked to a plan yet belong to no authority, and add to all authorities' all-teams forms, answers and
    # follow-ups. When they add 0 to one of those (none of them red, say), all authorities' cell equals the
    # authorities' sum by chance, not by construction: no alias and no equation then, or their hidden 0 would be
    # pinned by equations a panel cannot know hold (it is protected by the team sums, as any team's).
    unlinked = None in units and NOT_LINKED in units[None].teams.get(quarter, [])
    # The same for care leavers on a list whose authority has no report (none given, or no plans loaded for it): in the
    # all-authorities report only; the teams they are in, and all teams, equal the authorities' sum only by chance.
    foreign = _foreign_teams(units, quarter)

    def by_chance(key):
        return (unlinked and key[2] == ALL_TEAMS and key[0] in ("forms", "ratings", "follow_up")) or \
            (key[0] == "outcomes" and key[2] in foreign)

    if None in units and len(units) > 1:
        # A copied team's cells are its own authority's and no other authority has the team (its only cells naming it
        # elsewhere are care leavers' outcomes): aliases at once, not looked for among every authority's cells.
        owner = {id(c): a for a in units if a is not None for c in per_unit[a].teams.values()}
        copied: dict = {}
        for team in units[None].teams.get(quarter, []):
            source = copy.get(team)
            if source is not None:
                a = owner[id(source)]
                copied.setdefault(a, set()).add(team)
                alias.update({(None,) + key: (a,) + key for key in source.values})
                copied_equations.update(dict.fromkeys(map(id, source.equations), a))
        for a in units:
            if a is not None:
                skip = copied.get(a, ())
                for key in per_unit[a].values:
                    if key[2] not in skip or key[0] == "outcomes":
                        parts_of.setdefault(key, []).append((a,) + key)
        for key, value in per_unit[None].values.items():
            parts = parts_of.get(key)
            if parts and len(parts) == 1 and per_unit[parts[0][0]].values[key] == value and not by_chance(key):
                alias[(None,) + key] = parts[0]
    for unit_key, mine in per_unit.items():   # (dict updates, not a call a cell: there are ~100,000 a quarter)
        if unit_key is not None:  # only all authorities' cells are aliases
            joint.values.update({(unit_key,) + k: v for k, v in mine.values.items()})
            joint.totals |= {(unit_key,) + k for k in mine.totals}
        else:
            joint.values.update({(unit_key,) + k: v for k, v in mine.values.items() if (unit_key,) + k not in alias})
            joint.totals |= {(unit_key,) + k for k in mine.totals if (unit_key,) + k not in alias}
        if unit_key is not None or not alias:
            joint.equations += [same.pop(id(eq), None) or {(unit_key,) + k: c for k, c in eq.items()}
                                for eq in mine.equations]
            continue
        for eq in mine.equations:
            a = copied_equations.get(id(eq))
            if a is not None and all(eq.values()):
                # a copied team's equation: all its cells are aliases of the authority's, so it is the authority's
                # equation, built once for both (the same dict twice in the list, as two equal ones were)
                merged = same[id(eq)] = {(a,) + k: c for k, c in eq.items()}
                joint.equations.append(merged)
                continue
            merged: dict = {}
            for k, c in eq.items():
                cell = alias.get((unit_key,) + k, (unit_key,) + k)
                merged[cell] = merged.get(cell, 0) + c
            merged = {k: c for k, c in merged.items() if c}
            if merged:
                joint.equations.append(merged)
    for key, value in (per_unit[None].values.items() if parts_of else ()):
        parts = parts_of.get(key)
        # Only true equations: forms not linked to a plan yet belong to no authority (see by_chance).
        if parts and (None,) + key not in alias and not by_chance(key) and value == sum(joint.values[p] for p in parts):
            joint.sum_to((None,) + key, parts)
    # Hide team-level and single-stage cells before any all-teams figure the headline is read for (a rate's numerator or
    # denominator, the answers of the score). The other all-teams counts (late, overdue, not assessed, ...) are drawn
    # once, in the all-teams row of the quarter's table, and no rate rests on them: hiding one costs that cell only,
    # where a team's count would cost the team's rate.
    keep = joint.totals | {k for k in joint.values if k[3] == ALL_TEAMS and (
        (k[1], k[-1]) in HEADLINE_COUNTS if k[1] != "ratings" else k[4] == ALL_STAGES)}
    # The all-authorities report is the one least read (one authority's panel reads its own; the page and the
    # command line default to one authority): its figures are hidden first, before any authority's own.
    # Then counts of categories no rate or chart of the report rests on, before those the story is told with.
    cheap = {k: 1 for k in joint.values if k[-1] in UNIMPORTANT.get(k[1], ())}
    if len(units) > 1:
        cheap.update({k: 0 for k in joint.values if k[0] is None})

    def with_aliases(hidden):
        return hidden | {a for a, target in alias.items() if target in hidden}

    def needed(hidden):
        full = with_aliases(hidden)
        return {alias.get(k, k) for k in set().union(*(
            _coproduction_forced(quarter, u, units[u], per_unit[u], full, stages, small_number_max) for u in units))}

    # Forms counts share no equation with anything else: their hidden cells first (a small problem), so the whole
    # quarter is usually suppressed once; the loop makes sure the answers of every hidden forms count are hidden.
    forms = {k: v for k, v in joint.values.items() if k[1] == "forms"}
    forced = needed(suppress(forms, [eq for eq in joint.equations  # (most are not: their first cell says so at once)
                                     if (not eq or next(iter(eq))[1] == "forms") and all(k[1] == "forms" for k in eq)],
                                         small_number_max, totals=keep & forms.keys(), cheap=cheap))
    while True:
        hidden = suppress(joint.values, joint.equations, small_number_max, totals=keep,
                                      forced=forced, cheap=cheap)
        if needed(hidden) <= hidden:
            return with_aliases(hidden), per_unit
        forced |= needed(hidden)


def _foreign_teams(units: dict, quarter: str) -> set:
    """The teams (and all teams) of the all-authorities report's outcomes holding care leavers of no authority that has
    a report of its own."""
    if None not in units or units[None].outcomes is None or units[None].outcomes.frame.empty:
        return set()
    frame = units[None].outcomes.frame
    rows = frame[(frame["quarter"] == quarter) & ~frame["local_authority"].isin([a for a in units if a is not None])]
    teams = set(rows["team"])
    return teams | {ALL_TEAMS} if teams else set()


def _add_rolling(cells: _Cells, hidden: set, periods: Periods, unit: _Unit):
    """The '12 months to' figures, each the sum of its four quarters (all teams only).

    Hidden when the same figure is hidden in any of its four quarters; no other rule is needed. Why: take any
    hidden quarter cell x. Its quarter's suppression leaves a change d of that quarter's hidden cells, d(x) != 0,
    that keeps every equation of the quarter (across teams and authorities) true. A rolling figure containing the
    quarter moves by d of the same figure, non-zero only if that figure is hidden in the quarter, so the rolling
    figure is hidden too. So every figure in every report (of any quarter: each quarter's cells are the same in
    all of them) is unchanged or hidden, and x cannot be worked out, e.g. not as R(t-1) + q(t) - R(t), whatever
    reports are put side by side. The quarter that just dropped out needs no rule: it is in R(t-1).
    """
    for q in periods.shown:
        year = periods.year_label(q)
        before = len(cells.values)  # a year's keys are new: added after the ones already there (dicts keep order)
        _add_period(cells, unit, year, periods.rolling(q), ALL_TEAMS)
        if q == periods.quarter:
            # Each team's follow-up share over the year too (issue 19: a quarter's few forms are mostly hidden). The
            # same rule holds: a quarter the team has no figure in holds none of its forms (a shown 0).
            for team in unit.teams.get(q, []):
                _add_follow_up(cells, unit, year, periods.rolling(q), team, {"team": team})
        for key in list(itertools.islice(cells.values, before, None)):
            parts = [(key[0], quarter) + key[2:] for quarter in periods.rolling(q)]
            cells.equations.append({key: 1, **{part: -1 for part in parts if part in cells.values}})
            if any(part in hidden for part in parts):
                hidden.add(key)


def _report_cells(periods: Periods, units: dict, unit_key, stages: list[int],
                  small_number_max: int, known: dict | None = None) -> tuple[_Cells, set]:
    """One report's cells (every quarter it needs, and its rolling years) and the hidden ones among them.

    ``known``: {quarter: its joint hidden cells (every report's)} from an earlier report of the same inputs
    (report/hidden_cache.py); a quarter in it is not protected again, and every quarter protected here is added to it.
    """
    with _no_cycle_collection():
        return _report_cells_of(periods, units, unit_key, stages, small_number_max, known)


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while the cells are worked out (and in the workers forked meanwhile), on again
    after. The cells are dicts, tuples and sets freed by their reference counts; the collector's full passes over the
    ~100,000 cells of a national quarter (and over every object a forked worker shares with its parent, which each
    pass copies page by page) were a third of the protection's CPU. Nothing is left uncollected: it runs again after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _report_cells_of(periods: Periods, units: dict, unit_key, stages: list[int], small_number_max: int,
                     known: dict | None) -> tuple[_Cells, set]:
    cells, hidden = _Cells(), set()
    known = {} if known is None else known
    global _JOB
    _JOB = (units, unit_key, stages, small_number_max)
    reused = {}
    for quarter in [q for q in periods.quarters_needed if q in known]:
        # this report's own cells only: the same as the joint protection works out (its unit's, not copied)
        mine = _quarter_cells(quarter, units[unit_key], stages)
        mine_hidden = {k[1:] for k in known[quarter] if k[0] == unit_key}
        if all(k in mine_hidden for k, v in mine.values.items() if is_small(v, small_number_max)):
            reused[quarter] = (mine.values, mine.totals, mine.equations, known[quarter])
        else:  # not what this quarter's protection gives (a damaged file): protected again
            del known[quarter]
    quarters = [q for q in periods.quarters_needed if q not in reused]
    try:
        if len(quarters) > 1 and len(units) >= PARALLEL_MIN_UNITS and (os.cpu_count() or 1) > 1 \
                and "fork" in mp.get_all_start_methods():
            # Each quarter is protected on its own: two at a time on two cores. The workers are forked after the
            # query results are in memory (shared, not copied) and hand back only this report's cells.
            with mp.get_context("fork").Pool(min(2, os.cpu_count() or 1)) as pool:
                done = dict(zip(quarters, pool.map(_protect_for_report, quarters, chunksize=1)))
        else:
            done = {quarter: _protect_for_report(quarter) for quarter in quarters}
    finally:
        _JOB = None
    for quarter in periods.quarters_needed:
        values, totals, equations, joint = reused[quarter] if quarter in reused else done[quarter]
        known[quarter] = joint
        cells.values.update(values)
        cells.totals |= totals
        cells.equations += equations
        hidden |= {k[1:] for k in joint if k[0] == unit_key}
    _add_rolling(cells, hidden, periods, units[unit_key])
    return cells, hidden


# A warehouse with this many reports to protect together (authorities and all authorities) has its quarters protected
# in two processes; a smaller one in this process (forking costs more than it saves there).
PARALLEL_MIN_UNITS = 20
_JOB: tuple | None = None  # (units, unit_key, stages, small_number_max) of the report being made, for the workers


def _protect_for_report(quarter: str) -> tuple[dict, set, list, set]:
    """This report's cells of one quarter, and the quarter's hidden cells in every report (unit, key...)."""
    units, unit_key, stages, small_number_max = _JOB
    joint_hidden, per_unit = _protect_quarter(quarter, units, stages, small_number_max)
    mine = per_unit[unit_key]
    return mine.values, mine.totals, mine.equations, joint_hidden


def _build_cells(periods: Periods, teams: list[str], stages: list[int], reviews: pd.DataFrame,
                 forms: pd.DataFrame, ratings: pd.DataFrame, plans: pd.DataFrame) -> _Cells:
    """Every count of one report (teams in every quarter), unsuppressed: for tests."""
    unit = _unit(reviews, forms, ratings, plans, teams=teams)
    cells = _Cells()
    for quarter in periods.quarters_needed:
        mine = _quarter_cells(quarter, unit, stages)
        cells.values.update(mine.values)
        cells.totals |= mine.totals
        cells.equations += mine.equations
    _add_rolling(cells, set(), periods, unit)
    return cells
