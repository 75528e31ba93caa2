-- The code sets of a care-leaver list, in one place (SPEC 6b): each published code with its plain words, and the other
-- ways exports write it. Sources: the DfE SSDA903 OC3 table (IN_TOUCH, ACTIV, ACCOM: the type letter and 1 suitable /
-- 2 unsuitable; 0 when not known), Ofsted's Annex A List 9 template ("a) Yes", "B: Parents/relatives",
-- "F1: Full time in higher education", "a) Relevant child" ...) and D2I's Standard Safeguarding Dataset, whose
-- ssd_care_leavers holds the case-management system's descriptions ("Relevant", "Returned Home", "Not Suitable").
--   field     the canonical column (etl/columns.py CARE_LEAVER_COLUMNS)
--   code      what is stored
--   meaning   the plain words pages and views show
--   counts    eligibility: owed a pathway plan; uasc: is or was an unaccompanied asylum-seeking child;
--             in_touch: in touch; accommodation_suitable: suitable; activity: in education, employment or training;
--             NULL: not known (a "0" of OC3), or not a yes/no matter (accommodation types)
--   grp       activity: education / training or employment / not in education, employment or training;
--             in_touch: in touch / not in touch / died / ... (the DfE's groups)
--   words     other ways of writing it, compared after norm_text (lower case, punctuation as spaces); the code and
--             the meaning themselves always match, and so does "a) <words>" and "<code>: <anything>".
-- Refreshed at every load (warehouse.apply_schema), so a new code needs only a line here.
CREATE OR REPLACE TABLE care_leaver_codes AS
SELECT field, code, meaning, counts, grp, words FROM (VALUES
    -- Eligibility for leaving-care support (Children Act 1989; Annex A List 9 "Eligibility Category").
    -- Eligible, relevant and former relevant children are owed a pathway plan (Sch. 2 para 19B, s.23B, s.23C);
    -- qualifying care leavers are owed advice and assistance, not a plan.
    ('eligibility', 'eligible', 'Eligible child', true, NULL, ['eligible', 'eligible child', 'eligible young person']),
    ('eligibility', 'relevant', 'Relevant child', true, NULL, ['relevant', 'relavent child', 'relevant young person']),
    ('eligibility', 'former_relevant', 'Former relevant child', true, NULL,
        ['former relevant', 'former relevant young person', 'former relevant care leaver']),
    ('eligibility', 'qualifying', 'Qualifying care leaver', false, NULL, ['qualifying', 'qualifying young person']),
    ('eligibility', 'none', 'No current eligibility', false, NULL, ['no current eligibility', 'not eligible', 'none']),
    -- UASC, or formerly UASC if 18 or over (Annex A List 9: Y/N, or "a) Yes" / "b) No")
    ('uasc', 'yes', 'Unaccompanied asylum-seeking child (now or formerly)', true, NULL,
        ['y', 'yes', 'true', '1', 'uasc', 'former uasc', 'formerly uasc']),
    ('uasc', 'no', 'Not an unaccompanied asylum-seeking child', false, NULL, ['n', 'no', 'false', '0', 'not uasc']),
    -- SSDA903 OC3 IN_TOUCH (Annex A "LA in Touch": a) Yes ... f) Rhom)
    ('in_touch', 'YES', 'In touch', true, 'in touch', ['y', 'yes', 'in touch', 'la in touch']),
    ('in_touch', 'NO', 'Not in touch', false, 'not in touch', ['n', 'no', 'not in touch', 'la not in touch']),
    ('in_touch', 'DIED', 'Died', NULL, 'died', ['died', 'dead', 'deceased', 'death']),
    ('in_touch', 'REFU', 'Not in touch: the young person refuses contact', false, 'refuses contact',
        ['refu', 'refused', 'refuses', 'refuses contact', 'young person refuses contact', 'refused contact']),
    ('in_touch', 'NREQ', 'No longer requires services', false, 'no longer requires services',
        ['nreq', 'not required', 'no longer requires services', 'no longer requires support', 'services not required']),
    ('in_touch', 'RHOM', 'Returned home to parents for 6 months or more', false, 'returned home',
        ['rhom', 'returned home', 'returned home to parents', 'returned home to live with parents']),
    -- SSDA903 OC3 ACCOM letters (Annex A "Type of Accommodation" "B: Parents/relatives" ...); 0 = not known
    ('accommodation', 'B', 'With parents or relatives', NULL, NULL, ['parents relatives', 'parents or relatives', 'with parents or relatives', 'parents', 'relatives']),
    ('accommodation', 'C', 'Community home or residential care', NULL, NULL, ['community home residential care', 'community home', 'residential care', 'community home or other form of residential care']),
    ('accommodation', 'D', 'Semi-independent, transitional or self-contained accommodation', NULL, NULL, ['semi independent transitional accommodation and self contained accommodation', 'semi independent', 'semi independent living', 'transitional accommodation', 'self contained accommodation']),
    ('accommodation', 'E', 'Supported lodgings', NULL, NULL, ['supported lodgings']),
    ('accommodation', 'G', 'Abroad', NULL, NULL, ['abroad', 'living abroad']),
    ('accommodation', 'H', 'Deported', NULL, NULL, ['deported']),
    ('accommodation', 'K', 'Ordinary lodgings, without formal support', NULL, NULL, ['ordinary lodgings', 'ordinary lodgings without formal support']),
    ('accommodation', 'R', 'Residence not known', NULL, NULL, ['residence not known', 'not known', 'unknown']),
    ('accommodation', 'S', 'No fixed abode or homeless', NULL, NULL, ['no fixed abode homeless', 'no fixed adobe homeless', 'no fixed abode', 'homeless']),
    ('accommodation', 'T', 'Foyers and similar supported accommodation', NULL, NULL, ['foyers and similar supported accommodation', 'foyer', 'foyers', 'supported accommodation']),
    ('accommodation', 'U', 'Independent living', NULL, NULL, ['independent living', 'independent living for example in a flat lodgings bedsit b b or with friends']),
    ('accommodation', 'V', 'Emergency accommodation', NULL, NULL, ['emergency accommodation', 'emergency accommodation for example night shelter direct access emergency hostel']),
    ('accommodation', 'W', 'Bed and breakfast', NULL, NULL, ['bed and breakfast', 'b b', 'bed breakfast']),
    ('accommodation', 'X', 'In custody', NULL, NULL, ['in custody', 'custody']),
    ('accommodation', 'Y', 'Other accommodation', NULL, NULL, ['other accommodation', 'other']),
    ('accommodation', 'Z', 'With former foster carers', NULL, NULL, ['with former foster carers', 'former foster carers', 'staying put']),
    ('accommodation', '0', 'Not known', NULL, NULL, ['0']),
    -- Suitability (OC3: the 1 or 2 after the ACCOM letter; Annex A "a) Suitable" / "b) Unsuitable"; SSD "Not Suitable")
    ('accommodation_suitable', 'suitable', 'Suitable', true, NULL, ['1', 'y', 'yes', 'suitable', 'accommodation suitable']),
    ('accommodation_suitable', 'unsuitable', 'Not suitable', false, NULL, ['2', 'n', 'no', 'unsuitable', 'not suitable', 'accommodation unsuitable']),
    -- SSDA903 OC3 ACTIV (Annex A "Activity Status"); F3/P3 are the codes before apprenticeships were split out; 0 = not known
    ('activity', 'F1', 'Full time in higher education', true, 'education', ['full time in higher education']),
    ('activity', 'P1', 'Part time in higher education', true, 'education', ['part time in higher education']),
    ('activity', 'F2', 'Full time in education other than higher', true, 'education', ['full time in education other than higher']),
    ('activity', 'P2', 'Part time in education other than higher', true, 'education', ['part time in education other than higher']),
    ('activity', 'F3', 'Full time in training or employment', true, 'training or employment', ['full time in training or employment']),
    ('activity', 'P3', 'Part time in training or employment', true, 'training or employment', ['part time in training or employment']),
    ('activity', 'F4', 'Full time in an apprenticeship', true, 'training or employment', ['young person engaged full time in an apprenticeship', 'full time apprenticeship']),
    ('activity', 'P4', 'Part time in an apprenticeship', true, 'training or employment', ['young person engaged part time in an apprenticeship', 'part time apprenticeship']),
    ('activity', 'F5', 'Full time in training or employment (not an apprenticeship)', true, 'training or employment', ['young person engaged full time in training or employment not apprenticeship', 'full time in training or employment not apprenticeship']),
    ('activity', 'P5', 'Part time in training or employment (not an apprenticeship)', true, 'training or employment', ['young person engaged part time in training or employment not apprenticeship', 'part time in training or employment not apprenticeship']),
    ('activity', 'G4', 'Not in education, employment or training: illness or disability', false, 'not in education, employment or training', ['not in education employment or training illness or disability', 'neet illness or disability']),
    ('activity', 'G5', 'Not in education, employment or training: other reasons', false, 'not in education, employment or training', ['not in education employment or training other', 'neet other', 'neet']),
    ('activity', 'G6', 'Not in education, employment or training: pregnancy or parenting', false, 'not in education, employment or training', ['not in education employment or training pregnancy or parenting', 'neet pregnancy or parenting']),
    ('activity', '0', 'Not known', NULL, 'not known', ['0'])
) AS t(field, code, meaning, counts, grp, words);
