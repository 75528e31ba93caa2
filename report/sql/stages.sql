-- The ten stages of the "Rate your review" form, in the form's own words.
select stage_no, stage from stages order by stage_no
