"""The conversation's own words (computed answers, buttons, guide, captions) in the language of
the moment: Chinese under speaking("zh"), English otherwise."""

from __future__ import annotations

import re

import pytest

from bot.conversation.engine import HELP_TEXT, computed_answer
from bot.conversation.quick_actions import actions_for
from bot.conversation.reply import chart_documents
from bot.sessions.store import Session
from bot.tables.queries import Query, QueryError, run_query
from bot.tables.table import Table
from bot.words.wording import speaking, t

SALES = Table.build(["Year", "Sales"], [["2021", 10], ["2022", 12], ["2023", 15]])
COMMANDS = re.compile(r"/[a-z]+")


def answer(op: str, *rows: str) -> str:
    return computed_answer(SALES, Query.model_validate({"op": op, "rows": rows}))


def labels(session: Session) -> list[str]:
    return [action.label for row in actions_for(session) for action in row]


def test_a_computed_answer_is_worded_in_the_language_of_the_moment() -> None:
    assert answer("max") == "2023 has the highest Sales: 15. (Rows used: all 3 rows.)"
    with speaking("zh"):
        assert answer("max") == "2023的Sales最高：15。（所用的行：全部3行）"
        assert answer("growth") == ("从2021到2023，Sales变化了+50%（从10到15）。"
                                    "（所用的行：2021、2023）")
        assert answer("rank", "2022") == "按Sales，2022在3行中排第2（12）。（所用的行：全部3行）"
        assert answer("share", "2021", "2022") == (
            "2021和2022合计占Sales总计的59.5%（总计37中的22）。（所用的行：全部3行）")
    assert answer("rank", "2022") == "2022 ranks 2nd of 3 by Sales (12). (Rows used: all 3 rows.)"


def test_tied_rows_are_joined_the_chinese_way() -> None:
    tied = Table.build(["Year", "Sales"], [["2021", 15], ["2022", 12], ["2023", 15]])
    query = Query(op="max")
    with speaking("zh"):
        assert run_query(tied, query).text == "2021和2023的Sales最高：15。"
    assert run_query(tied, query).text == "2021 and 2023 have the highest Sales: 15."


def test_why_a_question_cannot_be_answered_is_said_when_shown() -> None:
    with pytest.raises(QueryError) as raised:
        run_query(SALES, Query(op="sum", rows=("1999",)))
    with speaking("zh"):
        assert str(raised.value) == "没有名为“1999”的行"
        assert answer("ratio", "2021") == "我算不出来：计算比值需要恰好两行。"
    assert str(raised.value) == "there is no row called “1999”"
    assert answer("ratio", "2021") == "I couldn't work that out: a ratio needs exactly two rows."


def test_quick_action_buttons_are_labelled_in_the_language_of_the_moment() -> None:
    session = Session(conversation="telegram:1", version=4, table=SALES)
    with speaking("zh"):
        chinese = labels(session)
        voiced = labels(session.with_prefs(voice=True))
    english = labels(session)
    assert chinese == ["📈 折线图", "🥧 饼图", "⇣ 降序", "📋 表格", "🔊 语音"]
    assert english == ["📈 Line", "🥧 Pie", "⇣ Sort", "📋 Table", "🔊 Voice"]
    assert voiced[-1] == "🔇 关闭语音"
    # What a tap sends back does not depend on the language.
    with speaking("zh"):
        chinese_data = [a.data for row in actions_for(session) for a in row]
    assert chinese_data == [a.data for row in actions_for(session) for a in row]


def test_the_guide_keeps_its_commands_and_layout_in_chinese() -> None:
    with speaking("zh"):
        guide = t(HELP_TEXT)
    assert guide != HELP_TEXT and "饼图" in guide
    assert COMMANDS.findall(guide) == COMMANDS.findall(HELP_TEXT)
    assert guide.count("\n") == HELP_TEXT.count("\n")
    assert guide.count("•") == HELP_TEXT.count("•") == 4


def test_the_export_caption_is_said_in_the_language_of_the_moment() -> None:
    with speaking("zh"):
        _, svg = chart_documents(SALES, b"png", b"svg")
    assert svg.file_name == "chart.svg"
    assert svg.caption == "打印尺寸的图表（PNG），以及文字可以编辑的 SVG。/csv 可以发送数据。"
    assert chart_documents(SALES, b"png", b"svg")[1].caption.startswith("The chart at print size")
