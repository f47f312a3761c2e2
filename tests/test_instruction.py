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
