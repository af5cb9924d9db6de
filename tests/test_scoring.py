"""The contest arithmetic, checked against sums done by hand, plus properties that must hold for any scores."""
import importlib
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprints.campaigns.scoring import (
    DEFAULT_RUBRIC,
    MEAN,
    MEDIAN,
    TRIMMED,
    Ranked,
    ScoreError,
    combine,
    display,
    fund,
    outliers,
    rank,
    reviewer_total,
)

FIVE = [D(78), D(85), D(91), D(62), D(88)]


def sheet(**overrides):
    """A full score sheet for the default rubric (total 80), with some criteria overridden."""
    scores = {"need": D(16), "design": D(20), "capacity": D(16), "budget": D(12), "innovation": D(8)}
    scores["sustainability"] = D(8)
    scores.update(overrides)
    return scores


def test_module_imports_without_app():
    module = importlib.import_module("blueprints.campaigns.scoring")
    assert module.combine is combine


def test_default_rubric_is_out_of_100():
    names = ["需求分析", "项目设计", "执行能力", "预算合理性", "创新性", "可持续性与社会效益"]
    assert [(c.name, c.weight) for c in DEFAULT_RUBRIC] == list(zip(names, [20, 25, 20, 15, 10, 10], strict=True))
    assert sum(c.weight for c in DEFAULT_RUBRIC) == 100
    assert all(c.guide for c in DEFAULT_RUBRIC)


def test_reviewer_total_is_sum_of_criterion_scores():
    assert reviewer_total(sheet()) == D(80)
    assert reviewer_total(sheet(design=D("22.5"), innovation=D("9.5"))) == D(84)
    assert reviewer_total({c.id: c.weight for c in DEFAULT_RUBRIC}) == D(100)
    assert reviewer_total({c.id: D(0) for c in DEFAULT_RUBRIC}) == D(0)


@pytest.mark.parametrize(("criterion", "score", "name"), [
    ("design", D(26), "项目设计"),
    ("innovation", D("10.01"), "创新性"),
    ("need", D(-1), "需求分析"),
])
def test_out_of_range_criterion_score_refused_with_its_name(criterion, score, name):
    with pytest.raises(ValueError, match=name) as info:
        reviewer_total(sheet(**{criterion: score}))
    assert info.value.code == "out_of_range" and info.value.criterion == criterion


def test_incomplete_or_foreign_score_sheet_refused():
    incomplete = sheet()
    del incomplete["budget"]
    with pytest.raises(ScoreError, match="预算合理性") as info:
        reviewer_total(incomplete)
    assert info.value.code == "missing"
    with pytest.raises(ScoreError) as info:
        reviewer_total(sheet(charm=D(5)))
    assert info.value.code == "unknown"


def test_float_scores_refused():
    with pytest.raises(ScoreError):
        reviewer_total(sheet(need=15.5))
    with pytest.raises(TypeError):
        combine([80.1, 70.0], MEAN)


def test_worked_example_five_reviewers():
    assert combine(FIVE, MEAN) == D("80.8")  # 404 / 5
    assert combine(FIVE, MEDIAN) == D(85)  # 62 78 [85] 88 91
    trimmed = combine(FIVE, TRIMMED)  # drop 91 and 62: (78 + 85 + 88) / 3 = 251 / 3
    assert trimmed * 3 == pytest.approx(D(251), abs=D("1e-30"))
    assert str(trimmed).startswith("83.6666666666")
    assert display(trimmed) == D("83.67")


def test_median_of_even_count_is_mean_of_middle_two():
    assert combine([D(70), D(90), D(80), D(60)], MEDIAN) == D(75)


def test_trimmed_with_fewer_than_three_totals_is_plain_mean():
    assert combine([D(70), D(90)], TRIMMED) == D(80)
    assert combine([D(77)], TRIMMED) == D(77)
    assert combine([D(60), D(70), D(95)], TRIMMED) == D(70)  # three: the middle one


def test_trimmed_drops_only_one_highest_and_one_lowest():
    assert combine([D(90), D(90), D(60), D(60), D(75)], TRIMMED) == D(75)  # (90 + 75 + 60) / 3


def test_combine_without_totals_is_none_and_unknown_rule_refused():
    assert combine([], MEAN) is None
    with pytest.raises(ValueError):
        combine(FIVE, "average")


def test_display_rounds_half_up():
    assert display(D("82.125")) == D("82.13")
    assert display(D("82.135")) == D("82.14")
    assert display(None) is None


def test_rank_by_hand_with_ties_sharing_a_place():
    proposals = [
        {"id": 4, "totals": [D(80), D(90)]},  # 85
        {"id": 1, "totals": FIVE},  # trimmed 83.67
        {"id": 3, "totals": [D(70), D(100), D(85)]},  # trimmed 85
        {"id": 2, "totals": []},
        {"id": 5, "totals": [D(95), D(60), D(85), D(85)]},  # trimmed (85 + 85) / 2 = 85
        {"id": 6, "totals": [D(60)]},
    ]
    assert rank(proposals, TRIMMED) == [
        Ranked(3, D(85), 1),
        Ranked(4, D(85), 1),
        Ranked(5, D(85), 1),
        Ranked(1, combine(FIVE, TRIMMED), 4),
        Ranked(6, D(60), 5),
        Ranked(2, None, None),
    ]


def test_rank_ties_one_two_two_four():
    proposals = [{"id": i, "totals": [D(t)]} for i, t in [("d", 70), ("c", 80), ("b", 80), ("a", 90)]]
    assert [(r.id, r.place) for r in rank(proposals, MEAN)] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_rank_ties_on_repeating_decimals():
    # 250/3 and 500/6 are the same score, whatever the number of reviewers.
    proposals = [{"id": 1, "totals": [D(80), D(85), D(85)]}, {"id": 2, "totals": [D(80)] * 2 + [D(85)] * 4}]
    assert [r.place for r in rank(proposals, MEAN)] == [1, 1]


def test_rule_changes_the_order():
    proposals = [{"id": 1, "totals": FIVE}, {"id": 2, "totals": [D(82), D(82), D(82)]}]
    assert [r.id for r in rank(proposals, MEAN)] == [2, 1]  # 82 > 80.8
    assert [r.id for r in rank(proposals, TRIMMED)] == [1, 2]  # 83.67 > 82


def test_rank_accepts_per_reviewer_mapping_and_refuses_duplicate_ids():
    assert rank([{"id": 1, "totals": {"r1": D(70), "r2": D(90)}}], MEAN) == [Ranked(1, D(80), 1)]
    with pytest.raises(ValueError):
        rank([{"id": 1, "totals": []}, {"id": 1, "totals": []}])


def test_outliers_far_from_median():
    totals = dict(zip("abcde", FIVE, strict=True))  # median 85: a 78 is 7 away, c 91 is 6, d 62 is 23, e 88 is 3
    assert outliers(totals) == {"d"}
    assert outliers(totals, threshold=D(23)) == set()  # exactly at the threshold is not farther
    assert outliers(totals, threshold=D(22)) == {"d"}
    assert outliers(totals, threshold=D(6)) == {"a", "d"}
    assert outliers(totals, threshold=D("5.99")) == {"a", "c", "d"}


def test_outliers_need_three_reviewers():
    assert outliers({"a": D(20), "b": D(95)}) == set()
    assert outliers({"a": D(20), "b": D(95), "c": D(90)}) == {"a"}  # median 90: only the 20 is far off
    assert outliers({"a": D(80), "b": D(82), "c": D(81)}) == set()


def test_grant_below_ask_is_fine():
    result = fund([(1, D(30000))], D(100000), asks={1: D(50000)})
    assert (result.total, result.remaining, result.over_budget, result.errors) == (D(30000), D(70000), False, {})


def test_grant_that_would_pass_budget_refused_others_stand():
    asks = {1: D(60000), 2: D(50000), 3: D(30000)}
    result = fund([(1, D(60000)), (2, D(50000)), (3, D(30000))], D(100000), asks=asks)
    assert result.errors == {2: ["over_budget"]}
    assert result.over_budget is True
    assert (result.total, result.remaining) == (D(90000), D(10000))


def test_grant_exactly_filling_budget_accepted():
    result = fund([(1, D("60000.50")), (2, D("39999.50"))], D(100000), asks={1: D(70000), 2: D(40000)})
    assert (result.total, result.remaining, result.over_budget, result.errors) == (D(100000), D(0), False, {})


def test_grant_over_ask_or_cap_refused():
    asks = {1: D(50000), 2: D(80000), 3: D(10000)}
    caps = {2: D(60000), 3: D(60000)}
    result = fund([(1, D(50001)), (2, D(70000)), (3, D(0)), (4, D(100))], D(10**6), asks=asks, caps=caps)
    assert result.errors == {1: ["over_ask"], 2: ["over_cap"], 3: ["not_positive"], 4: ["unknown"]}
    assert result.total == 0 and result.over_budget is False


def test_proposal_funded_twice_refused():
    result = fund([(1, D(100)), (1, D(100))], D(1000), asks={1: D(500)})
    assert result.total == D(100) and result.errors == {1: ["duplicate"]}


# Totals as a reviewer's page would hold them: 0 to 100 with at most 2 decimals.
totals_st = st.decimals(min_value=0, max_value=100, places=2)
rules_st = st.sampled_from([MEAN, MEDIAN, TRIMMED])


@given(st.lists(totals_st, min_size=1, max_size=12), rules_st)
def test_combine_lies_between_min_and_max(totals, rule):
    assert min(totals) <= combine(totals, rule) <= max(totals)


@given(totals_st, st.integers(min_value=1, max_value=12))
def test_trimmed_equals_mean_when_all_totals_equal(total, count):
    assert combine([total] * count, TRIMMED) == combine([total] * count, MEAN) == total


@given(st.lists(st.lists(totals_st, max_size=6), max_size=10), rules_st)
def test_rank_is_permutation_with_non_decreasing_places(all_totals, rule):
    proposals = [{"id": i, "totals": totals} for i, totals in enumerate(all_totals)]
    ranked = rank(proposals, rule)
    assert sorted(r.id for r in ranked) == list(range(len(proposals)))
    places = [r.place for r in ranked if r.place is not None]
    assert places == sorted(places)
    assert places[:1] in ([], [1])
    assert all(r.combined is None for r in ranked[len(places):])
    combined = [r.combined for r in ranked[: len(places)]]
    assert combined == sorted(combined, reverse=True)


money_st = st.decimals(min_value=0, max_value=200000, places=2)


@given(st.lists(st.tuples(st.integers(0, 8), money_st), max_size=12), money_st)
def test_funded_total_never_passes_budget(decisions, budget):
    result = fund(decisions, budget, asks={i: D(100000) for i in range(8)}, caps={0: D(20000)})
    assert 0 <= result.total <= budget
    assert result.remaining == budget - result.total
