-- Rows of a plan export that cannot be loaded because their dates contradict each other or today.
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
