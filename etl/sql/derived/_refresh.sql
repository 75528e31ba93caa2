-- Which rows the load-time tables are worked out for: every row (a full refresh), or only those of the young people
-- and forms a load touched (touched_persons, touched_forms and, for the ratings, rated_forms, filled by the loader
-- and warehouse.refresh_derived). "{in <keys table>: <key>}" is "true" for a full refresh (no subquery to work
-- out), else "<key> IN (SELECT <key> FROM <keys table>)".
-- Temporary views: they live only in the loading connection.
-- No semicolon may appear inside a statement or comment here: the file is run statement by statement.
CREATE OR REPLACE TEMP VIEW refresh_plan_versions AS
SELECT * FROM plan_versions WHERE {in touched_persons: person_key};

CREATE OR REPLACE TEMP VIEW refresh_review_facts AS
SELECT * FROM review_facts WHERE {in touched_persons: person_key};

CREATE OR REPLACE TEMP VIEW refresh_forms AS
SELECT * FROM traffic_light_forms WHERE {in touched_forms: response_id};

CREATE OR REPLACE TEMP VIEW refresh_form_links AS
SELECT * FROM form_links WHERE {in rated_forms: response_id};

-- Each action with the plan it belongs to: by plan_id, else by person_key + plan_date (two equality joins,
-- which DuckDB hashes, rather than one join on an OR).
CREATE OR REPLACE TEMP VIEW plan_actions AS
SELECT plan_id, owner, due_date FROM actions WHERE plan_id IS NOT NULL
UNION ALL
SELECT p.plan_id, a.owner, a.due_date
FROM actions a JOIN plan_versions p ON a.person_key = p.person_key AND a.plan_date = p.plan_date
WHERE a.plan_id IS NULL;

-- A verdict as review_facts stores it: an ENUM of the three (a byte through its sort and write, not a string, and
-- made here as a constant, not cast from text a row), from whether it is met: true good, false inadequate, NULL
-- unknown. Compared with 'good' etc. as text is, and the views give text.
CREATE OR REPLACE TEMP MACRO verdict_of(met) AS CASE met
    WHEN true THEN 'good'::ENUM('good', 'inadequate', 'unknown')
    WHEN false THEN 'inadequate'::ENUM('good', 'inadequate', 'unknown')
    ELSE 'unknown'::ENUM('good', 'inadequate', 'unknown') END;
