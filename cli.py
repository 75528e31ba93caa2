"""The command line, on top of every package: python -m etl load | sample | report | rollback | export | contract |
forms-load | invite (run from the project root; etl/__main__.py hands python -m etl to main here)."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import duckdb

from core import warehouse_file
from core.settings import SettingsError, load_settings, warn_if_sample_key
from etl import contract, export, load, warehouse
from etl.readers import UnreadableFile
from etl.sample import SAMPLE_AUTHORITY, SAMPLE_SNAPSHOT_DATE, sample_files


def _snapshot_date(text: str) -> dt.date:
    """--snapshot-date: day/month/year (UK) or ISO, as dates are written in exports."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f'"{text}" is not a date: write day/month/year like 31/03/2026, or 2026-03-31')


def _load(files: list[Path], db: str | None, kind: str | None, sheet: str | None = None,
          snapshot_date: dt.date | None = None, authority: str | None = None) -> int:
    try:
        settings = load_settings(warehouse=db, default_local_authority=authority)
    except SettingsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    warn_if_sample_key(settings)
    try:
        results = load.load_files(files, settings, kind=kind, sheet=sheet, snapshot_date=snapshot_date,
                                  on_wait=lambda message: print(message, file=sys.stderr))
    except UnreadableFile as exc:
        print(f"Error: {exc}. Nothing was loaded from this run; the warehouse is unchanged.", file=sys.stderr)
        return 1
    except warehouse_file.LoadBusy as exc:
        print(f"Error: {exc}. Nothing was loaded.", file=sys.stderr)
        return 3
    for result in results:
        print(load.summary(result))
    print(f"Warehouse: {settings.warehouse}")
    return 0


def _forms(args) -> int:
    """The online form's two commands; the work is in forms/warehouse_link.py."""
    from forms import warehouse_link
    try:
        settings = load_settings(warehouse=args.db)
    except SettingsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if args.command == "invite":
        if not Path(settings.warehouse).exists():
            print(f"Error: no warehouse at {settings.warehouse}", file=sys.stderr)
            return 1
        reviews = warehouse_link.reviews_of_quarter(settings, args.quarter)
        made = warehouse_link.make_invitations(settings, reviews, args.out)
        print(f"Wrote {made} link{'s' if made != 1 else ''} for the reviews of {args.quarter} to {args.out} "
              f"(each works for {settings.forms_token_days} days, for one form).")
        return 0
    warn_if_sample_key(settings)
    try:
        outcome = warehouse_link.load_waiting_forms(settings, on_wait=lambda message: print(message, file=sys.stderr))
    except (UnreadableFile, warehouse_file.LoadBusy) as exc:
        print(f"Error: {exc}. Nothing was loaded; the forms are still waiting.", file=sys.stderr)
        return 1
    print(warehouse_link.summary(outcome))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Pathway plan quality: load exports into the warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="load plan, actions and traffic-light exports and care-leaver lists (CSV or XLSX)")
    p_load.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_load.add_argument("--kind", choices=["plans", "actions", "traffic_light", "care_leavers"],
                        help="force the kind of export instead of detecting it from the headers")
    p_load.add_argument("--sheet", help="the sheet to read in each workbook (default: the one whose headers match)")
    p_load.add_argument("--snapshot-date", type=_snapshot_date,
                        help="the date of a care-leaver list that has no snapshot date column (default: the file's date)")
    p_load.add_argument("--authority", help="local authority for rows whose export has no local_authority column "
                        "(default: PWP_DEFAULT_LOCAL_AUTHORITY), e.g. an Annex A List 9")
    p_load.add_argument("files", nargs="+", type=Path)
    p_sample = sub.add_parser("sample", help="build a warehouse from the synthetic exports in sample_data/")
    p_sample.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_report = sub.add_parser("report", help="make the quarterly corporate parenting panel report (PDF, XLSX or HTML)")
    p_report.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_report.add_argument("--quarter", help='financial quarter, e.g. "2026-27 Q2" (default: the last complete one)')
    p_report.add_argument("--authority", help='one local authority, or "all" for every authority in one report '
                          "(default: the warehouse's only authority; with several, you must choose)")
    p_report.add_argument("--out", required=True, type=Path, help="file to write, ending in .pdf, .xlsx or .html")
    p_roll = sub.add_parser("rollback", help="put back the warehouse as it was before the last load")
    p_roll.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_export = sub.add_parser("export", help="write every view of the warehouse, with a data dictionary, to a folder")
    p_export.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_export.add_argument("--out", required=True, type=Path, help="folder to write into (made if missing)")
    p_export.add_argument("--format", choices=export.FORMATS, default="parquet",
                          help="parquet (Power BI, pandas, R; the default), csv or xlsx (Excel)")
    sub.add_parser("contract", help="write the README's contract section from etl/sql/views/*.yml")
    p_forms = sub.add_parser("forms-load", help="load the young people's online forms waiting in the form service's store")
    p_forms.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_invite = sub.add_parser("invite", help="make online-form links for a quarter's reviews (CSV for a mail-merge)")
    p_invite.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_invite.add_argument("--quarter", required=True, help='financial quarter of the reviews, e.g. "2026-27 Q2"')
    p_invite.add_argument("--out", required=True, type=Path, help="CSV file to write")
    args = parser.parse_args(argv)
    if args.command in ("forms-load", "invite"):
        return _forms(args)

    if args.command == "load":
        return _load(args.files, args.db, args.kind, args.sheet, args.snapshot_date, args.authority)
    if args.command == "sample":
        return _load(sample_files(), args.db, None, snapshot_date=SAMPLE_SNAPSHOT_DATE, authority=SAMPLE_AUTHORITY)
    if args.command == "report":
        import report
        try:
            out = report.build_report(load_settings(warehouse=args.db).warehouse, args.quarter, None, args.out,
                                      authority=args.authority)
        except (report.ReportError, SettingsError) as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        print(f"Wrote {out}")
        return 0
    if args.command == "rollback":
        try:
            settings = load_settings(warehouse=args.db)
        except SettingsError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 2
        try:
            restored = load.undo_last_load(settings)
        except FileNotFoundError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        print(f"Restored the warehouse as it was at {restored.stem} (the version before the last load).")
        return 0
    if args.command == "export":
        try:
            done = export.export(load_settings(warehouse=args.db).warehouse, args.out, args.format)
        except (FileNotFoundError, SettingsError, OSError, duckdb.Error) as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        for item in done:
            print(f"{item.view}: {item.rows:,} rows -> {item.file}")
        print(f"Data dictionary: {args.out / (export.DICTIONARY + '.csv')} and .md")
        return 0
    if args.command == "contract":
        changed = contract.write_readme(warehouse.VIEWS)
        print(f"{'Rewrote' if changed else 'Already up to date:'} the contract section of {contract.README}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
