"""/export: the chart as files to keep, a print-size PNG and an SVG whose text stays text."""

import io
import xml.etree.ElementTree as ET

from PIL import Image

from bot.charts.render import EXPORT_SCALE, render_files
from bot.charts.spec import ChartSpec
from bot.tables.table import Table
from tests.bot_harness import ChartModel, chart_photo, start_bot

CHAT = 7007
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


async def test_export_sends_the_current_chart_as_png_and_svg(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_text(CHAT, "/export")
        [nothing] = await fake_telegram.wait_for(CHAT)
        assert nothing.plain_text.startswith("Send me a chart photo first")

        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a line chart")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "/export")
        png, svg = await fake_telegram.wait_for(CHAT, 2)
    assert (png.method, png.file_name) == ("sendDocument", "Sales_by_year.png")
    assert (svg.method, svg.file_name) == ("sendDocument", "Sales_by_year.svg")
    assert "SVG" in svg.plain_text and "/csv" in svg.plain_text
    with Image.open(io.BytesIO(png.file)) as big, Image.open(io.BytesIO(chart.file)) as shown:
        assert big.format == "PNG"
        assert big.size == (shown.size[0] * EXPORT_SCALE, shown.size[1] * EXPORT_SCALE)
    texts = svg_texts(svg.file)
    assert "Sales by year" in texts and "2023" in texts
    assert ET.fromstring(svg.file).find(f".//{SVG}path") is not None  # the line, drawn
    assert len(fake_llm.chat_requests) == 2  # exporting asks no model


def test_svg_text_from_the_table_is_escaped_not_markup():
    table = Table.build(["城市", "Sales"], [["北京", 10], ["<script>alert(1)</script>", 12]],
                        title='Q3 & "more" <b>bold</b>')
    _, svg = render_files(table, ChartSpec(type="bar", value_labels=True))
    root = ET.fromstring(svg)
    assert not [node for node in root.iter() if node.tag.endswith(("script", "b"))]
    texts = svg_texts(svg)
    assert 'Q3 & "more" <b>bold</b>' in texts
    assert "<script>alert(1)</script>" in texts and "北京" in texts
