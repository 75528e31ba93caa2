-- Temporary macros used while loading. TEMP: they live only in the loading connection,
-- so the pseudonym key (filled in at run time) is never written to the warehouse.

-- Dates written as text are UK day-first (03/05/2026 is 3 May, also 3 May 2026 or 03-May-26) or ISO (with or
-- without a time); Excel dates arrive as ISO. Two-digit years are 2000-2068 or 1969-1999 (strptime's %y).
-- Anything else is not a date.
-- Input values are already trimmed (blank cells are NULL) by the loader's column mapping.
-- '03-May-25' and '3May25' -> '03 May 25'; 'Sept' (as often written) -> 'Sep', which strptime's %b knows.
CREATE OR REPLACE TEMP MACRO month_words(v) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(v, '[.,]', '', 'g'), '[\s\-/]+', ' ', 'g'),
                                  '(\d)([A-Za-z]+)(\d)', '\1 \2 \3'),
                   '([Ss][Ee][Pp])[Tt]\b', '\1');

CREATE OR REPLACE TEMP MACRO parse_date_any(v) AS CAST(CASE
    WHEN v IS NULL THEN NULL
    -- the two usual shapes first, cheaply: 03/05/2026 and 2026-05-03
    WHEN length(v) = 10 AND v[3] = '/' AND v[6] = '/' THEN try_strptime(v, '%d/%m/%Y')
    WHEN length(v) = 10 AND v[5] = '-' AND v[8] = '-' THEN try_strptime(v, '%Y-%m-%d')
    -- trying the long list of formats on text with no digit at all ("Yes", "N/A") is slow and never a date
    WHEN NOT regexp_matches(v, '[0-9]') THEN NULL
    WHEN regexp_full_match(v, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}') THEN try_strptime(v, ['%d/%m/%y', '%d-%m-%y', '%d.%m.%y'])
    -- a month name (3 May 2026, 03-May-25, 3 Sept 26): separators made spaces, so one pattern fits each; a
    -- two-digit year has its own patterns, as the four-digit ones would read 25 as the year 0025
    WHEN regexp_full_match(v, '\d{1,2}[ \-/]*[A-Za-z]{3,9}\.?,?[ \-/]*\d{2}')
        THEN try_strptime(month_words(v), ['%d %b %y', '%d %B %y'])
    WHEN regexp_full_match(v, '\d{1,2}[ \-/]*[A-Za-z]{3,9}\.?,?[ \-/]*\d{4}')
        THEN try_strptime(month_words(v), ['%d %b %Y', '%d %B %Y'])
    -- an ISO date and time with a time zone (2026-05-03T10:11:12Z, …+01:00): the date as written
    WHEN regexp_full_match(v, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+\-]\d{2}:?\d{2})')
        THEN try_strptime(left(v, 10), '%Y-%m-%d')
    ELSE try_strptime(v, ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%Y/%m/%d',
                          '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%f',
                          '%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y %H:%M:%S',
                          '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%d/%m/%Y %I:%M:%S %p', '%d/%m/%Y %I:%M %p'])
    END AS DATE);

-- A date outside 1900-2100 is a typing error, not a date; 1 January 1900 itself is what SQL extracts write for
-- "no date" (SPEC 2.6), never a date. (DuckDB works out parse_date_any once here.)
CREATE OR REPLACE TEMP MACRO parse_date(v) AS
    CASE WHEN parse_date_any(v) BETWEEN DATE '1900-01-02' AND DATE '2100-12-31' THEN parse_date_any(v) END;

-- SPEC 2.6: a column whose dates only make sense month-first (8/19/2026) is read month-first: the first two
-- numbers swapped (19/8/2026), then read as any UK date (with its time, a two-digit year ...).
CREATE OR REPLACE TEMP MACRO swap_day_month(v) AS
    regexp_replace(v, '^(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{2,4})(\D|$)', '\3\2\1\4\5\6');

-- A date and its time of day, to the minute (the start time that tells one online form's response 1 from
-- another's). The time as written (17:32, 5:32 PM, 17:32:25.123+01:00); a date alone is midnight. Written the same
-- in an XLSX export and the CSV saved from it, so both give the same value.
CREATE OR REPLACE TEMP MACRO time_parts(v) AS
    regexp_extract(v, '(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*([AaPp])?\.?[Mm]?\.?\s*(?:Z|[+\-]\d{2}:?\d{2})?$',
                   ['h', 'm', 'p']);
CREATE OR REPLACE TEMP MACRO minutes_of_day(t) AS
    coalesce(CASE lower(t.p) WHEN 'a' THEN TRY_CAST(t.h AS INTEGER) % 12 WHEN 'p' THEN TRY_CAST(t.h AS INTEGER) % 12 + 12
                             ELSE TRY_CAST(t.h AS INTEGER) END * 60 + TRY_CAST(t.m AS INTEGER), 0);
CREATE OR REPLACE TEMP MACRO parse_datetime(v) AS
    CASE WHEN parse_date(v) IS NOT NULL THEN parse_date(v) + to_minutes(minutes_of_day(time_parts(v))) END;

-- The first two numbers of a date written n/n/yyyy (or with - or .): {'a': '8', 'b': '19'}; '' when not that shape.
CREATE OR REPLACE TEMP MACRO date_parts(v) AS
    regexp_extract(v, '^(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(\D|$)', ['a', 'b']);

-- SPEC 2.6: a cell that means "no value", in any column: what SQL extracts write for nothing (NULL, 1900-01-01
-- with or without a time), N/A, not known, a dash, and Excel's error values. Input is trimmed; any case.
-- Every marker starts with #, (, -, a dash, 0, 1, N or n: other text is ruled out by comparing its first bytes,
-- which costs next to nothing (most cells). The words are a pattern, not IN (...), which DuckDB would make a join
-- worked out for every cell of the column.
CREATE OR REPLACE TEMP MACRO is_null_marker(v) AS CASE
    WHEN NOT ((v >= '#' AND v < '.') OR (v >= '0' AND v < '2') OR (v >= 'N' AND v < 'O') OR (v >= 'n' AND v < 'o')
              OR v >= '–') OR length(v) > 23 THEN false
    ELSE regexp_full_match(v, '(?i)null|\(null\)|n/a|#n/a|n/k|not known|-|--|—|–|#ref!|#value!|#div/0!|#name\?|#null!'
                              || '|#num!|#getting_data|#spill!|#calc!|#field!|#blocked!|#connect!|#busy!|#unknown!|#python!')
         OR (contains(v, '1900')
             AND regexp_full_match(v, '(0?1[/.\-]0?1[/.\-]1900|1900-01-01)([ T]0?0:00(:00(\.0+)?)?)?'))
END;

-- SPEC 2.4: yes / no / unknown. Blank is unknown, never silently no.
CREATE OR REPLACE TEMP MACRO parse_yes_no(v) AS CASE lower(v)
    WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true WHEN '1' THEN true WHEN '✓' THEN true WHEN '✔' THEN true
    WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '0' THEN false WHEN '✗' THEN false WHEN '✘' THEN false
    -- the marks as phones and Office often write them: followed by the emoji presentation selector U+FE0F
    WHEN '✓️' THEN true WHEN '✔️' THEN true WHEN '✗️' THEN false WHEN '✘️' THEN false
END;

-- Header-style normalisation of free text, used to match the form's statement text.
CREATE OR REPLACE TEMP MACRO norm_text(s) AS
    trim(regexp_replace(replace(lower(s), '’', ''''), '[^a-z0-9]+', ' ', 'g'));

-- Red / Amber / Green in any case, R / A / G, or a value starting with the word ("Green - fully involved");
-- and in Cymraeg, Coch / Ambr / Gwyrdd.
CREATE OR REPLACE TEMP MACRO parse_rating_word(s) AS CASE
    WHEN norm_text(s) IN ('red', 'r', 'coch') OR regexp_matches(norm_text(s), '^(red|coch) ') THEN 'red'
    WHEN norm_text(s) IN ('amber', 'a', 'ambr') OR regexp_matches(norm_text(s), '^(amber|ambr) ') THEN 'amber'
    WHEN norm_text(s) IN ('green', 'g', 'gwyrdd') OR regexp_matches(norm_text(s), '^(green|gwyrdd) ') THEN 'green'
END;

CREATE OR REPLACE TEMP MACRO parse_nation(v) AS CASE
    WHEN lower(v) IN ('england', 'eng', 'e') THEN 'England'
    WHEN lower(v) IN ('wales', 'cymru', 'wal', 'w') THEN 'Wales'
END;

-- HMAC-SHA256 written out (RFC 2104) so that it runs vectorised; {ipad}/{opad} are the key's pads.
-- IDs are compared trimmed and upper-cased, so ' yp123' and 'YP123' are the same young person.
CREATE OR REPLACE TEMP MACRO pseudonym(s) AS
    left(sha256('{opad}'::BLOB || unhex(sha256('{ipad}'::BLOB || encode(upper(trim(s)))))), 16);
