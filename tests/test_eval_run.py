"""`python -m bot eval` against the fake model endpoint: chart set, scoring, report, CLI."""

import argparse
import asyncio
import hashlib
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from bot.charts.render import render_png
from bot.charts.spec import CHART_TYPES
from bot.config import Settings
from bot.evaluation.chartset import DISTORTIONS, build_chart_set, make_chart, plan
from bot.evaluation.command import add_eval_arguments, run_eval
from bot.evaluation.runner import DEPLOT_PROMPT, EvalOptions, RateLimiter, evaluate
from bot.llm.client import VISION_PROMPT, ModelClient
from bot.llm.images import ImageLimits, prepare_image
from bot.tables.table import format_cell
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLMResponse, error_body, images_in, prompt_text

SEED = 7
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIDE = ImageLimits().max_side_for_model


@pytest.fixture(scope="module")
def every_type():
    """One clean chart of each type."""
    return build_chart_set(SEED, len(CHART_TYPES), distortions=("clean",))


@pytest.fixture(scope="module")
def every_distortion():
    """One bar chart in every distortion (the same table each time)."""
    return build_chart_set(SEED, len(DISTORTIONS), types=("bar",))


def settings_for(fake_llm, **overrides):
    return Settings(_env_file=None, llm_base_url=fake_llm.base_url, llm_api_key=FAKE_LLM_KEY,
                    vision_image_format="image_url", llm_timeout=5, **overrides)


def markdown(table, scale=1.0, drop_row=None):
    """The table as the prompt asks a model to write it (units in the header, plain numbers),
    values scaled, one row left out."""
    names = [f"{name} ({table.units[name]})" if name in table.units else name
             for name in table.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(table.columns)]
    for i, row in enumerate(table.rows):
        if i == drop_row:
            continue
        cells = [row[0], *[v * scale if isinstance(v, float) else v for v in row[1:]]]
        lines.append("| " + " | ".join(format_cell(c) for c in cells) + " |")
    return "\n".join(lines) + f"\nTitle: {table.title}\nChart type: bar"


def digest(data):
    return hashlib.sha256(data).hexdigest()


class ChartReader:
    """A fake vision model that knows every chart of a set by the bytes it is sent."""

    def __init__(self, items, answer=None, max_side=DEFAULT_SIDE):
        limits = ImageLimits(max_side_for_model=max_side)
        self.by_image = {digest(prepare_image(i.image, limits).data): i for i in items}
        self.answer = answer or (lambda item: markdown(item.truth))
        self.seen = []

    def __call__(self, body):
        [image] = images_in(body)
        item = self.by_image.get(digest(image))
        asked = [m for m in body["messages"] if m["role"] != "system"]  # not /no_think
        self.seen.append((item, image, prompt_text({"messages": asked})))
        if item is None:
            return "NO CHART"
        return self.answer(item)


async def read_all(fake_llm, items, **options):
    models = ModelClient(settings_for(fake_llm))
    try:
        return await evaluate(models, items, EvalOptions(rate=0, **options))
    finally:
        await models.close()


# ---------------------------------------------------------------- the chart set


def test_the_same_seed_gives_the_same_set_and_another_seed_another(every_distortion):
    again = build_chart_set(SEED, len(DISTORTIONS), types=("bar",))
    assert [(i.id, i.image, i.truth, i.spec) for i in again] == [
        (i.id, i.image, i.truth, i.spec) for i in every_distortion]
    other = build_chart_set(SEED + 1, 1, types=("bar",))
    assert other[0].truth != every_distortion[0].truth


def test_every_distortion_is_a_readable_photo_of_the_same_table(every_distortion):
    clean = every_distortion[0]
    assert clean.image == render_png(clean.truth, clean.spec)
    assert [i.distortion for i in every_distortion] == list(DISTORTIONS)
    for item in every_distortion:
        assert item.truth == clean.truth
        with Image.open(io.BytesIO(item.image)) as image:
            image.load()
            photo = item.distortion in ("jpeg", "photo")
            assert (image.format, item.extension) == (("JPEG", "jpg") if photo else ("PNG", "png"))
            if item.distortion == "rotate":
                assert image.width > Image.open(io.BytesIO(clean.image)).width
        assert item.distortion == "clean" or item.image != clean.image


def test_tables_cover_the_promised_variety_and_always_draw():
    seen = {"negative": 0, "percent": 0, "cjk": 0, "long": 0, "large": 0, "log": 0}
    for seed in range(12):
        for chart_type in CHART_TYPES:
            table, spec = make_chart(seed, chart_type, 0)
            spec.check(table)
            values = [v for row in table.rows for v in row[1:]]
            assert 3 <= len(table.rows) <= 12 and 2 <= len(table.columns) <= 4
            if chart_type in ("pie", "donut"):
                assert len(table.columns) == 2 and min(values) > 0
            if chart_type == "bar_line":
                assert len(table.columns) >= 3
            if spec.log_y or chart_type == "stacked_area":
                assert min(values) > 0
            labels = [row[0] for row in table.rows]
            seen["negative"] += min(values) < 0
            seen["percent"] += "%" in table.units.values()
            seen["cjk"] += any("\u4e00" <= ch <= "\u9fff" for ch in labels[0])
            seen["long"] += max(len(label) for label in labels) > 20
            seen["large"] += max(values) >= 1e6
            seen["log"] += spec.log_y
    assert all(seen.values()), seen


def test_the_plan_cycles_types_then_distortions_then_rounds():
    planned = plan(9, types=("bar", "pie"), distortions=("clean", "blur"))
    assert [(p.chart_type, p.distortion, p.round) for p in planned] == [
        ("bar", "clean", 0), ("pie", "clean", 0), ("bar", "blur", 0), ("pie", "blur", 0),
        ("bar", "clean", 1), ("pie", "clean", 1), ("bar", "blur", 1), ("pie", "blur", 1),
        ("bar", "clean", 2)]
    assert planned[0].id == "000-bar-clean"


# ---------------------------------------------------------------- reading and scoring


async def test_a_perfect_reader_scores_one_on_every_chart_type(fake_llm, every_type):
    reader = ChartReader(every_type)
    fake_llm.responder = reader
    results = await read_all(fake_llm, every_type)
    assert [r.chart_type for r in results] == list(CHART_TYPES)
    for result in results:
        assert result.status == "ok", result
        assert result.f1 == pytest.approx(1.0) and result.exact, result
        assert result.reference_f1 == pytest.approx(1.0), result
    assert all(prompt == VISION_PROMPT for _, _, prompt in reader.seen)


async def test_a_sloppy_reader_scores_in_between(fake_llm, every_type):
    fake_llm.responder = ChartReader(every_type, lambda item: markdown(
        item.truth, scale=1.07, drop_row=len(item.truth.rows) // 2))
    results = await read_all(fake_llm, every_type)
    for result in results:
        # every kept entry is 7 % off (0.93 of it counts) and one row of 3-12 is missing
        assert result.precision == pytest.approx(0.93, abs=1e-4)
        assert 0.6 < result.recall < result.precision
        assert 0.7 < result.f1 < 0.9 and not result.exact
        # the reference also counts the (right) title as one entry
        assert result.f1 < result.reference_f1 < 0.92


async def test_garbage_is_a_parse_failure_and_a_refusal_an_error(fake_llm, every_distortion):
    def answer(item):
        if item.distortion in ("rotate", "photo"):
            return FakeLLMResponse(status=400, body=error_body("bad image", 400))
        return "I like turtles."

    fake_llm.responder = ChartReader(every_distortion, answer)
    results = await read_all(fake_llm, every_distortion)
    by_status = {r.distortion: r.status for r in results}
    assert by_status["rotate"] == "error" and by_status["clean"] == "parse_failure"
    assert all(r.f1 == 0.0 and r.reference_f1 == 0.0 for r in results)
    assert "refused" in next(r.error for r in results if r.status == "error")


async def test_the_extraction_levers_reach_the_request(fake_llm, every_distortion):
    clean = every_distortion[:1]
    reader = ChartReader(clean, max_side=512)
    fake_llm.responder = reader
    [plain] = await read_all(fake_llm, clean, prompt_variant="deplot", max_side=512)
    [(item, image, prompt)] = reader.seen
    assert prompt == DEPLOT_PROMPT and item is not None and plain.f1 == 1.0
    with Image.open(io.BytesIO(image)) as opened:
        assert max(opened.size) == 512
    [jpeg] = await read_all(fake_llm, clean, prompt_variant="json", max_side=512,
                            jpeg_quality=10)
    (item, image, prompt) = reader.seen[-1]
    assert item is None and "JSON" in prompt  # the JPEG artefacts changed the pixels
    with Image.open(io.BytesIO(image)) as opened:
        assert opened.format == "JPEG" and max(opened.size) == 512
    assert jpeg.status == "parse_failure"


async def test_concurrency_is_bounded(fake_llm, every_type):
    running, peak = 0, 0

    async def slow(body):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        return "NO CHART"

    fake_llm.responder = slow
    results = await read_all(fake_llm, every_type[:6], concurrency=2)
    assert peak == 2 and len(results) == 6


async def test_the_rate_limiter_spaces_request_starts():
    limiter = RateLimiter(50)
    started = time.monotonic()
    await asyncio.gather(*(limiter.wait() for _ in range(6)))
    assert time.monotonic() - started >= 5 / 50 * 0.9


# ---------------------------------------------------------------- the command


def eval_args(*argv):
    parser = argparse.ArgumentParser()
    add_eval_arguments(parser)
    return parser.parse_args(list(argv))


async def test_the_command_reports_saves_and_writes_json(fake_llm, tmp_path, capsys):
    items = build_chart_set(SEED, 4, types=("bar", "pie"), distortions=("clean", "blur"))
    fake_llm.responder = ChartReader(items)
    out, saved = tmp_path / "run.json", tmp_path / "set"
    args = eval_args("--count", "4", "--seed", str(SEED), "--types", "bar,pie",
                     "--distortions", "clean,blur", "--rate", "0", "--json", str(out),
                     "--save", str(saved))
    assert await run_eval(settings_for(fake_llm), args) == 0
    printed = capsys.readouterr()
    assert "by chart type" in printed.out and "by distortion" in printed.out
    assert "[4/4]" in printed.err and "F1=1.00" in printed.err
    data = json.loads(out.read_text())
    assert set(data) == {"run", "metrics", "aggregates", "items"}
    assert "deplot/metrics.py" in " ".join(data["metrics"].values())
    assert set(data["aggregates"]) == {"total", "by_type", "by_distortion"}
    assert set(data["aggregates"]["by_distortion"]) == {"clean", "blur"}
    assert data["aggregates"]["total"] == {
        "n": 4, "precision": 1.0, "recall": 1.0, "f1": 1.0, "reference_precision": 1.0,
        "reference_recall": 1.0, "reference_f1": 1.0, "exact": 1.0, "parse_failures": 0.0,
        "errors": 0.0}
    assert {"id", "chart_type", "distortion", "status", "precision", "recall", "f1", "exact",
            "reference_precision", "reference_recall", "reference_f1", "answer",
            "prediction_csv"} <= set(data["items"][0])
    assert "DePlot F1" in printed.out and "deplot/metrics.py" in printed.out
    assert data["run"]["seed"] == SEED and data["run"]["prompt_variant"] == "default"
    manifest = json.loads((saved / "manifest.json").read_text())
    assert [m["id"] for m in manifest["items"]] == [i.id for i in items]
    for item in items:
        assert (saved / f"{item.id}.{item.extension}").read_bytes() == item.image
        assert (saved / f"{item.id}.csv").read_text() == item.truth.to_csv()


async def test_generate_only_needs_no_model(tmp_path):
    args = eval_args("--count", "2", "--types", "pie", "--generate-only", "--save",
                     str(tmp_path))
    settings = Settings(_env_file=None, llm_api_key=None)
    assert await run_eval(settings, args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "000-pie-clean.csv", "000-pie-clean.png", "001-pie-rotate.csv", "001-pie-rotate.png",
        "manifest.json"]


def test_unknown_types_are_refused(capsys):
    with pytest.raises(SystemExit):
        eval_args("--types", "pie,hexagon")
    assert "hexagon" in capsys.readouterr().err


async def test_the_cli_runs_end_to_end_against_the_endpoint(fake_llm, tmp_path):
    items = build_chart_set(SEED, 6)
    fake_llm.responder = ChartReader(items)
    env = {**os.environ, "LLM_BASE_URL": fake_llm.base_url, "LLM_API_KEY": FAKE_LLM_KEY,
           "VISION_IMAGE_FORMAT": "image_url", "PYTHONPATH": str(ROOT)}
    out = tmp_path / "run.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "eval", "--count", "6", "--seed", str(SEED),
        "--rate", "0", "--json", str(out), "--save", str(tmp_path / "set"),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert "total" in stdout.decode() and "[6/6]" in stderr.decode()
    assert json.loads(out.read_text())["aggregates"]["total"]["f1"] == 1.0
    for item in items:  # the set is byte-identical in another process
        assert (tmp_path / "set" / f"{item.id}.{item.extension}").read_bytes() == item.image
