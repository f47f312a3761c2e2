"""Generated libraries for the library tests and bench: charts with known tables, a PDF
report mixing chart pages and text pages, a vision stand-in that tells the charts apart
by their bar colour (as a real model tells them apart by what they show), and `LibraryModel`,
which also answers library questions as an instruct model would (the stories on Telegram and
Discord share it).
"""

from __future__ import annotations

import io
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from PIL import Image

from bot.charts.render import render_png
from bot.charts.spec import ChartSpec
from bot.tables.table import Table
from tests.bot_harness import ChartModel
from tests.fakes.llm_api import FakeLLMResponse, images_in, prompt_text


@dataclass(frozen=True)
class Topic:
    title: str
    label: str
    column: str
    labels: tuple[str, ...]
    color: str  # the bar colour, which is how the vision stand-in recognises the chart
    question: str  # a question only this chart answers


TOPICS = (
    Topic("Revenue by region", "Region", "Revenue", ("North", "South", "East", "West"),
          "#d62728", "which region had the highest revenue?"),
    Topic("Rainfall by month", "Month", "Rainfall (mm)", ("Jan", "Feb", "Mar", "Apr"),
          "#1f77b4", "how much rainfall fell in total?"),
    Topic("Average temperature", "Month", "Temperature", ("Jan", "Feb", "Mar", "Apr"),
          "#ff7f0e", "what was the warmest temperature?"),
    Topic("Staff headcount", "Team", "Employees", ("Sales", "Support", "Research"),
          "#2ca02c", "which team has the most employees?"),
    Topic("Website visitors", "Quarter", "Visitors", ("Q1", "Q2", "Q3", "Q4"),
          "#9467bd", "how did website visitors grow?"),
    Topic("Operating costs", "Quarter", "Costs", ("Q1", "Q2", "Q3", "Q4"),
          "#8c564b", "what were the operating costs in Q3?"),
    Topic("Market share", "Brand", "Share", ("Acme", "Globex", "Initech"),
          "#e377c2", "what market share does Acme hold?"),
    Topic("Electricity production", "Source", "Output", ("Coal", "Gas", "Solar", "Wind"),
          "#7f7f7f", "which source produces the most electricity?"),
    Topic("Student enrolment", "Year", "Students", ("2020", "2021", "2022", "2023"),
          "#bcbd22", "how many students enrolled in 2023?"),
    Topic("Coffee exports", "Country", "Tonnes", ("Brazil", "Vietnam", "Colombia"),
          "#17becf", "which country exports the most coffee?"),
    Topic("Hospital admissions", "Ward", "Patients", ("Cardiology", "Oncology", "Surgery"),
          "#000080", "which ward admitted the most patients?"),
    Topic("Bicycle sales", "Year", "Bikes sold", ("2020", "2021", "2022", "2023"),
          "#808000", "how many bikes were sold in 2022?"),
)


def table_of(topic: Topic, seed: int = 0) -> Table:
    rng = random.Random(f"{topic.title}:{seed}")
    rows = [[label, rng.randint(10, 99)] for label in topic.labels]
    return Table.build([topic.label, topic.column], rows, title=topic.title)


def chart_image(topic: Topic) -> bytes:
    """The topic's chart as a person would send it, bars in the topic's colour."""
    return render_png(table_of(topic), ChartSpec(type="bar", colors=(topic.color,)))


def vision_answer(table: Table) -> str:
    lines = [f"| {' | '.join(table.columns)} |", "|" + "---|" * len(table.columns)]
    for row in table.rows:
        lines.append("| " + " | ".join(
            f"{c:g}" if isinstance(c, float) else str(c) for c in row) + " |")
    return "\n".join(lines) + f"\n\nTitle: {table.title}\nChart type: bar"


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def topic_in(image: bytes) -> Topic | None:
    """The topic whose bar colour covers most of the image, if any."""
    with Image.open(io.BytesIO(image)) as opened:
        pixels = np.asarray(opened.convert("RGB").resize((64, 64)), dtype=np.int32)
    palette = np.array([_rgb(topic.color) for topic in TOPICS], dtype=np.int32)
    distances = ((pixels.reshape(-1, 1, 3) - palette.reshape(1, -1, 3)) ** 2).sum(axis=2)
    nearest = distances.argmin(axis=1)
    close = distances.min(axis=1) < 900
    votes = Counter(int(i) for i in nearest[close])
    if not votes:
        return None
    index, count = votes.most_common(1)[0]
    return TOPICS[index] if count >= 20 else None


def read_by_colour(body: dict) -> FakeLLMResponse | None:  # type: ignore[type-arg]
    """The vision stand-in: the table of the chart in the request's image, or NO CHART."""
    images = images_in(body)
    if not images:
        return None
    topic = topic_in(images[0])
    return FakeLLMResponse(vision_answer(table_of(topic)) if topic else "NO CHART")


@dataclass
class LibraryModel(ChartModel):
    """Reads charts by colour; answers library questions as an instruct model would. `delay`
    slows every answer (a PDF still being read when /cancel comes)."""

    delay: float = 0.0

    def __call__(self, body: dict[str, Any]) -> FakeLLMResponse:
        answer = self._answer(body)
        answer.delay = max(answer.delay, self.delay)
        return answer

    def _answer(self, body: dict[str, Any]) -> FakeLLMResponse:
        read = read_by_colour(body)
        if read is not None:
            return read
        text = prompt_text(body)
        message = re.split(r"\n(?:Message|Question|Request): ", text)[-1].strip()
        self.seen.append(message)
        blocks = re.findall(r"Chart #(\d+): \"([^\"]*)\"\n(?:Units: .*\n)?Table \(CSV\):\n(.*)",
                            text)
        charts = {i: title for i, title, _ in blocks}
        if text.startswith("You answer a person's question"):
            said = set(re.findall(r"\w{4,}", message.lower()))
            uses = [{"entry": int(i), "query": {"op": "max"}} for i, title, header in blocks
                    if said & set(re.findall(r"\w{4,}", f"{title} {header}".lower()))]
            return FakeLLMResponse(json.dumps({"reply": "Here is what your charts say.",
                                               "uses": uses}))
        if text.startswith("You build one new table"):
            columns = [{"entry": int(i), "column": next(
                t.column for t in TOPICS if t.title == title), "name": title.split()[0]}
                for i, title in charts.items()]
            return FakeLLMResponse(json.dumps({"reply": "Side by side.", "title": "Both",
                                               "columns": columns}))
        if "library of charts" in text and ("which" in message or "side by side" in message
                                            or "compare" in message):
            return FakeLLMResponse(json.dumps({"reply": "", "table": None, "chart": None,
                                               "library": {"entries": [],
                                                           "combine": "side by side" in message}}))
        rows = []
        match = re.search(r"Table \(CSV\):\n(.*?)\nChart:", text, re.DOTALL)
        if match:
            rows = [line.split(",") for line in match.group(1).splitlines()]
        return FakeLLMResponse(json.dumps(self.answer(message, rows)))


def report_pdf(pages: int = 30, charts: int = 12, *, seed: int = 0) -> tuple[bytes, list[int]]:
    """A report: `charts` pages each with one topic's bar chart (vector, as most reports
    are drawn), the other pages plain text. Returns the PDF and the chart page numbers."""
    rng = random.Random(seed)
    chart_pages = sorted(rng.sample(range(1, pages + 1), charts))
    topics = iter(TOPICS * (charts // len(TOPICS) + 1))
    out = io.BytesIO()
    # No creation date: the same report is the same bytes in every process (test ids use it).
    with PdfPages(out, metadata={"CreationDate": None}) as pdf:
        for number in range(1, pages + 1):
            figure = plt.figure(figsize=(8.27, 11.69))
            if number in chart_pages:
                topic = next(topics)
                table = table_of(topic)
                ax = figure.add_axes((0.12, 0.35, 0.8, 0.4))
                ax.bar([str(r[0]) for r in table.rows], [float(r[1] or 0) for r in table.rows],
                       color=topic.color)
                ax.set_title(topic.title)
                figure.text(0.1, 0.9, f"Section {number}: {topic.title.lower()}", fontsize=14)
            else:
                body = "\n".join(
                    f"Paragraph {i}: the committee reviewed the figures for page {number}."
                    for i in range(1, 12))
                figure.text(0.1, 0.9, f"Page {number}", fontsize=14)
                figure.text(0.1, 0.5, body, fontsize=10)
            pdf.savefig(figure)
            plt.close(figure)
    return out.getvalue(), chart_pages
