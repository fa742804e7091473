"""docs/domain.md §5 aggregations against hand-computed examples."""

import math

import pytest

from cases.review.aggregation import Review, competition_ranks, mean, normalised, spread, trimmed_mean


def test_mean_and_trimmed_mean():
    assert mean([80, 90, 70]) == 80
    assert mean([]) is None
    assert trimmed_mean([60, 70, 80, 90]) is None  # fewer than 5 totals
    assert trimmed_mean([50, 70, 80, 90, 100]) == 80  # drop 50 and 100 → (70+80+90)/3
    assert trimmed_mean([70, 70, 70, 70, 95]) == 70  # drops only one of the tied lows


def test_worked_example_harsh_and_lenient_reviewers_agree():
    # Reviewer A gives 60, 70, 80; reviewer B gives 80, 85, 90 to cases 1, 2, 3.
    reviews = [Review(c, 1, t) for c, t in ((1, 60), (2, 70), (3, 80))]
    reviews += [Review(c, 2, t) for c, t in ((1, 80), (2, 85), (3, 90))]
    result = normalised(reviews, rubric_total=100)
    totals = [60, 70, 80, 80, 85, 90]
    big_m = sum(totals) / 6  # 77.5
    big_s = math.sqrt(sum((t - big_m) ** 2 for t in totals) / 6)  # population SD ≈ 9.8995
    z1 = (60 - 70) / math.sqrt(200 / 3)  # -1.2247 for A; B: (80-85)/sqrt(50/3) is the same
    assert math.isclose(z1, (80 - 85) / math.sqrt(50 / 3))
    assert math.isclose(result[1], big_m + big_s * z1)
    assert math.isclose(result[2], big_m)
    assert math.isclose(result[3], big_m - big_s * z1)
    assert result[1] < result[2] < result[3]


def test_normalised_z_zero_for_single_or_constant_reviewers_and_clipping():
    reviews = [Review(1, 1, 90), Review(1, 2, 70), Review(2, 2, 70)]  # r1 has one total; r2 constant
    result = normalised(reviews, rubric_total=100)
    assert result[1] == result[2] == pytest.approx((90 + 70 + 70) / 3)
    # A case scored far above everyone else is clipped at the rubric total.
    extreme = [Review(1, 1, 100), Review(2, 1, 0), Review(3, 1, 0), Review(1, 2, 100), Review(2, 2, 0), Review(3, 2, 0)]
    assert normalised(extreme, rubric_total=100)[1] <= 100


def test_spread_and_ties():
    assert spread([60, 80]) == (60, 80, 10)
    assert competition_ranks({1: 90.0, 2: 85.0, 3: 90.0, 4: None, 5: 70.0}) == {1: 1, 3: 1, 2: 3, 5: 4, 4: None}
