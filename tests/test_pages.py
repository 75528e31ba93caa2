"""Every page renders with AppTest on the sample warehouse and on an empty one; filters change the figures,
which are checked against the public views."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, open_tables, query
from core import warehouse_file
from etl import warehouse
from core.settings import load_settings

PAGES = ["pages/overview.py", "pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py",
         "pages/follow_up.py", "pages/outcomes.py"]
TIMEOUT = 60


@pytest.fixture
def on_sample(sample_warehouse, monkeypatch):
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    return sample_warehouse


@pytest.fixture
def on_empty(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    with warehouse_file.connect_writer(path) as con:
        warehouse.apply_schema(con, load_settings(env={}, warehouse=str(path)))
    monkeypatch.setenv("PWP_WAREHOUSE", str(path))
    return path


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table_with(at: AppTest, column: str):
    """The first table on the page that has this column heading."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def latest_quarter(db) -> str:
    """The quarter the pages open on: the last complete one (the warehouse's today is the real date here)."""
    from core import calendar as rules
    running = rules.financial_quarter(query(db, "SELECT coalesce(today_override, current_date) FROM settings")[0][0])
    return query(db, "SELECT max(quarter) FROM reviews WHERE quarter < ?", [running])[0][0]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_sample(on_sample, page):
    at = run(page)
    assert not at.error
    assert any("Sample data" in w.value for w in at.warning)
    assert at.sidebar.multiselect(key="flt_quarters").value == [latest_quarter(on_sample)]


@pytest.mark.parametrize("page", PAGES + ["dashboard.py"])
def test_page_on_empty_warehouse_asks_for_exports(on_empty, page):
    at = run(page)
    assert any("No data loaded yet" in i.value for i in at.info)


def test_first_start_builds_the_sample_warehouse(tmp_path, monkeypatch):
    path = tmp_path / "new" / "warehouse.duckdb"
    monkeypatch.setenv("PWP_WAREHOUSE", str(path))
    monkeypatch.setenv("PWP_SAMPLE_ON_FIRST_START", "yes")
    at = run("dashboard.py")
    assert path.exists()
    assert not any("building one from the" in i.value for i in at.info)      # the note is gone once built
    assert any("Sample data" in w.value for w in at.warning)
    assert metric(at, "Reviews held")


def test_a_new_warehouse_set_for_real_data_is_never_seeded_with_the_sample(tmp_path, monkeypatch):
    path = tmp_path / "real" / "warehouse.duckdb"
    monkeypatch.setenv("PWP_WAREHOUSE", str(path))
    at = run("dashboard.py")
    assert not path.exists()
    assert any("No data loaded yet" in i.value for i in at.info)


def test_overview_figures_follow_each_filter(on_sample):
    at = run("dashboard.py")
    quarter = latest_quarter(on_sample)
    held = query(on_sample, "SELECT count(*) FROM reviews WHERE quarter = ? AND review_date IS NOT NULL", [quarter])[0][0]
    assert metric(at, "Reviews held") == f"{held:,}"
    team = query(on_sample, "SELECT min(team) FROM reviews")[0][0]
    at.sidebar.multiselect(key="flt_teams").set_value([team]).run()
    held = query(on_sample, "SELECT count(*) FROM reviews WHERE quarter = ? AND review_date IS NOT NULL AND team = ?",
                 [quarter, team])[0][0]
    assert metric(at, "Reviews held") == f"{held:,}"
    at.sidebar.multiselect(key="flt_teams").set_value([]).run()
    at.sidebar.selectbox(key="flt_nation").set_value("Wales").run()
    on_time, assessed = query(on_sample, "SELECT count(*) FILTER (WHERE held_on_time), count(held_on_time) FROM reviews "
                                         "WHERE quarter = ? AND nation = 'Wales'", [quarter])[0]
    assert any(c.value == f"{on_time:,} of {assessed:,}" for c in at.caption)     # the n on its own line
    authority = query(on_sample, "SELECT min(local_authority) FROM reviews WHERE nation = 'Wales'")[0][0]
    at.sidebar.selectbox(key="flt_la").set_value(authority).run()
    assert not at.exception
    at.sidebar.radio(key="flt_period_mode").set_value("Date range").run()
    at.sidebar.date_input(key="flt_dates").set_value((dt.date(2025, 4, 1), dt.date(2025, 6, 30))).run()
    held = query(on_sample, "SELECT count(*) FROM reviews WHERE review_date BETWEEN '2025-04-01' AND '2025-06-30' "
                            "AND nation = 'Wales' AND local_authority = ?", [authority])[0][0]
    assert metric(at, "Reviews held") == f"{held:,}"
    assert len([m for m in at.markdown if m.value.startswith("**1.**")]) == 1


def test_filters_are_kept_across_pages(on_sample):
    at = run("dashboard.py")
    team = query(on_sample, "SELECT max(team) FROM reviews")[0][0]
    at.sidebar.multiselect(key="flt_teams").set_value([team]).run()
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception
        assert at.sidebar.multiselect(key="flt_teams").value == [team]


def test_worklist_filters_by_iro(on_sample):
    at = run("pages/review_timeliness.py")
    iro = at.selectbox(key="worklist_iro").options[1]
    at.selectbox(key="worklist_iro").set_value(iro).run()
    overdue = query(on_sample, "SELECT count(*) FROM reviews WHERE minutes_status = 'overdue' AND iro = ?", [iro])[0][0]
    assert int(metric(at, "Overdue: not sent")) + int(metric(at, "Probably a recording gap")) == overdue
    table = table_with(at, "Action needed")
    assert set(table["IRO"]) <= {iro}


def test_coproduction_comments_for_a_stage_and_team(on_sample):
    at = run("pages/coproduction.py")
    quarter = latest_quarter(on_sample)
    team = at.selectbox(key="comments_team").options[1]
    at.selectbox(key="comments_stage").set_value(1).run()
    at.selectbox(key="comments_team").set_value(team).run()
    expected = query(on_sample, "SELECT count(*) FROM traffic_light_ratings WHERE quarter = ? AND stage_no = 1 "
                                "AND team = ? AND comment IS NOT NULL AND trim(comment) <> ''", [quarter, team])[0][0]
    got = table_with(at, "What the young person said") if expected else None
    assert (len(got) if got is not None else 0) == expected


def test_plan_quality_drilldown_lists_the_plans_with_reasons(on_sample):
    at = run("pages/plan_quality.py")
    quarter = latest_quarter(on_sample)
    at.selectbox(key="drill_result").set_value("good").run()
    good = query(on_sample, "SELECT count(*) FROM plan_quality q JOIN reviews r USING (plan_id) "
                            "WHERE q.quarter = ? AND overall = 'good'", [quarter])[0][0]
    if good:
        table = table_with(at, "Reason")
        assert table["Plan ID"].nunique() == good and table["Reason"].notna().all()


@pytest.fixture(scope="module")
def many_teams(tmp_path_factory):
    """40 teams (more than a chart draws), each with young people reviewed in 2026-27 Q1."""
    from tests.helpers import load_into, write_csv
    tmp = tmp_path_factory.mktemp("many_teams")
    rows = [["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro"]]
    for t in range(40):
        for p in range(6):
            person = f"T{t}P{p}"
            rows.append([person, f"Team {t:02d}", "2025-10-01", f"{person}v1", "", "", "IRO A"])
            sent = "2026-05-01" if (p + t) % 3 else ""
            rows.append([person, f"Team {t:02d}", "2026-04-15", f"{person}v2", "2026-04-15", sent, "IRO A"])
    db = tmp / "w.duckdb"
    load_into(db, write_csv(tmp / "plans.csv", rows))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_pages_with_more_teams_than_a_chart_draws(many_teams, monkeypatch, page):
    """Per-team charts draw at most MAX_TEAMS teams and say so; the tables behind them keep every team."""
    from app import charts
    monkeypatch.setenv("PWP_WAREHOUSE", str(many_teams))
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.session_state["flt_quarters"] = ["2026-27 Q1"]
    open_tables(at.run())
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/review_timeliness.py":
        assert any(f"the {charts.MAX_TEAMS} teams" in c.value and "out of 40" in c.value for c in at.caption)
        assert table_with(at, "Minutes")["Team"].nunique() == 40


def test_a_table_behind_a_chart_is_built_only_once_opened_then_downloadable(on_sample):
    """Issues 22 and 23: every table folded under a chart was sent and built into a grid in each person's browser on
    every page view, for the few who open it. Now it is made when its expander is opened (one click), with its
    download."""
    at = run("pages/review_timeliness.py")
    downloads = lambda: [b.proto.id for b in at.get("download_button")]
    assert not [df for df in at.dataframe if "Minutes" in df.value.columns]
    assert not [i for i in downloads() if i.endswith("-status_csv")]
    assert "Table behind this chart: How review minutes stand, by team and quarter of the review" in [
        e.label for e in at.expander]
    open_tables(at)
    assert not at.exception
    minutes = table_with(at, "Minutes")
    assert len(minutes) and set(minutes["Minutes"]) <= {"Sent on time", "Sent late", "Not sent and overdue",
                                                        "Not sent yet, not due"}
    assert [i for i in downloads() if i.endswith("-status_csv")]


def test_each_figure_is_sent_ready_to_be_drawn_once(on_sample):
    """Issues 22 and 23: the browser drew every chart two or three times. Streamlit's theme put a template in each
    figure and copied it after the first drawing (plotly took the copy for a new figure); the data had no revision;
    clickable charts had their layout changed after the first drawing; labels that did not fit widened the margins
    and drew the chart again. Now a figure carries its look in its own layout, a data revision, a clickable chart's
    click settings, and margins that hold its labels."""
    from app import charts
    pages = {p: run(p) for p in ("pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py")}
    every = {title: spec for at in pages.values() for title, spec in figures(at).items()}
    assert len(every) >= 10
    for title, spec in every.items():
        layout = spec["layout"]
        assert "template" not in layout and layout["datarevision"], title
        assert layout["font"]["family"] and layout["title"]["font"]["weight"] == "bold", title
    for title in ("Plans by grade: good, requires improvement, inadequate or incomplete, by team",
                  "Each indicator: good, inadequate or unknown (All teams)"):
        layout = every[title]["layout"]
        assert (layout["clickmode"], layout["dragmode"], layout["hovermode"]) == ("event+select", "pan", "closest")
    # the longest label on each horizontal bar chart fits the left margin
    for title in ("Red, amber and green ratings for each stage", "Each indicator: good, inadequate or unknown (All teams)"):
        spec = every[title]
        longest = max((label for trace in spec["data"] for label in trace["y"]), key=charts.label_px)
        assert spec["layout"]["margin"]["l"] >= charts.label_px(longest) + 16, title
    heat = every["Co-production score by stage and team (0 = all red, 100 = all green)"]["layout"]
    assert heat["margin"]["r"] >= charts.COLOUR_BAR_PX


def test_only_the_trend_tab_shown_is_drawn(on_sample):
    """Co-production's trend by stage and by team sit in two tabs: both were drawn on every view, one of them hidden.
    Now only the tab shown is built; choosing the other draws it."""
    at = run("pages/coproduction.py")
    titles = lambda: set(figures(at))
    assert "Co-production score by quarter, per stage" in titles()
    assert "Co-production score by quarter, per team" not in titles()
    at.session_state["trend_by"] = "By team"
    at.run()
    assert not at.exception
    assert "Co-production score by quarter, per team" in titles()
    assert "Co-production score by quarter, per stage" not in titles()


def test_focus_teams_keeps_the_most_in_need_and_the_total():
    import pandas as pd
    from app import charts
    df = pd.DataFrame({"team": ["All teams"] + [f"T{i}" for i in range(20)], "bad": [50.0] + list(range(20)),
                       "too_small": [False] * 20 + [True]})
    need = df.set_index("team")["bad"]
    kept, caption = charts.focus_teams(df, need, "worst", n=3, small=df.set_index("team")["too_small"])
    assert kept["team"].tolist() == ["All teams", "T16", "T17", "T18"]      # T19 is too small to compare
    assert "3 teams worst, out of 20" in caption
    few, caption = charts.focus_teams(df.head(4), need, "worst", n=3)      # 3 teams and the total: all drawn
    assert len(few) == 4 and caption is None


def test_a_long_list_shows_its_first_rows_and_the_download_has_every_row(on_sample, monkeypatch):
    """The worklist sends only its first rows to the page, says so, and its CSV (made when clicked) has them all."""
    import csv
    import io

    from streamlit.runtime.media_file_manager import MediaFileManager

    from app import charts
    monkeypatch.setattr(charts, "SHOWN_ROWS", 3)
    made = {}
    original = MediaFileManager.add_deferred

    def remember(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    at = run("pages/review_timeliness.py")
    total = sum(int(metric(at, label).replace(",", "")) for label in
                ("Overdue: not sent", "Due in the next 5 working days", "Sent late in this period",
                 "Probably a recording gap"))
    assert total > 3
    shown = table_with(at, "Action needed")
    assert len(shown) == 3
    assert any(c.value == f"Showing the first 3 of {total:,} rows; the download has every row." for c in at.caption)
    rows = list(csv.DictReader(io.StringIO(made["minutes_worklist.csv"]().decode("utf-8-sig"))))
    assert len(rows) == total
    assert [r["Plan ID"] for r in rows[:3]] == shown["Plan ID"].tolist()      # the same list, most urgent first


def test_a_rerun_draws_what_was_built_without_querying_again(on_sample, monkeypatch):
    """Charts and tables are built once per warehouse version, filters and choices; a new choice builds anew."""
    import queries.runner
    calls = []
    original = queries.runner.run

    def counted(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(queries.runner, "run", counted)
    monkeypatch.setattr(queries, "run", counted)
    first = run("pages/review_timeliness.py")
    assert "worklist" in calls
    calls.clear()
    again = run("pages/review_timeliness.py")
    assert calls == []
    assert table_with(again, "Action needed").equals(table_with(first, "Action needed"))
    iro = again.selectbox(key="worklist_iro").options[1]
    again.selectbox(key="worklist_iro").set_value(iro).run()
    assert "worklist" in calls
    assert set(table_with(again, "Action needed")["IRO"]) <= {iro}


def test_built_parts_are_kept_per_key_and_forgotten_when_the_cache_is_cleared():
    import streamlit as st

    from app import data
    made = []
    build = lambda: made.append(1) or len(made)      # noqa: E731
    assert data.built(("test", 1), build) == 1
    assert data.built(("test", 1), build) == 1
    assert data.built(("test", 2), build) == 2
    st.cache_data.clear()                              # as after a load, or a benchmark's cold run
    assert data.built(("test", 1), build) == 3


def test_prefetched_queries_match_and_a_refused_one_still_raises(on_sample):
    import queries
    from app import data
    from queries.filters import Filters, Scope
    filters = Filters(quarters=(latest_quarter(on_sample),))
    names = ["headline", "worklist", "minutes_status_by_team_quarter", "out_of_date_by_team"]
    data.prefetch(str(on_sample), filters, queries.ADMIN, names)
    for name in names:
        assert data.get(name, str(on_sample), filters, queries.ADMIN).equals(getattr(queries, name)(on_sample, filters))
    panel = Scope(role="panel")
    data.prefetch(str(on_sample), filters, panel, ["worklist"])
    with pytest.raises(PermissionError):
        data.get("worklist", str(on_sample), filters, panel)


# --- issue 22: the dashboard as each user sees it -------------------------------------------------------------------

def test_the_sidebar_opens_on_the_last_complete_quarter_and_marks_the_running_one_so_far(on_sample):
    """A running quarter has few reviews yet, so every card would show a fall: the pages open on the last complete
    one; the running quarter is still there to choose, labelled "so far"."""
    from core import calendar as rules
    at = run("pages/overview.py")
    running = rules.financial_quarter(dt.date.today())
    box = at.sidebar.multiselect(key="flt_quarters")
    assert box.value == [latest_quarter(on_sample)] and latest_quarter(on_sample) < running
    assert f"{running} (so far)" in box.options
    assert latest_quarter(on_sample) in box.options
    box.set_value([running]).run()
    assert any("not over yet" in c.value for c in at.caption)


def test_default_quarter_is_the_newest_that_is_over():
    from queries.filters import default_quarter, quarter_label
    quarters = ["2026-27 Q2", "2026-27 Q1", "2025-26 Q4"]
    assert default_quarter(quarters, dt.date(2026, 8, 1)) == "2026-27 Q1"
    assert default_quarter(quarters, dt.date(2026, 6, 30)) == "2025-26 Q4"      # Q1's last day: not over yet
    assert default_quarter(["2026-27 Q2"], dt.date(2026, 8, 1)) == "2026-27 Q2"  # nothing over: the running one
    assert default_quarter([], dt.date(2026, 8, 1)) is None
    assert quarter_label("2026-27 Q2", dt.date(2026, 8, 1)) == "2026-27 Q2 (so far)"
    assert quarter_label("2026-27 Q1", dt.date(2026, 8, 1)) == "2026-27 Q1"


@pytest.fixture
def two_equal_quarters(tmp_path, monkeypatch):
    """Six reviews held in each of two quarters, minutes all sent on time: no change between them."""
    from tests.helpers import load_into, write_csv
    rows = [["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro"]]
    for p in range(6):
        rows.append([f"P{p}", "Only Team", "2025-07-01", f"P{p}v1", "2025-11-03", "2025-11-10", "IRO A"])
        rows.append([f"P{p}", "Only Team", "2025-11-03", f"P{p}v2", "2026-02-02", "2026-02-09", "IRO A"])
    db = tmp_path / "w.duckdb"
    load_into(db, write_csv(tmp_path / "plans.csv", rows))
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    return db


def test_no_change_is_shown_neutral_and_cards_keep_their_n_on_a_caption_line(two_equal_quarters):
    at = AppTest.from_file(str(ROOT / "pages/overview.py"), default_timeout=TIMEOUT)
    at.session_state["flt_quarters"] = ["2025-26 Q4"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    held = next(m for m in at.metric if m.label == "Reviews held")
    assert held.value == "6" and held.delta == "No change on 2025-26 Q3"
    assert held.proto.color == held.proto.GRAY and held.proto.direction == held.proto.NONE     # neutral: no arrow
    on_time = next(m for m in at.metric if m.label == "Minutes sent on time")
    assert on_time.value == "100%*" or on_time.value == "100%"            # the figure alone: never cut off
    assert not any(m.delta.startswith(("+0", "-0")) for m in at.metric)
    assert any(c.value == "6 of 6" for c in at.caption)


def test_attention_never_repeats_one_fact_as_an_indicator(on_sample):
    """With one team, the minutes-late item and the "Minutes sent on time" indicator were the same numbers twice."""
    import queries
    from queries.filters import Filters
    for team in [r[0] for r in query(on_sample, "SELECT DISTINCT team FROM reviews ORDER BY 1")]:
        for quarter in [r[0] for r in query(on_sample, "SELECT DISTINCT quarter FROM reviews ORDER BY 1 DESC LIMIT 4")]:
            items = queries.attention(on_sample, Filters(quarters=(quarter,), teams=(team,)))
            assert not any(w in s for s in items["sentence"] for w in
                           ("\u201cMinutes sent on time\u201d", "\u201cReviewed within 6 months\u201d"))


def figures(at: AppTest) -> dict[str, dict]:
    """Every plotly figure on the page, by title."""
    import json
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"]: s for s in specs}


def test_charts_read_at_a_glance(on_sample):
    """Text at least 11 px, a small chart per stage, legends above the plot (never over it), whole-number axes for
    counts, and the plan list's verdict and reason first."""
    from app import style
    pages = {p: run(p) for p in ("pages/coproduction.py", "pages/review_timeliness.py", "pages/plan_quality.py")}
    every = {title: spec for at in pages.values() for title, spec in figures(at).items()}
    assert len(every) >= 10
    for title, spec in every.items():
        layout = spec["layout"]
        assert layout["font"]["size"] >= style.MIN_LABEL_PX, title
        assert layout["legend"]["y"] >= 1 and layout["legend"]["yanchor"] == "bottom", title
    heat = every["Co-production score by stage and team (0 = all red, 100 = all green)"]
    assert heat["data"][0]["textfont"]["size"] >= style.MIN_LABEL_PX
    stages = every["Co-production score by quarter, per stage"]
    assert len([t for t in stages["data"] if t["type"] == "scatter"]) == 10
    assert len({t["xaxis"] for t in stages["data"]}) == 10              # one panel per stage
    counts = every["How many working days it took to send the minutes (this period)"]["layout"]
    assert counts["yaxis"]["tickformat"] == ",d" and counts["xaxis"]["tickformat"] == ",d"
    at = pages["pages/plan_quality.py"]
    at.selectbox(key="drill_result").set_value("inadequate").run()
    assert list(table_with(at, "Reason").columns[:3]) == ["Indicator", "Verdict", "Reason"]


def test_the_worklist_opens_on_what_is_due_this_week_then_recent_overdue_and_old_ones_last(on_sample):
    """Issue 22: "most urgent first" put 2024's backlog on top. Now: due in the next 5 working days (soonest first),
    overdue (most recent first), sent late, then overdue for more than recording_gap_months (default 3) as probably
    a recording gap; a blank date shows blank."""
    from core import calendar as rules
    at = run("pages/review_timeliness.py")
    table = table_with(at, "Action needed")
    order = ["Due soon: not sent", "Overdue: not sent", "Sent late", "Overdue for months: probably a recording gap"]
    seen = list(dict.fromkeys(table["Action needed"]))
    assert seen == [a for a in order if a in seen] and len(seen) == 4
    soon = table[table["Action needed"] == order[0]]["Minutes due by"]
    assert soon.is_monotonic_increasing
    overdue = table[table["Action needed"] == order[1]]["Minutes due by"]
    assert overdue.is_monotonic_decreasing
    gap_from = rules.add_months(dt.date.today(), -3)
    assert (overdue.dt.date >= gap_from).all()
    assert (table[table["Action needed"] == order[3]]["Minutes due by"].dt.date < gap_from).all()
    assert table["Minutes sent"].isna().any()
    assert all(df.proto.HasField("placeholder") and df.proto.placeholder == "" for df in at.dataframe)   # not "None"


def test_thresholds_are_written_from_the_settings_on_the_pages(tmp_path, monkeypatch):
    """Issue 17: "within 6 months", "20th working day" and "Fewer than 5" were fixed text. With other thresholds set
    (stored in the warehouse at load, or read by the page), every page says the new values and none the defaults."""
    from tests.helpers import load_into, write_csv
    rows = [["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro"]]
    for p in range(3):      # a team of 3: too small to compare at small_number_max 6, not at the default 4
        rows.append([f"P{p}", "Team A", "2025-12-01", f"P{p}v1", "", "", "IRO A"])
        rows.append([f"P{p}", "Team A", "2026-04-15", f"P{p}v2", "2026-04-15", "2026-06-01", "IRO A"])
    db = tmp_path / "w.duckdb"
    stored = {"review_interval_months": 4, "minutes_due_working_days": 15, "due_soon_working_days": 7,
              "small_number_max": 6}
    load_into(db, write_csv(tmp_path / "plans.csv", rows), **stored)
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    monkeypatch.setenv("PWP_RECORDING_GAP_MONTHS", "2")
    monkeypatch.setenv("PWP_FOLLOW_UP_WORKING_DAYS", "12")
    said = {}
    for page in ("pages/overview.py", "pages/review_timeliness.py", "pages/plan_quality.py", "pages/follow_up.py",
                 "pages/coproduction.py"):
        at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
        at.session_state["flt_quarters"] = ["2026-27 Q1"]
        open_tables(at.run())
        assert not at.exception, [e.value for e in at.exception]
        said[page] = " ".join([c.value for c in at.caption] + [m.help or "" for m in at.metric] + [m.label for m in at.metric]
                              + [str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel()])
    assert "more than 4 months old today" in said["pages/overview.py"]
    assert "Groups of fewer than 7 are left out" in said["pages/overview.py"]
    assert "Fewer than 7 cases: too small to compare." in said["pages/review_timeliness.py"]
    timeliness = said["pages/review_timeliness.py"]
    assert "by the 15th working day after the review meeting" in timeliness
    assert "a review is due within 4 months of the previous plan" in timeliness
    assert "Due in the next 7 working days" in timeliness
    assert "more than 2 months ago" in timeliness
    assert "Reviewed within 4 months" in said["pages/plan_quality.py"]
    assert "within 12 working days of the form being returned" in said["pages/follow_up.py"]
    for page, text in said.items():
        for default in ("6 months", "20th working day", "20 working days", "fewer than 5", "Fewer than 5",
                        "next 5 working days", "3 months"):
            assert default not in text, (page, default)


def test_a_page_run_reads_the_settings_once_and_looks_at_the_warehouse_file_once(on_sample, monkeypatch):
    """Issue 17: one query door. An Overview run read the settings 5 times and stat'ed the warehouse file 12 times
    (every cache key looked again); now page.setup reads the settings once and makes one warehouse handle, which
    carries the version to every query and section of the run."""
    from core import settings as settings_module
    from core import warehouse_file
    counts = {"settings": 0, "version": 0}
    settings_init, version = settings_module.Settings.__init__, warehouse_file.version

    def counted_settings(self, *args, **kwargs):
        counts["settings"] += 1
        settings_init(self, *args, **kwargs)

    def counted_version(path):
        counts["version"] += 1
        return version(path)

    at = run("pages/overview.py")                # the first run fills the caches
    monkeypatch.setattr(settings_module.Settings, "__init__", counted_settings)
    monkeypatch.setattr(warehouse_file, "version", counted_version)
    at.run()
    assert not at.exception
    assert counts == {"settings": 1, "version": 1}
