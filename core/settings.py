"""Settings: every threshold and default has a value, so commands work with none given.

Values come from, in order of precedence: environment variables (``PWP_*``),
a TOML settings file (``PWP_SETTINGS``, default ``pwp_settings.toml`` in the
working directory), then the defaults below.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# For sample data only: anyone can read it here, so pseudonyms made with it are not secret.
SAMPLE_PSEUDONYM_KEY = "sample-data-only-not-secret"


def _setting(default, env: str, help: str):
    if isinstance(default, dict):
        return field(default_factory=dict, metadata={"env": env, "help": help, "default": "{}"})
    return field(default=default, metadata={"env": env, "help": help, "default": default})


@dataclass(frozen=True)
class Settings:
    # --- The warehouse and its loads; the rules' thresholds are stored in the warehouse at each load ---
    warehouse: str = _setting(
        str(PROJECT_ROOT / "data" / "warehouse.duckdb"), "PWP_WAREHOUSE",
        "Path of the DuckDB warehouse file. The dashboard builds the sample warehouse here on first start if it is missing.")
    sample_on_first_start: str = _setting(
        "auto", "PWP_SAMPLE_ON_FIRST_START",
        "Build the sample warehouse when the dashboard starts and finds no warehouse: auto (only at the default "
        "path, never at a PWP_WAREHOUSE you set for real data), yes, or no.")
    pseudonym_key: str = _setting(
        SAMPLE_PSEUDONYM_KEY, "PWP_PSEUDONYM_KEY",
        "Secret key for person_key (HMAC-SHA256 of person_id). Never stored in the warehouse. "
        "The built-in value is for sample data only: set your own long random value for real data, and keep it.")
    default_nation: str = _setting(
        "England", "PWP_DEFAULT_NATION", "Nation (England or Wales) for rows whose export has no nation column.")
    default_local_authority: str = _setting(
        "Local authority", "PWP_DEFAULT_LOCAL_AUTHORITY", "Local authority for rows whose export has no local_authority column.")
    minutes_due_working_days: int = _setting(
        20, "PWP_MINUTES_DUE_WORKING_DAYS", "Review minutes are due by this working day after the meeting.")
    due_soon_working_days: int = _setting(
        5, "PWP_DUE_SOON_WORKING_DAYS", "Outstanding minutes due within this many working days are 'due soon' on the IRO worklist.")
    recording_gap_months: int = _setting(
        3, "PWP_RECORDING_GAP_MONTHS", "Minutes overdue since more than this many months ago are listed last on the IRO "
        "worklist, as probably a recording gap (sent but never recorded) rather than work to chase this week.")
    review_interval_months: int = _setting(
        6, "PWP_REVIEW_INTERVAL_MONTHS", "A plan must be reviewed within this many calendar months of the previous version.")
    england_start_age: int = _setting(
        16, "PWP_ENGLAND_START_AGE", "England: the first pathway plan must be made before this birthday.")
    wales_start_age: int = _setting(
        16, "PWP_WALES_START_AGE", "Wales: the age from which the needs-assessment window is counted.")
    wales_assessment_months: int = _setting(
        3, "PWP_WALES_ASSESSMENT_MONTHS", "Wales: the needs assessment is due within this many months of the start age. "
        "In both nations, a young person who became eligible after that age: the start is due within this many "
        "months of becoming eligible.")
    small_number_max: int = _setting(
        4, "PWP_SMALL_NUMBER_MAX", "Counts from 1 to this value (and rates built on them) are suppressed as [c] in panel outputs.")
    follow_up_working_days: int = _setting(
        20, "PWP_FOLLOW_UP_WORKING_DAYS",
        "Red and amber answers are followed up in time when talked through within this many working days of the form "
        "being returned (of the review, when the form has no submitted date).")
    generations_kept: int = _setting(
        5, "PWP_GENERATIONS_KEPT", "How many previous warehouse versions are kept for `python -m etl rollback`.")
    lock_timeout_seconds: int = _setting(
        300, "PWP_LOCK_TIMEOUT_SECONDS", "How long a load waits for another load to finish before giving up.")
    today: str = _setting(
        "", "PWP_TODAY", "Leave blank. For tests and re-running an old report only: a fixed 'today' (YYYY-MM-DD) "
        "for overdue and out-of-date figures, stored in the warehouse at load time.")
    aliases: dict = _setting(
        {}, "", "Settings file only: a [aliases] table of extra header names per column, "
        'e.g. person_id = ["Client Ref"]. Matched after normalising case, spaces and punctuation.')

    # --- The staff dashboard only (never read by a load) ---
    max_upload_mb: int = _setting(
        200, "PWP_MAX_UPLOAD_MB", "Largest export accepted by the Data loads page, in megabytes.")
    auth_mode: str = _setting(
        "local", "PWP_AUTH_MODE",
        "How people sign in: local (no sign-in, admin, this computer only), header (an authenticating "
        "reverse proxy sends the user's email in a header) or oidc (Streamlit's st.login, e.g. Microsoft Entra ID).")
    auth_header: str = _setting(
        "X-Forwarded-Email", "PWP_AUTH_HEADER",
        "Header mode: the request header carrying the signed-in user's email. It must also be mapped in "
        "Streamlit's server.trustedUserHeaders, and the proxy must strip any copy the browser sends.")
    access_file: str = _setting(
        str(PROJECT_ROOT / "access.toml"), "PWP_ACCESS_FILE",
        "Header and OIDC modes: the TOML file, kept by the admin, giving each user's role and teams.")
    audit_log: str = _setting(
        str(PROJECT_ROOT / "data" / "audit.sqlite"), "PWP_AUDIT_LOG",
        "SQLite file of the audit log (who opened which page with which filters, who downloaded what). "
        "Kept apart from the warehouse, which every load replaces.")
    follow_up_store: str = _setting(
        str(PROJECT_ROOT / "data" / "follow_up.sqlite"), "PWP_FOLLOW_UP_STORE",
        "SQLite file of the follow-ups recorded on the Follow-up page (which red and amber answers were talked "
        "through with the young person, when, and a short note). Kept apart from the warehouse, which every load replaces.")

    # --- The young people's form service only (python -m forms, and the links the dashboard makes) ---
    forms_store: str = _setting(
        str(PROJECT_ROOT / "data" / "forms.sqlite"), "PWP_FORMS_STORE",
        "SQLite file of the young people's online form service (python -m forms): invitation tokens, stored "
        "hashed, and answers waiting to be loaded. Kept apart from the warehouse, which the form service never opens.")
    forms_token_days: int = _setting(
        28, "PWP_FORMS_TOKEN_DAYS", "A link to the online form stops working this many days after it was made.")
    forms_base_url: str = _setting(
        "http://localhost:8502", "PWP_FORMS_BASE_URL",
        "The address young people use to reach the form service (behind your TLS reverse proxy, e.g. "
        "https://rate-your-review.example.gov.uk); links and QR codes are made with it.")

    @property
    def builds_sample_on_first_start(self) -> bool:
        if self.sample_on_first_start == "auto":
            return self.warehouse == Settings.__dataclass_fields__["warehouse"].default
        return self.sample_on_first_start == "yes"

    @property
    def uses_sample_key(self) -> bool:
        return self.pseudonym_key == SAMPLE_PSEUDONYM_KEY

    @property
    def today_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.today) if self.today else None


class SettingsError(ValueError):
    pass


def settings_fields():
    return [f for f in dataclasses.fields(Settings)]


def load_settings(env: dict | None = None, **overrides) -> Settings:
    env = os.environ if env is None else env
    values: dict = {}
    settings_file = Path(env.get("PWP_SETTINGS") or "pwp_settings.toml")
    # A settings file named but missing is an error, never silently ignored (SPEC 2.6): its aliases, thresholds
    # or pseudonym key would be missing from the load. Only the default file may be absent.
    if env.get("PWP_SETTINGS") and not settings_file.is_file():
        raise SettingsError(f"PWP_SETTINGS names the settings file {settings_file}, which "
                            f"{'is a folder, not a file' if settings_file.is_dir() else 'does not exist'}: "
                            "correct the path, or unset PWP_SETTINGS to use none")
    if settings_file.is_file():
        try:
            with settings_file.open("rb") as fh:
                file_values = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"Settings file {settings_file} is not valid TOML: {exc}") from exc
        known = {f.name for f in settings_fields()}
        unknown = set(file_values) - known
        if unknown:
            raise SettingsError(f"Settings file {settings_file} has unknown settings: {', '.join(sorted(unknown))}")
        values.update(file_values)
    for f in settings_fields():
        name = f.metadata["env"]
        if name and env.get(name, "") != "":
            values[f.name] = env[name]
    values.update({k: v for k, v in overrides.items() if v is not None})
    for f in settings_fields():
        if f.name in values and f.type == "int":
            try:
                values[f.name] = int(values[f.name])
            except (TypeError, ValueError) as exc:
                raise SettingsError(f"Setting {f.metadata['env'] or f.name} must be a whole number, not {values[f.name]!r}") from exc
    settings = Settings(**values)
    if settings.default_nation not in ("England", "Wales"):
        raise SettingsError("PWP_DEFAULT_NATION must be England or Wales")
    if settings.sample_on_first_start not in ("auto", "yes", "no"):
        raise SettingsError("PWP_SAMPLE_ON_FIRST_START must be auto, yes or no")
    if settings.auth_mode not in ("local", "header", "oidc"):
        raise SettingsError("PWP_AUTH_MODE must be local, header or oidc")
    if settings.today:
        try:
            settings.today_date
        except ValueError as exc:
            raise SettingsError("PWP_TODAY must be a date written YYYY-MM-DD") from exc
    return settings


def warn_if_sample_key(settings: Settings, out=sys.stderr) -> None:
    if settings.uses_sample_key:
        print("Warning: using the built-in pseudonym key, which is for sample data only. "
              "Set PWP_PSEUDONYM_KEY to your own secret before loading real exports.", file=out)
