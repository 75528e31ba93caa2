"""Canonical columns of each export kind, header matching and kind detection.

Headers are matched after normalising case, spaces and punctuation
("Young Person ID" -> young_person_id), against the canonical name and an
alias list that a local authority can extend in the settings file; failing
that, with the separators left out too ("PlanID", "Covers: Post-18 ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Column value types; normalise.py turns each into SQL.
TEXT, DATE, YESNO, YES_OR_DATE, RATING = "text", "date", "yesno", "yes_or_date", "rating"
DATETIME = "datetime"    # a date and time of day, to the minute
# A value of a published code set (LA in Touch, ACCOM, ACTIV ...), mapped to plain words at load by the one table of
# codes, sql/care_leaver_codes.sql; a value that is none of them loads as unknown with a warning.
CODE = "code"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    # Read for linking or pseudonymising, never stored as it is.
    personal: bool = False
    # Bad values are judged by the kind's own checks (sql/checks/<kind>.sql), not the generic ones.
    own_check: bool = False


COVERS = (
    "personal_adviser", "contact_support", "accommodation", "post18_arrangement",
    "education_training", "employment", "relationships", "independent_living_skills",
    "finance", "health", "contingency",
)


def _covers(area: str, extra: tuple[str, ...] = ()) -> Column:
    return Column(f"covers_{area}", YESNO, aliases=(f"{area}_covered", f"plan_covers_{area}") + extra)


PLAN_COLUMNS = (
    Column("person_id", required=True, personal=True, aliases=(
        "child_id", "young_person_id", "yp_id", "lcs_id", "client_id", "care_leaver_id",
        "person_ref", "child_ref", "young_person_ref", "person_identifier")),
    Column("team", required=True, aliases=("team_name", "locality", "leaving_care_team", "allocated_team")),
    Column("plan_date", DATE, required=True, aliases=(
        "date_of_plan", "plan_agreed_date", "date_plan_agreed", "pathway_plan_date", "plan_agreed")),
    Column("plan_id", aliases=("pathway_plan_id", "plan_ref", "plan_reference", "plan_no")),
    Column("date_of_birth", DATE, aliases=("dob", "birth_date", "d_o_b")),
    Column("nation", aliases=("country",)),
    Column("local_authority", aliases=("la", "authority", "council", "la_name")),
    Column("personal_adviser", aliases=("pa", "personal_advisor", "pa_name")),
    Column("social_worker", aliases=("sw", "allocated_social_worker", "social_worker_name")),
    Column("iro", aliases=("independent_reviewing_officer", "iro_name", "reviewing_officer")),
    Column("first_plan_date", DATE, aliases=("date_of_first_plan", "first_pathway_plan_date")),
    Column("needs_assessment_date", DATE, aliases=("assessment_date", "date_of_needs_assessment")),
    # SPEC 2.1: the date a young person became eligible after their 16th birthday (e.g. came into care at 17)
    Column("eligibility_date", DATE, aliases=(
        "date_became_eligible", "date_eligible", "eligible_date", "eligible_from", "date_of_eligibility",
        "became_eligible", "became_eligible_date", "eligibility_start_date", "date_eligible_for_leaving_care",
        "leaving_care_eligibility_date", "care_leaver_eligibility_date")),
    # SPEC 2.6: a blank review date makes an initial plan, so one that cannot be read rejects the row (sql/checks)
    Column("review_date", DATE, own_check=True, aliases=("review_meeting_date", "date_of_review", "meeting_date")),
    Column("minutes_sent_date", DATE, aliases=(
        "minutes_sent", "date_minutes_sent", "minutes_circulated", "minutes_circulated_date", "record_sent_date")),
    Column("yp_agreed_minutes", YESNO, aliases=("young_person_agreed_minutes", "yp_asked_to_agree_minutes")),
    Column("draft_copy_given", YESNO, aliases=("draft_plan_given", "draft_given_at_meeting")),
    Column("next_review_date", DATE, aliases=("next_review", "date_of_next_review")),
    Column("yp_views_recorded", YESNO, aliases=(
        "young_person_views_recorded", "yp_views", "wishes_and_feelings_recorded")),
    Column("long_term_goals", YESNO, aliases=("long_term_goals_recorded", "aspirations_recorded")),
    Column("copy_given_to_yp", YES_OR_DATE, aliases=(
        "copy_given_to_young_person", "copy_to_young_person", "copy_to_yp", "plan_copy_given_to_yp")),
    *(_covers(a) for a in COVERS[:-1]),
    _covers("contingency", ("contingency_plan", "has_contingency_plan")),
)

ACTION_COLUMNS = (
    Column("action_id", aliases=("action_ref", "action_reference", "action_no")),
    Column("plan_id", aliases=("pathway_plan_id", "plan_ref", "plan_reference", "plan_no")),
    Column("person_id", personal=True, aliases=PLAN_COLUMNS[0].aliases),
    Column("plan_date", DATE, aliases=PLAN_COLUMNS[2].aliases),
    Column("action", aliases=("action_description", "description", "action_text")),
    Column("owner", aliases=("action_owner", "responsible", "responsible_person", "who")),
    Column("due_date", DATE, aliases=("target_date", "by_when", "due", "action_due_date")),
    Column("status", aliases=("action_status",)),
    Column("completed_date", DATE, aliases=("date_completed", "completion_date")),
)

# The ten stages of the "Rate your review" form, in the form's own words (guide, section 13).
STAGES = (
    "Carrying out an assessment of my needs",
    "Completing the pathway plan",
    "The pathway plan is shared with everyone who needs to see it",
    "A date is set for the pathway plan (review) meeting and the meeting is arranged",
    "Feedback forms are sent to people attending pathway plan (review) meeting",
    "The pathway plan review report to be presented to the meeting is produced",
    "The independent reviewing officer (IRO) reads the report",
    "The pathway plan (review) meeting takes place",
    "The new pathway plan and minutes of the pathway plan (review) meeting are sent to everyone who needs to see them",
    "The next pathway review date is set",
)

# The statement in each box of the form: (red, amber, green) per stage, copied from the guide.
STATEMENTS = (
    ("The assessment of my needs was carried out by professionals who used information from existing documents (for example, the last review).",
     "I had some input into the assessment of my needs and some other relevant people did too but I would have wanted more of a say.",
     "I was fully involved in preparing the assessment of my needs, as were other relevant people. I was able to say if I disagreed with something."),
    ("The plan was written by a social worker and or personal advisor (PA).",
     "I contributed to the plan slightly but either I would have wanted more input or I did not receive enough support to allow me to contribute as I would have liked.",
     "I worked with the social worker and/or personal advisor to produce the plan. I received the support I needed to allow me to do this."),
    ("The plan was shared with everyone who needs to see it but I did not receive any feedback.",
     "The plan was shared and I heard from some people who were named as having actions to carry out that they understood and agreed with what they had to do.",
     "The plan was circulated and everyone who was named as having actions to carry out confirmed to me that they understood, and agreed with what they had to do."),
    ("Standard invitations were sent out to those who were invited and I was told when and where the meeting would take place.",
     "I was asked either about when and where the meeting should be held or who should attend but not both; Or, I was asked about both but I wasn't fully listened to.",
     "I was asked when and where the meeting should be held and who should attend, and my views were acted on."),
    ("Feedback forms were sent out to anyone involved in the meeting.",
     "I was asked either about who should provide feedback or about the best way for me to hear the feedback but not both, and/or I did not feel my views were listened to.",
     "I was asked about who should provide feedback and about the best way for me to hear the feedback and I felt my views were listened to."),
    ("The social worker or PA wrote the report based on my old pathway plan and the feedback they received.",
     "I was involved a little in deciding the content of the report but not enough; or, there are some parts of the report I am not sure are realistic or achievable.",
     "I was fully involved in deciding the content of the report and I feel the new plan is realistic and achievable and represents my wishes."),
    ("The IRO did not have any contact with me until just before the meeting.",
     "The IRO contacted me in advance of the meeting but I didn't feel we were able to talk about everything I wanted to and I was left with some questions.",
     "The IRO contacted me well in advance of the meeting, they told me what actions listed in the report had already been carried out and we talked about the order I wanted things discussed in at the meeting. They asked if I had any special requests. I felt they listened to me."),
    ("The order things were discussed in was decided in advance and followed a standard order. I did not have any input.",
     "The order things were discussed in was decided in advance but I was able to make a few changes.",
     "I was able to suggest which order I wanted things discussed in and I was listened to."),
    ("The plan and minutes were sent round late or not at all and I was not asked whether I thought they were accurate.",
     "Either I was not asked whether I thought the plan and minutes were accurate before they were sent out, or they were sent round late.",
     "I was asked whether I thought the plan and minutes were accurate before they were sent out and they were circulated on time. I was given a draft copy of the plan at the end of the meeting."),
    ("The date was set without any thought about how it might fit with my new pathway plan or my personal plans.",
     "I was asked about what a suitable date might be bearing in mind my new pathway plan and my personal plans, but the meeting couldn't take place at a time that suited me.",
     "I was asked about what a suitable date might be bearing in mind my new pathway plan and my personal plans and my views were acted on."),
)
RATINGS = ("red", "amber", "green")

TRAFFIC_LIGHT_COLUMNS = (
    Column("response_id", aliases=("id", "form_id", "response_ref", "response_no")),
    Column("person_id", required=True, personal=True, aliases=PLAN_COLUMNS[0].aliases),
    Column("review_date", DATE, own_check=True, aliases=("review_meeting_date", "date_of_review", "meeting_date")),
    Column("plan_id", aliases=("pathway_plan_id", "plan_ref", "plan_reference")),
    Column("submitted_date", DATE, aliases=(
        "completion_time", "submitted", "date_submitted", "submitted_on", "submission_date", "timestamp")),
    # Never stored; they make the response's identity (load.py): an online form numbers its responses 1, 2, 3 ...
    # so its ID means something only with the authority and when the response was started (SPEC 2.6).
    Column("start_time", DATETIME, aliases=("started", "started_at", "start_date_time", "response_started")),
    Column("local_authority", aliases=PLAN_COLUMNS[6].aliases),
    *(c for n in range(1, 11) for c in (
        Column(f"stage_{n}", RATING, aliases=(f"stage{n}", f"stage_{n}_rating", f"q{n}", f"question_{n}")),
        Column(f"stage_{n}_comment", aliases=(
            f"stage{n}_comment", f"stage_{n}_comments", f"stage{n}_comments", f"comment_{n}", f"q{n}_comment")),
    )),
)

# SPEC 6b: the care-leaver list councils already send (one row per young person per snapshot). Headers as published:
# Ofsted's Annex A List 9 template ("Child Unique ID", "LA in Touch", "Type of Accommodation" ...), D2I's AA_9 extract
# (ChildUniqueID, LAInTouch, TypeOfAccommodation ...), the DfE SSDA903 OC3 table (CHILD, DOB, IN_TOUCH, ACTIV, ACCOM) and
# D2I's Standard Safeguarding Dataset ssd_care_leavers (clea_person_id, clea_care_leaver_in_touch ...).
CARE_LEAVER_COLUMNS = (
    Column("person_id", required=True, personal=True, aliases=PLAN_COLUMNS[0].aliases + (
        "child_unique_id", "child", "clea_person_id", "pers_person_id")),
    # A row is a young person on the list of one date: an unreadable date would change which list it is on (sql/checks).
    Column("snapshot_date", DATE, own_check=True, aliases=(
        "as_at_date", "as_at", "date_of_snapshot", "snapshot", "extract_date", "census_date", "report_date",
        "list_date", "date_of_list")),
    Column("team", aliases=PLAN_COLUMNS[1].aliases + (
        "allocated_team_name", "clea_care_leaver_allocated_team", "clea_care_leaver_allocated_team_name")),
    Column("local_authority", aliases=PLAN_COLUMNS[6].aliases),
    Column("eligibility", CODE, aliases=(
        "eligibility_category", "eligibility_status", "care_leaver_eligibility", "clea_care_leaver_eligibility",
        "leaving_care_eligibility", "category_of_eligibility", "leaving_care_status")),
    Column("uasc", CODE, aliases=(
        "unaccompanied_asylum_seeking_child_uasc_or_formerly_uasc_if_18_or_over_y_n",
        "unaccompanied_asylum_seeking_child_uasc_or_formerly_uasc_if_18_or_over",
        "unaccompanied_asylum_seeking_child", "is_uasc", "uasc_status", "formerly_uasc", "uasc_or_former_uasc")),
    Column("date_of_birth", DATE, aliases=("dob", "birth_date", "d_o_b", "pers_dob")),
    Column("in_touch", CODE, aliases=(
        "la_in_touch", "in_touch_with_la", "local_authority_in_touch", "clea_care_leaver_in_touch", "in_touch_status",
        "is_the_la_in_touch", "la_in_touch_with_care_leaver")),
    Column("latest_contact_date", DATE, aliases=(
        "latest_date_of_contact", "latest_contact", "date_of_latest_contact", "last_contact_date", "last_contact",
        "clea_care_leaver_latest_contact")),
    # OC3's ACCOM carries the type and its suitability in one code (B1 = parents or relatives, suitable)
    Column("accommodation", CODE, aliases=(
        "type_of_accommodation", "accommodation_type", "accom", "clea_care_leaver_accommodation")),
    Column("accommodation_suitable", CODE, aliases=(
        "suitability_of_accommodation", "accommodation_suitability", "accom_suitable", "suitable_accommodation",
        "clea_care_leaver_accom_suitable", "is_accommodation_suitable")),
    Column("activity", CODE, aliases=("activ", "activity_status", "main_activity", "clea_care_leaver_activity")),
    Column("personal_adviser", aliases=(
        "pa", "personal_advisor", "pa_name", "allocated_personal_advisor", "allocated_personal_adviser", "allocated_pa",
        "clea_care_leaver_personal_advisor")),
    Column("latest_plan_date", DATE, aliases=(
        "latest_pathway_plan_review_date", "latest_pathway_plan", "latest_pathway_plan_date", "pathway_plan_review_date",
        "clea_pathway_plan_review_date", "latest_plan_review_date", "date_of_latest_pathway_plan")),
)
# The columns only a care-leaver list has: one of them makes a file one (a plan export has a team and a date of birth too).
CARE_LEAVER_OUTCOMES = ("eligibility", "in_touch", "accommodation", "accommodation_suitable", "activity")

KINDS = {"plans": PLAN_COLUMNS, "actions": ACTION_COLUMNS, "traffic_light": TRAFFIC_LIGHT_COLUMNS,
         "care_leavers": CARE_LEAVER_COLUMNS}
KIND_LABELS = {"plans": "plan export", "actions": "actions export", "traffic_light": "traffic-light export",
               "care_leavers": "care-leaver list"}


def normalise_header(header: object) -> str:
    """'  Young Person ID ' -> 'young_person_id'; '1. Carrying out…' -> '1_carrying_out…'."""
    text = "" if header is None else str(header)
    text = text.replace("’", "'").replace("'", "").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")




def _welsh_wording() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The form's stages and statements in Cymraeg, from the online form's message catalogue
    (forms/locale/cy/LC_MESSAGES/messages.po, reviewed by a translator), so the form and the loader never differ."""
    from babel.messages.pofile import read_po
    po = Path(__file__).resolve().parent.parent / "forms" / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return (), ()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="cy")

    def cy(text: str) -> str:
        message = catalog.get(text)
        return message.string if message is not None and message.string else text
    return tuple(cy(s) for s in STAGES), tuple(tuple(cy(s) for s in boxes) for boxes in STATEMENTS)


STAGES_CY, STATEMENTS_CY = _welsh_wording()
# (stage number, normalised heading): the form's headings in English and in Cymraeg.
_NORMALISED_STAGES = tuple((n, normalise_header(s)) for texts in (STAGES, STAGES_CY) for n, s in enumerate(texts, 1))
# "pam" (why), "sylw/sylwadau" (comment/s), "rheswm/rhesymau" (reason/s): a Welsh form's comment questions.
_COMMENT_WORDS = re.compile(r"(^|_)(comments?|why|reasons?|say_why|tell_us_why|notes?|explain"
                            r"|pam|sylw|sylwadau|rheswm|rhesymau)(_|$)")


def _stage_from_question(norm: str) -> str | None:
    """Online-forms headers carry the question text: '1. Carrying out an assessment of my needs'."""
    for n, stage in _NORMALISED_STAGES:
        if stage in norm:
            rest = norm.replace(stage, " ")
            # A leading number, when present, must be this stage's number.
            lead = re.match(r"^(?:q|question|stage)?_?(\d+)", norm)
            if lead and int(lead.group(1)) != n:
                continue
            return f"stage_{n}_comment" if _COMMENT_WORDS.search(rest) else f"stage_{n}"
    # A comment question numbered for its stage: "Why do you feel like that? (3)", "Comments 3".
    numbers = re.findall(r"(?:^|_)(\d{1,2})(?:_|$)", norm)
    if _COMMENT_WORDS.search(norm) and len(numbers) == 1 and 1 <= int(numbers[0]) <= 10:
        return f"stage_{int(numbers[0])}_comment"
    return None


def squash(norm: str) -> str:
    """A normalised header without its separators: 'PlanID', 'Plan ID' and 'Post-18' / 'post18' then agree."""
    return norm.replace("_", "")


def lookup_for(kind: str, extra_aliases: dict | None = None) -> dict[str, str]:
    """Normalised header, and the same squashed, -> canonical column name, for one kind."""
    extra_aliases = extra_aliases or {}
    table: dict[str, str] = {}
    for col in KINDS[kind]:
        for name in (col.name, *col.aliases, *extra_aliases.get(col.name, ())):
            table.setdefault(normalise_header(name), col.name)
    for norm, name in list(table.items()):
        table.setdefault(squash(norm), name)
    return table


def match_headers(headers: list, kind: str, extra_aliases: dict | None = None) -> dict[int, str]:
    """Position -> canonical name for the headers that match; the first of two duplicates wins."""
    table = lookup_for(kind, extra_aliases)
    names: list[str | None] = []
    from_question: set[int] = set()          # matched by the question's words, not by name or alias
    for pos, header in enumerate(headers):
        norm = normalise_header(header)
        name = (table.get(norm) or table.get(squash(norm))) if norm else None
        if name is None and norm and kind == "traffic_light":
            name = _stage_from_question(norm)
            from_question.add(pos)
        names.append(name)
    if kind == "traffic_light":
        _comments_by_position(headers, names, from_question)
    matched: dict[int, str] = {}
    seen: set[str] = set()
    for pos, name in enumerate(names):
        if name and name not in seen:
            matched[pos] = name
            seen.add(name)
    return matched


# A repeated title as Excel or pandas tell the copies apart: "Why?", "Why?.1", "Why?_2", "Why?2", "Why? (3)".
_COPY_NUMBER = re.compile(r"_?\d{1,2}$")
_STAGE_RATING = re.compile(r"stage_\d{1,2}")


def _comments_by_position(headers: list, names: list, from_question: set[int]) -> None:
    """An online form repeats the title of its "why?" question after each stage (Microsoft Forms keeps the title;
    Excel may number the copies): a title that repeats, just after a stage's question, is that stage's comment.
    A header that names its column or alias keeps it."""
    bases = [_COPY_NUMBER.sub("", normalise_header(h)) for h in headers]
    repeats = {b for b in bases if b and bases.count(b) > 1}
    for pos in range(1, len(headers)):
        before = names[pos - 1]
        if (bases[pos] in repeats and before and _STAGE_RATING.fullmatch(before)
                and (names[pos] is None or pos in from_question)):
            names[pos] = f"{before}_comment"


def required_columns(kind: str) -> list[str]:
    return [c.name for c in KINDS[kind] if c.required]


# Columns of which a file needs at least one: a form links to its review by review_date, or by plan_id.
REQUIRED_ONE_OF = {"traffic_light": ("review_date", "plan_id")}
# A required column a file may leave out when it has another: a form with its plan_id needs no person_id, as
# the plan names the young person (the online form's export, forms/warehouse_link.py, has no person_id).
REQUIRED_UNLESS = {"traffic_light": {"person_id": "plan_id"}}


def missing_columns(kind: str, names) -> list[str]:
    """The required columns (or choices of columns, 'review_date or plan_id') that `names` lacks."""
    names = set(names)
    missing = [c for c in required_columns(kind) if c not in names and REQUIRED_UNLESS.get(kind, {}).get(c) not in names]
    choice = REQUIRED_ONE_OF.get(kind)
    if choice and not names & set(choice):
        missing.append(" or ".join(choice))
    return missing


def detect_kind(headers: list, extra_aliases: dict | None = None) -> tuple[str | None, dict[int, str]]:
    """The kind whose columns the headers match best; a stage column makes it a traffic-light export."""
    best: tuple[int, str | None, dict[int, str]] = (0, None, {})
    for kind in KINDS:
        matched = match_headers(headers, kind, extra_aliases)
        names = set(matched.values())
        score = len(names)
        if kind == "traffic_light" and not any(n.startswith("stage_") for n in names):
            score = 0
        if kind == "actions" and not names & {"action", "owner", "due_date", "action_id"}:
            score = 0
        if kind == "plans" and "plan_date" not in names and "team" not in names:
            score = 0
        if kind == "care_leavers" and not names & set(CARE_LEAVER_OUTCOMES):
            score = 0
        if score > best[0]:
            best = (score, kind, matched)
    return best[1], best[2]


def column_spec(kind: str) -> dict[str, Column]:
    return {c.name: c for c in KINDS[kind]}
