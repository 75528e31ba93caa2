-- Temporary macros used while loading. TEMP: they live only in the loading connection,
-- so the pseudonym key (filled in at run time) is never written to the warehouse.

-- Dates written as text are UK day-first (03/05/2026 is 3 May) or ISO; Excel dates arrive as ISO.
-- Two-digit years are read as 20xx/19xx by strptime's %y. Anything else is not a date.
-- Input values are already trimmed (blank cells are NULL) by the loader's column mapping.
CREATE OR REPLACE TEMP MACRO parse_date_any(v) AS CAST(CASE
    WHEN v IS NULL THEN NULL
    -- the two usual shapes first, cheaply: 03/05/2026 and 2026-05-03
    WHEN length(v) = 10 AND v[3] = '/' AND v[6] = '/' THEN try_strptime(v, '%d/%m/%Y')
    WHEN length(v) = 10 AND v[5] = '-' AND v[8] = '-' THEN try_strptime(v, '%Y-%m-%d')
    -- trying the long list of formats on text with no digit at all ("Yes", "N/A") is slow and never a date
    WHEN NOT regexp_matches(v, '[0-9]') THEN NULL
    WHEN regexp_full_match(v, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}') THEN try_strptime(v, ['%d/%m/%y', '%d-%m-%y', '%d.%m.%y'])
    ELSE try_strptime(v, ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%Y/%m/%d',
                          '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%f',
                          '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y %H:%M:%S',
                          '%d %b %Y', '%d %B %Y', '%d-%b-%Y', '%d-%b-%y', '%d %b %y'])
    END AS DATE);

-- A date outside 1900-2100 is a typing error, not a date. (DuckDB works out parse_date_any once here.)
CREATE OR REPLACE TEMP MACRO parse_date(v) AS
    CASE WHEN parse_date_any(v) BETWEEN DATE '1900-01-01' AND DATE '2100-12-31' THEN parse_date_any(v) END;

-- SPEC 2.4: yes / no / unknown. Blank is unknown, never silently no.
CREATE OR REPLACE TEMP MACRO parse_yes_no(v) AS CASE lower(v)
    WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true WHEN '1' THEN true WHEN '✓' THEN true WHEN '✔' THEN true
    WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '0' THEN false WHEN '✗' THEN false WHEN '✘' THEN false
END;

-- Header-style normalisation of free text, used to match the form's statement text.
CREATE OR REPLACE TEMP MACRO norm_text(s) AS
    trim(regexp_replace(replace(lower(s), '’', ''''), '[^a-z0-9]+', ' ', 'g'));

-- Red / Amber / Green in any case, R / A / G, or a value starting with the word ("Green - fully involved").
CREATE OR REPLACE TEMP MACRO parse_rating_word(s) AS CASE
    WHEN norm_text(s) IN ('red', 'r') OR starts_with(norm_text(s), 'red ') THEN 'red'
    WHEN norm_text(s) IN ('amber', 'a') OR starts_with(norm_text(s), 'amber ') THEN 'amber'
    WHEN norm_text(s) IN ('green', 'g') OR starts_with(norm_text(s), 'green ') THEN 'green'
END;

CREATE OR REPLACE TEMP MACRO parse_nation(v) AS CASE
    WHEN lower(v) IN ('england', 'eng', 'e') THEN 'England'
    WHEN lower(v) IN ('wales', 'cymru', 'wal', 'w') THEN 'Wales'
END;

-- HMAC-SHA256 written out (RFC 2104) so that it runs vectorised; {ipad}/{opad} are the key's pads.
-- IDs are compared trimmed and upper-cased, so ' yp123' and 'YP123' are the same young person.
CREATE OR REPLACE TEMP MACRO pseudonym(s) AS
    left(sha256('{opad}'::BLOB || unhex(sha256('{ipad}'::BLOB || encode(upper(trim(s)))))), 16);
