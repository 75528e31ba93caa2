-- Rows of a plan export that cannot be loaded because their dates contradict each other or today.
-- (typed keeps raw_review_date only where it is not a date.)
-- SPEC 2.6: a blank review date means an initial plan, so a review date that cannot be read is not taken as blank:
-- "next week" must not turn a review into an initial plan.
SELECT src_row, 'review_date', 'rejected',
       '"' || raw_review_date || '" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); a blank '
       || 'review date would make this an initial plan, so the row is not loaded'
FROM typed WHERE raw_review_date IS NOT NULL AND review_date IS NULL
UNION ALL
SELECT src_row, 'minutes_sent_date', 'rejected',
       'minutes sent on ' || strftime(minutes_sent_date, '%d/%m/%Y') || ', before the review meeting on '
       || strftime(review_date, '%d/%m/%Y') || ': check both dates'
FROM typed WHERE minutes_sent_date < review_date
UNION ALL
SELECT src_row, 'review_date', 'rejected',
       'review meeting dated ' || strftime(review_date, '%d/%m/%Y') || ', in the future: a review is recorded once it is held'
FROM typed, settings WHERE review_date > coalesce(settings.today_override, current_date)
UNION ALL
SELECT src_row, 'nation', 'warning',
       '"' || nation || '" is not England or Wales; the default nation was used'
FROM typed WHERE nation IS NOT NULL AND parse_nation(nation) IS NULL
UNION ALL
SELECT src_row, 'minutes_sent_date', 'warning',
       'minutes sent date given but no review date; minutes are only counted for reviews'
FROM typed WHERE minutes_sent_date IS NOT NULL AND review_date IS NULL AND raw_review_date IS NULL;
