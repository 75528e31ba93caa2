"""Command line: python -m etl load | sample | report | rollback  (run from the project root)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import load, warehouse
from .readers import UnreadableFile
from .sample import sample_files
from .settings import SettingsError, load_settings, warn_if_sample_key


def _load(files: list[Path], db: str | None, kind: str | None) -> int:
    try:
        settings = load_settings(warehouse=db)
    except SettingsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    warn_if_sample_key(settings)
    try:
        results = load.load_files(files, settings, kind=kind,
                                  on_wait=lambda message: print(message, file=sys.stderr))
    except UnreadableFile as exc:
        print(f"Error: {exc}. Nothing was loaded from this run; the warehouse is unchanged.", file=sys.stderr)
        return 1
    except warehouse.LoadBusy as exc:
        print(f"Error: {exc}. Nothing was loaded.", file=sys.stderr)
        return 3
    for result in results:
        print(load.summary(result))
    print(f"Warehouse: {settings.warehouse}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Pathway plan quality: load exports into the warehouse.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="load plan, actions and traffic-light exports (CSV or XLSX)")
    p_load.add_argument("--db", help="warehouse file (default: PWP_WAREHOUSE)")
    p_load.add_argument("--kind", choices=["plans", "actions", "traffic_light"],
                        help="force the kind of export instead of detecting it from the headers")
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
    args = parser.parse_args(argv)

    if args.command == "load":
        return _load(args.files, args.db, args.kind)
    if args.command == "sample":
        return _load(sample_files(), args.db, None)
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
        settings = load_settings(warehouse=args.db)
        path = Path(settings.warehouse)
        try:
            with warehouse.load_lock(path, settings.lock_timeout_seconds):
                restored = warehouse.rollback(path)
        except FileNotFoundError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        print(f"Restored the warehouse as it was at {restored.stem} (the version before the last load).")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
