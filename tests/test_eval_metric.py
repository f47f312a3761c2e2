"""RMS (DePlot's Relative Mapping Similarity) on hand-computed tables."""

import itertools
import time

import numpy as np
import pytest

from bot.evaluation.metric import (
    assignment,
    levenshtein,
    normalise_text,
    relative_distance,
    score_table,
    text_similarity,
    value_similarity,
)
from bot.tables.table import Table

TARGET = Table.build(["Year", "Sales", "Costs"],
                     [["2021", 10, 20], ["2022", 12, 24], ["2023", 15, 30]])
"""Six entries: (2021, Sales) = 10, (2021, Costs) = 20, ..."""


def table(rows, columns=("Year", "Sales", "Costs")):
    return Table.build(list(columns), rows)


def test_identical_tables_score_one_and_match_exactly():
    score = score_table(TARGET, TARGET)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.exact and not score.transposed


def test_one_value_off_by_five_percent_keeps_most_of_that_entry():
    score = score_table(table([["2021", 10.5, 20], ["2022", 12, 24], ["2023", 15, 30]]), TARGET)
    # five perfect entries + one at 1 - 0.05
    assert score.f1 == pytest.approx(5.95 / 6)
    assert score.precision == score.recall == pytest.approx(5.95 / 6)
    assert not score.exact


def test_a_value_off_by_theta_or_more_counts_nothing():
    score = score_table(table([["2021", 11.5, 20], ["2022", 12, 24], ["2023", 15, 30]]), TARGET)
    assert score.f1 == pytest.approx(5 / 6)


def test_a_missing_row_lowers_recall_only():
    score = score_table(table([["2021", 10, 20], ["2022", 12, 24]]), TARGET)
    assert score.precision == 1.0
    assert score.recall == pytest.approx(4 / 6)
    assert score.f1 == pytest.approx(0.8)


def test_an_extra_row_lowers_precision_only():
    rows = [["2021", 10, 20], ["2022", 12, 24], ["2023", 15, 30], ["2024", 18, 36]]
    score = score_table(table(rows), TARGET)
    assert (score.precision, score.recall) == (pytest.approx(6 / 8), 1.0)


def test_a_header_typo_costs_its_share_of_the_key():
    typo = table([["2021", 10, 20], ["2022", 12, 24], ["2023", 15, 30]],
                 columns=("Year", "Salez", "Costs"))
    # "2021 salez" vs "2021 sales": 1 edit in 10 characters → 0.9 for each of three entries
    assert score_table(typo, TARGET).f1 == pytest.approx((3 * 0.9 + 3) / 6)


def test_a_totally_wrong_table_scores_zero():
    wrong = Table.build(["Fruit", "Weight"], [["Apples", 999], ["Pears", 5]])
    score = score_table(wrong, TARGET)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_an_empty_prediction_scores_zero():
    assert score_table(None, TARGET).f1 == 0.0
    labels_only = Table.build(["Year"], [["2021"], ["2022"]])
    score = score_table(labels_only, TARGET)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_a_transposed_prediction_scores_as_its_transpose():
    flipped = Table.build(["Year", "2021", "2022", "2023"],
                          [["Sales", 10, 12, 15], ["Costs", 20, 24, 30]])
    score = score_table(flipped, TARGET)
    assert score.f1 == 1.0 and score.exact and score.transposed


def test_row_order_and_unit_decorations_do_not_matter():
    shuffled = Table.build(["**year**", "Sales (%)", "costs"],
                           [["2023", 15, 30], ["2021", 10, 20], ["2022", 12, 24]])
    score = score_table(shuffled, TARGET)
    assert score.f1 == 1.0 and score.exact


def test_text_values_score_their_edit_similarity():
    target = Table.build(["Name", "Grade"], [["Ann", "High"], ["Bo", "Low"]])
    guess = Table.build(["Name", "Grade"], [["Ann", "high"], ["Bo", "Medium"]])
    assert score_table(guess, target).f1 == pytest.approx(0.5)
    assert value_similarity("Hihg", "High") == 0.5  # 2 edits in 4: ANLS keeps half
    assert value_similarity("Medium", "Low") == 0.0  # beyond τ


def test_a_percentage_written_as_a_fraction_counts():
    target = Table.build(["Party", "Share"], [["A", "34.9%"], ["B", "65.1%"]])
    fractions = Table.build(["Party", "Share"], [["A", 0.349], ["B", 0.651]])
    in_header = Table.build(["Party", "Share (%)"], [["A", 34.9], ["B", 65.1]])
    assert score_table(fractions, target).f1 == pytest.approx(1.0)
    assert score_table(fractions, in_header).f1 == pytest.approx(1.0)
    assert score_table(target, fractions).f1 == pytest.approx(1.0)
    assert score_table(Table.build(["Party", "Share"], [["A", 3.49], ["B", 6.51]]),
                       target).f1 == 0.0


def test_the_key_threshold_tau():
    assert text_similarity("abcd", "abcd") == 1.0
    assert text_similarity("abcd", "abxy") == 0.5  # NL = 0.5 ≤ τ: kept
    assert text_similarity("abcd", "axyz") == 0.0  # NL = 0.75 > τ: unrelated
    assert text_similarity("a", "abcdef") == 0.0  # too different in length alone
    assert levenshtein("kitten", "sitting") == 3


def test_the_value_threshold_theta():
    assert relative_distance(10.5, 10) == pytest.approx(0.05)
    assert relative_distance(9.5, 10) == pytest.approx(0.05)
    assert relative_distance(11, 10) == 1.0  # 10 % is not below θ
    assert relative_distance(0, 0) == 0.0
    assert relative_distance(0.1, 0) == 1.0
    assert value_similarity(-10.4, -10.0) == pytest.approx(0.96)
    assert value_similarity("12%", 12.0) == 1.0
    assert value_similarity(None, 12.0) == 0.0
    assert value_similarity(None, None) == 1.0


def test_header_normalisation():
    assert normalise_text("  Share  (%) ") == "share"
    assert normalise_text("`Revenue $`") == "revenue"
    assert normalise_text("Ｑ１ 2023") == "q1 2023"


def test_matching_maximises_key_similarity_not_order():
    # Each predicted row is paired with its nearest target key, whatever the order.
    target = Table.build(["K", "V"], [["alpha", 1], ["beta", 2]])
    guess = Table.build(["K", "V"], [["betta", 2], ["alpah", 1]])
    score = score_table(guess, target)
    assert score.f1 == pytest.approx((1 - 1 / 7 + 1 - 2 / 7) / 2)


def test_assignment_is_optimal_against_brute_force():
    rng = np.random.default_rng(1)
    for rows, columns in [(1, 1), (2, 3), (3, 2), (4, 4), (5, 3), (3, 6)]:
        cost = rng.random((rows, columns))
        pairs = assignment(cost)
        assert len(pairs) == min(rows, columns)
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        best = min(
            sum(cost[r, c] for r, c in zip(range(rows), perm, strict=False))
            if rows <= columns else
            sum(cost[r, c] for r, c in zip(perm, range(columns), strict=False))
            for perm in itertools.permutations(range(max(rows, columns)), min(rows, columns))
        )
        assert sum(cost[r, c] for r, c in pairs) == pytest.approx(best)


def test_assignment_agrees_with_scipy():
    optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(2)
    for _ in range(50):
        rows, columns = rng.integers(1, 30, size=2)
        cost = np.round(rng.random((rows, columns)) * 4) / 4  # ties on purpose
        r, c = optimize.linear_sum_assignment(cost)
        ours = assignment(cost)
        assert sum(cost[i, j] for i, j in ours) == pytest.approx(cost[r, c].sum())


def test_a_huge_prediction_is_scored_quickly():
    rows = [[f"row {i}", *range(39)] for i in range(500)]
    huge = Table.build(["Label", *[f"c{j}" for j in range(39)]], rows)
    started = time.monotonic()
    score = score_table(huge, TARGET)
    assert time.monotonic() - started < 10
    assert score.f1 == 0.0
