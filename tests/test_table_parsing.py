"""parse_table and find_json against the answer shapes vision models produce."""

import contextlib
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.tables.parsing import NoTableFound, find_json, parse_table
from bot.tables.table import Table

YEAR_SALES = (("2020", 10.0), ("2021", 12.0))


def assert_table(
    table: Table,
    columns: tuple[str, ...],
    rows: tuple[tuple[object, ...], ...],
    title: str = "",
    units: dict[str, str] | None = None,
) -> None:
    assert table.columns == columns
    assert table.rows == rows
    assert table.title == title
    assert table.units == (units or {})


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_table_with_prose_heading_and_bold_cells() -> None:
    answer = """Here is the data I read from the chart:

### Sales by year
| Year | **Sales** | Profit |
|---|:---:|--:|
| **2020** | 10 | 2 |
| 2021 | 12 | **3** |

Let me know if you need anything else."""
    assert_table(
        parse_table(answer),
        ("Year", "Sales", "Profit"),
        (("2020", 10.0, 2.0), ("2021", 12.0, 3.0)),
        title="Sales by year",
    )


def test_markdown_table_without_outer_pipes_and_title_line() -> None:
    answer = "Title: Sales by year\n\nYear | Sales\n--- | ---\n2020 | 10\n2021 | 12\n"
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES, title="Sales by year")


def test_markdown_table_with_empty_cells_and_escaped_pipe() -> None:
    answer = "| Item | Q1 | Q2 |\n|:--|--:|--:|\n| A \\| B | 5 | |\n| C | - | 7 |"
    assert_table(
        parse_table(answer),
        ("Item", "Q1", "Q2"),
        (("A | B", 5.0, None), ("C", None, 7.0)),
    )


def test_grid_table_borders_are_ignored() -> None:
    answer = (
        "+------+-------+\n| Year | Sales |\n+======+=======+\n"
        "| 2020 | 10 |\n| 2021 | 12 |\n+------+-------+"
    )
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES)


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "Here you go:\n```csv\nYear,Sales\n2020,10\n2021,12\n```\nDone.",
        "```\nYear, Sales\n2020, 10\n2021, 12\n```",
        "```csv\nYear;Sales\n2020;10\n2021;12\n```",
        "```tsv\nYear\tSales\n2020\t10\n2021\t12\n```",
        "Year,Sales\n2020,10\n2021,12",
        "Year,Sales\n2020,10\n2021,12\n\nYear;Sales\n2020;10",
    ],
    ids=["csv-fence", "plain-fence", "semicolon", "tab", "unfenced", "two-unfenced"],
)
def test_delimited_tables(answer: str) -> None:
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES)


def test_csv_quoted_fields_keep_their_commas() -> None:
    answer = '```csv\nRegion,"Sales, total"\n"North, East","1,200"\nSouth,900\n```'
    assert_table(
        parse_table(answer),
        ("Region", "Sales, total"),
        (("North, East", 1200.0), ("South", 900.0)),
    )


def test_semicolon_csv_with_decimal_commas() -> None:
    answer = "```\nMonth;Rate\nJan;3,5\nFeb;4,25\n```"
    assert_table(parse_table(answer), ("Month", "Rate"), (("Jan", 3.5), ("Feb", 4.25)))


def test_csv_title_above_fence() -> None:
    answer = "**Monthly visitors**\n```csv\nMonth,Visitors\nJan,100\nFeb,120\n```"
    assert_table(
        parse_table(answer),
        ("Month", "Visitors"),
        (("Jan", 100.0), ("Feb", 120.0)),
        title="Monthly visitors",
    )


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        '{"columns": ["Year", "Sales"], "rows": [[2020, 10], [2021, 12]]}',
        '{"headers": ["Year", "Sales"], "data": [["2020", "10"], ["2021", "12"]]}',
        '[{"Year": 2020, "Sales": 10}, {"Year": 2021, "Sales": 12}]',
        '{"Year": [2020, 2021], "Sales": [10, 12]}',
        '[["Year", "Sales"], [2020, 10], [2021, 12]]',
        '{"columns": [{"name": "Year"}, {"name": "Sales"}],'
        ' "rows": [{"Year": 2020, "Sales": 10}, {"Year": 2021, "Sales": 12}]}',
        'Sure!\n```json\n{"columns": ["Year", "Sales"], "rows": [[2020, 10], [2021, 12],],}\n```\n',
        'The table is {"table": {"columns": ["Year", "Sales"], "rows": [[2020, 10], [2021, 12]]}}.',
    ],
    ids=[
        "columns-rows",
        "headers-data",
        "records",
        "column-oriented",
        "list-of-rows",
        "named-columns",
        "fenced-trailing-commas",
        "wrapped",
    ],
)
def test_json_tables(answer: str) -> None:
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES)


def test_json_title_and_records_under_data() -> None:
    answer = (
        '{"title": "Sales by year", '
        '"data": [{"Year": 2020, "Sales": 10}, {"Year": 2021, "Sales": 12}]}'
    )
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES, title="Sales by year")


def test_json_title_with_columns_rows_and_units() -> None:
    answer = (
        '{"title": "Share", "units": {"Share": "%"}, '
        '"columns": ["Brand", "Share"], "rows": [["A", 60], ["B", 40]]}'
    )
    assert_table(
        parse_table(answer),
        ("Brand", "Share"),
        (("A", 60.0), ("B", 40.0)),
        title="Share",
        units={"Share": "%"},
    )


def test_json_chart_series() -> None:
    answer = (
        '{"labels": ["Q1", "Q2"], "datasets": ['
        '{"label": "North", "data": [1, 2]}, {"label": "South", "data": [3]}]}'
    )
    assert_table(
        parse_table(answer),
        ("Label", "North", "South"),
        (("Q1", 1.0, 3.0), ("Q2", 2.0, None)),
    )


def test_json_odd_numbers_become_empty_cells() -> None:
    huge = "1" + "0" * 400
    answer = f'{{"columns": ["Year", "Sales"], "rows": [[2020, 1e999], [NaN, 5], [2022, {huge}]]}}'
    table = parse_table(answer)
    assert table.columns == ("Year", "Sales")
    assert table.rows == (("2020", None), (None, 5.0), ("2022", None))


# --- DePlot ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "TITLE | Sales by year <0x0A> Year | Sales <0x0A> 2020 | 10 <0x0A> 2021 | 12",
        "TITLE | Sales by year\nYear | Sales\n2020 | 10\n2021 | 12\n",
    ],
    ids=["escaped-newlines", "real-newlines"],
)
def test_deplot_with_title(answer: str) -> None:
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES, title="Sales by year")


def test_deplot_without_title_row() -> None:
    answer = "Year | Sales <0x0A> 2020 | 10 <0x0A> 2021 | 12"
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES)


# --- Numbers and units --------------------------------------------------------------------


def test_numbers_with_separators_currency_and_percent() -> None:
    answer = (
        "| Country | Population | Budget | Price | Cost | Growth |\n"
        "|---|---|---|---|---|---|\n"
        "| A | 1,234,567 | $1,200 | €3.5 | ¥3,000 | 12.5% |\n"
        "| B | 2,000 | $800 | €4 | ¥2,500 | -3% |\n"
    )
    assert_table(
        parse_table(answer),
        ("Country", "Population", "Budget", "Price", "Cost", "Growth"),
        (
            ("A", 1234567.0, 1200.0, 3.5, 3000.0, 12.5),
            ("B", 2000.0, 800.0, 4.0, 2500.0, -3.0),
        ),
        units={"Budget": "$", "Price": "€", "Cost": "¥", "Growth": "%"},
    )


# --- Chinese ---------------------------------------------------------------------------------


def test_chinese_table_with_fullwidth_pipes_digits_and_commas() -> None:
    answer = "标题：各年销售额\n年份 ｜ 销售额（万元）\n２０２０ ｜ １，２３４\n2021 ｜ 2,000\n"
    assert_table(
        parse_table(answer),
        ("年份", "销售额(万元)"),
        (("2020", 1234.0), ("2021", 2000.0)),
        title="各年销售额",
    )


def test_chinese_markdown_with_prose() -> None:
    answer = (
        "根据图表，数据如下：\n\n| 城市 | 占比 |\n|---|---|\n"
        "| 北京 | 35% |\n| 上海 | 65% |\n\n以上。"
    )
    assert_table(
        parse_table(answer),
        ("城市", "占比"),
        (("北京", 35.0), ("上海", 65.0)),
        units={"占比": "%"},
    )


# --- Aligned text and choosing between tables ------------------------------------------------


def test_whitespace_aligned_table() -> None:
    answer = "Region         Sales   Profit\nNorth America  10      2\nEurope         12      3\n"
    assert_table(
        parse_table(answer),
        ("Region", "Sales", "Profit"),
        (("North America", 10.0, 2.0), ("Europe", 12.0, 3.0)),
    )


def test_largest_of_several_tables_wins() -> None:
    answer = (
        "Summary:\n| Key | Value |\n|---|---|\n| Total | 22 |\n\n"
        "Details:\n```csv\nYear,Sales\n2020,10\n2021,12\n```"
    )
    assert_table(parse_table(answer), ("Year", "Sales"), YEAR_SALES)


# --- Failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   \n\t",
        "This is a photo of a cat.",
        "I cannot read this chart",
        "The values are either A | B, I am not sure.",
        "Sales rose, then fell.\nProfit fell, then rose.",
        "Sales  rose\nin 2021  12",
        '{"type": "bar", "title": "Sales"}',
        "[1] See the legend [2].",
        "| Year | Sales |\n|---|---|",
        "TITLE | Sales <0x0A> Year | Sales",
        '{"columns": ["Year", "Sales"], "rows": []}',
        "```csv\nYear,Sales\n```",
    ],
)
def test_no_table_raises_with_short_message(answer: str) -> None:
    with pytest.raises(NoTableFound) as info:
        parse_table(answer)
    message = str(info.value)
    assert message
    assert len(message) < 120


def test_header_only_message_says_there_are_no_rows() -> None:
    with pytest.raises(NoTableFound, match="no rows"):
        parse_table("| Year | Sales |\n|---|---|")


def test_too_many_columns_is_no_table_found() -> None:
    header = " | ".join(f"C{i}" for i in range(60))
    row = " | ".join(str(i) for i in range(60))
    with pytest.raises(NoTableFound, match="at most 40 columns"):
        parse_table(f"{header}\n{row}")


@pytest.mark.parametrize(
    "answer",
    [
        "[" + ", ".join(f'{{"k{i}": {i}}}' for i in range(10_000)) + "]",
        " | ".join(["h"] * 20_000) + "\n" + "a | 1\n" * 10_000,
        "[" + "[" + "1, " * 30_000 + "1]" + ", [1]" * 20_000 + "]",
    ],
    ids=["records-with-distinct-keys", "wide-pipe-header", "one-wide-json-row"],
)
def test_wide_tables_are_rejected_quickly(answer: str) -> None:
    started = time.monotonic()
    with pytest.raises(NoTableFound, match="at most 40 columns"):
        parse_table(answer)
    assert time.monotonic() - started < 3


def test_huge_garbage_is_bounded() -> None:
    rng = random.Random(7)
    alphabet = 'ab1,;|\t "{}[]\\:-\n<0x0A>'
    garbage = "".join(rng.choice(alphabet) for _ in range(1_000_000))
    started = time.monotonic()
    with contextlib.suppress(NoTableFound):
        parse_table(garbage)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "garbage",
    [
        "[" * 500_000,
        "{" * 250_000 + "}" * 250_000,
        '"\\' * 300_000,
        " " * 500_000 + "<0x0A>",
        "| a " * 200_000,
        "a,b\nc;d\n" * 50_000,
    ],
    ids=[
        "open-brackets",
        "deep-nesting",
        "escaped-quotes",
        "spaces",
        "one-long-pipe-line",
        "alternating-delimiters",
    ],
)
def test_adversarial_input_is_bounded(garbage: str) -> None:
    started = time.monotonic()
    with pytest.raises(NoTableFound):
        parse_table(garbage)
    assert find_json(garbage) is None
    assert time.monotonic() - started < 3


@settings(max_examples=300, deadline=None)
@given(
    st.text()
    | st.text(alphabet=st.sampled_from(list('|,;\t\n{}[]":-*# 0123456789.%$aB<0x0A>｜１'))),
)
def test_any_text_gives_a_table_or_no_table_found(answer: str) -> None:
    try:
        table = parse_table(answer)
    except NoTableFound as exc:
        assert str(exc)
    else:
        assert isinstance(table, Table)
        assert table.rows


# --- find_json -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ("[1, 2]", [1, 2]),
        ('```json\n{"type": "line"}\n```', {"type": "line"}),
        (
            'Sure, here it is:\n```json\n{"type": "line", "y": ["A"]}\n```\nEnjoy!',
            {"type": "line", "y": ["A"]},
        ),
        (
            'I suggest {"type": "bar", "title": "Sales {2021}"} for this.',
            {"type": "bar", "title": "Sales {2021}"},
        ),
        ('He said "hi {" then {"a": "x\\"}y"}', {"a": 'x"}y'}),
        ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
        ('{"a": "1,}"}', {"a": "1,}"}),
        ('{not json} but {"ok": true}', {"ok": True}),
        ('```\n{"plain": 1}\n```', {"plain": 1}),
    ],
    ids=[
        "bare-object",
        "bare-array",
        "fenced",
        "fenced-with-prose",
        "prose-around",
        "stray-quote-and-escape",
        "trailing-commas",
        "comma-in-string",
        "skips-invalid",
        "plain-fence",
    ],
)
def test_find_json(text: str, expected: object) -> None:
    assert find_json(text) == expected


def test_find_json_prefers_fenced_block() -> None:
    text = 'Options {"type": "bar"} were considered.\n```json\n{"type": "pie"}\n```'
    assert find_json(text) == {"type": "pie"}


@pytest.mark.parametrize(
    "text", ["", "no json here", "{unclosed", '"just a string"', "42", "[oops}"]
)
def test_find_json_none(text: str) -> None:
    assert find_json(text) is None
