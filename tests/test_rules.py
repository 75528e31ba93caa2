"""Date rules (SPEC 3): working days, calendar months, financial quarters."""

import pytest

from core import calendar
from core import warehouse_file
from etl import warehouse
from tests.helpers import d, settings_for


def test_working_days_skip_christmas_boxing_day_and_weekend():
    # Wed 23 Dec 2026 -> Mon 4 Jan 2027: 24 Thu, 29, 30, 31 Dec are working days;
    # 25 Fri (Christmas), 28 Mon (Boxing Day substitute), 1 Jan Fri and weekends are not.
    assert calendar.working_days_between(d("2026-12-23"), d("2027-01-04")) == 5
    assert not calendar.is_working_day(d("2026-12-25"))
    assert not calendar.is_working_day(d("2026-12-28"))
    assert not calendar.is_working_day(d("2027-01-01"))


def test_working_days_skip_good_friday_and_easter_monday():
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April (England and Wales).
    assert not calendar.is_working_day(d("2026-04-03"))
    assert not calendar.is_working_day(d("2026-04-06"))
    assert calendar.working_days_between(d("2026-04-02"), d("2026-04-07")) == 1


def test_august_bank_holiday_is_the_england_and_wales_one():
    assert not calendar.is_working_day(d("2026-08-31"))   # last Monday of August (not Scotland's first Monday)
    assert calendar.is_working_day(d("2026-08-03"))


def test_working_days_count_excludes_the_meeting_day_and_includes_the_sent_day():
    # (Mon 1 Jun, Fri 5 Jun] = Tue..Fri = 4
    assert calendar.working_days_between(d("2026-06-01"), d("2026-06-05")) == 4
    assert calendar.working_days_between(d("2026-06-01"), d("2026-06-01")) == 0


def test_minutes_due_date_is_the_20th_working_day_after_the_meeting():
    # Review Thu 17 Dec 2026: 20 working days skipping 25, 28 Dec and 1 Jan -> Tue 19 Jan 2027.
    assert calendar.add_working_days(d("2026-12-17"), 20) == d("2027-01-19")


def test_six_months_after_31_august_is_end_of_february():
    assert calendar.add_months(d("2026-08-31"), 6) == d("2027-02-28")
    assert calendar.add_months(d("2027-08-31"), 6) == d("2028-02-29")   # leap year
    assert calendar.add_months(d("2026-03-15"), 6) == d("2026-09-15")


def test_quarter_labels_either_side_of_1_april():
    assert calendar.financial_quarter(d("2026-03-31")) == "2025-26 Q4"
    assert calendar.financial_quarter(d("2026-04-01")) == "2026-27 Q1"
    assert calendar.financial_quarter(d("2026-07-01")) == "2026-27 Q2"
    assert calendar.financial_quarter(d("2026-12-31")) == "2026-27 Q3"
    assert calendar.financial_quarter(d("2027-01-01")) == "2026-27 Q4"
    assert calendar.financial_quarter(d("1999-06-01")) == "1999-00 Q1"


def test_quarter_bounds_and_shift():
    assert calendar.quarter_bounds("2026-27 Q4") == (d("2027-01-01"), d("2027-03-31"))
    assert calendar.shift_quarter("2026-27 Q1", -1) == "2025-26 Q4"
    assert calendar.shift_quarter("2026-27 Q2", -4) == "2025-26 Q2"


@pytest.fixture(scope="module")
def schema_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("cal") / "w.duckdb"
    con = warehouse_file.connect_writer(path)
    warehouse.apply_schema(con, settings_for(path))
    yield con
    con.close()


def test_warehouse_calendar_agrees_with_the_python_rules(schema_con):
    rows = schema_con.execute(
        "SELECT day, is_working_day, working_day_number, quarter FROM calendar "
        "WHERE day BETWEEN DATE '2025-12-01' AND DATE '2027-05-01' ORDER BY day").fetchall()
    start = rows[0][2]
    for day, working, number, quarter in rows:
        assert working == calendar.is_working_day(day)
        assert quarter == calendar.financial_quarter(day)
        assert number - start == calendar.working_days_between(rows[0][0], day)


def test_sql_month_arithmetic_clamps_month_ends_like_the_rule(schema_con):
    for day in (d("2026-08-31"), d("2027-08-31"), d("2026-01-31"), d("2026-05-15")):
        got = schema_con.execute("SELECT CAST(?::DATE + to_months(6) AS DATE)", [day]).fetchall()[0][0]
        assert got == calendar.add_months(day, 6)
