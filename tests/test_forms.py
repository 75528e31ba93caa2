"""The young person's online "Rate your review" (SPEC §6a): tokens, both languages, safety, and the way into
the warehouse. The form service runs for real (Starlette's TestClient drives the ASGI app in-process), on a
real SQLite store; forms are loaded by the real loader into real DuckDB files."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from starlette.testclient import TestClient

from tests.helpers import TEST_TODAY, load_into, query, settings_for, write_csv
from etl import columns, load
from forms import catalogue, i18n, safety, warehouse_link
from forms.app import create_app
from forms.store import Store, hash_token, response_id

PLAN_HEADER = ["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro"]


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "forms.sqlite"


@pytest.fixture
def client(store_path, clock):
    with TestClient(create_app(store_path, clock=clock), follow_redirects=False) as c:
        yield c


def invite(store_path, clock, plan_id="PP-1", days=28) -> str:
    return Store(store_path).create_invitation(plan_id, "Cardiff", days, now=clock())


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def answer(client, token, n, rating, comment="", lang="en"):
    page = client.get(f"/r/{token}/q/{n}?lang={lang}")
    assert page.status_code == 200, page.text
    return client.post(f"/r/{token}/q/{n}?lang={lang}",
                       data={"csrf": csrf_of(page.text), "rating": rating or "", "comment": comment})


def send(client, token, lang="en"):
    page = client.get(f"/r/{token}/check?lang={lang}")
    assert page.status_code == 200, page.text
    return client.post(f"/r/{token}/send?lang={lang}", data={"csrf": csrf_of(page.text)})


def fill_in(client, token, ratings, comments=None, lang="en"):
    comments = comments or {}
    for n, rating in enumerate(ratings, start=1):
        done = answer(client, token, n, rating, comments.get(n, ""), lang)
        assert done.status_code == 303, done.text
    sent = send(client, token, lang)
    assert sent.status_code == 303 and sent.headers["location"].endswith(f"/r/{token}/sent?lang={lang}")


def main_text(html: str) -> str:
    """The page's visible words between <main> and </main>, tags removed."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


# --- tokens ------------------------------------------------------------------------------------------------

def test_a_link_carries_an_unguessable_token_that_is_stored_only_hashed(store_path, clock):
    token = invite(store_path, clock)
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token)     # ≥ 128 bits, URL-safe
    assert len(token) * 6 >= 128
    raw = store_path.read_bytes() + b"".join(p.read_bytes() for p in store_path.parent.glob("forms.sqlite-*"))
    assert token.encode() not in raw
    with sqlite3.connect(store_path) as con:
        assert con.execute("SELECT token_hash FROM invitations").fetchall() == [(hash_token(token),)]
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len({invite(store_path, clock) for _ in range(50)}) == 50


def test_token_life_cycle_make_use_spend(client, store_path, clock):
    token = invite(store_path, clock)
    start = client.get(f"/r/{token}")
    assert start.status_code == 200 and "Start now" in start.text
    fill_in(client, token, ["green"] * 10)
    thanks = client.get(f"/r/{token}/sent")
    assert thanks.status_code == 200 and "Your answers have been sent" in thanks.text
    # spent: every page of the link now says so, and nothing can be changed
    for path in ("", "/q/1", "/check"):
        page = client.get(f"/r/{token}{path}")
        assert "This form has already been sent" in page.text
    assert [f.answers[1] for f in Store(store_path).waiting()] == [("green", None)]


def test_an_expired_link_and_a_forged_one_get_the_same_kind_page(client, store_path, clock):
    token = invite(store_path, clock, days=28)
    answer(client, token, 1, "red", "no one asked me")
    clock.now += dt.timedelta(days=28)
    expired = client.get(f"/r/{token}/q/2")
    forged_token = "A" * len(token)
    forged = client.get(f"/r/{forged_token}/q/2")
    assert expired.status_code == forged.status_code == 404
    assert expired.text.replace(token, "T") == forged.text.replace(forged_token, "T")
    assert "This link does not work" in expired.text and "new link" in expired.text
    # nothing can be sent on an expired link, and its answers are deleted
    assert client.post(f"/r/{token}/send", data={"csrf": "x"}).status_code == 404
    assert Store(store_path).purge_expired(clock()) == 1 and Store(store_path).answers(hash_token(token)) == {}


@pytest.mark.parametrize("token", ["short", "../../etc/passwd", "A" * 300, "%00%00", "<script>"])
def test_malformed_tokens_get_the_kind_page(client, token):
    page = client.get(f"/r/{token}")
    assert page.status_code == 404 and "This link does not work" in page.text


def test_the_pages_show_nothing_about_the_young_person(client, store_path, clock):
    token = invite(store_path, clock, plan_id="PLAN-SECRET-42")
    pages = [client.get(f"/r/{token}").text, client.get(f"/r/{token}/q/1").text, client.get(f"/r/{token}/check").text]
    assert not any("PLAN-SECRET-42" in p or "Cardiff" in p for p in pages)


# --- both languages ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("en", ["Question 3 of 10", "The pathway plan is shared with everyone who needs to see it", "✗", "✓",
            "Red", "Amber", "Green", "Why do you feel like that?"]),
    ("cy", ["Cwestiwn 3 o 10", "Mae'r cynllun llwybr yn cael ei rannu â phawb sydd angen ei weld", "✗", "✓",
            "Coch", "Ambr", "Gwyrdd", "Pam ydych chi'n teimlo fel hynny?"]),
])
def test_a_question_page_in_each_language(client, store_path, clock, lang, words):
    token = invite(store_path, clock)
    page = client.get(f"/r/{token}/q/3?lang={lang}")
    text = main_text(page.text).replace("&#39;", "'")
    assert f'<html lang="{lang}">' in page.text
    for word in words:
        assert word in text, word
    other = "cy" if lang == "en" else "en"
    assert f'href="/r/{token}/q/3?lang={other}" hreflang="{other}"' in page.text     # the language switch
    assert page.text.count('type="radio"') == 3


def test_every_page_has_the_language_switch_and_a_welsh_form_is_sent_in_welsh(client, store_path, clock):
    token = invite(store_path, clock)
    for path in ("", "/q/1", "/check"):
        page = client.get(f"/r/{token}{path}?lang=cy")
        assert 'lang="cy"' in page.text and 'hreflang="en"' in page.text
    fill_in(client, token, ["red", "amber", "green"] + [None] * 7, {1: "Doedd neb yn gwrando ŵ"}, lang="cy")
    thanks = client.get(f"/r/{token}/sent?lang=cy").text
    assert "Mae eich atebion wedi'u hanfon".replace("'", "&#39;") in thanks and "goch neu ambr" in thanks
    [form] = Store(store_path).waiting()
    assert form.answers[1] == ("red", "Doedd neb yn gwrando ŵ") and form.answers[2][0] == "amber"


def test_a_browser_asking_for_welsh_gets_welsh(client, store_path, clock):
    token = invite(store_path, clock)
    assert "Dechrau nawr" in client.get(f"/r/{token}", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).text


def test_the_catalogue_translates_every_string_and_marks_each_for_review():
    po = i18n.po_path("cy").read_text(encoding="utf-8")
    from babel.messages.pofile import read_po
    with i18n.po_path("cy").open("rb") as fh:
        catalog = read_po(fh, locale="cy")
    for message in catalogue.english_strings():
        entry = catalog.get(message)
        assert entry is not None and entry.string, f"no Welsh for {message!r}"
        assert i18n.NEEDS_REVIEW in entry.user_comments or not entry.user_comments
        assert not entry.fuzzy            # gettext would leave it out and show English
    assert po.count(i18n.NEEDS_REVIEW) >= 40     # the ten stages and thirty statements at least
    assert len(columns.STAGES_CY) == 10 and all(len(b) == 3 for b in columns.STATEMENTS_CY)


def test_the_welsh_catalogue_is_compiled_at_start_when_the_mo_is_missing(tmp_path, monkeypatch):
    folder = tmp_path / "locale" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes(i18n.po_path("cy").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("cy").gettext("Start now") == "Dechrau nawr"
        assert (folder / "messages.mo").exists()
    finally:
        i18n.translations.cache_clear()


# --- sending, refusing, safety -------------------------------------------------------------------------------

def test_double_submit_stores_one_form(client, store_path, clock):
    token = invite(store_path, clock)
    for n in range(1, 11):
        answer(client, token, n, "amber")
    page = client.get(f"/r/{token}/check")
    first = client.post(f"/r/{token}/send", data={"csrf": csrf_of(page.text)})
    second = client.post(f"/r/{token}/send", data={"csrf": csrf_of(page.text)})
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert len(Store(store_path).waiting()) == 1
    # an answer posted after sending changes nothing
    late = client.post(f"/r/{token}/q/1", data={"csrf": csrf_of(page.text), "rating": "red"})
    assert "already been sent" in late.text
    assert Store(store_path).waiting()[0].answers[1] == ("amber", None)


def test_a_refused_answer_is_never_lost(client, store_path, clock):
    token = invite(store_path, clock)
    refused = client.post(f"/r/{token}/q/4?lang=cy", data={"csrf": "1.forged", "rating": "amber",
                                                           "comment": "Roedd y cyfarfod yn rhy gynnar"})
    assert refused.status_code == 400
    assert "Roedd y cyfarfod yn rhy gynnar" in refused.text
    assert re.search(r'value="amber" checked', refused.text) and 'role="alert"' in refused.text
    assert Store(store_path).answers(hash_token(token)) == {}        # not saved from an unchecked post…
    again = client.post(f"/r/{token}/q/4?lang=cy", data={"csrf": csrf_of(refused.text), "rating": "amber",
                                                         "comment": "Roedd y cyfarfod yn rhy gynnar"})
    assert again.status_code == 303                                 # …but one press of Continue sends it
    assert Store(store_path).answers(hash_token(token)) == {4: ("amber", "Roedd y cyfarfod yn rhy gynnar")}


def test_an_invalid_answer_comes_back_with_what_was_typed(client, store_path, clock):
    token = invite(store_path, clock)
    page = client.get(f"/r/{token}/q/2")
    long_comment = "x" * 2001
    bad = client.post(f"/r/{token}/q/2", data={"csrf": csrf_of(page.text), "rating": "green", "comment": long_comment})
    assert bad.status_code == 400 and long_comment in bad.text and "There is a problem" in bad.text
    assert 'value="green" checked' in bad.text
    tampered = client.post(f"/r/{token}/q/2", data={"csrf": csrf_of(page.text), "rating": "purple", "comment": "ok"})
    assert tampered.status_code == 400 and ">ok</textarea>" in tampered.text


def test_a_refused_send_keeps_every_answer(client, store_path, clock):
    token = invite(store_path, clock)
    fill = {1: "red", 2: "green"}
    for n, r in fill.items():
        answer(client, token, n, r, f"comment {n}")
    refused = client.post(f"/r/{token}/send", data={"csrf": "0.nope"})
    assert refused.status_code == 400 and "comment 1" in refused.text and "comment 2" in refused.text
    assert Store(store_path).waiting() == []
    assert client.post(f"/r/{token}/send", data={"csrf": csrf_of(refused.text)}).status_code == 303
    assert Store(store_path).waiting()[0].answers == {1: ("red", "comment 1"), 2: ("green", "comment 2")}


def test_an_anti_forgery_field_expires_and_is_bound_to_its_link():
    key = b"k" * 32
    field = safety.csrf_field(key, "hash-a", now=1_000_000)
    assert safety.csrf_ok(key, "hash-a", field, now=1_000_100)
    assert not safety.csrf_ok(key, "hash-b", field, now=1_000_100)
    assert not safety.csrf_ok(key, "hash-a", field, now=1_000_000 + safety.CSRF_MAX_AGE + 1)
    assert not safety.csrf_ok(b"other" * 8, "hash-a", field, now=1_000_100)


def test_security_headers_on_every_answer(client, store_path, clock):
    token = invite(store_path, clock)
    for response in (client.get("/"), client.get(f"/r/{token}"), client.get("/r/forged-token-xxxxxxxxxxxx"),
                     client.get("/static/forms.css")):
        h = response.headers
        assert "default-src 'self'" in h["content-security-policy"]
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert "script-src 'none'" in h["content-security-policy"]
        assert h["referrer-policy"] == "no-referrer" and h["x-content-type-options"] == "nosniff"
        assert "set-cookie" not in h
    assert "<script" not in client.get(f"/r/{token}/q/1").text


def test_request_size_is_limited(client, store_path, clock):
    token = invite(store_path, clock)
    page = client.get(f"/r/{token}/q/1")
    big = client.post(f"/r/{token}/q/1", data={"csrf": csrf_of(page.text), "comment": "y" * (safety.MAX_BODY_BYTES + 1)})
    assert big.status_code == 413
    assert Store(store_path).answers(hash_token(token)) == {}


def test_rate_limits_per_address_and_per_token(store_path, clock):
    token = invite(store_path, clock)
    app = create_app(store_path, clock=clock, rate_per_address=(5, 60), rate_per_token=(3, 60))
    with TestClient(app, client=("203.0.113.5", 1000)) as one, TestClient(app, client=("203.0.113.6", 1000)) as two:
        assert [one.get(f"/r/{token}").status_code for _ in range(4)] == [200, 200, 200, 429]   # per token
        assert two.get(f"/r/{token}").status_code == 429
        other = invite(store_path, clock)
        assert one.get(f"/r/{other}").status_code == 200
        assert one.get(f"/r/{other}").status_code == 429                                      # per address (5)
        assert two.get(f"/r/{other}").status_code == 200
    window = safety.SlidingWindow(2, 10)
    assert [window.allow("a", now=t) for t in (0, 1, 2, 11, 12)] == [True, True, False, True, True]


def test_two_hundred_submissions_none_lost(store_path, clock, tmp_path):
    app = create_app(store_path, clock=clock, rate_per_address=(10_000, 60), rate_per_token=(100, 60))
    tokens = [invite(store_path, clock, plan_id=f"PP-{i}") for i in range(200)]
    ratings = ["red", "amber", "green"]
    with TestClient(app, follow_redirects=False) as c:
        for i, token in enumerate(tokens):
            lang = "cy" if i % 2 else "en"
            fill_in(c, token, [ratings[(i + n) % 3] for n in range(10)], {5: f"form {i}"}, lang=lang)
    waiting = Store(store_path).waiting()
    assert len(waiting) == 200
    by_plan = {f.plan_id: f for f in waiting}
    for i in range(200):
        form = by_plan[f"PP-{i}"]
        assert [form.answers[n][0] for n in range(1, 11)] == [ratings[(i + n) % 3] for n in range(10)]
        assert form.answers[5][1] == f"form {i}"


# --- into the warehouse ---------------------------------------------------------------------------------------

def plans_file(tmp_path, n_plans=3):
    rows = [PLAN_HEADER] + [[f"YP{i}", "Cardiff North", "2026-05-01", f"PP-{i}", "2026-05-01", "2026-05-10", "Iro One"]
                            for i in range(n_plans)]
    return write_csv(tmp_path / "plans.csv", rows)


def forms_settings(db, store_path):
    return settings_for(db, forms_store=str(store_path))


def test_waiting_forms_load_through_the_normal_loader(client, store_path, clock, db, tmp_path):
    load_into(db, plans_file(tmp_path))
    tokens = [invite(store_path, clock, plan_id=f"PP-{i}") for i in range(2)]
    fill_in(client, tokens[0], ["red", "amber", "green", None, "green", "green", "green", "green", "green", "green"],
            {1: "Neb wedi gofyn i mi"}, lang="cy")
    fill_in(client, tokens[1], ["green"] * 10)
    outcome = warehouse_link.load_waiting_forms(forms_settings(db, store_path))
    assert (outcome.waiting, outcome.loaded, outcome.kept) == (2, 2, 0)
    assert outcome.result.kind == "traffic_light" and outcome.result.rows_loaded == 2
    rows = query(db, "SELECT response_id, team, stage_no, rating, comment FROM traffic_light_ratings "
                     "WHERE plan_id = 'PP-0' ORDER BY stage_no")
    assert [(r[2], r[3]) for r in rows][:4] == [(1, "red"), (2, "amber"), (3, "green"), (5, "green")]
    # the form's own ID, scoped by the run's authority as every exported ID is (SPEC 2.6)
    settings = forms_settings(db, store_path)
    own_id = response_id(hash_token(tokens[0]))
    assert rows[0][0] == load.response_keys([own_id], settings.default_local_authority)[own_id]
    assert rows[0][1] == "Cardiff North"
    assert rows[0][4] == "Neb wedi gofyn i mi"
    person = query(db, "SELECT DISTINCT person_key FROM traffic_light_ratings WHERE plan_id = 'PP-0'")
    assert person == query(db, "SELECT person_key FROM reviews WHERE plan_id = 'PP-0'")
    # loaded: gone from the store's answers, and not loaded twice
    store = Store(store_path)
    assert store.waiting() == [] and store.answers(hash_token(tokens[0])) == {}
    assert store.counts() == {"loaded": 2}
    assert warehouse_link.load_waiting_forms(forms_settings(db, store_path)).waiting == 0
    assert query(db, "SELECT count(*) FROM traffic_light_forms")[0][0] == 2


def test_a_form_whose_plan_is_not_loaded_keeps_waiting(client, store_path, clock, db, tmp_path):
    load_into(db, plans_file(tmp_path, 1))
    known, unknown = invite(store_path, clock, "PP-0"), invite(store_path, clock, "PP-NOT-LOADED")
    fill_in(client, known, ["green"] * 10)
    fill_in(client, unknown, ["red"] * 10)
    outcome = warehouse_link.load_waiting_forms(forms_settings(db, store_path))
    assert (outcome.loaded, outcome.kept) == (1, 1)
    assert any("PP-NOT-LOADED" in reason and "load the plan export first" in reason
               for _, _, _, reason in outcome.result.issues)
    assert [f.plan_id for f in Store(store_path).waiting()] == ["PP-NOT-LOADED"]


def test_a_failed_load_marks_nothing_loaded(client, store_path, clock, db, tmp_path, monkeypatch):
    load_into(db, plans_file(tmp_path, 1))
    fill_in(client, invite(store_path, clock, "PP-0"), ["green"] * 10)
    from etl import load

    def broken(*args, **kwargs):
        raise load.warehouse_file.LoadBusy("another load is running")
    monkeypatch.setattr(load, "load_files", broken)
    with pytest.raises(load.warehouse_file.LoadBusy):
        warehouse_link.load_waiting_forms(forms_settings(db, store_path))
    assert len(Store(store_path).waiting()) == 1
    assert query(db, "SELECT count(*) FROM traffic_light_forms")[0][0] == 0


def test_forms_load_and_invite_commands(client, store_path, clock, db, tmp_path, monkeypatch, capsys):
    from cli import main
    load_into(db, plans_file(tmp_path, 3))
    monkeypatch.setenv("PWP_FORMS_STORE", str(store_path))
    monkeypatch.setenv("PWP_FORMS_BASE_URL", "https://rate.example.gov.uk/")
    monkeypatch.setenv("PWP_TODAY", TEST_TODAY)
    out = tmp_path / "links.csv"
    assert main(["invite", "--db", str(db), "--quarter", "2026-27 Q1", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "plan_id,review_date,team,iro,link" and len(lines) == 4
    assert "YP0" not in out.read_text()                        # no person_id, no name
    link = lines[1].split(",")[-1]
    assert link.startswith("https://rate.example.gov.uk/r/")
    token = link.rsplit("/", 1)[1]
    fill_in(client, token, ["amber"] * 10)
    assert main(["forms-load", "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "1 waiting, 1 loaded" in printed
    assert query(db, "SELECT count(*), min(rating) FROM traffic_light_ratings")[0] == (10, "amber")


def test_welsh_ratings_and_headings_load_as_the_english_ones(db, tmp_path):
    load_into(db, plans_file(tmp_path, 2))
    welsh = [f"{n}. {columns.STAGES_CY[n - 1]}" for n in range(1, 11)]
    english = [f"{n}. {columns.STAGES[n - 1]}" for n in range(1, 11)]
    answers_cy = ["Coch", "ambr", "GWYRDD", columns.STATEMENTS_CY[3][0], columns.STATEMENTS_CY[4][2],
                  "Gwyrdd", "Coch", "Ambr", "Gwyrdd", ""]
    answers_en = ["Red", "amber", "GREEN", "Red", "Green", "Green", "Red", "Amber", "Green", ""]
    write_csv(tmp_path / "cy.csv", [["ID", "plan_id", "Completion time", *welsh, "Pam? (1)"],
                                    ["1", "PP-0", "2026-05-20", *answers_cy, "Roeddwn i'n hapus"]])
    write_csv(tmp_path / "en.csv", [["ID", "plan_id", "Completion time", *english],
                                    ["2", "PP-1", "2026-05-20", *answers_en]])
    [cy] = load_into(db, tmp_path / "cy.csv")
    [en] = load_into(db, tmp_path / "en.csv")
    assert cy.rows_loaded == en.rows_loaded == 1 and not cy.ignored_columns, cy.issues
    ratings = {plan: [r for (r,) in query(db, "SELECT rating FROM traffic_light_ratings WHERE plan_id = ? "
                                              "ORDER BY stage_no", [plan])] for plan in ("PP-0", "PP-1")}
    assert ratings["PP-0"] == ratings["PP-1"] == ["red", "amber", "green", "red", "green", "green", "red", "amber", "green"]
    assert query(db, "SELECT comment FROM traffic_light_ratings WHERE plan_id = 'PP-0' AND stage_no = 1") == \
        [("Roeddwn i'n hapus",)]


def test_a_welsh_word_that_is_not_a_rating_is_still_rejected(db, tmp_path):
    load_into(db, plans_file(tmp_path, 1))
    write_csv(tmp_path / "f.csv", [["plan_id", "submitted_date", "stage_1"], ["PP-0", "2026-05-20", "Melyn"]])
    [result] = load_into(db, tmp_path / "f.csv")
    assert result.rows_rejected == 1 and "Coch, Ambr, Gwyrdd" in result.issues[0][3]


def test_merged_forms_show_on_the_coproduction_page(client, store_path, clock, db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    load_into(db, plans_file(tmp_path, 1))
    fill_in(client, invite(store_path, clock, "PP-0"), ["red"] + ["green"] * 9,
            {1: "Ni ofynnodd neb i mi"}, lang="cy")
    warehouse_link.load_waiting_forms(forms_settings(db, store_path))
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    monkeypatch.setenv("PWP_TODAY", TEST_TODAY)
    at = AppTest.from_file(str(ROOT / "pages" / "coproduction.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="comments_stage").set_value(1).run()
    said = next(df.value for df in at.dataframe if "What the young person said" in df.value.columns)
    assert "Ni ofynnodd neb i mi" in set(said["What the young person said"])


def test_the_data_loads_button_loads_new_online_forms(client, store_path, clock, db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    load_into(db, plans_file(tmp_path, 2))
    fill_in(client, invite(store_path, clock, "PP-0"), ["amber"] * 10)
    fill_in(client, invite(store_path, clock, "PP-1"), ["green"] * 10, lang="cy")
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    monkeypatch.setenv("PWP_TODAY", TEST_TODAY)
    monkeypatch.setenv("PWP_FORMS_STORE", str(store_path))
    at = AppTest.from_file(str(ROOT / "pages" / "data_loads.py"), default_timeout=60).run()
    assert any("2 online forms sent by young people" in c.value for c in at.caption)
    at.button(key="forms_load_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 online forms loaded" in s.value for s in at.success)
    assert query(db, "SELECT count(DISTINCT response_id) FROM traffic_light_ratings")[0][0] == 2
    at.run()
    assert at.button(key="forms_load_button").disabled          # nothing left waiting


def test_the_invitations_page_makes_a_link_that_works(sample_warehouse, store_path, clock, monkeypatch):
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("PWP_FORMS_STORE", str(store_path))
    monkeypatch.setenv("PWP_FORMS_BASE_URL", "https://rate.example.gov.uk")
    at = AppTest.from_file(str(ROOT / "pages" / "invitations.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    listed = next(df.value for df in at.dataframe if "Plan ID" in df.value.columns)
    with_forms = {p for (p,) in query(sample_warehouse, "SELECT DISTINCT plan_id FROM traffic_light_responses "
                                                        "WHERE plan_id IS NOT NULL")}
    assert len(listed) and not set(listed["Plan ID"]) & with_forms
    plan_id = at.selectbox(key="invite_review").value.split(" — ")[0]
    at.button(key="invite_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    link = at.code[0].value
    assert link.startswith("https://rate.example.gov.uk/r/")
    invitation = Store(store_path).find(link.rsplit("/", 1)[1])
    assert invitation is not None and invitation.plan_id == plan_id and invitation.state(clock()) == "open"


def test_an_iro_sees_only_their_own_reviews_to_invite(sample_warehouse, store_path, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    iro = query(sample_warehouse, "SELECT iro FROM reviews WHERE iro IS NOT NULL GROUP BY iro ORDER BY count(*) DESC LIMIT 1")[0][0]
    access_file = tmp_path / "access.toml"
    access_file.write_text(f'[users."iro@example.gov.uk"]\nrole = "iro"\niro = "{iro}"\n')
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("PWP_FORMS_STORE", str(store_path))
    monkeypatch.setenv("PWP_AUTH_MODE", "oidc")
    monkeypatch.setenv("PWP_ACCESS_FILE", str(access_file))
    at = AppTest.from_file(str(ROOT / "pages" / "invitations.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "email": "iro@example.gov.uk"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    listed = next((df.value for df in at.dataframe if "Plan ID" in df.value.columns), None)
    assert listed is not None and set(listed["IRO"]) == {iro}


def test_an_iro_makes_a_link_from_a_row_of_the_worklist(sample_warehouse, store_path, clock, monkeypatch):
    """Issue 18: 'a button on the review's row in the worklist'. A row picked, one click: a working link."""
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    monkeypatch.setenv("PWP_FORMS_STORE", str(store_path))
    monkeypatch.setenv("PWP_FORMS_BASE_URL", "https://rate.example.gov.uk")
    at = AppTest.from_file(str(ROOT / "pages" / "review_timeliness.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    worklist = next(df.value for df in at.dataframe if "Action needed" in df.value.columns)
    assert not [b for b in at.button if b.key == "worklist_invite"]          # nothing picked: no button yet
    at.session_state["worklist_df"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="worklist_invite").click().run()
    assert not at.exception, [e.value for e in at.exception]
    link = at.code[0].value
    assert link.startswith("https://rate.example.gov.uk/r/")
    invitation = Store(store_path).find(link.rsplit("/", 1)[1])
    assert invitation.plan_id == worklist["Plan ID"].iloc[0] and invitation.state(clock()) == "open"
