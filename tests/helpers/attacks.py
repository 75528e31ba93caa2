"""The attacker of small-number suppression, written independently of report.suppression: exact rational
Gaussian elimination over the published equations, plus the plain "one hidden cell in a line" subtraction
repeated until nothing more falls out (tests/test_suppression.py, tests/test_report.py)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

def subtraction_attack(values, equations, hidden):
    """Repeatedly solve any equation with exactly one unknown; returns the cells recovered."""
    known = {k: v for k, v in values.items() if k not in hidden}
    recovered = {}
    changed = True
    while changed:
        changed = False
        for eq in equations:
            unknown = [c for c in eq if c not in known]
            if len(unknown) == 1:
                cell = unknown[0]
                rest = sum(coef * known[c] for c, coef in eq.items() if c != cell)
                known[cell] = Fraction(-rest, eq[cell])
                recovered[cell] = known[cell]
                changed = True
    return recovered


def determined_cells(equations, hidden):
    """Hidden cells fixed by the equations (exact rational row reduction, any combination of sums and differences)."""
    hidden = sorted(hidden, key=str)
    index = {c: i for i, c in enumerate(hidden)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * len(hidden)
        for c, coef in eq.items():
            if c in index:
                row[index[c]] += coef
        if any(row):
            rows.append(row)
    # reduced row echelon form
    pivots, r = [], 0
    for col in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    # a cell is determined iff some reduced row is exactly its unit vector
    determined = set()
    for row in rows[:r]:
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            determined.add(hidden[nonzero[0]])
    return determined


def svd_determined(equations, hidden):
    """The same question in floating point (numpy SVD of the hidden columns), for tables too big for Fractions."""
    hidden = sorted(hidden, key=str)
    index = {c: i for i, c in enumerate(hidden)}
    rows = []
    for eq in equations:
        row = np.zeros(len(hidden))
        for c, coef in eq.items():
            if c in index:
                row[index[c]] += coef
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    _, singular, vt = np.linalg.svd(np.array(rows))
    rank = int((singular > 1e-9 * max(1.0, singular.max())).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        return set(hidden)
    return {c for c, free in zip(hidden, np.abs(null_space).max(axis=0) > 1e-9) if not free}


def small_sums(values, equations, hidden, small_number_max=4):
    """The equations whose hidden cells, all on one side of it, add up to a count from 1 to small_number_max that the
    shown cells give (total 47 = on time 45 + late [c] + overdue [c]: "2 not on time")."""
    out = []
    for eq in equations:
        hid = {c: coef for c, coef in eq.items() if c in hidden and coef}
        if hid and (all(v > 0 for v in hid.values()) or all(v < 0 for v in hid.values())):
            total = sum(abs(coef) * values[c] for c, coef in hid.items())
            if 1 <= total <= small_number_max:
                out.append(eq)
    return out
