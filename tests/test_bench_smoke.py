"""The load benchmark still runs end to end and reports every figure (2 chats, tiny latencies)."""

import math
import shutil

from bench.load import format_report, parse_args, run


def numbers(tree):
    """Every number in a nested report."""
    if isinstance(tree, dict):
        for value in tree.values():
            yield from numbers(value)
    elif isinstance(tree, (int, float)) and not isinstance(tree, bool):
        yield tree


async def test_the_load_benchmark_reports_all_figures(tmp_path):
    with_redis = shutil.which("redis-server") is not None
    argv = ["--chats", "2", "--vision-ms", "20", "--instruct-ms", "10", "--think-ms", "10",
            "--ramp-s", "0.05", "--timeout-s", "20", "--render-sessions", "1", "--baseline", "HEAD",
            "--json", str(tmp_path / "r.json")]
    report = await run(parse_args(argv + (["--redis"] if with_redis else [])))

    replies = report["replies"]
    assert replies["lost"] == 0 and replies["wrong_or_reordered"] == 0, replies["problems"]
    assert replies["total"] == 2 * 12 and replies["per_s"] > 0
    assert all(report["e2e_ms"][kind]["n"] > 0 for kind in report["e2e_ms"])
    assert report["overhead_ms"]["n"] == 2 * 9
    assert report["render_ms"]["p50"] > 0 and report["memory"]["bot_kb"] > 0
    assert set(report["renders"]) == {"today", "HEAD"}  # timed beside a baseline's renderer
    assert report["targets"]["overhead_p50_le_1.2x_k1"] is None  # no K = 1 report given
    assert report["memory"]["render_workers"] >= 1
    calls = report["model_calls"]
    # Each photo is read twice (READ_CHECK=on, the default): 8 calls a session and a check.
    assert calls["vision"] == 2 and calls["check_reads"] == 2 and calls["per_session"] == 9
    assert calls["extra_vision_calls"] == 0 and calls["extra_instruct_calls"] == 0
    assert calls["prompt_chars_per_edit"]["p50"] > 0 and report["unknown_images"] == 0
    if with_redis:
        assert report["redis"]["sessions"] == 2 and report["redis"]["payload_bytes_avg"] > 0
    assert not any(math.isnan(n) for n in numbers(report))

    text = format_report(report)
    for figure in ("overhead", "p99", "render", "RSS", "model calls", "prompt", "targets",
                   "load cost"):
        assert figure in text


async def test_the_edit_benchmark_reports_both_contracts(monkeypatch):
    from bench import edits as bench_edits

    monkeypatch.setattr(bench_edits, "SIZES", (10, 100))
    monkeypatch.setattr(bench_edits, "REQUESTS", bench_edits.REQUESTS[:2])  # a smoke test
    figures = await bench_edits.run(tokens_per_s=20_000, baseline_scale=1)
    assert len(figures) == 2 * len(bench_edits.REQUESTS) * 2
    ops = [f for f in figures if f.contract == "edits"]
    whole = {(f.rows, f.request): f for f in figures if f.contract == "whole table"}
    assert all(f.applied and f.model_calls == 1 and f.answer_tokens < 100 for f in ops)
    assert all(whole[(10, f.request)].applied for f in ops)
    # 100 rows typed back whole do not fit the answer: cut off, asked again, not applied.
    assert not any(whole[(100, f.request)].applied for f in ops)
    big = [f for f in ops if f.rows == 100]
    assert all(f.prompt_chars < whole[(100, f.request)].prompt_chars for f in big)
    text = bench_edits.report(figures, 20_000)
    assert "add row" in text and "NO (cut off)" in text


async def test_the_photo_capacity_benchmark_ramps_and_reports(tmp_path):
    from bench.capacity import format_report as capacity_report
    from bench.capacity import parse_args as capacity_args
    from bench.capacity import run as capacity_run

    argv = ["--baseline", "", "--start", "2", "--factor", "2", "--max-rate", "4",
            "--step-s", "1", "--vision-ms", "20", "--bound-ms", "60000",
            "--json", str(tmp_path / "c.json")]
    report = await capacity_run(capacity_args(argv))

    steps = report["steps"]["today"]
    assert [step["rate_per_s"] for step in steps] == [2, 4]
    assert all(step["lost"] == 0 and step["photos"] > 0 for step in steps)
    assert report["capacity_per_s"] == {"today": 4}
    assert report["cpu_ms_per_photo"]["today"] > 0
    assert "photo capacity" in capacity_report(report)


def test_the_render_comparison_times_both_renderers_per_kind():
    from bench.renders import KIND_NAMES, compare, figures, format_figures
    from bot.charts.render import render_png

    report = figures(compare({"a": render_png, "b": render_png}, sessions=1, rounds=1))
    assert set(report) == {"a", "b"}
    assert all(report["a"][kind] > 0 for kind in KIND_NAMES)
    assert report["a"]["cpu"] > 0 and report["b"]["n"] == 5
    assert "line, sorted" in format_figures(report)
