"""Questions about a table: the model picks a query, the numbers are computed here."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.tables.queries import (
    OPS,
    QUERY_HELP,
    Answer,
    Query,
    QueryError,
    format_change,
    format_value,
    run_query,
)
from bot.tables.table import Table, TableError, format_cell

SALES = Table.build(["Year", "Sales"], [["2021", 10], ["2022", 12], ["2023", 15]])


def ask(table: Table, op: str, column: str | None = None, *rows: str) -> Answer:
    return run_query(table, Query.model_validate({"op": op, "column": column, "rows": rows}))


# --- every op, computed by hand on Sales 2021=10, 2022=12, 2023=15 ----------------------


@pytest.mark.parametrize(("op", "rows", "value", "text", "used"), [
    ("sum", (), 37, "The total of Sales is 37.", ("2021", "2022", "2023")),
    ("mean", (), 37 / 3, "The average of Sales is 12.333.", ("2021", "2022", "2023")),
    ("median", (), 12, "The median of Sales is 12.", ("2021", "2022", "2023")),
    ("min", (), 10, "2021 has the lowest Sales: 10.", ("2021", "2022", "2023")),
    ("max", (), 15, "2023 has the highest Sales: 15.", ("2021", "2022", "2023")),
    ("count", (), 3, "Sales has 3 values.", ("2021", "2022", "2023")),
    ("range", (), 5, "Sales ranges from 10 (2021) to 15 (2023), a spread of 5.",
     ("2021", "2022", "2023")),
    ("growth", (), 50, "From 2021 to 2023, Sales changed +50% (from 10 to 15).",
     ("2021", "2023")),
    ("max_growth", (), 25, "2023 grew fastest: +25% (from 12 to 15).",
     ("2021", "2022", "2023")),
    ("min_growth", (), 20, "2022 grew slowest: +20% (from 10 to 12).",
     ("2021", "2022", "2023")),
    ("share", ("2023",), 1500 / 37, "2023 is 40.5% of the total Sales (15 of 37).",
     ("2021", "2022", "2023")),
    ("difference", ("2023", "2021"), 5, "In Sales, 2023 is 5 more than 2021 (15 vs 10).",
     ("2021", "2023")),
    ("ratio", ("2023", "2021"), 1.5, "In Sales, 2023 is 1.5 times 2021 (15 vs 10).",
     ("2021", "2023")),
    ("cagr", (), (math.sqrt(1.5) - 1) * 100,
     "From 2021 to 2023, Sales changed +22.5% per period, compounded over 2 periods "
     "(from 10 to 15).", ("2021", "2023")),
    ("rank", ("2022",), 2, "2022 ranks 2nd of 3 by Sales (12).", ("2021", "2022", "2023")),
])
def test_every_op_is_computed_from_the_table(op, rows, value, text, used):
    answer = ask(SALES, op, None, *rows)
    assert answer.value == pytest.approx(value)
    assert answer.text == text
    assert answer.rows_used == used


def test_the_ops_are_exactly_the_documented_ones():
    assert set(OPS) == {"sum", "mean", "median", "min", "max", "count", "range", "growth",
                        "max_growth", "min_growth", "share", "difference", "ratio", "cagr",
                        "rank"}
    assert all(op in QUERY_HELP for op in OPS)
    assert len(QUERY_HELP) <= 600


def test_falls_are_signed_and_worded_as_falls():
    table = Table.build(["Year", "Sales"], [["2021", 12], ["2022", 11], ["2023", 8]])
    assert ask(table, "growth").text == ("From 2021 to 2023, Sales changed −33.3% "
                                         "(from 12 to 8).")
    worst = ask(table, "min_growth")
    assert worst.text == "2023 fell the most: −27.3% (from 11 to 8)."
    assert ask(table, "max_growth").text == "2022 had the largest change: −8.3% (from 12 to 11)."
    assert ask(table, "difference", None, "2023", "2021").text == (
        "In Sales, 2023 is 4 less than 2021 (8 vs 12).")
    assert ask(table, "difference", None, "2023", "2021").value == -4


def test_cagr_counts_table_steps_between_the_chosen_rows():
    table = Table.build(["Year", "Sales"], [["2020", 100], ["2021", 50], ["2022", 400]])
    answer = ask(table, "cagr", None, "2020", "2022")
    assert answer.value == pytest.approx(100.0)
    assert "over 2 periods" in answer.text


# --- restricted rows, ties, missing cells --------------------------------------------------


def test_rows_restrict_the_computation_and_the_rows_used():
    assert ask(SALES, "mean", None, "2021", "2023").value == 12.5
    growth = ask(SALES, "growth", None, "2023", "2022")  # table order, not query order
    assert growth.value == pytest.approx(25.0)
    assert growth.rows_used == ("2022", "2023")
    step = ask(SALES, "max_growth", None, "2021", "2023")
    assert step.value == pytest.approx(50.0)
    assert step.with_rows() == "2023 grew fastest: +50% (from 10 to 15). (Rows used: 2021, 2023.)"
    assert ask(SALES, "count", None, "2022").text == "Sales has 1 value in the chosen rows."


def test_ties_name_every_row_and_rank_says_tied():
    table = Table.build(["Team", "Score"], [["A", 3], ["B", 7], ["C", 7]])
    assert ask(table, "max").text == "B and C have the highest Score: 7."
    assert ask(table, "rank", None, "C").text == "C ranks 1st (tied) of 3 by Score (7)."
    assert ask(table, "rank", None, "A").value == 3


def test_missing_cells_are_skipped_and_not_reported_as_used():
    table = Table.build(["Year", "Sales"],
                        [["2021", 10], ["2022", None], ["2023", 15], ["2024", 18]])
    mean = ask(table, "mean")
    assert mean.value == pytest.approx(43 / 3)
    assert mean.rows_used == ("2021", "2023", "2024")
    assert ask(table, "count").value == 3
    step = ask(table, "max_growth")  # 2022 has no value, so 2023 has no previous value
    assert step.text == "2024 grew fastest: +20% (from 15 to 18)."
    assert step.rows_used == ("2023", "2024")
    assert ask(table, "share", None, "2021").text == "2021 is 23.3% of the total Sales (10 of 43)."


def test_a_zero_previous_value_is_skipped():
    table = Table.build(["Year", "Sales"], [["2021", 0], ["2022", 5], ["2023", 6]])
    step = ask(table, "max_growth")
    assert step.value == pytest.approx(20.0)
    assert step.rows_used == ("2022", "2023")


def test_every_step_skipped_is_said_so():
    table = Table.build(["Year", "Sales"], [["2021", 0], ["2022", None], ["2023", 6]])
    with pytest.raises(QueryError, match="every previous Sales value is 0 or missing"):
        ask(table, "max_growth")


# --- labels, columns, units ----------------------------------------------------------------


@pytest.mark.parametrize("label", ["2021", " 2021 ", "2021.0", "“2021”", 2021, 2021.0])
def test_row_labels_match_loosely(label):
    answer = run_query(SALES, Query.model_validate({"op": "share", "rows": [label]}))
    assert answer.rows_used == ("2021", "2022", "2023")
    assert answer.text.startswith("2021 is 27")


def test_text_labels_and_columns_match_case_insensitively():
    table = Table.build(["Country", "GDP", "Pop"], [["USA", 25, 330], ["China", 18, 1400]])
    answer = ask(table, "ratio", " pop ", "china", "usa")
    assert answer.text == "In Pop, China is 4.242 times USA (1,400 vs 330)."


def test_the_default_column_is_the_first_numeric_one_besides_the_labels():
    table = Table(columns=("Year", "Sales"), rows=((2021.0, 10.0), (2022.0, 30.0)))
    answer = ask(table, "sum")
    assert answer.text == "The total of Sales is 40."
    assert ask(table, "difference", None, "2022", "2021").rows_used == ("2021", "2022")


def test_count_also_counts_text_cells():
    table = Table.build(["Country", "GDP"], [["USA", 25], ["China", None], ["India", 3]])
    assert ask(table, "count", "Country").value == 3
    assert ask(table, "count", "GDP").value == 2


def test_units_are_written_the_way_the_table_wrote_them():
    money = Table.build(["Year", "Revenue"], [["2021", "$1,200"], ["2022", "$1,300.5"]])
    assert ask(money, "sum").text == "The total of Revenue is $2,500.5."
    yen = Table.build(["Year", "Cost"], [["2021", "¥800"], ["2022", "¥-50"]])
    assert ask(yen, "min").text == "2022 has the lowest Cost: −¥50."
    rate = Table.build(["Year", "Rate"], [["2021", "12.5%"], ["2022", "15%"]])
    assert ask(rate, "mean").text == "The average of Rate is 13.75%."
    assert ask(rate, "difference", None, "2022", "2021").text == (
        "In Rate, 2022 is 2.5 percentage points more than 2021 (15% vs 12.5%).")


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1200, "$", "$1,200"),
    (12.5, "%", "12.5%"),
    (-5, "$", "−$5"),
    (800, "¥", "¥800"),
    (3, "kg", "3 kg"),
    (1_234_567.891, "", "1,234,567.891"),
    (12.3456789, "", "12.346"),
    (0.0123456, "", "0.0123"),
    (0.000123, "", "0.000123"),
    (-0.0001, "", "−0.0001"),
    (-0.0000000001, "", "−1e-10"),
    (0, "", "0"),
    (2.5e20, "", "2.5e+20"),
])
def test_numbers_are_formatted_for_people(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(("percent", "text"), [
    (25, "+25%"), (-8.333, "−8.3%"), (0, "0%"), (0.04, "+0.04%"), (1234.56, "+1,234.6%"),
])
def test_changes_carry_a_sign(percent, text):
    assert format_change(percent) == text


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "query", "message"), [
    (SALES, {"op": "sum", "column": "Profit"}, "there is no column called “Profit”"),
    (SALES, {"op": "share", "rows": ["2025"]}, "there is no row called “2025”"),
    (SALES, {"op": "sum", "column": "Year"}, "the column “Year” does not hold numbers"),
    (SALES, {"op": "growth", "rows": ["2022"]}, "growth needs at least two rows"),
    (SALES, {"op": "cagr", "rows": ["2022"]}, "compound growth needs at least two rows"),
    (SALES, {"op": "max_growth", "rows": ["2022"]}, "needs at least two rows"),
    (SALES, {"op": "difference", "rows": ["2022"]}, "a difference needs exactly two rows"),
    (SALES, {"op": "ratio", "rows": []}, "a ratio needs exactly two rows"),
    (SALES, {"op": "rank", "rows": ["2021", "2022"]}, "a rank needs exactly one row"),
    (SALES, {"op": "share"}, "a share needs at least one row"),
    (Table.build(["Year", "Sales"], [["2021", 0], ["2022", 5]]),
     {"op": "ratio", "rows": ["2022", "2021"]}, "cannot divide by “2021”: its Sales value is 0"),
    (Table.build(["Year", "Sales"], [["2021", 0], ["2022", 5]]),
     {"op": "growth"}, "growth from “2021” cannot be computed: its value is 0"),
    (Table.build(["Year", "Sales"], [["2021", -5], ["2022", 5]]),
     {"op": "share", "rows": ["2021"]}, "the total of Sales is 0"),
    (Table.build(["Year", "Sales"], [["2021", -5], ["2022", 5]]),
     {"op": "cagr"}, "compound growth needs positive values"),
    (Table.build(["Year", "Sales"], [["2021", None], ["2022", 5]]),
     {"op": "mean", "rows": ["2021"]}, "there are no Sales values in the chosen rows"),
    (Table.build(["Year", "Sales"], [["2021", None], ["2022", 5]]),
     {"op": "difference", "rows": ["2022", "2021"]}, "“2021” has no Sales value"),
    (Table.build(["Name", "Note"], [["a", "x"], ["b", "y"]]),
     {"op": "sum"}, "the table has no column of numbers"),
    (Table.build(["Year", "Sales"], [["2021", 1e308], ["2022", 1e308]]),
     {"op": "sum"}, "too large"),
])
def test_unanswerable_queries_say_why(table, query, message):
    with pytest.raises(QueryError, match=message):
        run_query(table, Query.model_validate(query))


def test_a_query_is_read_leniently_but_its_op_is_checked():
    query = Query.model_validate({"op": "Average", "column": "sales", "rows": "2021",
                                  "reply": "ignored"})
    assert query == Query(op="mean", column="sales", rows=("2021",))
    assert Query.model_validate({"op": "total", "rows": None}).rows == ()
    with pytest.raises(ValidationError):
        Query.model_validate({"op": "__import__('os')"})
    with pytest.raises(ValidationError):
        Query.model_validate({"op": "sum", "rows": [{"a": 1}]})
    with pytest.raises(ValidationError):
        query.op = "sum"  # type: ignore[misc]


# --- with_rows -----------------------------------------------------------------------------


def test_with_rows_writes_runs_of_neighbours_as_ranges():
    labels = ("2019", "2020", "2021", "2023", "2024", "2026")
    answer = Answer("Done.", 1.0, labels, (0, 1, 2, 4, 5, 7), 8)
    assert answer.with_rows() == "Done. (Rows used: 2019–2021, 2023, 2024, 2026.)"


def test_with_rows_says_all_rows_when_all_were_used():
    assert ask(SALES, "sum").with_rows() == "The total of Sales is 37. (Rows used: all 3 rows.)"
    two = Table.build(["Year", "Sales"], [["2021", 1], ["2022", 2]])
    assert ask(two, "sum").with_rows().endswith("(Rows used: 2021, 2022.)")


def test_with_rows_without_positions_or_rows():
    assert Answer("Hi.", None, ("a", "b")).with_rows() == "Hi. (Rows used: a, b.)"
    assert Answer("None.", 0.0, ()).with_rows() == "None."


# --- property --------------------------------------------------------------------------------

LABEL = st.text(alphabet="ab 12.-$%", max_size=5)
CELL = st.one_of(st.none(), st.integers(-1000, 1000).map(float),
                 st.floats(allow_nan=False, allow_infinity=False))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n = draw(st.integers(1, 8))
    rows = [[draw(LABEL), draw(CELL), draw(CELL)] for _ in range(n)]
    try:
        return Table.build(["Label", "A", "B"], rows)
    except TableError:
        assume(False)
        raise


def labels_of(table: Table) -> set[str]:
    k = table.columns.index(table.label_column)
    return {format_cell(row[k]) or f"row {i + 1}" for i, row in enumerate(table.rows)}


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_query_on_any_numeric_table_answers_from_its_rows_or_says_why(data):
    table = data.draw(tables())
    names = sorted(labels_of(table))
    query = Query(
        op=data.draw(st.sampled_from(OPS)),
        column=data.draw(st.sampled_from([None, None, "A", "b", "Label", "C"])),
        rows=tuple(data.draw(st.lists(st.one_of(*[st.sampled_from(names)] * 3, LABEL),
                                      max_size=3))),
    )
    try:
        answer = run_query(table, query)
    except QueryError as exc:
        assert str(exc)
        return
    assert set(answer.rows_used) <= labels_of(table)
    assert answer.value is None or math.isfinite(answer.value)
    assert answer.text and answer.with_rows().startswith(answer.text)
