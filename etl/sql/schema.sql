-- Base tables: what the loader writes. Analysts use the views (views/*.sql), not these.
-- Every statement is idempotent so an older warehouse is upgraded in place on load.

CREATE TABLE IF NOT EXISTS plan_versions (
    plan_id VARCHAR NOT NULL,
    person_key VARCHAR NOT NULL,        -- HMAC of person_id; the raw ID is never stored
    team VARCHAR NOT NULL,
    local_authority VARCHAR,
    nation VARCHAR,
    date_of_birth DATE,
    personal_adviser VARCHAR,
    social_worker VARCHAR,
    iro VARCHAR,
    first_plan_date DATE,
    needs_assessment_date DATE,
    plan_date DATE NOT NULL,
    review_date DATE,
    minutes_sent_date DATE,
    yp_agreed_minutes BOOLEAN,
    draft_copy_given BOOLEAN,
    next_review_date DATE,
    yp_views_recorded BOOLEAN,
    long_term_goals BOOLEAN,
    copy_given_to_yp BOOLEAN,
    covers_personal_adviser BOOLEAN,
    covers_contact_support BOOLEAN,
    covers_accommodation BOOLEAN,
    covers_post18_arrangement BOOLEAN,
    covers_education_training BOOLEAN,
    covers_employment BOOLEAN,
    covers_relationships BOOLEAN,
    covers_independent_living_skills BOOLEAN,
    covers_finance BOOLEAN,
    covers_health BOOLEAN,
    covers_contingency BOOLEAN,
    load_id INTEGER NOT NULL,
    source_file VARCHAR,
    source_row INTEGER
);
-- Added in schema version 7 (SPEC 2.1): a warehouse made before it gets the column on upgrade.
ALTER TABLE plan_versions ADD COLUMN IF NOT EXISTS eligibility_date DATE;

CREATE TABLE IF NOT EXISTS actions (
    action_id VARCHAR NOT NULL,
    plan_id VARCHAR,                    -- as given; else linked by person_key + plan_date
    person_key VARCHAR,
    plan_date DATE,
    action VARCHAR,
    owner VARCHAR,
    due_date DATE,
    status VARCHAR,
    completed_date DATE,
    load_id INTEGER NOT NULL,
    source_file VARCHAR,
    source_row INTEGER
);

CREATE TABLE IF NOT EXISTS traffic_light_forms (
    response_id VARCHAR NOT NULL,
    person_key VARCHAR NOT NULL,
    review_date DATE,
    plan_id VARCHAR,
    submitted_date DATE,
    load_id INTEGER NOT NULL,
    source_file VARCHAR,
    source_row INTEGER
);

CREATE TABLE IF NOT EXISTS traffic_light_answers (
    response_id VARCHAR NOT NULL,
    stage_no TINYINT NOT NULL,
    rating VARCHAR,                     -- red / amber / green; NULL when the question was not answered
    comment VARCHAR
);

CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_with_warnings INTEGER NOT NULL,
    ignored_columns VARCHAR
);

CREATE TABLE IF NOT EXISTS row_issues (
    load_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,
    column_name VARCHAR,
    severity VARCHAR NOT NULL,          -- 'rejected' (row not loaded) or 'warning' (loaded, value unknown)
    reason VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS stages (
    stage_no TINYINT NOT NULL,
    stage VARCHAR NOT NULL
);

-- Added in schema version 8 (SPEC 6b): the care-leaver lists (Annex A List 9, SSDA903 OC3, SSD ssd_care_leavers), one
-- row per young person per list date. A row is its authority, young person and snapshot date (snapshot_id): the same
-- list sent again changes nothing, a later list adds its rows. Codes as in sql/care_leaver_codes.sql.
CREATE TABLE IF NOT EXISTS care_leaver_records (
    snapshot_id VARCHAR NOT NULL,
    person_key VARCHAR NOT NULL,
    local_authority VARCHAR,
    nation VARCHAR,
    snapshot_date DATE NOT NULL,
    team VARCHAR,                       -- NULL when the list gives none (OC3): the team of the latest plan is used
    eligibility VARCHAR,                -- eligible / relevant / former_relevant / qualifying / none
    owed_pathway_plan BOOLEAN,          -- by eligibility; true for every row of a list with no eligibility (OC3)
    uasc BOOLEAN,
    date_of_birth DATE,                 -- exact, for ages; public views give the month only (SPEC 3)
    in_touch VARCHAR,                   -- YES / NO / DIED / REFU / NREQ / RHOM
    latest_contact_date DATE,
    accommodation VARCHAR,              -- the OC3 letter: B, C, D ... Z, or 0 (not known)
    accommodation_suitable BOOLEAN,
    activity VARCHAR,                   -- F1, P1, F2, P2, F3, P3, F4, P4, F5, P5, G4, G5, G6, or 0 (not known)
    personal_adviser VARCHAR,
    latest_plan_date DATE,              -- as the list gives it (not a loaded plan version)
    load_id INTEGER NOT NULL,
    source_file VARCHAR,
    source_row INTEGER
);

-- Dropped in schema version 10: a load compares a row with the stored row of its key by a hash of the stored columns,
-- worked out then, only for the keys that come again (most rows are new and are not hashed at all).
ALTER TABLE plan_versions DROP COLUMN IF EXISTS row_hash;
ALTER TABLE actions DROP COLUMN IF EXISTS row_hash;
ALTER TABLE traffic_light_forms DROP COLUMN IF EXISTS row_hash;
ALTER TABLE care_leaver_records DROP COLUMN IF EXISTS row_hash;
