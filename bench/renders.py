"""Chart render time, today's renderer beside a baseline build's, in one run.

The set is the charts a benchmark session draws (its photo's chart, then with an added row as
bar, pie, line and sorted line) for the first few chats. Each chart is drawn by both
renderers in turn, alternating which goes first, so a machine whose speed drifts (other
processes, frequency) slows both alike; figures are per chart kind and in all.

    python -m bench.renders [--baseline 4d2dfc2] [--sessions 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from bench.baseline import DEFAULT_REF, has_module, module_at
from bot.charts import render as chart
from bot.charts.spec import ChartSpec
from bot.tables.table import Table

Render = Callable[[Table, ChartSpec], bytes]
YEARS = ("2019", "2020", "2021", "2022", "2023")
KIND_NAMES = ("bar", "bar, row added", "pie", "line", "line, sorted")


def chat_rows(index: int) -> list[tuple[str, int]]:
    return [(year, 10 + (index * 7 + k * 11) % 40) for k, year in enumerate(YEARS)]


def chat_table(index: int) -> Table:
    return Table.build(["Year", "Sales"], chat_rows(index), title=f"Sales by year, shop {index}")


def session_charts(sessions: int) -> list[tuple[str, Table, ChartSpec]]:
    """(kind, table, spec) for the charts the first `sessions` chats draw."""
    charts = []
    for index in range(sessions):
        table = chat_table(index)
        added = Table.build(["Year", "Sales"], [*chat_rows(index), ("2024", 99)],
                            title=table.title)
        specs = ((table, ChartSpec(type="bar")), (added, ChartSpec(type="bar")),
                 (added, ChartSpec(type="pie")), (added, ChartSpec(type="line")),
                 (added, ChartSpec(type="line", sort="value_desc")))
        charts += [(kind, drawn, spec) for kind, (drawn, spec) in zip(KIND_NAMES, specs,
                                                                       strict=True)]
    return charts


def this_renderer() -> Render:
    """Today's render_png, with the font lookups remembered as in a render worker."""
    chart.prepare_worker()
    return chart.render_png


def baseline_renderer(ref: str) -> Render:
    # The renderer's module, and where it was before bot/ was grouped by concern (2026-12).
    name = next((n for n in ("bot.charts.render", "bot.chart") if has_module(ref, n)),
                "bot.charts.render")
    render: Render = module_at(ref, name).render_png
    return render


def _timed(render: Render, table: Table, spec: ChartSpec) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one render."""
    started, cpu = time.perf_counter(), time.process_time()
    render(table, spec)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


Samples = dict[str, dict[str, list[tuple[float, float]]]]


def compare(renderers: dict[str, Render], sessions: int = 8, rounds: int = 3) -> Samples:
    """(wall, CPU) milliseconds per renderer and chart kind; every chart drawn by each
    renderer in turn, `rounds` times, after one untimed round (a first render loads fonts)."""
    charts = session_charts(sessions)
    names = list(renderers)
    for _, table, spec in charts[:5]:
        for render in renderers.values():
            render(table, spec)
    samples: Samples = {n: defaultdict(list) for n in names}
    turn = 0
    for _ in range(rounds):
        for kind, table, spec in charts:
            order = names if turn % 2 == 0 else names[::-1]
            turn += 1
            for name in order:
                samples[name][kind].append(_timed(renderers[name], table, spec))
    return {name: dict(by_kind) for name, by_kind in samples.items()}


def p50(values: Sequence[float]) -> float:
    return round(statistics.median(values), 1) if values else float("nan")


def figures(samples: Samples) -> dict[str, Any]:
    """Per renderer: wall-clock p50 per kind and in all, p95 in all, and CPU p50 in all (the
    CPU time moves less than the wall time when other processes share the cores)."""
    out: dict[str, Any] = {}
    for name, by_kind in samples.items():
        every = sorted(wall for values in by_kind.values() for wall, _ in values)
        cpu = [ms for values in by_kind.values() for _, ms in values]
        out[name] = {**{kind: p50([wall for wall, _ in values])
                        for kind, values in by_kind.items()},
                     "all": p50(every), "p95": round(every[math.ceil(0.95 * len(every)) - 1], 1),
                     "cpu": p50(cpu), "n": len(every)}
    return out


def format_figures(report: dict[str, Any]) -> str:
    names = list(report)
    kinds = [*KIND_NAMES, "all", "p95", "cpu"]
    lines = ["chart render, ms, p50 by kind, p50 and p95 of all, CPU p50 of all ("
             + " / ".join(names) + "):"]
    for kind in kinds:
        values = [report[n].get(kind, float("nan")) for n in names]
        ratio = f"  = {values[0] / values[1]:.2f}x" if len(values) == 2 and values[1] else ""
        lines.append(f"  {kind:<16} " + " / ".join(f"{v:>6}" for v in values) + ratio)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.renders", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=DEFAULT_REF,
                        help="git ref of the build to compare with ('' for none)")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    renderers = {"today": this_renderer()}
    if args.baseline:
        renderers[args.baseline] = baseline_renderer(args.baseline)
    report = figures(compare(renderers, args.sessions, args.rounds))
    print(f"load {os.getloadavg()[0]:.2f} before the last round")
    print(format_figures(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
