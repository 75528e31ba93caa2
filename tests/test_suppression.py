"""Small-number suppression (SPEC §3): primary and secondary, attacked by subtraction.

The attacker here is written independently of report.suppression: exact rational
Gaussian elimination over the published equations, plus the plain "one hidden cell
in a line" subtraction repeated until nothing more falls out.
"""
from __future__ import annotations

import random

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report import suppression
from report.suppression import SUPPRESSED, suppress, suppress_table, total_equation
from tests.helpers.attacks import determined_cells, small_sums, subtraction_attack, svd_determined





def table_problem(quarters: list[list[list[int]]]):
    """Count tables for consecutive quarters (rows x columns each), with row and column totals per quarter,
    plus rolling 4-quarter sums for the last quarters shown: the cells and the equations linking them."""
    values, equations = {}, []
    n_q = len(quarters)
    n_rows, n_cols = len(quarters[0]), len(quarters[0][0])
    rows_t, cols_t = list(range(n_rows)) + ["T"], list(range(n_cols)) + ["T"]

    def add_table(period, grid):
        for r in range(n_rows):
            for c in range(n_cols):
                values[(period, r, c)] = grid[r][c]
            values[(period, r, "T")] = sum(grid[r])
            equations.append(total_equation((period, r, "T"), [(period, r, c) for c in range(n_cols)]))
        for c in cols_t:
            values[(period, "T", c)] = sum(values[(period, r, c)] for r in range(n_rows))
            equations.append(total_equation((period, "T", c), [(period, r, c) for r in range(n_rows)]))

    for q, grid in enumerate(quarters):
        add_table(f"q{q}", grid)
    # Rolling years ending at each quarter that has three before it; published beside the quarter.
    for q in range(3, n_q):
        grid = [[sum(quarters[k][r][c] for k in range(q - 3, q + 1)) for c in range(n_cols)] for r in range(n_rows)]
        add_table(f"y{q}", grid)
        for r in rows_t:
            for c in cols_t:
                equations.append(total_equation((f"y{q}", r, c), [(f"q{k}", r, c) for k in range(q - 3, q + 1)]))
    return values, equations


counts = st.integers(min_value=0, max_value=30) | st.integers(min_value=0, max_value=4)


@st.composite
def quarter_tables(draw):
    n_q = draw(st.integers(min_value=1, max_value=5))
    n_rows = draw(st.integers(min_value=1, max_value=3))
    n_cols = draw(st.integers(min_value=1, max_value=3))
    return [[[draw(counts) for _ in range(n_cols)] for _ in range(n_rows)] for _ in range(n_q)]


# ------------------------------------------------------------------ properties

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_tables())
def test_no_suppressed_cell_can_be_recovered_from_totals_cells_or_other_periods(quarters):
    """Tables for several quarters, each with row and column totals, and rolling years beside them."""
    values, equations = table_problem(quarters)
    hidden = suppress(values, equations, 4)
    # every small count is hidden
    assert {k for k, v in values.items() if 1 <= v <= 4} <= hidden
    # the plain subtraction attack recovers nothing
    assert not (set(subtraction_attack(values, equations, hidden)) & hidden)
    # nor does any combination of sums and differences
    assert not determined_cells(equations, hidden)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(counts, min_size=1, max_size=5), min_size=1, max_size=5).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_suppress_table_hides_small_counts_and_totals_cannot_reveal_them(rows):
    frame = pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))],
                         columns=[f"c{j}" for j in range(len(rows[0]))])
    out = suppress_table(frame)
    full = frame.copy()
    full["Total"] = full.sum(axis=1)
    full.loc["Total"] = full.sum(axis=0)
    for r in full.index:
        for c in full.columns:
            if 1 <= full.loc[r, c] <= 4:
                assert out.loc[r, c] == SUPPRESSED
            if out.loc[r, c] != SUPPRESSED:
                assert out.loc[r, c] == full.loc[r, c]
    # attack: every row and column of the published table
    values = {(r, c): int(full.loc[r, c]) for r in full.index for c in full.columns}
    equations = ([total_equation((r, "Total"), [(r, c) for c in frame.columns]) for r in full.index]
                 + [total_equation(("Total", c), [(r, c) for r in frame.index]) for c in full.columns])
    hidden = {(r, c) for r in out.index for c in out.columns if out.loc[r, c] == SUPPRESSED}
    assert not determined_cells(equations, hidden)


# ------------------------------------------------------------------ the rule, by name

def test_count_of_1_to_4_is_suppressed():
    for n in (1, 2, 3, 4):
        assert suppression.is_small(n)
    assert not suppression.is_small(0)
    assert not suppression.is_small(5)


def test_small_number_max_is_a_setting():
    assert suppression.is_small(6, small_number_max=9)
    assert not suppression.is_small(4, small_number_max=2)


def test_rate_with_small_denominator_is_suppressed():
    frame = pd.DataFrame({"on time": [3, 40], "late": [0, 10]}, index=["Team A", "Team B"])
    out = suppress_table(frame)
    # Team A's denominator (3) is small: the total is hidden, so no rate can be built on it.
    assert out.loc["Team A", "Total"] == SUPPRESSED
    assert suppression.rate(None, 3) is None


def test_rate_with_small_numerator_is_suppressed():
    frame = pd.DataFrame({"on time": [2, 40], "late": [30, 10]}, index=["Team A", "Team B"])
    out = suppress_table(frame)
    assert out.loc["Team A", "on time"] == SUPPRESSED
    assert suppression.rate(None, 32) is None


def test_single_suppressed_cell_in_a_row_forces_a_second():
    frame = pd.DataFrame({"a": [3, 20], "b": [15, 12], "c": [9, 30]}, index=["x", "y"])
    out = suppress_table(frame)
    assert (out.loc["x"] == SUPPRESSED).sum() >= 2
    assert (out["a"] == SUPPRESSED).sum() >= 2


def test_zero_is_shown():
    frame = pd.DataFrame({"a": [0, 20], "b": [15, 12]}, index=["x", "y"])
    out = suppress_table(frame)
    assert (out != SUPPRESSED).all().all()


def test_rolling_year_cannot_reveal_this_quarter():
    # (12 months to Q) - (12 months to Q-1) = Q - (same quarter last year): with Q hidden, that quarter must be too.
    values = {"q0": 3, "q1": 50, "q4": 40, "y0": 200, "y1": 237, "q2": 70, "q3": 77}
    published = ["q0", "q1", "q4", "y0", "y1"]
    equations = [{"y0": 1, "y1": -1, "q0": -1, "q4": 1}]
    hidden = suppress({k: values[k] for k in published}, equations, 4)
    assert "q0" in hidden and len(hidden) >= 2
    assert not determined_cells(equations, hidden)


def test_recoverable_agrees_with_exact_attacker():
    equations = [total_equation("T", ["a", "b", "c"]), total_equation("U", ["a", "b"])]
    assert suppression.recoverable({"c"}, equations) == {"c"}
    assert determined_cells(equations, {"c"}) == {"c"}
    assert suppression.recoverable({"a", "b"}, equations) == set()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_tables(), st.data())
def test_recoverable_agrees_with_exact_attacker_on_any_hidden_set(quarters, data):
    values, equations = table_problem(quarters)
    cells = sorted(values, key=str)
    hidden = set(data.draw(st.lists(st.sampled_from(cells), max_size=len(cells))))
    assert suppression.recoverable(hidden, equations) == determined_cells(equations, hidden)


def test_chain_through_several_equations_is_found():
    # a + b, b + c and a + c are shown: no equation has one hidden cell, yet together they pin a, b and c.
    # d + e alone pins neither.
    equations = [total_equation("T", ["a", "b"]), total_equation("U", ["b", "c"]), total_equation("V", ["a", "c"]),
                 total_equation("W", ["d", "e"])]
    assert suppression.recoverable({"a", "b", "c", "d", "e"}, equations) == {"a", "b", "c"}
    assert determined_cells(equations, {"a", "b", "c", "d", "e"}) == {"a", "b", "c"}


def _team_table(n_rows: int, n_cols: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = [[rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30, 55]) for _ in range(n_cols)] for _ in range(n_rows)]
    return pd.DataFrame(rows, index=[f"Team {i}" for i in range(n_rows)], columns=[f"c{j}" for j in range(n_cols)])


def _published(frame: pd.DataFrame, out: pd.DataFrame):
    full = frame.copy()
    full["Total"] = full.sum(axis=1)
    full.loc["Total"] = full.sum(axis=0)
    values = {(r, c): int(full.loc[r, c]) for r in full.index for c in full.columns}
    equations = ([total_equation((r, "Total"), [(r, c) for c in frame.columns]) for r in full.index]
                 + [total_equation(("Total", c), [(r, c) for r in frame.index]) for c in full.columns])
    hidden = {(r, c) for r in out.index for c in out.columns if out.loc[r, c] == SUPPRESSED}
    return values, equations, hidden


def test_table_of_1000_teams_hides_every_small_count_and_nothing_recoverable():
    """National scale: one row per team. (Speed is the benchmarks' business, bench/RESULTS.md: the old dense SVD of
    every hidden cell x every equation took minutes.)"""
    frame = _team_table(1000, 5, seed=7)
    out = suppress_table(frame)
    values, equations, hidden = _published(frame, out)
    assert {k for k, v in values.items() if 1 <= v <= 4} <= hidden
    assert not (set(subtraction_attack(values, equations, hidden)) & hidden)
    assert not svd_determined(equations, hidden)


def test_block_too_big_to_solve_hides_more_never_less(monkeypatch):
    frame = _team_table(12, 4, seed=3)
    normal = suppress_table(frame)
    monkeypatch.setattr(suppression, "MAX_BLOCK_CELLS", 3)
    capped = suppress_table(frame)
    values, equations, hidden = _published(frame, capped)
    assert {k for k, v in values.items() if 1 <= v <= 4} <= hidden
    assert not determined_cells(equations, hidden)
    assert len(hidden) >= (normal == SUPPRESSED).sum().sum()


def test_note_explains_c():
    assert "[c]" in suppression.note(4) and "1 to 4" in suppression.note(4)


def test_forced_cell_is_hidden_like_a_small_one_and_protected_by_a_second():
    values = {"total": 40, "a": 30, "b": 10}
    hidden = suppress(values, [total_equation("total", ["a", "b"])], 4, totals={"total"}, forced={"b"})
    assert hidden == {"a", "b"}


def test_last_resort_cells_are_hidden_only_after_totals():
    # all = north + south (an all-authorities total); south is small: north goes, though it is a total too
    values = {"all": 43, "north": 40, "south": 3}
    hidden = suppress(values, [total_equation("all", ["north", "south"])], 4, totals={"north"}, last={"all"})
    assert hidden == {"north", "south"}


def test_hidden_cells_of_one_line_never_add_up_to_a_small_count():
    """Issue 16: a team's minutes, 47 due = 26 on time + 19 late + 1 overdue + 1 not sent, with two small counts
    hidden and everything else shown would say "2 minutes overdue or not sent" as plainly as a shown 2."""
    values = {"due": 47, "on_time": 26, "late": 19, "overdue": 1, "not_sent": 1}
    equations = [total_equation("due", ["on_time", "late", "overdue", "not_sent"])]
    hidden = suppress(values, equations, 4, totals={"due"})
    assert {"overdue", "not_sent"} <= hidden and not small_sums(values, equations, hidden)
    assert not determined_cells(equations, hidden)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_tables())
def test_no_line_of_a_table_gives_a_small_sum_of_hidden_counts(quarters):
    values, equations = table_problem(quarters)
    totals = {k for k in values if "T" in k[1:]}
    hidden = suppress(values, equations, 4, totals=totals)
    assert not small_sums(values, equations, hidden)
    assert not determined_cells(equations, hidden)

