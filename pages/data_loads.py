"""Data loads: upload exports, see what the loader makes of them, load them, send rejected rows back, undo a load."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app import access, data, downloads, page
from core import warehouse_file
from etl import export, isolated, load
from etl.cells import printable
from etl.columns import KIND_LABELS
from etl.readers import UnreadableFile
from forms import warehouse_link as online_forms
from queries.filters import Filters

ACCEPTED = ["csv", "xlsx", "xlsm", "xls", "txt"]   # the refused kinds are accepted here so we can say why
# The label names every type the picker offers (issue 22: it offered XLSM, XLS and TXT under "CSV or XLSX").
UPLOAD_LABEL = "Plan exports, actions exports and Rate your review exports (CSV, TXT, XLSX; XLS or XLSM: see the help)"

settings = page.run_settings()
user = access.require("data_loads", settings)   # admin only; refused here too when asked for by URL
access.log_view(user, "data_loads", None, settings)
st.title("Data loads")
st.caption("Load this month's exports, check what was rejected and why, and send the rejected rows back "
           "to whoever keeps the source system.")

db = page.warehouse(settings)       # made again after a load: a new file, a new version
scope = user.scope


def show_result(result: load.FileResult, key: str) -> None:
    """One file's outcome: the counts, the columns left out, and its rejected rows and warnings."""
    label = KIND_LABELS.get(result.kind, result.kind)
    if result.already_loaded_at is not None:
        st.info(f"**{result.file_name}** ({label}) was already loaded on "
                f"{result.already_loaded_at:%d/%m/%Y %H:%M}: nothing changed.")
        return
    st.markdown(f"**{result.file_name}** ({label})")
    cols = st.columns(5)
    for col, (name, value) in zip(cols, [("Rows read", result.rows_read), ("Loaded", result.rows_loaded),
                                         ("Rejected", result.rows_rejected), ("Duplicates", result.rows_duplicate),
                                         ("Loaded with warnings", result.rows_with_warnings)]):
        col.metric(name, f"{value:,}")
    if result.ignored_columns:
        st.caption("Columns not loaded (not in the specification): " + ", ".join(result.ignored_columns))
    for note in result.notes:
        st.info(note)
    if not result.issues:
        st.success("Every row was understood.")
        return
    issues = pd.DataFrame(result.issues, columns=["Row", "Column", "Outcome", "Reason"])
    issues["Outcome"] = issues["Outcome"].map({"rejected": "Rejected", "warning": "Loaded with a warning"})
    st.dataframe(issues, hide_index=True, key=f"{key}_issues")
    back_to_source = load.rejected_for_source(result)
    stem = Path(result.file_name).stem
    left, right = st.columns(2)
    downloads.csv_button("Rejected rows for the source team (CSV)", back_to_source, f"{stem}_rejected_rows.csv",
                         key=f"{key}_csv", where=left)
    downloads.xlsx_button("Rejected rows and warnings (XLSX)", {"Rejected rows": back_to_source, "All problems": issues},
                          f"{stem}_rejected_rows.xlsx", key=f"{key}_xlsx", where=right)


# ---------------------------------------------------------------- 1. upload and check

st.subheader("1. Choose the exports")
uploads = st.file_uploader(
    UPLOAD_LABEL, type=ACCEPTED,
    accept_multiple_files=True, max_upload_size=settings.max_upload_mb, key="upload_files",
    help=f"Up to {settings.max_upload_mb} MB each. The kind of each file is worked out from its headers. "
         "A TXT file is read as CSV. An old .xls or a macro-enabled .xlsm workbook is not loaded: you are told how "
         "to save it as .xlsx.")
sheet = st.text_input("Sheet to read in a workbook (optional)", key="upload_sheet",
                      help="Leave blank to use the sheet whose headers match an export.").strip() or None


# Uploaded exports hold raw IDs: each is written to a private temporary folder only while it is inspected or
# loaded, and deleted straight after. Inspecting and loading run in another process (etl.isolated) with a memory
# and time limit, so no file can end the server.
def inspect_upload(upload):
    """What a load would make of an upload; remembered for the session, so a rerun does not read it again."""
    key = f"inspected:{upload.file_id}:{sheet or ''}"
    if key not in st.session_state:
        with tempfile.TemporaryDirectory(prefix="pwp-upload-") as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                st.session_state[key] = isolated.inspect_file(path, settings, display_name=upload.name, sheet=sheet)
            except UnreadableFile as exc:
                st.session_state[key] = exc
    return st.session_state[key]


ready: list = []
problems = 0
for index, upload in enumerate(uploads or []):
    with st.expander(f"{printable(upload.name)}", expanded=len(uploads) <= 3):
        if upload.size > settings.max_upload_mb * 1024 * 1024:
            st.error(f"{printable(upload.name)} is larger than {settings.max_upload_mb} MB (setting PWP_MAX_UPLOAD_MB).")
            problems += 1
            continue
        inspected = inspect_upload(upload)
        if isinstance(inspected, UnreadableFile):
            st.error(f"Cannot be loaded: {inspected}")
            problems += 1
            continue
        raw, preview = inspected
        st.markdown(f"Looks like a **{KIND_LABELS[raw.kind]}**; header found on row {raw.header_row}.")
        for note in load.sheet_notes(raw):
            st.caption(note[0].upper() + note[1:])
        matched = pd.DataFrame({"Column in your file": list(raw.matched_headers()),
                                "Read as": list(raw.matched_headers().values())})
        st.dataframe(matched, hide_index=True, key=f"matched_{index}")
        if raw.ignored_columns:
            st.caption("Will not be loaded (not in the specification): " + ", ".join(raw.ignored_columns))
        st.caption("First rows as they are in the file:")
        st.dataframe(preview, hide_index=True, key=f"preview_{index}")
        ready.append(upload)

# ---------------------------------------------------------------- 2. load

st.subheader("2. Load them")
if problems:
    st.warning(f"{problems} file{'s' if problems > 1 else ''} cannot be loaded. Remove or fix "
               f"{'them' if problems > 1 else 'it'} first: a load is all or nothing, so nothing is loaded while "
               "any chosen file cannot be read.")
if st.button(f"Load {len(ready)} file{'s' if len(ready) != 1 else ''}", type="primary",
             disabled=not ready or bool(problems), key="load_button"):
    bar = st.progress(0.0, text="Starting…")
    notice = st.empty()
    try:
        with tempfile.TemporaryDirectory(prefix="pwp-upload-") as folder:
            paths = []
            for index, upload in enumerate(ready):
                paths.append(Path(folder) / f"{index}_{Path(upload.name).name}")
                paths[-1].write_bytes(upload.getvalue())
            data.before_swap()
            results = isolated.load_files(paths, settings, display_names=[u.name for u in ready], sheet=sheet,
                                          progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m),
                                          on_wait=lambda message: notice.info(message))
    except UnreadableFile as exc:
        bar.empty()
        st.error(f"{exc}. Nothing was loaded; the warehouse is as it was.")
    except warehouse_file.LoadBusy as exc:
        bar.empty()
        st.error(f"{exc}. Nothing was loaded.")
    else:
        bar.empty()
        notice.empty()
        data.clear()
        db = db.again()
        data.warm_up(db)      # the new version's default views, before anyone asks
        st.session_state.last_results = results
        st.success("Loaded. The dashboard pages show the new figures now.")

for i, result in enumerate(st.session_state.get("last_results", [])):
    show_result(result, key=f"result_{i}")

# ---------------------------------------------------------------- online forms (python -m forms)

st.subheader("Young people's online forms")
waiting = online_forms.waiting_count(settings)
st.caption(f"{waiting} online form{'s' if waiting != 1 else ''} sent by young people and waiting to be loaded. "
           "They go through the same checks as an export; a form whose plan is not loaded yet keeps waiting.")
if st.button("Load new online forms", disabled=not waiting, key="forms_load_button"):
    try:
        data.before_swap()
        outcome = online_forms.load_waiting_forms(settings)
    except (UnreadableFile, warehouse_file.LoadBusy) as exc:
        st.error(f"{exc}. Nothing was loaded; the forms are still waiting.")
    else:
        data.clear()
        db = db.again()
        data.warm_up(db)      # the new version's default views, before anyone asks
        st.success(f"{outcome.loaded} online form{'s' if outcome.loaded != 1 else ''} loaded"
                   + (f"; {outcome.kept} kept waiting (see below)." if outcome.kept else "."))
        if outcome.result is not None:
            st.session_state.last_results = [outcome.result]
            show_result(outcome.result, key="forms_result")

# ---------------------------------------------------------------- 3. history

st.subheader("3. Load history")
if not db.exists:
    st.info("Nothing has been loaded into this warehouse yet.")
    st.stop()
history = data.get("load_history", db, Filters(), scope)
if history.empty:
    st.info("Nothing has been loaded into this warehouse yet.")
else:
    shown = history.rename(columns={
        "load_id": "Load", "loaded_at": "Loaded at", "file_name": "File", "kind": "Kind", "rows_read": "Read",
        "rows_loaded": "Loaded", "rows_rejected": "Rejected", "rows_duplicate": "Duplicates",
        "rows_with_warnings": "With warnings", "ignored_columns": "Columns not loaded"}).drop(columns=["file_sha256"])
    shown["Kind"] = shown["Kind"].map(KIND_LABELS)
    st.dataframe(shown, hide_index=True, key="history",
                 column_config={"Loaded at": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")})
    choices = {f"{r.file_name} (load {r.load_id}, {r.loaded_at:%d/%m/%Y %H:%M})": int(r.load_id)
               for r in history.itertuples() if r.rows_rejected or r.rows_with_warnings}
    if choices:
        picked = st.selectbox("Rejected rows and warnings of an earlier load", list(choices), key="history_pick")
        issues = data.get("load_issues", db, Filters(), scope, load_id=choices[picked])
        issues = issues.rename(columns={"file_name": "File", "row_number": "Row", "column_name": "Column",
                                        "outcome": "Outcome", "reason": "Reason"})
        st.dataframe(issues, hide_index=True, key="history_issues")
        stem = Path(issues["File"].iloc[0]).stem if len(issues) else "load"
        downloads.csv_button("Download these rows (CSV)", issues, f"{stem}_problems.csv", key="history_csv")

# ---------------------------------------------------------------- 4. undo

st.subheader("4. Undo the last load")
kept = load.previous_versions(settings)
if not kept:
    st.caption("No earlier version of the warehouse is kept, so there is nothing to undo.")
else:
    st.caption(f"{len(kept)} earlier version{'s are' if len(kept) > 1 else ' is'} kept "
               f"(setting PWP_GENERATIONS_KEPT). Undo puts the warehouse back as it was before the last load; "
               "the dashboard shows it at once.")
    sure = st.checkbox("I want to undo the last load", key="undo_sure")
    if st.button("Undo the last load", disabled=not sure, key="undo_button"):
        data.before_swap()
        load.undo_last_load(settings)
        data.clear()
        data.warm_up(db.again())      # the new version's default views, before anyone asks
        st.session_state.pop("last_results", None)
        st.session_state.undo_message = ("The warehouse is back as it was before the last load. "
                                         "Load history above shows what it now holds.")
        st.rerun()
if "undo_message" in st.session_state:
    st.success(st.session_state.pop("undo_message"))

# ---------------------------------------------------------------- access-file entries matching nothing

stray = access.unmatched_entries(db, settings) if db.exists else []
if stray:
    st.subheader("Access list entries that match nothing in the data")
    st.warning(f"{len(stray)} entr{'y' if len(stray) == 1 else 'ies'} in the access file name a team or IRO that is in "
               "no data loaded: those users see empty pages. Correct the names (exactly as in the plan export) in "
               f"`{Path(settings.access_file).name}`.")
    st.dataframe(pd.DataFrame(stray).rename(columns={"user": "User", "role": "Role", "entry": "Names"}),
                 hide_index=True)

# ---------------------------------------------------------------- 5. export

st.subheader("5. Export the warehouse")
st.caption("Every view of the warehouse with a data dictionary, as one zip file: Parquet for Power BI, R or Python; "
           "CSV or XLSX for Excel (XLSX is slow for a large warehouse). It holds young people's comments: keep it as "
           "safely as the warehouse. From a terminal: `python -m etl export --out FOLDER --format parquet`.")
export_format = st.radio("Format", export.FORMATS, horizontal=True, key="export_format",
                         format_func=lambda f: {"parquet": "Parquet", "csv": "CSV", "xlsx": "XLSX"}[f])
downloads.button(f"Download the warehouse ({export_format.upper()}, zip)", lambda fmt=export_format: export.zip_bytes(db, fmt),
                 f"pathway_plan_quality_{export_format}.zip", "application/zip", key="export_button")
