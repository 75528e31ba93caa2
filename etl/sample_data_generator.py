"""Deterministic synthetic sample exports for the pathway plan quality dashboard.

Writes six messy "real-looking" exports (plan, actions and traffic-light files for
one English and one Welsh authority, and the English one's Annex A workbook with its
care-leaver list) plus a README into ``sample_data/``.  Every
name, ID and date is invented; the same seed always gives byte-identical files.

Run:  python etl/sample_data_generator.py
"""

from __future__ import annotations

import calendar
import csv
import io
import pathlib
import random
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

SEED = 20261123
TODAY = date(2026, 11, 16)  # fixed "today" of the generated history
WINDOW_START = date(2024, 4, 1)  # exports cover 2024-25 Q1 .. today
WINDOW_DAYS = (TODAY - WINDOW_START).days
FIXED_TIMESTAMP = datetime(2026, 11, 16, 9, 0, 0)  # xlsx properties and zip entry times

ENGLAND_AUTHORITY = "Northshire County Council"
WALES_AUTHORITY = "Cwm Derwen County Borough Council"

# Bank holidays of England and Wales, only so the generator sends minutes on
# working days; the ETL itself uses a maintained calendar.
BANK_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26 "
        "2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26 "
        "2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28 "
        "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28"
    ).split()
)

# The ten stages of "Rate your review" with the red, amber and green box texts,
# copied exactly from section 13 of the co-production guide.
STAGES: list[tuple[str, tuple[str, str, str]]] = [
    (
        "Carrying out an assessment of my needs",
        (
            "The assessment of my needs was carried out by professionals who used information from existing documents (for example, the last review).",
            "I had some input into the assessment of my needs and some other relevant people did too but I would have wanted more of a say.",
            "I was fully involved in preparing the assessment of my needs, as were other relevant people. I was able to say if I disagreed with something.",
        ),
    ),
    (
        "Completing the pathway plan",
        (
            "The plan was written by a social worker and or personal advisor (PA).",
            "I contributed to the plan slightly but either I would have wanted more input or I did not receive enough support to allow me to contribute as I would have liked.",
            "I worked with the social worker and/or personal advisor to produce the plan. I received the support I needed to allow me to do this.",
        ),
    ),
    (
        "The pathway plan is shared with everyone who needs to see it",
        (
            "The plan was shared with everyone who needs to see it but I did not receive any feedback.",
            "The plan was shared and I heard from some people who were named as having actions to carry out that they understood and agreed with what they had to do.",
            "The plan was circulated and everyone who was named as having actions to carry out confirmed to me that they understood, and agreed with what they had to do.",
        ),
    ),
    (
        "A date is set for the pathway plan (review) meeting and the meeting is arranged",
        (
            "Standard invitations were sent out to those who were invited and I was told when and where the meeting would take place.",
            "I was asked either about when and where the meeting should be held or who should attend but not both; Or, I was asked about both but I wasn't fully listened to.",
            "I was asked when and where the meeting should be held and who should attend, and my views were acted on.",
        ),
    ),
    (
        "Feedback forms are sent to people attending pathway plan (review) meeting",
        (
            "Feedback forms were sent out to anyone involved in the meeting.",
            "I was asked either about who should provide feedback or about the best way for me to hear the feedback but not both, and/or I did not feel my views were listened to.",
            "I was asked about who should provide feedback and about the best way for me to hear the feedback and I felt my views were listened to.",
        ),
    ),
    (
        "The pathway plan review report to be presented to the meeting is produced",
        (
            "The social worker or PA wrote the report based on my old pathway plan and the feedback they received.",
            "I was involved a little in deciding the content of the report but not enough; or, there are some parts of the report I am not sure are realistic or achievable.",
            "I was fully involved in deciding the content of the report and I feel the new plan is realistic and achievable and represents my wishes.",
        ),
    ),
    (
        "The independent reviewing officer (IRO) reads the report",
        (
            "The IRO did not have any contact with me until just before the meeting.",
            "The IRO contacted me in advance of the meeting but I didn't feel we were able to talk about everything I wanted to and I was left with some questions.",
            "The IRO contacted me well in advance of the meeting, they told me what actions listed in the report had already been carried out and we talked about the order I wanted things discussed in at the meeting. They asked if I had any special requests. I felt they listened to me.",
        ),
    ),
    (
        "The pathway plan (review) meeting takes place",
        (
            "The order things were discussed in was decided in advance and followed a standard order. I did not have any input.",
            "The order things were discussed in was decided in advance but I was able to make a few changes.",
            "I was able to suggest which order I wanted things discussed in and I was listened to.",
        ),
    ),
    (
        "The new pathway plan and minutes of the pathway plan (review) meeting are sent to everyone who needs to see them",
        (
            "The plan and minutes were sent round late or not at all and I was not asked whether I thought they were accurate.",
            "Either I was not asked whether I thought the plan and minutes were accurate before they were sent out, or they were sent round late.",
            "I was asked whether I thought the plan and minutes were accurate before they were sent out and they were circulated on time. I was given a draft copy of the plan at the end of the meeting.",
        ),
    ),
    (
        "The next pathway review date is set",
        (
            "The date was set without any thought about how it might fit with my new pathway plan or my personal plans.",
            "I was asked about what a suitable date might be bearing in mind my new pathway plan and my personal plans, but the meeting couldn't take place at a time that suited me.",
            "I was asked about what a suitable date might be bearing in mind my new pathway plan and my personal plans and my views were acted on.",
        ),
    ),
]
RATINGS = ("red", "amber", "green")

COVERS = (
    "personal_adviser",
    "contact_support",
    "accommodation",
    "post18_arrangement",
    "education_training",
    "employment",
    "relationships",
    "independent_living_skills",
    "finance",
    "health",
    "contingency",
)


@dataclass(frozen=True)
class Team:
    name: str
    nation: str
    authority: str
    people: int
    coproduction_start: float  # latent co-production level at the start of the window
    coproduction_end: float  # ... and at the end (a rising line = an improving team)
    late_minutes: bool  # chronic late minutes
    late_review_rate: float
    return_rate_start: float  # share of reviews whose "Rate your review" form comes back
    return_rate_end: float
    quality_start: float  # latent plan-writing quality (about -1..1) at the start of the window
    quality_end: float  # ... and at the end


TEAMS = (
    Team("North Leaving Care", "England", ENGLAND_AUTHORITY, 125, 0.35, 0.45, False, 0.06, 0.64, 0.66, 0.6, 0.7),
    # The weaker team: minutes late, more plans without the young person's voice, goals or SMART actions.
    Team("South Leaving Care", "England", ENGLAND_AUTHORITY, 120, -0.05, 0.0, True, 0.14, 0.58, 0.58, -0.8, -0.7),
    # The improving team: co-production and plan quality rise steadily quarter on quarter.
    Team("East 16+ Team", "England", ENGLAND_AUTHORITY, 115, -1.0, 1.2, False, 0.09, 0.52, 0.74, -0.9, 1.0),
    Team("Valleys Leaving Care", "Wales", WALES_AUTHORITY, 130, 0.45, 0.5, False, 0.05, 0.66, 0.68, 0.6, 0.6),
    Team("Coast 16+ Team", "Wales", WALES_AUTHORITY, 110, 0.05, 0.1, False, 0.10, 0.58, 0.60, 0.0, 0.2),
)

# Stage 5 (feedback forms) is weak everywhere.
STAGE_EFFECT = {1: 0.25, 2: 0.1, 3: -0.15, 4: 0.3, 5: -1.3, 6: 0.0, 7: -0.25, 8: 0.1, 9: 0.0, 10: 0.2}

ENGLISH_FIRST = ["Morgan", "Jordan", "Casey", "Riley", "Taylor", "Jamie", "Alex", "Sam", "Robin",
                 "Charlie", "Drew", "Frankie", "Hayden", "Kit", "Avery", "Rowan", "Quinn", "Ashley"]
ENGLISH_LAST = ["Ellis", "Price", "Hart", "Shaw", "Lane", "Moss", "Reed", "Webb", "Dale", "Fox",
                "Marsh", "Crane", "Frost", "Holt", "Pike", "Vale", "Wren", "Birch"]
WELSH_FIRST = ["Rhian", "Gethin", "Ffion", "Dylan", "Carys", "Owain", "Sioned", "Iwan", "Nia",
               "Emyr", "Lowri", "Aled"]
WELSH_LAST = ["Pryce", "Howells", "Bevan", "Rees", "Jenkins", "Llewellyn", "Pugh", "Gwynne",
              "Powell", "Vaughan", "Griffiths", "Tudor"]

ENGLAND_IROS = ["IRO Jo Hartley", "IRO Pat Quinlan", "IRO Lesley Dunmore", "IRO Chris Allbright",
                "IRO Val Thornbury"]
WALES_IROS = ["IRO Eleri Prydderch", "IRO Huw Bowen-Tate", "IRO Mair Elwyn"]

COMMENTS = {
    1: {"red": ["They just used what was in my old plan", "Nobody asked me anything before it was written"],
        "amber": ["My PA asked me a few things but it was rushed"],
        "green": ["My PA went through everything with me", "I got to say what I needed"]},
    2: {"red": ["I only saw the plan at the meeting", "It was written about me not with me"],
        "amber": ["I added a bit but ran out of time"],
        "green": ["We wrote it together over two visits", "My PA helped me write my bits"]},
    3: {"red": ["Don't know who got it"],
        "amber": ["The college got back to me but housing didn't"],
        "green": ["Everyone told me what they were doing"]},
    4: {"red": ["Nobody asked me where I wanted the meeting", "It was on a day I had college"],
        "amber": ["I picked the place but not who came"],
        "green": ["I chose to have it at the cafe near my flat", "I picked who came"]},
    5: {"red": ["Never saw any feedback forms", "I didn't know there were feedback forms"],
        "amber": ["Got told about the forms after"],
        "green": ["I said I wanted feedback by text and that happened"]},
    6: {"red": ["Same report as last time", "The report had old stuff in it"],
        "amber": ["Some of the goals aren't realistic for me right now"],
        "green": ["The report is what I actually want to do"]},
    7: {"red": ["Met the IRO for the first time in the meeting", "IRO rang me the night before"],
        "amber": ["IRO called but we didn't get to talk about money"],
        "green": ["The IRO visited me a week before", "IRO asked what I wanted to talk about first"]},
    8: {"red": ["It was the same order as always", "Felt like a tick box meeting"],
        "amber": ["I moved housing up the list"],
        "green": ["I chaired part of it myself", "We started with what I wanted"]},
    9: {"red": ["Still haven't seen the minutes", "Minutes came ages later"],
        "amber": ["Nobody checked the minutes with me first"],
        "green": ["Got a copy of the plan on the day", "They checked the minutes with me first"]},
    10: {"red": ["The next date clashes with my exams", "Date was just picked by the system"],
         "amber": ["They asked but couldn't move it"],
         "green": ["We picked a date after my course finishes"]},
}
GENERIC_COMMENTS = {
    "red": ["I didn't get much say", "It was all decided before I got there"],
    "amber": ["Better than last time", "Some of it was ok"],
    "green": ["Felt listened to", "Good meeting"],
}

ACTION_TEXTS = [
    "Apply for the £2,000 setting-up-home allowance",
    "Open a bank account and start a £20 monthly savings plan",
    "Support young person’s application to college",
    "Book driving theory test (£23 fee paid by leaving care)",
    "Register with a GP near the new flat",
    "Arrange dentist check-up",
    "Complete housing register application",
    "Weekly budgeting session with PA",
    "Look into apprenticeships with the council’s jobs team",
    "Apply for provisional driving licence (£34)",
    "Contact with sister – arrange monthly visits",
    "Explore Staying Put arrangement with foster carers",
    "Set up Council Tax exemption",
    "Referral to adult mental health transition service",
    "Cooking skills course at the youth centre",
    "Claim £1,200 higher education bursary",
    "Renew passport – PA to pay £88.50 fee",
    "Get a copy of birth certificate for ID",
    "Help with CV and job search",
    "Young person’s bus pass renewal",
]
ACTION_OWNERS_OTHER = ["Young person", "Housing officer", "College tutor", "Foster carer", "Virtual School"]
WORKER_NOTES = ["see case file", "see case file", "PA covering", "transferred in", "interpreter not needed",
                "updated after review"]

YES_NO_FIELDS = ("yp_agreed_minutes", "draft_copy_given", "yp_views_recorded", "long_term_goals",
                 "copy_given_to_yp") + tuple(f"covers_{c}" for c in COVERS)


# --------------------------------------------------------------------------- dates

def add_months(d: date, months: int) -> date:
    """Calendar months later, month ends clamped (31 Aug + 6 months = 28/29 Feb)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def birthday(dob: date, years: int) -> date:
    return add_months(dob, 12 * years)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in BANK_HOLIDAYS


def add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def to_weekday(d: date) -> date:
    """Meetings happen on working days: move back to the previous one."""
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def uk(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def window_fraction(d: date) -> float:
    return min(1.0, max(0.0, (d - WINDOW_START).days / WINDOW_DAYS))


# --------------------------------------------------------------------------- model

@dataclass
class Person:
    person_id: str
    team: Team
    dob: date
    needs_assessment_date: date | None = None
    first_plan_date: date | None = None
    eligibility_date: date | None = None  # a late entrant: became eligible after the 16th birthday


@dataclass
class Version:
    person: Person
    team: Team
    plan_date: date
    review_date: date | None
    minutes_sent_date: date | None
    minutes_working_days: int | None
    values: dict  # yes/no fields -> True/False/None, copy_given_to_yp may be a date
    next_review_date: date | None
    personal_adviser: str
    social_worker: str
    iro: str
    plan_id: str = ""
    notes: str = ""


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.staff = self._make_staff()

    # ---- staff
    def _make_staff(self) -> dict:
        rng = self.rng
        staff = {}
        used: set[str] = set()
        for team in TEAMS:
            first, last = (ENGLISH_FIRST, ENGLISH_LAST) if team.nation == "England" else (WELSH_FIRST, WELSH_LAST)
            names = []
            while len(names) < 10:
                name = f"{rng.choice(first)} {rng.choice(last)}"
                if name not in used:
                    used.add(name)
                    names.append(name)
            staff[team.name] = {
                "pa": [f"PA {n}" for n in names[:5]],
                "sw": [f"SW {n}" for n in names[5:]],
                "iro": ENGLAND_IROS if team.nation == "England" else WALES_IROS,
            }
        return staff

    # ---- people and plan histories
    def people(self) -> list[tuple[Person, list[Version]]]:
        rng = self.rng
        result = []
        next_id = {"England": 100000, "Wales": 200000}
        for team in TEAMS:
            kept = 0
            while kept < team.people:
                next_id[team.nation] += rng.randint(1, 37)
                # 16th birthday between Oct 2019 and Oct 2026: aged 16-21 during the window.
                sixteenth = date(2019, 10, 1) + timedelta(days=rng.randint(0, (date(2026, 10, 15) - date(2019, 10, 1)).days))
                dob = add_months(sixteenth, -192)
                person = Person(f"YP{next_id[team.nation]}", team, dob)
                if rng.random() < 0.035:
                    # a late entrant (came into care at 16 or 17, often an unaccompanied asylum-seeking child):
                    # eligible some months after the 16th birthday, inside the window so the first plan is loaded
                    eligible = WINDOW_START + timedelta(days=rng.randint(30, (TODAY - WINDOW_START).days - 120))
                    person.eligibility_date = eligible
                    person.dob = add_months(eligible - timedelta(days=rng.randint(150, 600)), -192)
                versions = self._history(person)
                in_window = [v for v in versions if v.plan_date >= WINDOW_START]
                if not in_window:
                    continue
                kept += 1
                result.append((person, in_window))
        return result

    def _history(self, person: Person) -> list[Version]:
        rng = self.rng
        team = person.team
        sixteenth = birthday(person.dob, 16)
        if person.eligibility_date is not None:
            # the regulations give 3 months from becoming eligible; most are planned in time, a few are not
            days = rng.randint(20, 85) if rng.random() < 0.8 else rng.randint(100, 140)
            if team.nation == "Wales":
                person.needs_assessment_date = to_weekday(person.eligibility_date + timedelta(days=days))
                first_plan = to_weekday(person.needs_assessment_date + timedelta(days=rng.randint(5, 20)))
            else:
                first_plan = to_weekday(person.eligibility_date + timedelta(days=days))
        elif team.nation == "England":
            # first plan should be in place before the 16th birthday; some are late
            offset = rng.randint(-60, -1) if rng.random() < 0.86 else rng.randint(0, 150)
            first_plan = to_weekday(sixteenth + timedelta(days=offset))
        else:
            # Wales: needs assessment within 3 months of the 16th birthday; some late
            offset = rng.randint(-20, 85) if rng.random() < 0.86 else rng.randint(100, 200)
            person.needs_assessment_date = to_weekday(sixteenth + timedelta(days=offset))
            first_plan = to_weekday(person.needs_assessment_date + timedelta(days=rng.randint(10, 45)))
        person.first_plan_date = first_plan
        # support normally ends at 21; some stay on (education or training, up to 25)
        end = min(TODAY, birthday(person.dob, 25 if rng.random() < 0.3 else 21))
        leaves_at = None
        if rng.random() < 0.06:  # some leave the service early (moved away, declined support)
            leaves_at = birthday(person.dob, 18) + timedelta(days=rng.randint(0, 900))

        staff = self.staff[team.name]
        pa = rng.choice(staff["pa"])
        sw = rng.choice(staff["sw"])
        iro = rng.choice(staff["iro"])
        versions: list[Version] = []
        anchor = first_plan
        review_date = None
        current_team = team
        while True:
            if review_date is None and not versions:
                plan_date = first_plan
            else:
                due = add_months(anchor, 6)
                if rng.random() < current_team.late_review_rate:
                    review_date = to_weekday(due + timedelta(days=rng.randint(3, 80)))
                else:
                    review_date = to_weekday(due - timedelta(days=rng.randint(0, 45)))
                if review_date > end or (leaves_at and review_date > leaves_at):
                    break
                plan_date = review_date if rng.random() < 0.85 else min(TODAY, review_date + timedelta(days=rng.randint(1, 7)))
                # occasional moves between teams of the same authority
                if rng.random() < 0.03:
                    siblings = [t for t in TEAMS if t.authority == current_team.authority and t is not current_team]
                    current_team = rng.choice(siblings)
                    staff = self.staff[current_team.name]
                    pa, sw = rng.choice(staff["pa"]), rng.choice(staff["sw"])
                if rng.random() < 0.1:
                    pa = rng.choice(self.staff[current_team.name]["pa"])
                if rng.random() < 0.08:
                    iro = rng.choice(self.staff[current_team.name]["iro"])
            if plan_date > TODAY:
                break
            versions.append(self._version(person, current_team, plan_date, review_date, pa, sw, iro))
            anchor = review_date or plan_date
        return versions

    def _version(self, person, team, plan_date, review_date, pa, sw, iro) -> Version:
        rng = self.rng
        level = coproduction_level(team, review_date or plan_date)
        minutes_sent = None
        working_days = None
        if review_date is not None:
            if team.late_minutes:
                n = rng.randint(25, 45) if rng.random() < 0.62 else rng.randint(10, 24)
            else:
                r = rng.random()
                n = rng.randint(5, 18) if r < 0.9 else rng.randint(19, 24) if r < 0.97 else rng.randint(25, 35)
            sent = add_working_days(review_date, n)
            recent = add_working_days(review_date, 25) > TODAY
            never = rng.random() < (0.25 if recent else 0.012)
            if sent <= TODAY and not never:
                minutes_sent, working_days = sent, n

        def yes(p: float, blank: float = 0.006):
            if rng.random() < blank:
                return None
            return rng.random() < p

        # plan-writing quality of the team at the time (about -1 weak .. 1 strong)
        q = plan_quality_level(team, review_date or plan_date)
        values = {
            "yp_agreed_minutes": yes(0.9 + 0.08 * q) if review_date else None,
            "draft_copy_given": yes(0.9 + 0.08 * q) if review_date else None,
            "yp_views_recorded": yes(0.97 + 0.028 * q),
            "long_term_goals": yes(0.965 + 0.033 * q),
            "copy_given_to_yp": yes(0.95 + 0.04 * q),
        }
        for c in COVERS:
            p = 0.9 + 0.08 * q if c == "contingency" else 0.994 + 0.005 * q
            values[f"covers_{c}"] = yes(min(p, 0.999), 0.004)
        if values["copy_given_to_yp"] and rng.random() < 0.15:
            values["copy_given_to_yp"] = min(TODAY, plan_date + timedelta(days=rng.randint(0, 14)))
        anchor = review_date or plan_date
        r = rng.random()
        if r < 0.012:
            next_review = None  # no date set at the meeting
        elif r < 0.04 - 0.02 * q:
            next_review = to_weekday(add_months(anchor, 6) + timedelta(days=rng.randint(7, 45)))  # set too far out
        else:
            next_review = to_weekday(add_months(anchor, 6) - timedelta(days=rng.randint(0, 20)))
        age = (plan_date - person.dob).days / 365.25
        return Version(
            person=person, team=team, plan_date=plan_date, review_date=review_date,
            minutes_sent_date=minutes_sent, minutes_working_days=working_days, values=values,
            next_review_date=next_review, personal_adviser=pa,
            social_worker=sw if age < 18 else "",  # care leavers over 18 have a PA, not a social worker
            iro=iro,
            notes=rng.choice(WORKER_NOTES) if rng.random() < 0.08 else "",
        )

    # ---- traffic-light forms
    def forms_for(self, version: Version) -> dict | None:
        rng = self.rng
        team = version.team
        review = version.review_date
        frac = window_fraction(review)
        rate = team.return_rate_start + (team.return_rate_end - team.return_rate_start) * frac
        if rng.random() >= rate:
            return None
        submitted = review + timedelta(days=min(40, int(rng.expovariate(1 / 6))))
        if submitted > TODAY:
            return None
        level = coproduction_level(team, review)
        form_effect = rng.gauss(0, 0.55)
        ratings = {}
        comments = {}
        for stage in range(1, 11):
            if rng.random() < 0.04:
                ratings[stage] = None  # unanswered
                continue
            latent = level + form_effect + STAGE_EFFECT[stage] + rng.gauss(0, 0.8)
            if stage == 9:
                late = version.minutes_working_days is None or version.minutes_working_days > 20
                latent += -1.0 if late else 0.35
                if version.values.get("yp_agreed_minutes") is False:
                    latent -= 0.4
            rating = "red" if latent < -0.55 else "amber" if latent < 0.55 else "green"
            ratings[stage] = rating
            if rng.random() < {"red": 0.2, "amber": 0.1, "green": 0.12}[rating]:
                pool = COMMENTS[stage][rating] if rng.random() < 0.75 else GENERIC_COMMENTS[rating]
                comments[stage] = rng.choice(pool)
        minutes_taken = rng.randint(3, 25)
        completion = datetime.combine(submitted, datetime.min.time()) + timedelta(
            hours=rng.randint(9, 21), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
        return {
            "version": version, "submitted": submitted, "completion": completion,
            "start": completion - timedelta(minutes=minutes_taken, seconds=rng.randint(0, 59)),
            "ratings": ratings, "comments": comments,
        }


def plan_quality_level(team: Team, when: date) -> float:
    frac = window_fraction(when)
    return team.quality_start + (team.quality_end - team.quality_start) * frac


def coproduction_level(team: Team, when: date) -> float:
    frac = window_fraction(when)
    return team.coproduction_start + (team.coproduction_end - team.coproduction_start) * frac


# --------------------------------------------------------------------------- writers

ENGLAND_PLAN_HEADERS = [
    ("plan_id", "Plan ID"),
    ("person_id", "Young Person ID"),
    ("team", "Team Name"),
    ("plan_date", "Plan Date"),
    ("date_of_birth", "DOB"),
    ("nation", "Nation"),
    ("local_authority", "Local Authority"),
    ("personal_adviser", "Personal Adviser"),
    ("social_worker", "Social Worker"),
    ("iro", "IRO"),
    ("first_plan_date", "First Plan Date"),
    ("eligibility_date", "Date became eligible"),
    ("review_date", "Review Date"),
    ("minutes_sent_date", "Minutes Sent Date"),
    ("yp_agreed_minutes", "YP Agreed Minutes"),
    ("draft_copy_given", "Draft Copy Given"),
    ("next_review_date", "Next Review Date"),
    ("yp_views_recorded", "YP Views Recorded"),
    ("long_term_goals", "Long-term goals"),
    ("copy_given_to_yp", "Copy given to YP"),
    ("covers_personal_adviser", "Covers: Personal Adviser"),
    ("covers_contact_support", "Covers: Contact Support"),
    ("covers_accommodation", "Covers: Accommodation"),
    ("covers_post18_arrangement", "Covers: Post18 Arrangement"),
    ("covers_education_training", "Covers: Education Training"),
    ("covers_employment", "Covers: Employment"),
    ("covers_relationships", "Covers: Relationships"),
    ("covers_independent_living_skills", "Covers: Independent Living Skills"),
    ("covers_finance", "Covers: Finance"),
    ("covers_health", "Covers: Health"),
    ("covers_contingency", "COVERS CONTINGENCY"),
    ("notes", "Worker Notes"),
]

WALES_PLAN_HEADERS = [
    ("person_id", "YP ID"),
    ("team", "Locality"),
    ("plan_date", "Date of plan"),
    ("date_of_birth", "Birth date"),
    ("nation", "Nation"),
    ("local_authority", "Local authority"),
    ("personal_adviser", "Personal adviser"),
    ("social_worker", "Social worker"),
    ("iro", "Reviewing officer"),
    ("needs_assessment_date", "Needs assessment date"),
    ("first_plan_date", "First plan date"),
    ("eligibility_date", "Eligibility date"),
    ("review_date", "Date of review"),
    ("minutes_sent_date", "Date minutes sent"),
    ("yp_agreed_minutes", "YP agreed minutes"),
    ("draft_copy_given", "Draft copy given"),
    ("next_review_date", "Next review date"),
    ("yp_views_recorded", "Young person views recorded"),
    ("long_term_goals", "Long term goals"),
    ("copy_given_to_yp", "Copy given to young person"),
    ("covers_personal_adviser", "Covers personal adviser"),
    ("covers_contact_support", "Covers contact support"),
    ("covers_accommodation", "Covers accommodation"),
    ("covers_post18_arrangement", "Covers post18 arrangement"),
    ("covers_education_training", "Covers education training"),
    ("covers_employment", "Covers employment"),
    ("covers_relationships", "Covers relationships"),
    ("covers_independent_living_skills", "Covers independent living skills"),
    ("covers_finance", "Covers finance"),
    ("covers_health", "Covers health"),
    ("covers_contingency", "Covers contingency"),
]

DATE_FIELDS = ("plan_date", "date_of_birth", "needs_assessment_date", "first_plan_date", "eligibility_date",
               "review_date", "minutes_sent_date", "next_review_date")


def version_record(v: Version, include_first_plan: bool) -> dict:
    """Canonical field -> python value (date / bool / str / None)."""
    p = v.person
    rec = {
        "plan_id": v.plan_id,
        "person_id": p.person_id,
        "team": v.team.name,
        "plan_date": v.plan_date,
        "date_of_birth": p.dob,
        "nation": v.team.nation,
        "local_authority": v.team.authority,
        "personal_adviser": v.personal_adviser,
        "social_worker": v.social_worker,
        "iro": v.iro,
        "needs_assessment_date": p.needs_assessment_date,
        "first_plan_date": p.first_plan_date if include_first_plan else None,
        "eligibility_date": p.eligibility_date,
        "review_date": v.review_date,
        "minutes_sent_date": v.minutes_sent_date,
        "next_review_date": v.next_review_date,
        "notes": v.notes,
    }
    rec.update(v.values)
    return rec


def england_yes_no(rng: random.Random, value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return uk(value)
    if value:
        return rng.choices(["Yes", "Y", "yes"], [60, 25, 15])[0]
    return rng.choices(["No", "N", "no"], [50, 25, 25])[0]


def england_csv_row(rng: random.Random, rec: dict) -> list[str]:
    row = []
    for key, _ in ENGLAND_PLAN_HEADERS:
        value = rec.get(key)
        if isinstance(value, str):
            row.append(value)
        elif key in YES_NO_FIELDS:
            row.append(england_yes_no(rng, value))
        elif isinstance(value, date):
            row.append(uk(value))
        else:
            row.append("" if value is None else str(value))
    return row


def wales_cells(rng: random.Random, rec: dict) -> list:
    row = []
    for key, _ in WALES_PLAN_HEADERS:
        value = rec.get(key)
        if isinstance(value, str):
            row.append(value if value != "" else None)
        elif key in YES_NO_FIELDS and not isinstance(value, date):
            if value is None:
                row.append(None)
            else:
                ticks = rng.random() < (0.85 if key.startswith("covers_") else 0.2)
                row.append(("✓" if value else "✗") if ticks else ("Yes" if value else "No"))
        elif isinstance(value, date):
            # most dates are real Excel dates, some were typed as text
            row.append(uk(value) if rng.random() < 0.06 else value)
        else:
            row.append(value)
    return row


def save_workbook_reproducibly(wb: Workbook, path: pathlib.Path) -> None:
    """openpyxl stamps 'now' into docProps and zip entries; pin both."""
    wb.properties = DocumentProperties(creator="Synthetic sample data generator", created=FIXED_TIMESTAMP,
                                       modified=FIXED_TIMESTAMP, lastModifiedBy="Synthetic sample data generator")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    core_xml = tostring(wb.properties.to_tree())
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core_xml if info.filename == "docProps/core.xml" else src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------- care-leaver list (Annex A)

# Ofsted's Annex A List 9 (care leavers), headers as the template publishes them.
LIST9_HEADERS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                 "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                 "Does the Child have a Disability", "Allocated Team", "Allocated Worker", "Allocated Personal Advisor",
                 "Eligibility Category", "Latest Pathway Plan Review Date", "LA in Touch", "Latest Date of Contact",
                 "Type of Accommodation", "Suitability of Accommodation", "Activity Status"]
LIST9_ACCOMMODATION = {
    "B": "B: Parents/relatives", "C": "C: Community home/residential care",
    "D": "D: Semi-independent, transitional accommodation and self-contained accommodation",
    "E": "E: Supported lodgings", "K": "K: Ordinary lodgings, without formal support", "S": "S: No fixed abode/homeless",
    "T": "T: Foyers and similar supported accommodation", "U": "U: Independent living", "V": "V: Emergency accommodation",
    "W": "W: Bed and breakfast", "X": "X: In custody", "Z": "Z: With former foster carers"}
LIST9_ACTIVITY = {
    "F1": "F1: Full time in higher education", "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting"}
# The weaker team's outcomes are weaker too: (in touch, suitable accommodation, in education/employment/training).
LIST9_OUTCOMES = {"North Leaving Care": (0.95, 0.92, 0.66), "South Leaving Care": (0.8, 0.72, 0.42),
                  "East 16+ Team": (0.93, 0.88, 0.6)}
LIST9_WITHOUT_PLAN = 14     # eligible young people on the list with no plan in the plan export


def age_on(dob: date, when: date) -> int:
    return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))


def list9_rows(people: list[tuple[Person, list[Version]]]) -> tuple[list[list], list[tuple[int, str]]]:
    """Northshire's care leavers on TODAY, consistent with the plan export (same IDs, teams, dates of birth, personal
    advisers, latest plan dates), and a few eligible young people with no plan. Its own random stream, so the other
    files stay as they were. Returns the rows and the planted problems (index in rows, what)."""
    rng = random.Random(SEED + 9)
    cohort = []
    for person, versions in people:
        if person.team.nation != "England":
            continue
        age, latest = age_on(person.dob, TODAY), versions[-1]
        staying_on = 21 <= age < 25 and (TODAY - latest.plan_date).days < 270
        if 16 <= age < 21 or staying_on:
            cohort.append((person, latest.team.name, latest.personal_adviser, latest.review_date or latest.plan_date))
    teams = [t for t in TEAMS if t.nation == "England"]
    for k in range(LIST9_WITHOUT_PLAN):
        team = teams[1] if k % 2 else rng.choice(teams)     # more of them in the weaker team
        dob = TODAY - timedelta(days=rng.randint(16 * 365 + 30, 19 * 365))
        person = Person(f"YP{190003 + 17 * k}", team, dob)
        cohort.append((person, team.name, rng.choice([f"PA {n}" for n in ENGLISH_LAST[:4]]), None))
    rows, planted = [], []
    for person, team, pa, latest_plan in sorted(cohort, key=lambda c: c[0].person_id):
        age = age_on(person.dob, TODAY)
        uasc = person.eligibility_date is not None or rng.random() < 0.04
        if age < 18:
            eligibility = "a) Relevant child" if rng.random() < 0.15 else "d) Eligible child"
        else:
            eligibility = "c) Qualifying care leaver" if rng.random() < 0.05 else "b) Former relevant child"
        touch, suitable, eet = LIST9_OUTCOMES[team]
        r = rng.random()
        in_touch = ("a) Yes" if r < touch else "b) No" if r < touch + (1 - touch) * 0.45
                    else rng.choice(["d) Refu", "e) NREQ", "f) Rhom"]))
        accommodation = suitability = activity = contact = None
        if in_touch == "a) Yes":
            contact = TODAY - timedelta(days=rng.randint(1, 75))
            letter = (rng.choice(["Z", "C"]) if age < 18 else
                      rng.choices(list(LIST9_ACCOMMODATION), [8, 1, 18, 10, 3, 3, 5, 30, 2, 1, 2, 6])[0])
            ok = letter not in ("S", "X", "W", "V") and rng.random() < suitable + 0.05
            accommodation, suitability = LIST9_ACCOMMODATION[letter], "a) Suitable" if ok else "b) Unsuitable"
            in_eet = rng.random() < (eet + 0.15 if age < 19 else eet)
            code = (rng.choices(["F1", "F2", "P2", "F4", "F5", "P5"], [10, 30, 5, 12, 30, 13])[0] if in_eet
                    else rng.choices(["G4", "G5", "G6"], [25, 55, 20])[0])
            activity = LIST9_ACTIVITY[code]
        rows.append([person.person_id, rng.choice(["a) Male", "b) Female"]), rng.choice(["a) WBRI", "d) WOTH", "o) BAFR"]),
                     person.dob, age, "Y" if uasc else "N", "b) No", team, f"SW {rng.choice(ENGLISH_LAST)}", pa,
                     eligibility, latest_plan, in_touch, contact, accommodation, suitability, activity])
    odd = rng.choice([i for i, row in enumerate(rows) if row[16]])
    rows[odd][16] = "Volunteering"
    planted.append((odd, "warning: Activity Status 'Volunteering' is not a code (loads as unknown)"))
    return rows, planted


def annex_a_workbook(rows: list[list]) -> Workbook:
    """An Annex A workbook as councils keep it: a cover sheet, then the lists, each with its title above the
    header. Only List 9 is a care-leaver list; the others hold a few invented children."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    for line in (["Annex A: children's social care data for inspection"], [ENGLAND_AUTHORITY],
                 ["Lists as at 30/09/2026"], [], ["Guidance: one sheet per list; do not change the column headings."]):
        cover.append(line)
    rng = random.Random(SEED + 1)
    ages = [(TODAY - timedelta(days=rng.randint(400, 5800))) for _ in range(6)]
    list1 = wb.create_sheet("List 1")
    list1.append(["List 1: Contacts"])
    list1.append(["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of Contact",
                  "Contact Source"])
    for i, dob in enumerate(ages):
        list1.append([f"C{501000 + i}", "b) Female", "a) WBRI", dob, age_on(dob, TODAY),
                      TODAY - timedelta(days=rng.randint(1, 180)), "e) 2A: Schools"])
    list3 = wb.create_sheet("List 3")
    list3.append(["List 3: Referrals"])
    list3.append(["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of referral",
                  "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months", "Allocated Team",
                  "Allocated Worker"])
    for i, dob in enumerate(ages):
        list3.append([f"C{501000 + i}", "a) Male", "a) WBRI", dob, age_on(dob, TODAY),
                      TODAY - timedelta(days=rng.randint(1, 180)), "q) 6: Police", "b) No", 1, "Assessment Team",
                      "SW Example"])
    list9 = wb.create_sheet("List 9")
    list9.append(["List 9: Care leavers"])
    list9.append([])
    list9.append(LIST9_HEADERS)
    for row in rows:
        list9.append(row)
    for sheet in (list1, list3, list9):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "dd/mm/yyyy"
    return wb


# --------------------------------------------------------------------------- main entry

def generate(out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Write the sample exports and README into out_dir; return the paths written."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    rng = gen.rng
    people = gen.people()

    england = [v for _, vs in people for v in vs if v.team.nation == "England"]
    wales = [v for _, vs in people for v in vs if v.team.nation == "Wales"]
    england.sort(key=lambda v: (v.person.person_id, v.plan_date))
    wales.sort(key=lambda v: (v.team.name, v.person.person_id, v.plan_date))
    for i, v in enumerate(england, start=1):
        v.plan_id = f"PP-{i:06d}"
    next_plan_number = len(england) + 1

    planted: list[tuple[str, int, str]] = []  # (file, row number, what)

    # ----- England plans CSV
    shown: dict[tuple[str, str], bool] = {}

    def person_shows(person: Person, what: str, share: float) -> bool:
        """Whether an optional per-person column is filled, decided once per person."""
        key = (person.person_id, what)
        if key not in shown:
            shown[key] = rng.random() < share
        return shown[key]

    e_records = [{"rec": version_record(v, include_first_plan=person_shows(v.person, "first_plan", 0.9)), "bad": None}
                 for v in england]
    reviews_e = [r for r in e_records if r["rec"]["review_date"] is not None]

    def extra_bad(base: dict, what: str, **changes) -> dict:
        nonlocal next_plan_number
        rec = dict(base)
        rec["plan_id"] = f"PP-{next_plan_number:06d}"
        next_plan_number += 1
        rec.update(changes)
        return {"rec": rec, "bad": what}

    bad_e = []
    picks = rng.sample(reviews_e, 8)
    bad_e.append(extra_bad(picks[0]["rec"], "rejected: blank Young Person ID", person_id=""))
    bad_e.append(extra_bad(picks[1]["rec"], "rejected: blank Young Person ID", person_id="", notes="see case file"))
    bad_e.append(extra_bad(picks[2]["rec"], "rejected: Plan Date 'tbc' (unparseable required date)", plan_date="tbc"))
    bad_e.append(extra_bad(picks[3]["rec"], "rejected: Plan Date '31/02/2025' (no such date)", plan_date="31/02/2025"))
    for p in picks[4:6]:
        r = p["rec"]
        bad_e.append(extra_bad(r, "rejected: Minutes Sent Date before Review Date",
                               minutes_sent_date=r["review_date"] - timedelta(days=rng.randint(2, 9))))
    future = date(2027, 1, 14)
    bad_e.append(extra_bad(picks[6]["rec"], "rejected: Review Date in the future (14/01/2027)",
                           review_date=future, plan_date=future, minutes_sent_date=None,
                           next_review_date=date(2027, 7, 14)))
    # warnings: mutate real rows in place (they still load)
    warn_rows = rng.sample([r for r in reviews_e if r not in picks], 4)
    warn_rows[0]["rec"]["yp_views_recorded"] = "partly"
    warn_rows[0]["bad"] = "warning: 'partly' in YP Views Recorded (loads as unknown)"
    warn_rows[1]["rec"]["covers_contingency"] = "Partly"
    warn_rows[1]["bad"] = "warning: 'Partly' in COVERS CONTINGENCY (loads as unknown)"
    warn_rows[2]["rec"]["next_review_date"] = "unknown"
    warn_rows[2]["bad"] = "warning: 'unknown' in Next Review Date (loads as unknown)"
    warn_rows[3]["rec"]["first_plan_date"] = "unknown"
    warn_rows[3]["bad"] = "warning: 'unknown' in First Plan Date (loads as unknown)"
    for b in bad_e:
        e_records.insert(rng.randint(1, len(e_records) - 1), b)

    e_rows = [england_csv_row(rng, r["rec"]) for r in e_records]
    e_notes = [r["bad"] for r in e_records]
    # an exact duplicate of a good row, a little further down
    dup_source = rng.choice([i for i, n in enumerate(e_notes) if n is None and e_records[i]["rec"]["review_date"]])
    e_rows.insert(dup_source + 3, list(e_rows[dup_source]))
    e_notes.insert(dup_source + 3, f"duplicate: exact copy of line {dup_source + 2}")
    path_plans_e = out_dir / "plans_northshire.csv"
    with path_plans_e.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([h for _, h in ENGLAND_PLAN_HEADERS])
        w.writerows(e_rows)
    for i, note in enumerate(e_notes):
        if note:
            planted.append((path_plans_e.name, i + 2, note))

    # ----- Wales plans XLSX
    w_records = []
    for v in wales:
        rec = version_record(v, include_first_plan=person_shows(v.person, "first_plan", 0.7))
        if not person_shows(v.person, "needs_assessment", 0.65):
            rec["needs_assessment_date"] = None  # only some people's records carry it
        w_records.append({"rec": rec, "bad": None})
    reviews_w = [r for r in w_records if r["rec"]["review_date"] is not None]
    picks = rng.sample(reviews_w, 5)
    bad_w = [
        {"rec": dict(picks[0]["rec"], person_id=""), "bad": "rejected: blank YP ID"},
        {"rec": dict(picks[1]["rec"], plan_date="31/02/2025"), "bad": "rejected: Date of plan '31/02/2025' (no such date)"},
        {"rec": dict(picks[2]["rec"], minutes_sent_date=picks[2]["rec"]["review_date"] - timedelta(days=4)),
         "bad": "rejected: Date minutes sent before Date of review"},
        {"rec": dict(picks[3]["rec"], review_date=date(2027, 2, 3), plan_date=date(2027, 2, 3), minutes_sent_date=None),
         "bad": "rejected: Date of review in the future (03/02/2027)"},
    ]
    warn_rows = rng.sample([r for r in reviews_w if r not in picks], 2)
    warn_rows[0]["rec"]["long_term_goals"] = "partly"
    warn_rows[0]["bad"] = "warning: 'partly' in Long term goals (loads as unknown)"
    warn_rows[1]["rec"]["minutes_sent_date"] = "unknown"
    warn_rows[1]["bad"] = "warning: 'unknown' in Date minutes sent (loads as unknown)"
    for b in bad_w:
        w_records.insert(rng.randint(1, len(w_records) - 1), b)
    w_rows = [wales_cells(rng, r["rec"]) for r in w_records]
    w_notes = [r["bad"] for r in w_records]
    dup_source = rng.choice([i for i, n in enumerate(w_notes) if n is None])
    w_rows.insert(dup_source + 5, list(w_rows[dup_source]))
    w_notes.insert(dup_source + 5, f"duplicate: exact copy of row {dup_source + 4}")

    wb = Workbook()
    ws = wb.active
    ws.title = "Pathway plans"
    ws.append(["Pathway plans – Cwm Derwen – exported 16/11/2026"])
    ws.append([])
    ws.append([h for _, h in WALES_PLAN_HEADERS])
    for row in w_rows:
        ws.append(row)
    ws.append(["Total", len(w_rows)])
    for row in ws.iter_rows(min_row=4, max_row=3 + len(w_rows)):
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "dd/mm/yyyy"
    path_plans_w = out_dir / "plans_cwm_derwen.xlsx"
    save_workbook_reproducibly(wb, path_plans_w)
    for i, note in enumerate(w_notes):
        if note:
            planted.append((path_plans_w.name, i + 4, note))

    # ----- Actions CSV (Northshire, cp1252)
    path_actions = out_dir / "actions_northshire.csv"
    action_rows = []
    action_number = 0
    for v in england:
        q = plan_quality_level(v.team, v.review_date or v.plan_date)
        # a weaker team writes vaguer plans: more with no actions, or actions with no owner or due date
        n = rng.choices([0, 1, 2, 3, 4], [max(0.3, 2 - 2.5 * q), 20, 30, 23, 15])[0]
        for text in rng.sample(ACTION_TEXTS, n):
            action_number += 1
            r = rng.random()
            blank_owner = 0.012 - 0.01 * q
            owner = ("" if r < blank_owner else v.personal_adviser if r < 0.5
                     else (v.social_worker or v.personal_adviser) if r < 0.62 else rng.choice(ACTION_OWNERS_OTHER))
            due = (None if rng.random() < 0.012 - 0.01 * q
                   else min(v.plan_date + timedelta(days=rng.randint(14, 150)), date(2027, 4, 30)))
            done_by = min(TODAY, due or v.plan_date + timedelta(days=90))
            status, completed = "Not started", None
            if done_by > v.plan_date:
                s = rng.random()
                if (due and due <= TODAY and s < 0.7) or (s < 0.3):
                    status = "Completed"
                    completed = v.plan_date + timedelta(days=rng.randint(1, max(1, (done_by - v.plan_date).days)))
                    if rng.random() < 0.05:
                        completed = None  # completed, date not recorded
                elif s < 0.85:
                    status = "In progress"
            action_rows.append([f"ACT-{action_number:06d}", v.plan_id, text, owner,
                                uk(due) if due else "", status, uk(completed) if completed else ""])
    with path_actions.open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["action_id", "plan_id", "action", "owner", "due_date", "status", "completed_date"])
        w.writerows(action_rows)

    # ----- Traffic-light forms
    forms_e, forms_w = [], []
    for v in sorted(england + wales, key=lambda v: (v.review_date or date.min, v.person.person_id)):
        if v.review_date is None:
            continue
        form = gen.forms_for(v)
        if form:
            (forms_e if v.team.nation == "England" else forms_w).append(form)
    forms_e.sort(key=lambda f: (f["completion"], f["version"].person.person_id))
    forms_w.sort(key=lambda f: (f["completion"], f["version"].person.person_id))

    path_tl = out_dir / "traffic_light_northshire.csv"
    tl_header = (["response_id", "person_id", "review_date", "submitted_date"]
                 + [f"stage_{n}" for n in range(1, 11)] + [f"stage_{n}_comment" for n in range(1, 11)])
    spellings = {
        "title": {"red": "Red", "amber": "Amber", "green": "Green"},
        "lower": {"red": "red", "amber": "amber", "green": "green"},
        "upper": {"red": "RED", "amber": "AMBER", "green": "GREEN"},
        "letter": {"red": "R", "amber": "A", "green": "G"},
    }
    tl_rows = []
    for i, f in enumerate(forms_e, start=1):
        style = rng.choices(list(spellings), [45, 20, 15, 20])[0]
        cells = []
        for n in range(1, 11):
            rating = f["ratings"][n]
            s = style if rng.random() < 0.9 else rng.choice(list(spellings))
            cells.append(spellings[s][rating] if rating else "")
        tl_rows.append([f"TL-{i:05d}", f["version"].person.person_id, uk(f["version"].review_date),
                        f["submitted"].isoformat()] + cells + [f["comments"].get(n, "") for n in range(1, 11)])
    tl_notes: list[str | None] = [None] * len(tl_rows)
    purple, no_date = rng.sample(range(len(tl_rows)), 2)
    tl_rows[purple][4 + 2] = "Purple"
    tl_notes[purple] = "rejected: stage_3 rating 'Purple' (whole form rejected)"
    tl_rows[no_date][2] = ""
    tl_notes[no_date] = "rejected: blank review_date (form cannot be linked)"
    with path_tl.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(tl_header)
        w.writerows(tl_rows)
    for i, note in enumerate(tl_notes):
        if note:
            planted.append((path_tl.name, i + 2, note))

    path_online = out_dir / "rate_your_review_online_forms.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Young person ID", "Review date"]
    for n, (question, _) in enumerate(STAGES, start=1):
        header += [f"{n}. {question}", f"{n}. {question} - comments"]
    ws.append(header)
    for i, f in enumerate(forms_w, start=1):
        row = [i, f["start"], f["completion"], "anonymous", "anonymous",
               f["version"].person.person_id, f["version"].review_date]
        for n, (_, statements) in enumerate(STAGES, start=1):
            rating = f["ratings"][n]
            row += [statements[RATINGS.index(rating)] if rating else None, f["comments"].get(n)]
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = row[2].number_format = "m/d/yy h:mm:ss"
        row[6].number_format = "dd/mm/yyyy"
    save_workbook_reproducibly(wb, path_online)

    # ----- Care-leaver list: Annex A workbook (Northshire), its own random stream (the files above are unchanged)
    path_annex_a = out_dir / "annex_a_northshire.xlsx"
    list9, list9_planted = list9_rows(people)
    save_workbook_reproducibly(annex_a_workbook(list9), path_annex_a)
    planted += [(path_annex_a.name + " (sheet List 9)", i + 4, what) for i, what in list9_planted]
    without_plan = sum(1 for row in list9 if row[0] >= "YP190000")

    # ----- README
    path_readme = out_dir / "README.md"
    counts = {
        path_plans_e.name: f"{len(e_rows)} data rows (CSV lines 2–{len(e_rows) + 1})",
        path_plans_w.name: f"{len(w_rows)} data rows (spreadsheet rows 4–{len(w_rows) + 3}; row 1 title, row 2 blank, row 3 header, row {len(w_rows) + 4} 'Total')",
        path_actions.name: f"{len(action_rows)} data rows",
        path_tl.name: f"{len(tl_rows)} data rows",
        path_online.name: f"{len(forms_w)} data rows (spreadsheet rows 2–{len(forms_w) + 1})",
        path_annex_a.name: f"List 9: {len(list9)} data rows (spreadsheet rows 4–{len(list9) + 3}; row 1 title, row 2 blank, row 3 header)",
    }
    lines = [
        "# Sample data (synthetic)",
        "",
        "Every name, ID and date in this folder is invented. The files are generated by",
        "`python etl/sample_data_generator.py` (seed 20261123, \"today\" = 16/11/2026) and are",
        "byte-identical on every run. They imitate messy real exports so the ETL can be",
        "exercised end to end.",
        "",
        "| file | what it is | rows |",
        "|---|---|---|",
        f"| `{path_plans_e.name}` | Northshire County Council (England) plan export: UTF-8 with BOM, dd/mm/yyyy text dates, yes/no as Yes/Y/no/N/blank, `Copy given to YP` sometimes a date, unknown column `Worker Notes` | {counts[path_plans_e.name]} |",
        f"| `{path_plans_w.name}` | Cwm Derwen County Borough Council (Wales) plan export: title row + blank row above the header, Excel dates (some typed as text), ✓/✗ or Yes/No, a `Total` row below the data, no plan ID column | {counts[path_plans_w.name]} |",
        f"| `{path_actions.name}` | Northshire actions export, Windows-1252 (contains £, ’ and –), 0–4 actions per plan, some without owner or due date | {counts[path_actions.name]} |",
        f"| `{path_tl.name}` | Northshire \"Rate your review\" traffic-light export, UTF-8 without BOM, ratings as Red/amber/GREEN/R/A/G | {counts[path_tl.name]} |",
        f"| `{path_online.name}` | Cwm Derwen online-forms export of \"Rate your review\": question text as headers, the chosen box's full statement as the value | {counts[path_online.name]} |",
        f"| `{path_annex_a.name}` | Northshire's Ofsted Annex A workbook: a cover sheet, List 1, List 3 and List 9 (care leavers, the published headers and codes such as `a) Yes`, `B: Parents/relatives`, `F1: Full time in higher education`); no date column, so the sample build gives it the date 30/09/2026 (the end of 2026-27 Q2, the last complete quarter on the generator's today) | {counts[path_annex_a.name]} |",
        "",
        "Patterns built in: *East 16+ Team* improves steadily quarter by quarter, in co-production and",
        "in its plans (fewer inadequate, more good); *South Leaving Care* is the weaker team: minutes",
        "late (often 25–45 working days), and more plans without the young person's views, long-term",
        "goals or SMART actions; stage 5 (feedback forms) is weak everywhere; contingency is missing",
        "from plans more often than other matters; some reviews are held more than six months after",
        "the previous plan; recent minutes are sometimes not sent yet (blank). Most plans are good or",
        "require improvement; the inadequate ones are so for a reason the drill-down names (out of",
        "date, no voice, no long-term goals, vague actions). Cwm Derwen sends no actions export, so",
        "its plans' actions are *unknown* and its plans at best *incomplete*. A few young people became",
        "eligible after their 16th birthday (`Date became eligible` / `Eligibility date`); most were",
        "planned within 3 months of it.",
        "",
        "The care-leaver list (List 9) has the same young people as the plan export (same IDs, teams, dates of",
        f"birth, personal advisers and latest plan dates) and {without_plan} eligible young people with no plan in the",
        "plan export; *South Leaving Care* has weaker outcomes (fewer in touch, in suitable accommodation or in",
        "education, employment or training).",
        "",
        "## Bad rows planted on purpose",
        "",
        "Row numbers are as the data officer sees them: the CSV line counting the header as line 1,",
        "or the spreadsheet row.",
        "",
        "| file | row | planted problem |",
        "|---|---|---|",
    ]
    lines += [f"| `{f}` | {row} | {what} |" for f, row, what in planted]
    lines += ["", f"`{path_actions.name}` and `{path_online.name}` have no planted bad rows "
              "(the online forms have some unanswered stages, which are not errors).", ""]
    path_readme.write_text("\n".join(lines), encoding="utf-8", newline="\n")

    return [path_plans_e, path_plans_w, path_actions, path_online, path_tl, path_annex_a, path_readme]


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "sample_data"
    for written in generate(target):
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
