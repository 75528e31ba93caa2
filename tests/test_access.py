"""Sign-in, roles and data protection (SPEC §6), per role with AppTest (`at.user` is what the app reads as
st.user): each person sees exactly what their role allows, whichever page they open; the scope is enforced
by the queries themselves; the audit log records pages, filters and downloads and never a young person."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

import queries
from app import access, audit
from core import safe_cells
from tests.helpers import ROOT, open_tables, query
from tests.helpers.access import ACCESS_TOML, IRO, TEAM, leaks, sensitive
from queries.filters import Filters, Scope

TIMEOUT = 60
DASHBOARD_PAGES = ["overview", "coproduction", "review_timeliness", "plan_quality"]
# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture
def signed_in(sample_warehouse, tmp_path, monkeypatch):
    """OIDC mode on the sample warehouse with a test access file and a fresh audit log."""
    access_file = tmp_path / "access.toml"
    access_file.write_text(ACCESS_TOML)
    log = tmp_path / "audit.sqlite"
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("PWP_AUTH_MODE", "oidc")
    monkeypatch.setenv("PWP_ACCESS_FILE", str(access_file))
    monkeypatch.setenv("PWP_AUDIT_LOG", str(log))
    return log


def run(page: str, email: str | None, logged_in: bool = True) -> AppTest:
    """Open a page file directly, as a URL request that skipped the menu would, with every folded table opened (what
    a role may see includes the tables behind the charts)."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.user = {"is_logged_in": logged_in, **({"email": email} if email else {})}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_tables(at)
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_file(key: str) -> str:
    return access.PAGES[key].file


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader")
             for e in getattr(at, kind)]
    parts += [df.to_csv() for df in tables(at)]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(map(str, parts))


def refused(at: AppTest) -> bool:
    return any("not available to your role" in e.value for e in at.error)


def shows_no_data(at: AppTest) -> None:
    assert not at.dataframe and not at.metric and not at.get("plotly_chart") and not at.sidebar.multiselect


# --- who may open which page ----------------------------------------------------------------------

@pytest.mark.parametrize("email,allowed", [
    ("manager@example.org", {"overview", "find_young_person", "coproduction", "review_timeliness", "plan_quality", "panel_report",
                             "invitations", "follow_up", "outcomes"}),
    ("team.manager@example.org", {"overview", "find_young_person", "coproduction", "review_timeliness", "plan_quality", "invitations",
                                  "follow_up", "outcomes"}),
    ("iro@example.org", {"overview", "find_young_person", "coproduction", "review_timeliness", "plan_quality", "panel_report",
                         "invitations", "follow_up", "outcomes"}),
    ("panel@example.org", {"panel_report"}),
])
def test_each_role_opens_only_its_pages_even_by_direct_request(signed_in, email, allowed):
    for key in access.PAGES:
        at = run(page_file(key), email)
        if key in allowed:
            assert not refused(at), key
            if key == "find_young_person":      # nothing shown until an ID is typed
                assert at.text_input and at.sidebar.multiselect, key
                continue
            assert at.dataframe or at.metric, f"{email} should see data on {key}"
        else:
            assert refused(at), f"{email} reached {key}"
            shows_no_data(at)


def test_admin_opens_every_page_including_data_loads_and_the_audit_log(signed_in):
    for key in access.PAGES:
        at = run(page_file(key), "ADMIN@example.org")     # emails match ignoring case
        assert not refused(at), key
        assert at.title and not at.error, key


def test_unknown_and_signed_out_users_see_a_message_and_no_data(signed_in):
    for page in ("dashboard.py", page_file("overview"), page_file("panel_report"), page_file("data_loads")):
        at = run(page, "stranger@example.org")
        assert any("not on this dashboard's access list" in w.value for w in at.warning)
        shows_no_data(at)
        at = run(page, None, logged_in=False)
        assert any("Please sign in" in i.value for i in at.info)
        assert [b.label for b in at.button] == ["Sign in"]
        shows_no_data(at)
    logged = audit.read(signed_in)
    assert "unknown_user" in set(logged["event"])


def test_a_broken_access_file_lets_nobody_in(signed_in, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text('[users."manager@example.org"]\nrole = "superuser"\n')
    monkeypatch.setenv("PWP_ACCESS_FILE", str(bad))
    at = run(page_file("overview"), "manager@example.org")
    assert any("access list could not be read" in e.value for e in at.error)
    shows_no_data(at)


# --- what each role sees on the pages -------------------------------------------------------------

def test_team_manager_sees_only_their_teams_rows(signed_in, sample_warehouse):
    email = "team.manager@example.org"
    at = run(page_file("review_timeliness"), email)
    assert at.sidebar.multiselect(key="flt_teams").options == [TEAM]
    seen = pd.concat([df for df in tables(at) if "Team" in df.columns])
    assert set(seen["Team"]) == {TEAM}
    at = run(page_file("coproduction"), email)
    comments = next(df for df in tables(at) if "What the young person said" in df.columns)
    assert len(comments) and set(comments["Team"]) == {TEAM}
    assert [o for o in at.selectbox(key="comments_team").options] == ["All teams", TEAM]
    at = run(page_file("plan_quality"), email)
    for df in tables(at):
        if "Team" in df.columns:
            assert set(df["Team"]) <= {TEAM, "All teams"}


def test_iro_sees_case_rows_only_for_their_own_reviews_and_aggregates_otherwise(signed_in, sample_warehouse):
    at = run(page_file("review_timeliness"), "iro@example.org")
    assert at.selectbox(key="worklist_iro").options == ["All IROs", IRO]
    case_tables = [df for df in tables(at) if "IRO" in df.columns]
    assert case_tables and all(set(df["IRO"]) <= {IRO} for df in case_tables)
    assert sum(len(df) for df in case_tables) > 0
    # Aggregates: every team's figures (not only the teams this IRO works in)
    teams = {r[0] for r in query(sample_warehouse, "SELECT DISTINCT team FROM reviews")}
    ood = next(df for df in tables(at) if "% out of date" in df.columns)
    assert set(ood["Team"]) == teams
    # Comments: only from this IRO's reviews
    at = run(page_file("coproduction"), "iro@example.org")
    comments = next((df for df in tables(at) if "What the young person said" in df.columns), pd.DataFrame())
    quarter = at.sidebar.multiselect(key="flt_quarters").value
    stage = at.selectbox(key="comments_stage").value
    expected = query(sample_warehouse, """
        SELECT count(*) FROM traffic_light_ratings t JOIN reviews r USING (plan_id)
        WHERE r.iro = ? AND t.stage_no = ? AND list_contains(?, t.quarter) AND trim(t.comment) <> ''""",
                     [IRO, int(stage), quarter])[0][0]
    assert len(comments) == expected


def test_panel_report_shows_no_comment_or_person(signed_in, sample_warehouse):
    at = run(page_file("panel_report"), "panel@example.org")
    assert at.dataframe
    assert not leaks(all_text(at), sensitive(sample_warehouse))


# --- the scope is enforced by the queries, not the pages ------------------------------------------

QUERY_ARGS = {"coproduction_trend": {"by": "team"}}


def every_query(db, scope: Scope) -> dict[str, pd.DataFrame]:
    # follow_up_form (one form) and follow_up_counts_for_report (the report's quarters) take other arguments;
    # care_leaver_outcome_counts is the panel report's input (counts it suppresses itself), not a dashboard query
    skip = {"attention", "weakest_stage", "load_history", "load_issues", "run", "follow_up_form", "pseudonym",
            "follow_up_counts_for_report", "care_leaver_outcome_counts"}
    names = [n for n, f in vars(queries).items() if callable(f) and not n.startswith("_") and n not in skip
             and getattr(f, "__module__", "") == "queries"]
    return {n: getattr(queries, n)(db, Filters(), scope, **QUERY_ARGS.get(n, {})) for n in names}


def test_a_team_manager_scope_cannot_return_another_teams_rows(sample_warehouse):
    results = every_query(sample_warehouse, Scope("team_manager", teams=(TEAM,)))
    assert len(results) >= 15
    for name, df in results.items():
        if "team" in df.columns:
            assert set(df["team"].dropna()) <= {TEAM, "All teams"}, name
    assert set(results["coproduction_trend"]["group"]) == {TEAM}     # trend by team
    assert queries.worklist(sample_warehouse, Filters(), Scope("team_manager", teams=())).empty


def test_an_iro_scope_returns_case_rows_only_for_their_reviews(sample_warehouse):
    scope = Scope("iro", iro=IRO)
    for name in ("worklist", "out_of_date_plans"):
        df = getattr(queries, name)(sample_warehouse, Filters(), scope)
        assert len(df) and set(df["iro"]) == {IRO}, name
        # Asking for another IRO's list gives nothing, whatever the parameter says
        assert getattr(queries, name)(sample_warehouse, Filters(), scope, iro="IRO Pat Quinlan").empty
    plans = queries.plan_drilldown(sample_warehouse, Filters(), scope)
    own = {r[0] for r in query(sample_warehouse, "SELECT plan_id FROM reviews WHERE iro = ?", [IRO])}
    assert len(plans) and set(plans["plan_id"]) <= own
    comments = pd.concat([queries.comments(sample_warehouse, Filters(), scope, stage_no=s) for s in range(1, 11)])
    expected = query(sample_warehouse, """SELECT count(*) FROM traffic_light_ratings t JOIN reviews r USING (plan_id)
                                          WHERE r.iro = ? AND trim(t.comment) <> ''""", [IRO])[0][0]
    assert len(comments) == expected > 0
    assert set(queries.iros(sample_warehouse, Filters(), scope)["iro"]) == {IRO}


def test_a_panel_scope_gets_nothing_from_the_dashboard_queries(sample_warehouse):
    for name in ("headline", "comments", "coproduction_stage_team", "worklist", "filter_options"):
        with pytest.raises(PermissionError):
            getattr(queries, name)(sample_warehouse, Filters(), Scope("panel"))


# --- sign-in modes ---------------------------------------------------------------------------------

@pytest.fixture
def option():
    """Set a Streamlit config option for one test."""
    saved = {}

    def set_option(name, value):
        saved.setdefault(name, st_config.get_option(name))
        st_config.set_option(name, value)
    yield set_option
    for name, value in saved.items():
        st_config.set_option(name, value)


def test_header_mode_reads_the_mapped_header_and_refuses_without_the_mapping(signed_in, monkeypatch, option):
    monkeypatch.setenv("PWP_AUTH_MODE", "header")
    monkeypatch.setenv("PWP_AUTH_HEADER", "X-Forwarded-Email")
    at = AppTest.from_file(str(ROOT / page_file("data_loads")), default_timeout=TIMEOUT)
    at.user = {"email": "manager@example.org"}
    at.run()
    assert any("trustedUserHeaders" in e.value for e in at.error)       # not mapped: nobody gets in
    option("server.trustedUserHeaders", {"x-forwarded-email": "email"})
    at.run()
    assert refused(at)
    at.user = {"email": "admin@example.org"}
    at.run()
    assert not refused(at) and not at.error
    at.user = {"email": None}                                           # the proxy sent no header
    at.run()
    assert any("not signed in" in w.value for w in at.warning)


def test_oidc_mode_refuses_when_headers_could_override_the_sign_in(signed_in, option):
    option("server.trustedUserHeaders", {"X-Forwarded-Email": "email"})
    at = run(page_file("overview"), "manager@example.org")
    assert any("must be empty" in e.value for e in at.error)
    shows_no_data(at)


def test_local_mode_is_admin_but_only_when_listening_on_this_computer(sample_warehouse, monkeypatch, option):
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("PWP_AUTH_MODE", "local")
    option("server.address", "127.0.0.1")
    at = run(page_file("audit_log"), None)
    assert not refused(at)
    option("server.address", "0.0.0.0")
    at = run(page_file("overview"), None)
    assert any("serves this computer only" in e.value for e in at.error)
    shows_no_data(at)


def test_the_project_config_binds_to_localhost_and_hides_built_in_export():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["disableDataExport"] is True
    assert "trustedUserHeaders" not in config["server"]


def test_the_access_file_example_is_valid():
    import tomllib
    scopes = access.parse_access(tomllib.loads((ROOT / "access.example.toml").read_text()))
    assert {s.role for s in scopes.values()} == {"admin", "manager", "team_manager", "iro", "panel"}


# --- the audit log ---------------------------------------------------------------------------------

def test_audit_log_records_pages_filters_refusals_and_downloads_but_no_young_person(signed_in, sample_warehouse):
    run(page_file("coproduction"), "team.manager@example.org")
    run(page_file("data_loads"), "panel@example.org")
    at = run(page_file("review_timeliness"), "iro@example.org")
    user = access.User("iro@example.org", Scope("iro", iro=IRO))
    access.log_download(user, "review_timeliness", "minutes_worklist.csv", 12)
    log = audit.read(signed_in)
    opened = log[(log["event"] == "open") & (log["user"] == "team.manager@example.org")]
    assert opened["page"].tolist() == ["coproduction"]
    assert TEAM not in opened["detail"].iloc[0] or '"teams": []' in opened["detail"].iloc[0]
    assert '"quarters": [' in opened["detail"].iloc[0]
    assert ((log["event"] == "refused") & (log["user"] == "panel@example.org") & (log["page"] == "data_loads")).any()
    download = log[log["event"] == "download"].iloc[0]
    assert download["user"] == "iro@example.org" and '"rows": 12' in download["detail"]
    # Reruns do not repeat the line
    at.run()
    assert len(audit.read(signed_in)) == len(log)
    # No person ID, person key or comment anywhere in the file
    assert not leaks(signed_in.read_bytes().decode("utf-8", "replace"), sensitive(sample_warehouse))
    # The admin reads it on a page
    at = run(page_file("audit_log"), "admin@example.org")
    shown = next(df for df in tables(at) if "Event" in df.columns)
    assert {"open", "refused", "download"} <= set(shown["Event"])


def test_audit_lines_cannot_be_forged_with_control_characters(tmp_path):
    path = tmp_path / "a.sqlite"
    audit.record(path, "evil@example.org\nadmin@example.org", "manager", "open", "overview", {"team": "A\r\nB"})
    row = audit.read(path).iloc[0]
    assert "\n" not in row["user"] and "\r" not in row["detail"]


# --- safe downloads --------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_csv_and_xlsx_downloads_neutralise_formulas():
    df = pd.DataFrame({"text": FORMULAS, "n": range(len(FORMULAS))})
    back = pd.read_csv(io.BytesIO(safe_cells.csv_bytes(df)), encoding="utf-8-sig", keep_default_na=False)
    assert all(v.startswith("'") for v in back["text"])
    book = openpyxl.load_workbook(io.BytesIO(safe_cells.xlsx_bytes({"S": df})))
    cells = [c.value for row in book["S"].iter_rows(min_row=2) for c in row[:1]]
    assert all(isinstance(v, str) and v.startswith("'") for v in cells)
    assert all(c.data_type != "f" for row in book["S"].iter_rows() for c in row)


def test_panel_report_workbook_has_no_formula_cells(sample_warehouse, tmp_path):
    import report
    from openpyxl import Workbook
    from report import figures, xlsx
    wb = Workbook()
    wb.active.append(["=1+1", "+x", "ok", 3])
    xlsx.neutralise_workbook(wb)
    assert [c.value for c in wb.active[1]] == ["'=1+1", "'+x", "ok", 3]
    data = figures.build(sample_warehouse, figures.last_complete_quarter(figures.coverage(sample_warehouse).today))
    out = report.render(data, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(out)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f" and not (isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"), (ws.title, c.value)


# --- finding a young person by their case ID (issue 22) ---------------------------------------------------------------

def find(email: str, case_id: str) -> AppTest:
    at = run(page_file("find_young_person"), email)
    at.text_input[0].input(case_id)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_find_a_young_person_by_case_id_scoped_and_audited_without_the_id(signed_in, sample_warehouse):
    """The ID typed is hashed with the server's key, exactly as the loader does; the records shown are that
    person's, within the user's scope; neither the ID nor its pseudonym reaches the audit log."""
    from core.settings import load_settings
    case_id = "YP100016"                     # the first young person of plans_northshire.csv (North Leaving Care)
    key = queries.pseudonym(case_id, load_settings().pseudonym_key)
    plans = {r[0] for r in query(sample_warehouse, "SELECT plan_id FROM reviews WHERE person_key = ?", [key])}
    forms = query(sample_warehouse, "SELECT count(*) FROM traffic_light_responses WHERE person_key = ?", [key])[0][0]
    assert plans
    at = find("manager@example.org", f"  {case_id.lower()} ")     # spaces and capitals do not matter
    shown = next(df for df in tables(at) if "Record" in df.columns)
    assert set(shown["Plan ID"].dropna()) >= plans
    assert len(shown[shown["Record"] == "Rate your review form"]) == forms
    assert at.session_state["find_person_key"] == key                               # only the pseudonym is kept
    # the team manager of another team, and an IRO not on these reviews, find nothing of theirs
    other = query(sample_warehouse, "SELECT min(team) FROM reviews WHERE team <> ?", [TEAM])[0][0]
    assert TEAM in {r[0] for r in query(sample_warehouse, "SELECT team FROM reviews WHERE person_key = ?", [key])}
    iro_rows = query(sample_warehouse, "SELECT count(*) FROM reviews WHERE person_key = ? AND iro = ?", [key, IRO])[0][0]
    at = find("iro@example.org", case_id)
    shown = [df for df in tables(at) if "Record" in df.columns]
    if iro_rows:
        assert set(shown[0]["IRO"].dropna()) == {IRO}
    else:
        assert not shown and any("No plans" in w.value for w in at.warning)
    at = find("team.manager@example.org", "NO-SUCH-ID")
    assert not [df for df in tables(at) if "Record" in df.columns] and any("No plans" in w.value for w in at.warning)
    assert other
    log = audit.read(signed_in)
    searches = log[log["page"] == "find_young_person"]
    assert searches["detail"].str.contains('"records":').sum() == 3             # one line per search
    text = signed_in.read_bytes().decode("utf-8", "replace")
    assert case_id not in text.upper() and key not in text
    assert not leaks(text, sensitive(sample_warehouse))


def test_the_pseudonym_is_the_loaders_own(tmp_path):
    """The page's pseudonym of an ID is the person_key a load gives it (one definition: etl/sql/macros.sql)."""
    from tests.helpers import PLAN_HEADER, load_into, write_csv
    db = tmp_path / "w.duckdb"
    load_into(db, write_csv(tmp_path / "p.csv", [PLAN_HEADER, ["  Ab-12 ", "T", "2026-01-05", "P1", "", "", ""]]),
              pseudonym_key="a-test-key")
    stored = query(db, "SELECT person_key FROM reviews")[0][0]
    assert queries.pseudonym("AB-12", "a-test-key") == stored
    assert queries.pseudonym("AB-12", "another-key") != stored
    assert queries.pseudonym("  ") is None


# --- access entries that match nothing, page details (issue 22) ------------------------------------------------------

STRAY_TOML = ACCESS_TOML + """
[users."north@example.org"]
role = "team_manager"
teams = ["North"]

[users."reviewer@example.org"]
role = "iro"
iro = "A. Reviewer"
"""


@pytest.fixture
def stray_entries(signed_in, tmp_path, monkeypatch):
    """The shipped example's names (team North, IRO A. Reviewer), which are in no data."""
    path = tmp_path / "stray_access.toml"
    path.write_text(STRAY_TOML)
    monkeypatch.setenv("PWP_ACCESS_FILE", str(path))
    return signed_in


def test_access_entries_matching_nothing_get_a_plain_warning_never_an_all_clear(stray_entries):
    at = run(page_file("overview"), "north@example.org")
    assert any("**North**" in w.value and "matches nothing" in w.value for w in at.warning)
    assert not at.success and not at.metric
    at = run(page_file("review_timeliness"), "reviewer@example.org")
    assert any("**A. Reviewer**" in w.value for w in at.warning)
    assert not any("Nothing to chase" in s.value for s in at.success)
    assert any("not an all-clear" in w.value for w in at.warning)
    # a user whose names all match sees no such warning
    at = run(page_file("review_timeliness"), "iro@example.org")
    assert not any("matches nothing" in w.value for w in at.warning)
    # the admin gets the list of such entries
    at = run(page_file("data_loads"), "admin@example.org")
    listed = next(df for df in tables(at) if "Names" in df.columns)
    assert sorted(listed["Names"]) == ['iro "A. Reviewer"', 'team "North"']
    assert set(listed["User"]) == {"north@example.org", "reviewer@example.org"}


def test_the_team_managers_own_team_is_named_as_such_on_the_response_rate_chart(signed_in):
    import json
    at = run(page_file("coproduction"), "team.manager@example.org")
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Response rate"))
    assert spec["data"][0]["x"] == [TEAM]          # their one team, not a second bar called "All teams"


def test_audit_times_are_shown_in_uk_time(signed_in):
    import sqlite3
    audit.record(signed_in, "someone@example.org", "manager", "open", "overview")
    with sqlite3.connect(signed_in) as con:         # a summer entry: UTC+1 in the UK
        con.execute("INSERT INTO audit_log VALUES ('2026-07-01T12:00:00+00:00', 'x@example.org', 'manager', "
                    "'open', 'overview', '{}')")
    at = run(page_file("audit_log"), "admin@example.org")
    shown = next(df for df in tables(at) if "When (UK time)" in df.columns)
    assert "01/07/2026 13:00:00" in set(shown["When (UK time)"])


def test_the_uploader_offers_what_its_label_says(signed_in):
    at = run(page_file("data_loads"), "admin@example.org")
    uploader = at.get("file_uploader")[0].proto
    offered = {t.lstrip(".").upper() for t in uploader.type}
    assert offered and all(kind in uploader.label for kind in offered), (offered, uploader.label)


def test_the_toolbar_has_no_deploy_menu():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] in ("minimal", "viewer")
