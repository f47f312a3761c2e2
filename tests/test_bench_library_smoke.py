"""The library benchmark still runs end to end and reports every figure (small, fast)."""

from bench.library import format_report, parse_args, run


async def test_the_library_benchmark_reports_all_figures():
    args = parse_args(["--pages", "6", "--charts", "3", "--vision-ms", "20",
                       "--instruct-ms", "10", "--libraries", "10"])
    report = await run(args)
    ours = report["pdf"]["replot"]
    baseline = report["pdf"]["baseline_every_page_one_at_a_time"]
    assert ours["vision_calls"] == 3 and baseline["vision_calls"] == 6
    assert ours["entries"] == baseline["entries"] == 3
    assert 0 < ours["stored_bytes"] < ours["stored_bytes_with_vectors"] < 64 * 1024
    retrieval = report["retrieval"]
    assert retrieval["right_first_lexical_pct"] >= 90
    assert retrieval["right_first_fake_embedding_pct"] >= 90
    text = format_report(report)
    for figure in ("seconds to summary", "vision calls", "lexical", "fake embedding"):
        assert figure in text
