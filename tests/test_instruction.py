"""The instruct model's answer is data: it is parsed, validated and merged, never executed."""

import json

import pytest

from bot.charts.spec import CHART_TYPES, ChartSpec
from bot.llm.instruction import (
    ANSWER_SCHEMA,
    InvalidAnswer,
    build_messages,
    parse_answer,
    reask_messages,
)
from bot.tables.table import Table

TABLE = Table.build(["Year", "Sales"], [["2021", 10], ["2022", 12], ["2023", 15]],
                    title="Sales by year")
BAR = ChartSpec(type="bar", title="Sales")


def test_prompt_is_compact_csv_with_only_changed_chart_settings():
    messages = build_messages(TABLE, BAR, "make it a pie chart")
    user = messages[-1]["content"]
    assert "Year,Sales\n2021,10\n2022,12\n2023,15\n" in user
    assert 'Chart: {"title":"Sales"}' in user
    assert user.endswith("Message: make it a pie chart")
    assert len(user) < 200


def test_chart_change_is_merged_into_the_current_spec():
    answer = 'Sure!\n```json\n{"reply": "Now a pie.", "table": null, "chart": {"type": "pie"}}\n```'
    result = parse_answer(answer, TABLE, BAR)
    assert result.reply == "Now a pie."
    assert result.table is None
    assert result.chart == ChartSpec(type="pie", title="Sales")


def test_new_table_is_typed():
    answer = json.dumps({
        "reply": "Added 2024.",
        "table": {"columns": ["Year", "Sales"],
                  "rows": [["2021", 10], ["2022", 12], ["2023", 15], ["2024", "1,050"]]},
        "chart": None,
    })
    result = parse_answer(answer, TABLE, BAR)
    assert result.table is not None
    assert result.table.rows[-1] == ("2024", 1050.0)
    assert result.table.title == "Sales by year"


def test_a_question_is_answered_in_words_only():
    answer = '{"reply": "2023 had the most sales.", "table": null, "chart": null}'
    result = parse_answer(answer, TABLE, BAR)
    assert (result.reply, result.table, result.chart) == ("2023 had the most sales.", None, None)


def test_an_unchanged_table_counts_as_no_change():
    answer = json.dumps({"reply": "ok", "table": {"columns": ["Year", "Sales"], "rows": [
        ["2021", 10], ["2022", 12], ["2023", 15]]}, "chart": {"title": "Sales"}})
    result = parse_answer(answer, TABLE, BAR)
    assert result.table is None and result.chart is None


@pytest.mark.parametrize(("answer", "problem"), [
    ("I would make it a pie chart.", "no JSON object"),
    ('{"reply": 3, "table": null, "chart": null}', '"reply" must be a string'),
    ('{"reply": "", "table": null, "chart": null}', "nothing changed"),
    ('{"reply": "x", "table": [1, 2], "chart": null}', '"table" must be an object'),
    ('{"reply": "x", "table": {"columns": ["A"], "rows": [[1, 2]]}, "chart": null}',
     "row 1 has 2 cells"),
    ('{"reply": "x", "table": null, "chart": {"type": "hologram"}}', 'chart setting "type"'),
    ('{"reply": "x", "table": null, "chart": {"colors": ["url(http://x)"]}}', "colour"),
    ('{"reply": "x", "table": null, "chart": "pie"}', '"chart" must be an object'),
])
def test_contract_violations_are_explained_for_the_reask(answer, problem):
    with pytest.raises(InvalidAnswer) as caught:
        parse_answer(answer, TABLE, BAR)
    assert problem in str(caught.value)


def test_reask_shows_the_model_its_answer_and_the_error():
    messages = build_messages(TABLE, BAR, "pie please")
    retry = reask_messages(messages, "nonsense", InvalidAnswer("no JSON object was found"))
    assert retry[:2] == messages
    assert retry[2] == {"role": "assistant", "content": "nonsense"}
    assert "no JSON object was found" in retry[3]["content"]


def test_code_in_an_answer_stays_inert_text():
    answer = json.dumps({"reply": "__import__('os').system('rm -rf /')", "table": None,
                         "chart": {"title": "{{7*7}} $(whoami)"}})
    result = parse_answer(answer, TABLE, BAR)
    assert result.reply == "__import__('os').system('rm -rf /')"
    assert result.chart is not None and result.chart.title == "{{7*7}} $(whoami)"


def keywords(schema):
    """Every JSON-schema keyword used in `schema` (property names excluded)."""
    found = set(schema)
    for key, value in schema.items():
        children = (value.values() if key == "properties" else value if key == "anyOf"
                    else [value] if key == "items" else [])
        for child in children:
            found |= keywords(child)
    return found


def test_guided_decoding_offers_every_chart_setting_with_its_choices():
    null, chart = ANSWER_SCHEMA["properties"]["chart"]["anyOf"]
    assert null == {"type": "null"}
    assert set(chart["properties"]) == set(ChartSpec.model_fields)
    assert chart["properties"]["type"]["enum"] == list(CHART_TYPES)
    assert "required" not in chart  # an answer names only the settings it changes
    assert keywords(ANSWER_SCHEMA) <= {"type", "enum", "anyOf", "items", "properties",
                                       "description", "required"}
    answer = {"reply": "Sorted.", "table": None, "chart": {"type": "pie", "sort": "value_desc"}}
    merged = parse_answer(json.dumps(answer), TABLE, BAR).chart
    assert merged == ChartSpec(type="pie", title="Sales", sort="value_desc")


# --- edits, and prompts that stay bounded as the table grows ---------------------------------


def wide_table(rows: int) -> Table:
    """rows × 6 columns, like a person's spreadsheet: dates, a region, four numbers."""
    return Table.build(
        ["Date", "Region", "Sales", "Cost", "Units", "Margin"],
        [[f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", ("North", "South", "East")[i % 3],
          round(100 + i * 3.37, 2), round(50 + i * 1.9, 1), i % 97, f"{i % 40}.5%"]
         for i in range(rows)], title="Daily sales")


def prompt_chars(table: Table) -> int:
    return sum(len(m["content"]) for m in build_messages(table, ChartSpec(type="line"),
                                                          "add a row 2025 = 50"))


def test_a_big_tables_prompt_is_bounded_and_barely_bigger_than_a_small_ones():
    small, big = prompt_chars(wide_table(40)), prompt_chars(wide_table(400))
    assert big < 10_000
    assert big <= 1.5 * small
    assert prompt_chars(wide_table(500)) < 10_000


def test_a_big_table_is_shown_as_columns_labels_and_a_sample():
    user = build_messages(wide_table(400), None, "sort by sales")[-1]["content"]
    assert "The table has 400 rows and 6 columns" in user
    assert "- Sales: numbers, 100 to 1444.63" in user
    assert "- Margin: numbers, unit %, 0.5 to 39.5" in user
    assert "- Region: text, e.g. North, South, East" in user
    assert "Row labels (column Date), in order: 2024-01-01, 2024-01-02" in user
    assert "more) …" in user and user.count("\n2024-") == 8  # the first 5 rows, the last 3
    assert "Table (CSV)" not in user


def test_an_edit_answer_is_applied_and_said_in_numbers():
    answer = json.dumps({"reply": "Done.", "edits": [
        {"op": "add_row", "values": {"Year": "2024", "Sales": 50}},
        {"op": "delete_rows", "where": "Sales < 11"}], "chart": None})
    result = parse_answer(answer, TABLE, BAR)
    assert result.table is not None and result.table.column("Year") == ["2022", "2023", "2024"]
    assert [str(c) for c in result.changes] == ["Added 1 row",
                                                "Removed 1 row where Sales < 11"]


def test_a_bad_edit_goes_back_to_the_model_naming_the_bad_part():
    answer = json.dumps({"reply": "ok", "edits": [
        {"op": "set_column", "column": "Sales", "formula": "Sales.__class__"}], "chart": None})
    with pytest.raises(InvalidAnswer) as caught:
        parse_answer(answer, TABLE, BAR)
    assert str(caught.value) == ("edit 1 (set_column): “.” at position 6 is not allowed in a "
                                 "formula")
    retry = reask_messages(build_messages(TABLE, BAR, "x"), answer, caught.value)
    assert "position 6 is not allowed" in retry[-1]["content"]


def test_a_whole_table_answer_is_refused_for_a_big_table():
    big = wide_table(100)
    answer = json.dumps({"reply": "ok", "chart": None, "table": {
        "columns": list(big.columns), "rows": [list(r) for r in big.rows[:-1]]}})
    with pytest.raises(InvalidAnswer, match='100 rows, too many to send back whole: give the '
                                            'change as "edits"'):
        parse_answer(answer, big, None)
