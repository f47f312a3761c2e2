"""The input side's messages (images, table files, tables, charts, models, sandbox) are said in
the language of the moment they are shown, wherever the exception carrying them was raised."""

from __future__ import annotations

import asyncio
import io
import pickle
import random
import re
from collections.abc import Iterator

import httpx
import openai
import pytest
from PIL import Image

from bot.charts.render import ChartRenderer, render_png
from bot.charts.sandbox import SandboxError, run_chart_code
from bot.charts.sandbox_runner import MAX_CODE_BYTES
from bot.charts.spec import ChartSpec, ChartSpecError
from bot.llm import client as models
from bot.llm.client import ModelTimeout
from bot.llm.images import ImageRejected, check_declared, prepare_image
from bot.tables.files import TableFileRejected, read_table_file
from bot.tables.parsing import NoTableFound, parse_table
from bot.tables.table import MAX_ROWS, Table, TableError
from bot.words.locales.zh import MESSAGES
from bot.words.wording import Phrase, speaking

PROFITS = Table.build(["Region", "Profit"], [["North", 5], ["South", -3], ["East", 2]])


def said(exc: BaseException) -> tuple[str, str]:
    """(English, Chinese) of an exception's message, taken only now."""
    english = str(exc)
    with speaking("zh"):
        chinese = str(exc)
    return english, chinese


def noisy_png(width: int = 400, height: int = 300) -> bytes:
    pixels = random.Random(3).randbytes(width * height * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(buffer, "PNG")
    return buffer.getvalue()


# --- images ----------------------------------------------------------------------------


def test_an_oversized_image_is_refused_in_the_persons_language() -> None:
    with pytest.raises(ImageRejected) as info:
        check_declared(file_size=40 * 1024 * 1024)
    english, chinese = said(info.value)
    assert english == ("That file is 40 MB; I can read images up to 20 MB. "
                       "Send a screenshot or a smaller photo.")
    assert chinese == "这个文件有 40 MB，我最多能读 20 MB 的图片。请发送截图或更小的照片。"


async def test_a_corrupt_image_checked_in_a_thread_is_said_when_shown() -> None:
    data = bytearray(noisy_png())
    data[100:200] = bytes(100)
    with pytest.raises(ImageRejected) as info:
        await asyncio.to_thread(prepare_image, bytes(data))  # raised while speaking English
    english, chinese = said(info.value)
    assert "looks damaged or incomplete" in english
    assert chinese.startswith("这个图片文件似乎已损坏或不完整，我读不了。")
    assert "damaged" not in chinese


def test_an_unsupported_file_names_its_kind_in_the_same_language() -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    with pytest.raises(ImageRejected) as info:
        prepare_image(svg)
    english, chinese = said(info.value)
    assert english.startswith("I can't read an SVG drawing.")
    assert "PNG, JPEG, WebP, GIF or BMP" in english
    assert chinese == ("SVG 矢量图我读不了。请把图表以 PNG、JPEG、WebP、GIF 或 BMP 图片发送，"
                       "截图也可以。")


def test_a_too_large_image_says_megapixels_in_chinese() -> None:
    with pytest.raises(ImageRejected) as info:
        check_declared(file_size=1000, width=20_000, height=20_000)
    english, chinese = said(info.value)
    assert "20000×20000 pixels (400 megapixels)" in english
    assert "20000×20000 像素（400 百万像素）" in chinese
    assert "40 百万像素" in chinese


# --- table files, tables and the vision answer -----------------------------------------


async def test_a_table_file_refusal_carries_the_tables_reason_unsaid() -> None:
    with pytest.raises(TableFileRejected) as info:
        await asyncio.to_thread(read_table_file, b"Year,Sales\n,n/a\n", "sales.csv", None)
    english, chinese = said(info.value)
    assert english == ("I couldn't use that table: the table has no rows. "
                       "Save it as .csv (UTF-8) or .xlsx and send it again.")
    assert chinese == ("这个表格我用不了：表格没有任何数据行。"
                       "请另存为 .csv（UTF-8）或 .xlsx 后重新发送。")


def test_an_old_excel_file_is_refused_in_chinese() -> None:
    with pytest.raises(TableFileRejected) as info:
        read_table_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old.xls", None)
    english, chinese = said(info.value)
    assert "old Excel .xls" in english
    assert chinese == "我读不了旧版 Excel .xls 文件。请另存为 .xlsx 或 .csv 后重新发送。"


def test_a_table_validators_message_stays_a_phrase_through_pydantic() -> None:
    with pytest.raises(TableError) as info:
        Table.build(["Row", "Value"], [[f"r{i}", i] for i in range(MAX_ROWS + 1)])
    assert isinstance(info.value.reason, Phrase)
    assert said(info.value) == (f"a table may have at most {MAX_ROWS} rows",
                                f"表格最多只能有 {MAX_ROWS} 行")


def test_no_table_found_says_why_in_chinese() -> None:
    with pytest.raises(NoTableFound) as info:
        parse_table("| Year | Sales |\n|---|---|")
    assert said(info.value) == (
        "The table in the answer could not be used: the table has no rows.",
        "回答中的表格无法使用：表格没有任何数据行。",
    )


def test_the_table_summary_is_said_in_the_language_of_the_moment() -> None:
    table = Table.build(["Year", "Sales"], [["2023", 1]], title="Sales by year")
    assert table.summary() == "“Sales by year”: 1 row × 2 columns (Year, Sales)"
    with speaking("zh"):
        assert table.summary() == "“Sales by year”：1 行 × 2 列（Year, Sales）"


# --- charts ----------------------------------------------------------------------------


def test_a_pie_of_negative_numbers_is_refused_in_chinese() -> None:
    with pytest.raises(ChartSpecError) as info:
        render_png(PROFITS, ChartSpec(type="pie"))
    assert said(info.value) == ("a pie chart cannot show negative numbers", "饼图不能显示负数")


def test_a_missing_column_is_named_in_chinese() -> None:
    with pytest.raises(ChartSpecError) as info:
        ChartSpec(y=("Revenue",)).check(PROFITS)
    assert said(info.value) == ("there is no column called “Revenue”", "没有名为“Revenue”的列")


@pytest.fixture(scope="module")
def process_renderer() -> Iterator[ChartRenderer]:
    renderer = ChartRenderer(workers=1)
    yield renderer
    renderer.close()


async def test_a_chart_error_from_the_worker_process_is_said_in_the_parent(
    process_renderer: ChartRenderer,
) -> None:
    with speaking("zh"), pytest.raises(ChartSpecError) as info:
        await process_renderer.render(PROFITS, ChartSpec(type="donut"))
    assert type(info.value.__cause__).__name__ == "_RemoteTraceback"  # raised in the worker
    assert said(info.value) == ("a pie chart cannot show negative numbers", "饼图不能显示负数")


# --- models and the sandbox ------------------------------------------------------------


def test_a_model_timeout_is_said_when_shown_even_after_pickling() -> None:
    timeout = openai.APITimeoutError(request=httpx.Request("POST", "http://model.test/v1"))
    error = pickle.loads(pickle.dumps(models._final_error(timeout)))
    assert isinstance(error, ModelTimeout)
    assert said(error) == ("The model took too long to answer. Please try again in a moment.",
                           "模型回答超时了，请稍等片刻再试。")


async def test_overlong_chart_code_is_refused_in_chinese() -> None:
    with pytest.raises(SandboxError) as info:
        await run_chart_code("x = 1\n" * MAX_CODE_BYTES, PROFITS)
    size = MAX_CODE_BYTES // 1000
    assert said(info.value) == (f"The chart code is longer than {size} KB.",
                                f"图表代码超过了 {size} KB。")


def test_the_catalogue_is_written_in_chinese() -> None:
    for english, chinese in MESSAGES.items():
        assert chinese != english
        if re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", english)):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), english
