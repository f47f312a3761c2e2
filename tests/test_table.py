"""Tables: human-written numbers are read, cells typed, limits enforced, text forms aligned."""

from __future__ import annotations

import csv
import io

import pytest
from pydantic import ValidationError

from bot.tables.table import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TITLE_CHARS,
    Table,
    TableError,
    coerce_cell,
    display_width,
    format_number,
    parse_number,
)


def sales() -> Table:
    return Table.build(["Year", "Sales"], [["2021", 10], ["2022", 12], ["2023", 15]],
                       title="Sales by year")


# --- parse_number ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("42", 42.0, ""),
    ("+7", 7.0, ""),
    (".5", 0.5, ""),
    ("1,234.5", 1234.5, ""),
    ("1,234,567", 1_234_567.0, ""),
    ("1,500", 1500.0, ""),
    ("12 345", 12_345.0, ""),
    ("12\u00a0345", 12_345.0, ""),
    ("1'234", 1234.0, ""),
    ("１２３", 123.0, ""),
])
def test_a_pasted_thousands_separator_is_read_as_one_number(text, value, unit):
    assert parse_number(text) == (value, unit)


@pytest.mark.parametrize(("text", "value"), [
    ("3,5", 3.5),
    ("1234,56", 1234.56),
    ("0,5", 0.5),
])
def test_a_decimal_comma_is_read_as_a_decimal_point(text, value):
    assert parse_number(text) == (value, "")


def test_a_decimal_comma_after_a_leading_zero_is_never_a_thousands_separator():
    assert parse_number("0,125") == (0.125, "")


@pytest.mark.parametrize(("text", "value"), [
    ("$1.2k", 1200.0),
    ("1.5M", 1_500_000.0),
    ("2bn", 2e9),
    ("3 B", 3e9),
    ("3 万", 30_000.0),
    ("12.5亿", 1.25e9),
    ("5千", 5000.0),
])
def test_scale_suffixes_multiply_the_number(text, value):
    assert parse_number(text)[0] == pytest.approx(value)


@pytest.mark.parametrize(("text", "unit"), [
    ("12%", "%"),
    ("1,5%", "%"),
    ("$5", "$"),
    ("US$5", "$"),
    ("5 USD", "$"),
    ("EUR 5", "€"),
    ("5€", "€"),
    ("£5", "£"),
    ("￥5", "¥"),
    ("5 元", "¥"),
    ("5円", "¥"),
    ("RMB 5", "¥"),
    ("CNY5", "¥"),
    ("₹5", "₹"),
])
def test_the_unit_a_number_carried_is_reported_in_one_spelling(text, unit):
    value, got = parse_number(text)
    assert got == unit
    assert value == (1.5 if text == "1,5%" else 12.0 if text == "12%" else 5.0)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("-5", -5.0, ""),
    ("−5", -5.0, ""),
    ("(30)", -30.0, ""),
    ("($30)", -30.0, "$"),
    ("-$5", -5.0, "$"),
    ("$-5", -5.0, "$"),
    ("−5 元", -5.0, "¥"),
    ("(1.2k)", -1200.0, ""),
])
def test_minus_signs_and_accounting_parentheses_make_a_number_negative(text, value, unit):
    assert parse_number(text) == (value, unit)


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "Q1", "2021-22", "1e5", "(30", "30)", "5,", "12 apples", "9" * 41,
])
def test_text_that_is_not_a_number_is_refused(text):
    assert parse_number(text) is None


def test_surrounding_space_does_not_matter():
    assert parse_number("  1,200 \n") == (1200.0, "")


# --- coerce_cell -----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "cell", "unit"), [
    (None, None, ""),
    (7, 7.0, ""),
    (2.5, 2.5, ""),
    (True, "true", ""),
    (False, "false", ""),
    ("1,200", 1200.0, ""),
    ("12%", 12.0, "%"),
    ("Paris", "Paris", ""),
    ("  Paris  ", "Paris", ""),
    ("**Total**", "Total", ""),
    ("__Total__", "Total", ""),
    ("`Total`", "Total", ""),
    ("Tot\x00al\x07", "Total", ""),
])
def test_a_raw_cell_becomes_a_typed_cell_and_its_unit(raw, cell, unit):
    assert coerce_cell(raw) == (cell, unit)


@pytest.mark.parametrize("marker", ["", " ", "-", "—", "–", "n/a", "N/A", "NA", "none",
                                    "null", "NaN", "?"])
def test_empty_markers_become_empty_cells(marker):
    assert coerce_cell(marker) == (None, "")


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf"), 10**400])
def test_numbers_that_are_not_finite_become_empty_cells(raw):
    assert coerce_cell(raw) == (None, "")


def test_a_very_long_text_cell_is_cut_to_the_cell_limit():
    cell, _ = coerce_cell("word " * 100)
    assert len(cell) == MAX_CELL_CHARS
    assert cell.startswith("word word")


def test_numbers_from_json_are_floats_not_ints():
    cell, _ = coerce_cell(3)
    assert type(cell) is float


def test_a_line_break_inside_a_label_becomes_a_space():
    assert coerce_cell("Sales\n(USD)") == ("Sales (USD)", "")
    assert coerce_cell("Q1\tSales") == ("Q1 Sales", "")


# --- Table.build -----------------------------------------------------------------------


def test_the_first_column_keeps_labels_as_text():
    table = Table.build(["Year", "Sales"], [[2021, 10], ["2022", 12], [2023.0, 15], [1.5, 1]])
    assert table.column("Year") == ["2021", "2022", "2023", "1.5"]
    assert table.column("Sales") == [10.0, 12.0, 15.0, 1.0]


def test_values_are_read_as_numbers_and_the_unit_is_remembered_per_column():
    table = Table.build(["Region", "Revenue", "Share"],
                        [["North", "$1,200", "40%"], ["South", "$1.8k", "60%"]])
    assert table.rows == (("North", 1200.0, 40.0), ("South", 1800.0, 60.0))
    assert table.units == {"Revenue": "$", "Share": "%"}


def test_units_given_by_the_caller_win_over_units_seen_in_cells():
    table = Table.build(["Item", "Price"], [["tea", "$3"]], units={"Price": "€"})
    assert table.units == {"Price": "€"}


def test_a_unit_seen_in_a_duplicate_column_lands_on_its_renamed_column():
    table = Table.build(["Year", "Sales", "Sales"], [["2021", "$5", "5%"]])
    assert table.columns == ("Year", "Sales", "Sales (2)")
    assert table.units == {"Sales": "$", "Sales (2)": "%"}


def test_short_rows_are_padded_and_long_rows_cut():
    table = Table.build(["Year", "A", "B"], [["2021", 1], ["2022", 1, 2, 3, 4]])
    assert table.rows == (("2021", 1.0, None), ("2022", 1.0, 2.0))


def test_rows_with_nothing_in_them_are_dropped():
    table = Table.build(["Year", "Sales"], [[None, None], ["", "n/a"], ["2021", 5], []])
    assert table.rows == (("2021", 5.0),)


def test_a_row_with_a_label_but_no_values_is_kept():
    table = Table.build(["Year", "Sales"], [["2021", 5], ["2022", "—"]])
    assert table.rows == (("2021", 5.0), ("2022", None))


def test_blank_column_names_are_numbered_and_duplicates_told_apart():
    table = Table.build(["", None, "x", "x", "x"], [["a", 1, 2, 3, 4]])
    assert table.columns == ("Column 1", "Column 2", "x", "x (2)", "x (3)")


def test_column_names_and_title_lose_markdown_and_space():
    table = Table.build([" **Year** ", "`Sales`"], [["2021", 1]], title="  **Sales by year** ")
    assert table.columns == ("Year", "Sales")
    assert table.title == "Sales by year"


def test_a_long_title_and_a_long_label_are_cut_to_their_limits():
    table = Table.build(["Name", "Value"], [["n" * 300, 1]], title="t" * 500)
    assert table.title == "t" * MAX_TITLE_CHARS
    assert table.rows[0][0] == "n" * MAX_CELL_CHARS


def test_a_single_column_table_reads_its_cells_as_numbers():
    table = Table.build(["Value"], [["12"], ["n/a"], ["7%"]])
    assert table.rows == ((12.0,), (7.0,))
    assert table.units == {"Value": "%"}


def test_rows_may_be_any_iterable_of_sequences():
    table = Table.build(("Year", "Sales"), (("2021", 1) for _ in range(2)))
    assert len(table.rows) == 2


def test_the_limits_themselves_are_allowed():
    wide = Table.build([f"c{i}" for i in range(MAX_COLUMNS)], [list(range(MAX_COLUMNS))])
    long = Table.build(["Row", "Value"], [[f"r{i}", i] for i in range(MAX_ROWS)])
    assert len(wide.columns) == MAX_COLUMNS
    assert len(long.rows) == MAX_ROWS


@pytest.mark.parametrize(("columns", "rows", "message"), [
    ([], [[1]], "the table has no columns"),
    (["Year", "Sales"], [], "the table has no rows"),
    (["Year", "Sales"], [[None, None], ["", "-"]], "the table has no rows"),
    ([f"c{i}" for i in range(MAX_COLUMNS + 1)], [[1] * (MAX_COLUMNS + 1)],
     f"a table may have at most {MAX_COLUMNS} columns"),
    (["Row", "Value"], [[f"r{i}", i] for i in range(MAX_ROWS + 1)],
     f"a table may have at most {MAX_ROWS} rows"),
])
def test_a_table_that_cannot_be_built_says_why_in_plain_words(columns, rows, message):
    with pytest.raises(TableError) as info:
        Table.build(columns, rows)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


# --- Table validation ------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "message"), [
    ({"columns": (), "rows": ()}, "a table needs at least one column"),
    ({"columns": tuple(f"c{i}" for i in range(MAX_COLUMNS + 1)), "rows": ()},
     f"a table may have at most {MAX_COLUMNS} columns"),
    ({"columns": ("a",), "rows": ((1.0,),) * (MAX_ROWS + 1)},
     f"a table may have at most {MAX_ROWS} rows"),
    ({"columns": ("a", "b"), "rows": (("x", 1.0), ("y",))},
     "row 2 has 1 cells but there are 2 columns"),
    ({"columns": ("a", "b"), "rows": (("x", float("inf")),)},
     "row 1 holds a number that is not finite"),
    ({"columns": ("a", "b"), "rows": (("x", float("nan")),)},
     "row 1 holds a number that is not finite"),
    ({"columns": ("a",), "rows": (("x" * (MAX_CELL_CHARS + 1),),)},
     f"row 1 holds a cell longer than {MAX_CELL_CHARS} chars"),
])
def test_a_table_built_directly_is_validated(fields, message):
    with pytest.raises(ValidationError, match=message):
        Table(**fields)


def test_a_table_built_directly_tidies_names_title_and_units():
    table = Table(columns=("a", "a", ""), rows=(("x", 1, None),), title=" **T** ",
                  units={"a (2)": "%", "gone": "$"})
    assert table.columns == ("a", "a (2)", "Column 3")
    assert table.rows == (("x", 1.0, None),)
    assert type(table.rows[0][1]) is float
    assert table.title == "T"
    assert table.units == {"a (2)": "%"}


def test_a_table_cannot_be_changed_in_place():
    table = sales()
    with pytest.raises(ValidationError):
        table.title = "Other"  # type: ignore[misc]
    assert table.title == "Sales by year"


def test_tables_with_the_same_content_are_equal():
    assert sales() == sales()
    assert sales() != Table.build(["Year", "Sales"], [["2021", 11]])


# --- label_column and numeric_columns --------------------------------------------------


def test_the_label_column_is_the_first_text_column_and_the_rest_are_numeric():
    table = Table.build(["Year", "Sales", "Share"], [["2021", 10, "40%"], ["2022", 12, None]])
    assert table.label_column == "Year"
    assert table.numeric_columns() == ["Sales", "Share"]


def test_the_label_column_need_not_come_first():
    table = Table(columns=("Sales", "Region"), rows=((1.0, "North"), (2.0, "South")))
    assert table.label_column == "Region"
    assert table.numeric_columns() == ["Sales"]


def test_with_only_numbers_the_first_column_names_the_rows():
    table = Table(columns=("x", "y"), rows=((1.0, 2.0), (2.0, 4.0)))
    assert table.numeric_columns() == ["x", "y"]
    assert table.label_column == "x"


def test_a_column_mixing_text_and_numbers_or_holding_nothing_is_not_numeric():
    table = Table.build(["Year", "Mixed", "Empty", "Sales"],
                        [["2021", 1, None, 5], ["2022", "about 3", None, 6]])
    assert table.column("Mixed") == [1.0, "about 3"]
    assert table.numeric_columns() == ["Sales"]


# --- to_csv ----------------------------------------------------------------------------


def test_the_csv_has_a_header_and_numbers_written_plainly():
    table = Table.build(["City", "Population", "Growth"],
                        [["Paris, FR", 2_100_000, "1.5%"], ["Rome", 2_800_000, None]])
    assert table.to_csv() == (
        "City,Population,Growth\n"
        '"Paris, FR",2100000,1.5\n'
        "Rome,2800000,\n"
    )


def test_the_csv_reads_back_as_the_same_table():
    table = Table.build(["Label", "A", "B"],
                        [['say "hi"', 1.25, -3], ["multi, part", None, 1e-3], ["中文", 7, 8]])
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert tuple(rows[0]) == table.columns
    assert Table.build(rows[0], rows[1:]) == table


def test_the_csv_export_keeps_every_digit_the_table_holds():
    table = Table.build(["Item", "Value"],
                        [["a", 1_234_567.5], ["b", 123_456.5], ["c", 12_345.678]])
    assert table.to_csv() == "Item,Value\na,1234567.5\nb,123456.5\nc,12345.678\n"


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text():
    table = Table.build(["=cmd", "Value"], [['=HYPERLINK("http://evil")', 1],
                                            ["@SUM(A1:A9)", 2], ["+1+cmd|' /C calc'!A0", 3],
                                            ["a-b", 4]])
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert rows == [["'=cmd", "Value"], ["'=HYPERLINK(\"http://evil\")", "1"],
                    ["'@SUM(A1:A9)", "2"], ["'+1+cmd|' /C calc'!A0", "3"], ["a-b", "4"]]


# --- to_text ---------------------------------------------------------------------------


def test_the_text_form_right_aligns_numbers_under_a_rule():
    assert sales().to_text() == (
        "Year  Sales\n"
        "────  ─────\n"
        "2021     10\n"
        "2022     12\n"
        "2023     15"
    )


def test_text_columns_are_left_aligned_and_trailing_space_is_dropped():
    table = Table.build(["Fruit", "Note", "Kg"],
                        [["Apple", "fresh", 1.5], ["Fig", None, 12], ["Kiwi", "ok", None]])
    assert table.to_text() == (
        "Fruit  Note   Kg\n"
        "─────  ─────  ───\n"
        "Apple  fresh  1.5\n"
        "Fig            12\n"
        "Kiwi   ok"
    )


def test_a_wide_header_pads_the_numbers_under_it():
    table = Table.build(["Year", "Revenue (USD)"], [["2021", 5], ["2022", 1250]])
    assert table.to_text().splitlines()[2:] == [
        "2021              5",
        "2022           1250",
    ]


def test_chinese_characters_count_as_two_columns_when_aligning():
    table = Table.build(["城市", "人口"], [["北京", 2189], ["上海市", "2,487"], ["Rome", 280]])
    assert table.to_text() == (
        "城市    人口\n"
        "──────  ────\n"
        "北京    2189\n"
        "上海市  2487\n"
        "Rome     280"
    )


def test_wide_characters_in_a_number_column_header_still_line_up():
    table = Table.build(["Item", "売上高"], [["A", 5], ["Bb", 123]])
    lines = table.to_text().splitlines()
    assert lines == [
        "Item  売上高",
        "────  ──────",
        "A          5",
        "Bb       123",
    ]
    assert {display_width(line) for line in lines} == {12}


@pytest.mark.parametrize(("text", "width"), [
    ("", 0), ("abc", 3), ("北京", 4), ("ｶﾀｶﾅ", 4), ("ＡＢ", 4), ("한국", 4), ("a北b", 4),
])
def test_display_width_counts_wide_and_fullwidth_characters_twice(text, width):
    assert display_width(text) == width


# --- summary ---------------------------------------------------------------------------


def test_the_summary_names_the_title_the_shape_and_the_columns():
    assert sales().summary() == "“Sales by year”: 3 rows × 2 columns (Year, Sales)"


def test_a_summary_without_a_title_starts_with_the_shape():
    table = Table.build(["Year", "Sales"], [["2021", 1], ["2022", 2]])
    assert table.summary() == "2 rows × 2 columns (Year, Sales)"


def test_a_single_row_is_described_in_the_singular():
    table = Table.build(["Year", "Sales"], [["2021", 1]])
    assert table.summary() == "1 row × 2 columns (Year, Sales)"


# --- format_number ---------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    (3.0, "3"),
    (-2.5, "-2.5"),
    (0.25, "0.25"),
    (-0.0, "0"),
    (2_100_000.0, "2100000"),
    (0.1 + 0.2, "0.3"),
    (2.5e6 / 3, "833333"),
    (0.00012345, "0.00012345"),
    (float("inf"), ""),
    (float("nan"), ""),
])
def test_numbers_are_printed_the_way_a_person_writes_them(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value", [3_300_000 * 1.1, 1_234_567.5, -2_500_000.25])
def test_a_large_number_with_a_fraction_is_never_written_in_scientific_notation(value):
    text = format_number(value)
    assert "e" not in text
    assert parse_number(text)[0] == pytest.approx(value)
