-- out_of_date_now: young people whose latest plan is out of date today (not tied to the period).
SELECT count(*) FILTER (WHERE out_of_date) AS out_of_date, count(*) AS young_people,
       pct(count(*) FILTER (WHERE out_of_date), count(*)) AS pct_out_of_date
FROM scoped_reviews WHERE is_latest_version;
