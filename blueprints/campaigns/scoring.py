"""The arithmetic of the 公益创投 contest: rubric totals, combined scores, ranking, outliers and funding.

Plain functions on plain data (no database, no Flask), so a ranking can be checked by hand. Scores and money are
``Decimal``; floats are refused rather than converted, since ``Decimal(0.1)`` is not 0.1. Combined scores keep
their full precision and the ranking compares those; ``display`` rounds half up to 2 decimals for the page only.
Refusals that a person must read are data codes (``ScoreError.code``, ``Funding.errors``) for the caller to
translate, which keeps this module free of Flask.
"""
import decimal
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

MEAN = "mean"
MEDIAN = "median"
#: 去掉一个最高分和一个最低分: the mean of the rest.
TRIMMED = "trimmed"
RULES = (MEAN, MEDIAN, TRIMMED)

#: Fixed, generous precision: the result must not depend on the caller's thread context, and since every division
#: is correctly rounded, two equal means (250/3 and 500/6) always come out as the same Decimal, so ties stay ties.
_CONTEXT = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    """One line of the rubric, scored from 0 to its weight."""

    id: str
    name: str
    weight: Decimal
    #: One line telling the reviewer what a full score looks like.
    guide: str

    @property
    def max_score(self):
        return self.weight


#: The issue's rubric; its weights add up to 100, so a reviewer's total is out of 100.
DEFAULT_RUBRIC = (
    Criterion("need", "需求分析", Decimal(20), "服务对象和社区需求清楚，有调研或数据支撑"),
    Criterion("design", "项目设计", Decimal(25), "目标、活动、进度和预期成果相互对应，切实可行"),
    Criterion("capacity", "执行能力", Decimal(20), "团队、经验和合作资源足以完成项目"),
    Criterion("budget", "预算合理性", Decimal(15), "各项支出必要、标准合理，与活动一一对应"),
    Criterion("innovation", "创新性", Decimal(10), "方法或服务模式有新意，可供借鉴"),
    Criterion("sustainability", "可持续性与社会效益", Decimal(10), "资助结束后能延续，受益面广、效果可衡量"),
)


class ScoreError(ValueError):
    """A reviewer's score sheet that cannot be totalled; ``code`` is 'missing', 'unknown' or 'out_of_range'."""

    def __init__(self, code, criterion, message):
        super().__init__(message)
        self.code = code
        #: The criterion's id (for 'unknown': the id given, which names no criterion).
        self.criterion = criterion


class Ranked(NamedTuple):
    id: Hashable
    #: The combined score, exact; None when no review has been submitted.
    combined: Decimal | None
    #: 1 for the best; tied proposals share a place and the next place is skipped (1, 2, 2, 4). None when unscored.
    place: int | None


@dataclass
class Funding:
    """The staged grants against the budget; ``errors`` maps a proposal id to the codes of its refused grant."""

    total: Decimal
    remaining: Decimal
    #: True when some grant was refused because it would have taken the total past the budget.
    over_budget: bool
    errors: dict = field(default_factory=dict)


def _decimal(value):
    """``value`` as a finite Decimal; a float is refused, since its binary rounding would leak into the result."""
    if isinstance(value, float | bool):
        raise TypeError(f"expected Decimal, int or str, got {type(value).__name__}: {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def display(value):
    """``value`` rounded half up to 2 decimals, for the page only (None stays None)."""
    return None if value is None else value.quantize(_CENT, rounding=ROUND_HALF_UP)


def reviewer_total(scores: Mapping, criteria: Sequence[Criterion] = DEFAULT_RUBRIC) -> Decimal:
    """The sum of one reviewer's criterion scores, each checked to lie within 0 and the criterion's weight."""
    known = {criterion.id for criterion in criteria}
    for criterion_id in scores:
        if criterion_id not in known:
            raise ScoreError("unknown", criterion_id, f"no criterion {criterion_id!r} in this rubric")
    total = Decimal(0)
    for criterion in criteria:
        if criterion.id not in scores:
            # A half-filled sheet is not a total: the reviewer has not finished.
            raise ScoreError("missing", criterion.id, f"{criterion.name}: no score")
        try:
            score = _decimal(scores[criterion.id])
        except (TypeError, ValueError, decimal.InvalidOperation) as exc:
            raise ScoreError("out_of_range", criterion.id, f"{criterion.name}: not a number") from exc
        if not 0 <= score <= criterion.max_score:
            raise ScoreError(
                "out_of_range", criterion.id, f"{criterion.name}: {score} is outside 0–{criterion.max_score}"
            )
        total += score
    return total


def _mean(values):
    with decimal.localcontext(_CONTEXT):
        return sum(values, Decimal(0)) / len(values)


def combine(totals: Iterable, rule: str = TRIMMED) -> Decimal | None:
    """The reviewers' totals combined by ``rule`` (mean, median or trimmed); None when there are none."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {RULES}")
    values = sorted(_decimal(total) for total in totals)
    if not values:
        return None
    if rule == MEDIAN:
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else _mean(values[middle - 1 : middle + 1])
    if rule == TRIMMED and len(values) >= 3:
        return _mean(values[1:-1])
    # With one or two totals there is nothing to trim that would leave a score: contests then take the plain
    # mean (with three, the trimmed mean is the middle score).
    return _mean(values)


def _totals_of(proposal):
    totals = proposal["totals"]
    # The per-reviewer mapping that outliers() takes is accepted too: its values are the totals.
    return list(totals.values()) if isinstance(totals, Mapping) else list(totals)


def rank(proposals: Sequence[Mapping], rule: str = TRIMMED) -> list[Ranked]:
    """Proposals ({'id', 'totals'}) best first; ties share a place and go by id; the unscored come last."""
    ids = [proposal["id"] for proposal in proposals]
    if len(set(ids)) != len(ids):
        raise ValueError("a proposal appears twice")
    combined = {proposal["id"]: combine(_totals_of(proposal), rule) for proposal in proposals}
    scored = sorted((pid for pid in ids if combined[pid] is not None), key=lambda pid: (-combined[pid], pid))
    unscored = sorted(pid for pid in ids if combined[pid] is None)
    ranked = []
    for index, pid in enumerate(scored):
        tied = index and combined[pid] == ranked[-1].combined
        ranked.append(Ranked(pid, combined[pid], ranked[-1].place if tied else index + 1))
    return ranked + [Ranked(pid, None, None) for pid in unscored]


def outliers(totals: Mapping, threshold: Decimal = Decimal(15)) -> set:
    """The reviewers whose total lies more than ``threshold`` points from the median of all the reviewers' totals.

    Needs at least 3 reviewers: with 2, both stand half their gap from the median, so both or neither would be
    flagged and the flag could not say who is far off. The reference is the median of everyone, not of "the others":
    with 3 reviewers the others' median is the mean of two, which one wild score drags, so 20, 90, 95 would flag
    all three; the median of all is the middle score (90), and only the 20 stands out.
    """
    threshold = _decimal(threshold)
    if threshold < 0:
        raise ValueError("threshold must not be negative")
    if len(totals) < 3:
        return set()
    values = {reviewer: _decimal(total) for reviewer, total in totals.items()}
    median = combine(values.values(), MEDIAN)
    return {reviewer for reviewer, total in values.items() if abs(total - median) > threshold}


def _grant_errors(granted, asked, cap):
    errors = []
    if granted <= 0:
        errors.append("not_positive")
    if granted > asked:
        errors.append("over_ask")
    if cap is not None and granted > cap:
        errors.append("over_cap")
    return errors


def fund(
    decisions: Sequence[tuple], budget: Decimal, *, asks: Mapping, caps: Mapping | None = None
) -> Funding:
    """Check the 立项 grants ((proposal_id, granted), in the order decided) against asks, caps and the budget.

    ``asks`` maps each proposal to the amount it asked for; ``caps`` maps a proposal to the cap of its category
    (absent: no cap). A grant may be less than the ask. Each grant is checked against the running total of the
    grants accepted before it, so the one that would pass the budget is refused ('over_budget') and an earlier
    decision is never displaced by a later one; a refused grant does not count, so the total never passes the budget.
    Codes: 'unknown' (not in asks), 'duplicate', 'not_positive', 'over_ask', 'over_cap', 'over_budget'.
    """
    budget = _decimal(budget)
    if budget < 0:
        raise ValueError("budget must not be negative")
    caps = caps or {}
    total, over_budget, errors, seen = Decimal(0), False, {}, set()
    for proposal_id, granted in decisions:
        granted = _decimal(granted)
        if proposal_id in seen:
            errors.setdefault(proposal_id, []).append("duplicate")
            continue
        seen.add(proposal_id)
        if proposal_id not in asks:
            errors[proposal_id] = ["unknown"]
            continue
        cap = caps.get(proposal_id)
        codes = _grant_errors(granted, _decimal(asks[proposal_id]), None if cap is None else _decimal(cap))
        if not codes and total + granted > budget:
            codes, over_budget = ["over_budget"], True
        if codes:
            errors[proposal_id] = codes
        else:
            total += granted
    return Funding(total=total, remaining=budget - total, over_budget=over_budget, errors=errors)
