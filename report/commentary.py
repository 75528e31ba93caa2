"""The report's commentary: a few plain-English sentences from the published figures only (never from hidden ones).

SPEC 3, small numbers: a "largest", "weakest" or "best" is decided among the figures that can be shown, and named as
such only when no hidden figure could rank beyond it; otherwise the sentence says that one is hidden.
"""
from __future__ import annotations

from . import wording
from .cells import ALL, ALL_TEAMS, COHORT, NOT_LINKED, OUTCOMES, RATING_POINTS, RATINGS, Periods, coproduction_score
from .content import HEADLINE_MEASURES, _measure, _Published


def outcomes_commentary(pub: _Published, q: str, teams: list[str], labels: dict) -> list[str]:
    """The share of care leavers with each outcome (all teams), and the team with the lowest share of each.

    SPEC 3, small numbers: a team is named the lowest only when every other team's share is shown; otherwise the
    lowest shown one is given as such, with how many are hidden and could be lower.
    """
    if not teams:
        return []
    cohort = pub.get(("outcomes", q, ALL_TEAMS, COHORT))
    shares = [(labels[o], pub.rate(("outcomes", q, ALL_TEAMS, o, "yes"), ("outcomes", q, ALL_TEAMS, COHORT)))
              for o in OUTCOMES]
    if not cohort or any(v is None for _, v in shares):
        lines = ["Too few care leavers are on the list this quarter to show every outcome's share."]
    else:
        lines = [f"Care leavers on the list (n = {cohort:,}): " + "; ".join(
            f"{label[0].lower() + label[1:]} {value:.0f}%" for label, value in shares) + "."]
    for outcome in OUTCOMES:
        ranked, hidden = [], 0
        for team in teams:
            key = ("outcomes", q, team)
            value, n = pub.rate(key + (outcome, "yes"), key + (COHORT,)), pub.get(key + (COHORT,))
            if value is not None:
                ranked.append((round(value), team, n))
            elif n != 0:
                hidden += 1
        what = labels[outcome][0].lower() + labels[outcome][1:]
        lines += _lowest_team(f"Lowest share of care leavers {what}", ranked, hidden)
    return lines


def _lowest_team(subject: str, ranked: list[tuple], hidden: int) -> list[str]:
    """The team(s) with the lowest shown share, as one sentence; said to be the lowest only when no team's share is
    hidden (a hidden one could be lower). None when fewer than two teams differ. ranked: (share, team, n)."""
    if len({v for v, _, _ in ranked}) < 2:
        return []
    low = min(v for v, _, _ in ranked)
    named = _listed([f"{t}, {low}% (n = {n:,})" for t, n in sorted((t, n) for v, t, n in ranked if v == low)])
    if not hidden:
        return [f"{subject}: {named}."]
    which = "one other team's share is" if hidden == 1 else f"{hidden} other teams' shares are"
    return [f"{subject} of the teams that can be shown: {named}. Not named the lowest: {which} too small to show "
            "and could be lower."]


def score_bounds(pub: _Published, base: tuple) -> tuple[float, float] | None:
    """The lowest and highest co-production score (0-100) that the shown counts of ``base`` allow: the score itself
    when shown; None when even its number of answers is hidden (then it could be anything)."""
    n = pub.get(base + (ALL,))
    if not n:
        return None
    shown = {r: pub.get(base + (r,)) for r in RATINGS}
    points = sum(RATING_POINTS[r] * v for r, v in shown.items() if v is not None)
    rest = n - sum(v for v in shown.values() if v is not None)
    hidden = [RATING_POINTS[r] for r, v in shown.items() if v is None]
    if not hidden:
        return (coproduction_score(points, n),) * 2
    return coproduction_score(points + rest * min(hidden), n), coproduction_score(points + rest * max(hidden), n)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def commentary(pub: _Published, periods: Periods, stage_names: dict, measures=HEADLINE_MEASURES) -> list[str]:
    """A few plain-English sentences from the published figures only (never from hidden ones).

    SPEC 3, small numbers: a "largest", "weakest" or "best" is decided among the figures that can be shown, and
    named as such only when no hidden figure could rank beyond it; otherwise the sentence says that one is hidden.
    """
    q, prev = periods.quarter, periods.previous
    changes, unknown = [], 0
    for measure in measures:
        if measure[1] == "count":
            continue
        now, n_now = _measure(pub, measure, q)
        then, n_then = _measure(pub, measure, prev)
        if now is None or then is None:
            unknown += 1
            continue
        better = (now - then) if measure[4] else (then - now)
        changes.append((better, measure[0], now, n_now, then, n_then, measure[1]))
    for stage, name in stage_names.items():
        now, then = pub.score(("ratings", q, ALL_TEAMS, stage)), pub.score(("ratings", prev, ALL_TEAMS, stage))
        if now is not None and then is not None:
            n_now = pub.get(("ratings", q, ALL_TEAMS, stage, ALL))
            n_then = pub.get(("ratings", prev, ALL_TEAMS, stage, ALL))
            changes.append((now - then, f"young people's score for stage {stage} ({name})", now, n_now, then, n_then,
                            "score"))
        else:
            unknown += 1

    def said(value, n, kind):
        return f"{value:.0f} out of 100 (n = {n:,} answers)" if kind == "score" else f"{value:.0f}% (n = {n:,})"

    # A figure hidden in either quarter could have changed more than any shown one.
    hedge = "" if not unknown else (" (one other figure is too small to show in one of the two quarters and "
                                    "could have changed more)" if unknown == 1 else
                                    f" ({unknown} other figures are too small to show in one of the two quarters "
                                    "and could have changed more)")
    among = "" if not unknown else " among the figures that can be shown"
    lines = []
    rises = [c for c in changes if round(c[0]) > 0]
    falls = [c for c in changes if round(c[0]) < 0]
    if rises:
        best = max(rises, key=lambda c: c[0])
        lines.append(f"Largest improvement on last quarter{among}: {best[1][0].lower() + best[1][1:]}, "
                     f"{said(best[2], best[3], best[6])} in {q}, compared with {said(best[4], best[5], best[6])} in "
                     f"{prev}{hedge}.")
    else:
        lines.append(f"No measure that can be shown improved on last quarter ({prev}) by a whole point or more"
                     f"{hedge}.")
    if falls:
        worst = min(falls, key=lambda c: c[0])
        lines.append(f"Largest fall on last quarter{among}: {worst[1][0].lower() + worst[1][1:]}, "
                     f"{said(worst[2], worst[3], worst[6])} in {q}, compared with {said(worst[4], worst[5], worst[6])} "
                     f"in {prev}{hedge}.")
    else:
        lines.append(f"No measure that can be shown fell from last quarter ({prev}) by a whole point or more{hedge}.")
    lines.append(_weakest_stage(pub, q, stage_names))
    year = []
    for measure in measures[1:]:
        now, n_now = _measure(pub, measure, q)
        then, n_then = _measure(pub, measure, periods.last_year)
        if now is not None and then is not None:
            better = (now - then) if measure[4] else (then - now)
            year.append((better, measure))
    if year:
        up = sum(1 for b, _ in year if round(b) > 0)
        down = sum(1 for b, _ in year if round(b) < 0)
        lines.append(f"Against the same quarter last year ({periods.last_year}), {up} of the {len(year)} measures "
                     f"that can be compared are better and {down} worse.")
    return lines


def follow_up_commentary(pub: _Published, q: str, teams: list[str], days: int) -> list[str]:
    """The share of forms with red or amber answers followed up in time, and the team with the lowest share.

    SPEC 3, small numbers: a team is named the lowest only when every other team's share is shown (or it had no form
    due): a hidden share could be lower. Otherwise the lowest shown one is given as such, and the sentence says how
    many are hidden. Forms not linked to a plan yet are not a team and are not ranked.
    """
    base = ("follow_up", q, ALL_TEAMS)
    due = pub.get(base + ("due",))
    share = pub.rate(base + ("in_time",), base + ("due",))
    if due == 0:
        lines = [f"No form with red or amber answers was due a follow-up this quarter ({days} working days allowed)."]
    elif share is None:
        lines = ["Too few forms with red or amber answers were due a follow-up this quarter to show the share followed "
                 f"up {wording.within_working_days(days)}."]
    elif pub.get(base + ("followed_up",)) == 0:
        lines = [f"No follow-up of red or amber answers was recorded on the dashboard's Follow-up page this quarter: "
                 f"0% of the forms due a follow-up (n = {due:,}) were followed up {wording.within_working_days(days)}."]
    else:
        lines = [f"Forms with red or amber answers followed up with the young person {wording.within_working_days(days)}: "
                 f"{share:.0f}% of the forms due a follow-up (n = {due:,})."]
    ranked, hidden = [], 0
    for team in teams:
        if team == NOT_LINKED:
            continue
        key = ("follow_up", q, team)
        value, n = pub.rate(key + ("in_time",), key + ("due",)), pub.get(key + ("due",))
        if value is not None:
            ranked.append((round(value), team, n))
        elif n != 0:  # hidden, or resting on a hidden count: it could be anything
            hidden += 1
    return lines + _lowest_team("Lowest share followed up in time", ranked, hidden)


def _weakest_stage(pub: _Published, q: str, stage_names: dict) -> str:
    """The weakest stage, named only when no stage whose score is hidden could be lower (its bounds from the shown
    counts say so); else the lowest shown score, with the hidden stages that could be lower named as hidden."""
    scored, hidden = [], []
    for stage in stage_names:
        bounds = score_bounds(pub, ("ratings", q, ALL_TEAMS, stage))
        value = pub.score(("ratings", q, ALL_TEAMS, stage))
        if value is not None:
            scored.append((value, stage))
        else:
            hidden.append((stage, bounds))
    if not scored:
        return "Too few young people rated their review this quarter to name the weakest stage."
    value, stage = min(scored)
    n = pub.get(("ratings", q, ALL_TEAMS, stage, ALL))
    told = f"stage {stage}, \u201c{stage_names[stage]}\u201d, scoring {value:.0f} out of 100 (n = {n:,} answers)"
    lower = [s for s, bounds in hidden if bounds is None or round(bounds[0]) < round(value)]
    if not lower:
        return f"Weakest stage of the review for young people this quarter: {told}."
    which = ("one stage's figure (stage {}) is" if len(lower) == 1 else "the figures of stages {} are").format(
        _listed([str(s) for s in lower]))
    return (f"Lowest score of the stages that can be shown this quarter: {told}. It is not named the weakest: "
            f"{which} too small to show in full and could be lower.")
