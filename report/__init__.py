"""The quarterly corporate parenting panel report: HTML, PDF and XLSX, with small numbers suppressed.

``build_report(db_path, quarter, fmt, out_path)`` is the one entry point for the
command line; ``figures.build`` gives the data for the dashboard page.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .figures import ReportData

FORMATS = ("pdf", "xlsx", "html")
# figures.py's names, given on first use (PEP 562): importing it imports pandas and the warehouse's modules (about half
# a second), and the command line's PDF starts Chromium before that, so that the two overlap.
_FIGURES = ("ReportData", "ReportError", "build", "check_quarter", "last_complete_quarter")


def __getattr__(name: str):
    if name in _FIGURES:
        from . import figures
        return getattr(figures, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(report: ReportData, fmt: str, out_path: Path, printer=None) -> Path:
    """Write the report as `fmt`. A PDF is printed by `printer` (a started ``pdf.Printer``) if given."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        from . import html
        out_path.write_text(html.render(report), encoding="utf-8")
    elif fmt == "pdf":
        from . import html, layout, pdf
        quarter = layout.quarter_label(report)
        header = f"{report.authority} \u00b7 panel report {quarter}"
        footer = f"{quarter} \u00b7 {report.authority} \u00b7 small numbers shown as [c]"
        if printer is None:
            pdf.html_to_pdf(html.render(report), out_path, header=header, footer=footer)
        else:
            printer.print(html.render(report), out_path, header=header, footer=footer)
    elif fmt == "xlsx":
        from . import xlsx
        xlsx.write(report, out_path)
    else:
        from .figures import ReportError
        raise ReportError(f"Unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    return out_path


def format_of(out_path) -> str:
    suffix = Path(out_path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        from .figures import ReportError
        raise ReportError(f"The report file must end in .pdf, .xlsx or .html, not {Path(out_path).name!r}")
    return suffix


def file_name(report: ReportData, fmt: str) -> str:
    """A download's name: the authority and the quarter, e.g. panel-report-northshire-county-council-2026-27-Q2.pdf."""
    import re
    words = re.sub(r"[^A-Za-z0-9]+", "-", f"{report.authority} {report.quarter}").strip("-").lower()
    words = words[:-2] + words[-2:].upper()  # the quarter's "Q2" as written everywhere else
    return f"panel-report-{words}{'-unfinished' if report.unfinished else ''}.{fmt}"


def resolve_authority(db_path, authority: str | None) -> str | None:
    """The command line's --authority: a name, "all" for every authority together (forms not linked to a plan yet
    included), or none: the only authority in the warehouse; with several, ReportError says how to choose."""
    from .figures import ALL_AUTHORITIES, ReportError, coverage, default_authority
    if authority and authority.strip().lower() == ALL_AUTHORITIES:
        return None
    if authority:
        return authority
    if not Path(db_path).exists():
        return None  # build() says there is no warehouse
    found = coverage(db_path).authorities
    if len(found) > 1:
        raise ReportError("The warehouse holds several local authorities (" + ", ".join(found) + "): choose one with "
                          '--authority "NAME", or --authority all for all of them in one report')
    return default_authority(found)


def build_report(db_path, quarter: str | None, fmt: str | None, out_path, authority: str | None = None) -> Path:
    """Make the report for `quarter` (default: the last complete one) as `fmt` (default: from the file name)."""
    if (fmt or Path(out_path).suffix.lower().lstrip(".")) != "pdf":
        return _build_report(db_path, quarter, fmt, out_path, authority)
    from .pdf import Printer
    with Printer() as printer:  # Chromium starts first: while pandas is imported and the figures are worked out
        return _build_report(db_path, quarter, "pdf", out_path, authority, printer)


def _build_report(db_path, quarter, fmt, out_path, authority, printer=None) -> Path:
    from .figures import build, check_quarter
    fmt = fmt or format_of(out_path)
    quarter = check_quarter(quarter) if quarter else None
    authority = resolve_authority(db_path, authority)
    return render(build(db_path, quarter, authority=authority), fmt, Path(out_path), printer=printer)


__all__ = ["build_report", "file_name", "build", "render", "format_of", "ReportError", "ReportData", "check_quarter",
           "last_complete_quarter", "FORMATS"]
