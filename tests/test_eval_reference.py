"""Two scores of one table pair: RMS under DePlot's reference rules (google-research
`deplot/metrics.py`), and Replot's normalised RMS. Each case is one the README lists, with the
number the reference gives and the number Replot gives (and why they differ, or agree)."""

import pytest

from bot.evaluation.metric import score_table
from bot.evaluation.reference import (
    anls,
    datapoints,
    linearise,
    pair_score,
    parse,
    reference_score,
    to_number,
)
from bot.tables.parsing import parse_raw_table, parse_table


def both(target: str, prediction: str) -> tuple[float, float]:
    """(reference F1, Replot F1) of a prediction text against a target text, both DePlot form."""
    return (reference_score(target, prediction).f1,
            score_table(parse_table(prediction), parse_table(target)).f1)


# --- the reference's own test, reproduced ----------------------------------------------

TARGET = "title | my table\nyear | argentina | brazil\n1999 | 200 | 158\n"
TRANSPOSED_TARGET = "title | my table\ncountry | 1999\nargentina | 200\nbrazil | 158\n"
PREDICTION = "title | my table\nyear | argentina | brazil\n1999 | 202 | 0\n"


def test_the_reference_tests_own_numbers():
    assert dict(datapoints(parse(TARGET))) == {
        "title": "my table", "1999 argentina": "200", "1999 brazil": "158"}
    assert pair_score(("1999 argentina", "200"), ("1999 argentina", "202")) == 0.99
    for target in (TARGET, TRANSPOSED_TARGET):
        score = reference_score(target, PREDICTION)
        # 1 from the matched title, 0.99 from argentina, 0 from brazil (0 for 158)
        assert (score.precision, score.recall, score.f1) == pytest.approx((1.99 / 3,) * 3)


def test_the_reference_reads_numbers_with_pythons_float():
    assert to_number("34.9%") == pytest.approx(0.349)
    assert to_number("1_000") == 1000.0 and to_number("１２") == 12.0
    assert [to_number(t) for t in ("1,200", "$5", "(3)", "−2", "", "%")] == [None] * 6
    assert anls("abcd", "abxy") == 0.5 and anls("abcd", "axyz") == 0.0


def test_empty_tables_follow_the_reference():
    assert reference_score("year | v", "year | v").f1 == 1.0
    assert reference_score("year | v\n2021 | 1", "nothing here").precision == 1.0
    assert reference_score("year | v\n2021 | 1", "nothing here").f1 == 0.0


# --- where Replot normalises and the reference does not --------------------------------


@pytest.mark.parametrize(("target", "prediction", "reference"), [
    # a unit mark in the header: "2021 share (%)" vs "2021 share", 4 edits in 14
    ("year | share (%)\n2021 | 10", "year | share\n2021 | 10", 1 - 4 / 14),
    # **bold** header
    ("year | sales\n2021 | 10", "year | **sales**\n2021 | 10", 1 - 4 / 14),
    # full-width digits and letters in a label (lower-cased, never NFKC-folded)
    ("quarter | sales\nq1 | 10", "quarter | sales\nＱ１ | 10", 1 - 2 / 8),
    # thousands separator: "1,200" is text to float(), ANLS("1200", "1,200")
    ("year | sales\n2021 | 1200", "year | sales\n2021 | 1,200", 1 - 1 / 5),
    # accounting negative
    ("year | profit\n2021 | -12.5", "year | profit\n2021 | (12.5)", 1 - 2 / 6),
    # Unicode minus sign
    ("year | profit\n2021 | -12.5", "year | profit\n2021 | −12.5", 1 - 1 / 5),
    # currency sign in the cell
    ("year | sales\n2021 | 120", "year | sales\n2021 | $120", 1 - 1 / 4),
])
def test_replot_reads_what_the_person_gets_the_reference_reads_text(target, prediction,
                                                                    reference):
    assert both(target, prediction) == pytest.approx((reference, 1.0))


def test_a_fraction_for_a_percentage_counts_in_both():
    # the case: 0.349 for 34.9 % scored 0 in Replot, 1 in the reference
    assert both("party | share\na | 34.9%", "party | share\na | 0.349") == (1.0, 1.0)
    # the prompt's own form, % in the header: the reference compares 34.9 with 0.349
    assert both("party | share (%)\na | 34.9", "party | share (%)\na | 0.349") == (0.0, 1.0)
    assert both("party | share (%)\na | 34.9", "party | share\na | 34.9%") == pytest.approx(
        (0.0, 1.0))


def test_a_text_value_with_a_typo_keeps_partial_credit_in_both():
    target = "name | grade\nann | high\nbo | low"
    prediction = "name | grade\nann | hihg\nbo | low"
    assert both(target, prediction) == pytest.approx((0.75, 0.75))


# --- where the two differ on purpose ---------------------------------------------------


def test_a_title_is_an_entry_for_the_reference_only():
    target = "title | sales\nyear | v\n2021 | 10\n2022 | 20"
    prediction = "title | costs\nyear | v\n2021 | 10\n2022 | 20"
    assert both(target, prediction) == pytest.approx((2 / 3, 1.0))


def test_a_row_written_twice_costs_precision_in_replot_only():
    target = "year | v\n2021 | 10\n2022 | 20"
    prediction = "year | v\n2021 | 10\n2022 | 20\n2022 | 20"
    assert reference_score(target, prediction).f1 == 1.0  # its dict keeps one of the two
    replot = score_table(parse_table(prediction), parse_table(target))
    assert (replot.precision, replot.recall) == pytest.approx((2 / 3, 1.0))


def test_a_cell_left_out_lowers_recall_only_in_both():
    target = "year | a | b\n2021 | 10 | 20\n2022 | 30 | 40"
    short_row = "year | a | b\n2021 | 10 | 20\n2022 | 30"
    reference = reference_score(target, short_row)
    replot = score_table(parse_table(short_row), parse_table(target))
    assert (reference.precision, reference.recall) == (1.0, 0.75)
    assert (replot.precision, replot.recall) == (1.0, 0.75)
    empty_cell = "year | a | b\n2021 | 10 | 20\n2022 | 30 | -"
    replot = score_table(parse_table(empty_cell), parse_table(target))
    assert (replot.precision, replot.recall) == (1.0, 0.75)


# --- from a model's answer to the reference's text -------------------------------------


def test_a_markdown_answer_is_scored_on_its_cells_as_written():
    answer = ("Here is the table:\n\n| **Year** | Sales ($) |\n|---|---|\n| 2021 | $1,200 |\n"
              "| 2022 | (12.5) |\n\nTitle: Sales by year")
    raw = parse_raw_table(answer)
    assert raw.columns == ("**Year**", "Sales ($)")
    assert raw.rows == (("2021", "$1,200"), ("2022", "(12.5)"))
    text = linearise(raw.columns, raw.rows, "Sales by year")
    assert text == ("title | Sales by year\n**Year** | Sales ($)\n2021 | $1,200\n"
                    "2022 | (12.5)")
    truth = "title | Sales by year\nYear | Sales ($)\n2021 | 1200\n2022 | -12.5"
    # title 1; both keys exact ("2021 sales ($)"); values: ANLS 1 - 2/6 and 1 - 2/6
    assert reference_score(truth, text).f1 == pytest.approx((1 + 2 * (1 - 2 / 6)) / 3)


def test_a_line_break_in_a_cell_stays_in_its_row():
    assert linearise(["a", "b"], [["x\ny", "1"]], None) == "a | b\nx y | 1"
