"""The one place where the form service meets the warehouse (the service itself never opens it).

* load_waiting_forms: the forms sent and not yet loaded become a traffic-light export file (one row per form:
  response_id, plan_id, submitted_date, stage_1 … stage_10 and their comments) loaded by the normal loader
  (etl.load.load_files, kind traffic_light): the same checks as any export, all or nothing. A form is marked
  loaded, and its answers leave the form store, only after that load has committed and the form is in the
  warehouse; a rejected form (its plan not loaded, say) stays waiting for the next load.
* make_invitations: links in bulk for a quarter's reviews (`python -m etl invite`), for a mail-merge.
"""
from __future__ import annotations

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core import warehouse_file
from etl import load
from core.settings import Settings

from .app import invitation_link
from .content import EXPORT_WORD, STAGE_COUNT
from .store import Store, WaitingForm, response_id

EXPORT_COLUMNS = ["response_id", "plan_id", "submitted_date",
                  *(c for n in range(1, STAGE_COUNT + 1) for c in (f"stage_{n}", f"stage_{n}_comment"))]


@dataclass
class FormsLoad:
    waiting: int                          # forms that were waiting
    loaded: int                           # now in the warehouse (and gone from the form store)
    kept: int                             # still waiting: rejected by the loader's checks, see result
    result: load.FileResult | None = None


def export_rows(forms: list[WaitingForm]) -> list[dict]:
    rows = []
    for form in forms:
        row = {"response_id": response_id(form.token_hash), "plan_id": form.plan_id,
               "submitted_date": form.submitted_at.date().isoformat()}
        for n in range(1, STAGE_COUNT + 1):
            rating, comment = form.answers.get(n, (None, None))
            row[f"stage_{n}"] = EXPORT_WORD.get(rating, "")
            row[f"stage_{n}_comment"] = comment or ""
        rows.append(row)
    return rows


def write_export(forms: list[WaitingForm], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(export_rows(forms))
    return path


def waiting_count(settings: Settings) -> int:
    return Store(settings.forms_store).counts().get("sent", 0)


def load_waiting_forms(settings: Settings, on_wait=None, progress=None) -> FormsLoad:
    """Bring the waiting online forms into the warehouse. Raises what load_files raises, changing nothing."""
    store = Store(settings.forms_store)
    forms = store.waiting()
    if not forms:
        return FormsLoad(0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="pwp-forms-") as folder:
        name = f"online_forms_{dt.datetime.now():%Y%m%d_%H%M%S}.csv"
        path = write_export(forms, Path(folder) / name)
        [result] = load.load_files([path], settings, kind="traffic_light", display_names=[name],
                                   on_wait=on_wait, progress=progress)
    # The load has committed (load_files returned): the forms now in the warehouse leave the store.
    # As the loader keys them: an ID scoped by the run's authority (this export has no local_authority column).
    stored = load.response_keys([response_id(f.token_hash) for f in forms], settings.default_local_authority)
    ids = {stored[response_id(f.token_hash)]: f.token_hash for f in forms}
    with warehouse_file.connect_read_only(settings.warehouse) as con:
        present = {r[0] for r in con.execute(
            "SELECT response_id FROM traffic_light_forms WHERE response_id IN (SELECT unnest($ids))",
            {"ids": list(ids)}).fetchall()}
    store.mark_loaded([ids[r] for r in present])
    return FormsLoad(len(forms), len(present), len(forms) - len(present), result)


def summary(outcome: FormsLoad) -> str:
    if not outcome.waiting:
        return "No online forms are waiting to be loaded."
    lines = [load.summary(outcome.result)] if outcome.result else []
    lines.append(f"Online forms: {outcome.waiting} waiting, {outcome.loaded} loaded into the warehouse"
                 + (f", {outcome.kept} kept waiting (rejected above; they are tried again at the next load)"
                    if outcome.kept else ""))
    return "\n".join(lines)


def reviews_of_quarter(settings: Settings, quarter: str) -> list[dict]:
    """The reviews held in a quarter (plan_id, review_date, team, iro, local_authority), from the public views."""
    with warehouse_file.connect_read_only(settings.warehouse) as con:
        rows = con.execute("""
            SELECT r.plan_id, r.review_date, r.team, r.iro, r.local_authority
            FROM reviews r
            WHERE r.quarter = ? AND r.review_date IS NOT NULL
            ORDER BY r.review_date, r.team, r.plan_id""", [quarter]).fetchall()
    return [dict(zip(("plan_id", "review_date", "team", "iro", "local_authority"), r)) for r in rows]


def make_link(settings: Settings, plan_id: str, local_authority: str | None) -> str:
    """A new link for one review (the dashboard's "Make a link")."""
    token = Store(settings.forms_store).create_invitation(plan_id, local_authority, settings.forms_token_days)
    return invitation_link(settings.forms_base_url, token)


def qr_svg(link: str) -> str:
    """The link as a QR code, SVG (prints sharp at any size); black on white, with its quiet zone."""
    import io
    import segno
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=6, border=4, xmldecl=False, svgns=True,
                                     title="QR code for the Rate your review form")
    return buffer.getvalue().decode()


def printable_invitation(link: str, review_date, expires_days: int) -> str:
    """A one-page HTML invitation to print and hand over: the QR code and the link, nothing about the young person."""
    from html import escape
    when = f" after your review on {review_date:%d/%m/%Y}" if review_date is not None else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Rate your review</title>
<style>body{{font-family:Arial,sans-serif;max-width:40em;margin:2em auto;font-size:14pt}}svg{{width:6cm;height:6cm}}
.link{{font-family:monospace;word-break:break-all}}</style></head><body>
<h1>Rate your review / Sgoriwch eich adolygiad</h1>
<p>Tell us how much of a say you had in your review{escape(when)}. Scan the code or type the link.
It takes about 10 minutes and does not ask for your name.</p>
<p lang="cy">Dywedwch wrthym faint o lais oedd gennych chi yn eich adolygiad. Sganiwch y cod neu teipiwch y ddolen.</p>
{qr_svg(link)}
<p class="link">{escape(link)}</p>
<p>The link works for {expires_days} days, for one form. / Mae'r ddolen yn gweithio am {expires_days} diwrnod, ar gyfer un ffurflen.</p>
</body></html>"""


def make_invitations(settings: Settings, reviews: list[dict], out: Path) -> int:
    """One new link per review, written to a CSV for a mail-merge: plan_id, review_date, team, iro, link.
    No names: whoever sends them matches plan_id to the young person in the case system."""
    store = Store(settings.forms_store)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["plan_id", "review_date", "team", "iro", "link"])
        for review in reviews:
            token = store.create_invitation(review["plan_id"], review.get("local_authority"), settings.forms_token_days)
            review_date = review["review_date"]
            writer.writerow([review["plan_id"], review_date.strftime("%d/%m/%Y") if review_date else "",
                             review.get("team") or "", review.get("iro") or "",
                             invitation_link(settings.forms_base_url, token)])
    return len(reviews)
