"""`python -m bot eval`: its options, and the run that builds the chart set, reads it with the
configured model (once, or twice as the bot does with --read-check) and prints the scores."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.charts.spec import CHART_TYPES
from bot.config import Settings, shown_url
from bot.evaluation.chartset import DISTORTIONS, build_chart_set, save_chart_set
from bot.evaluation.checking import run_check_eval
from bot.evaluation.runner import (
    PROMPTS,
    EvalOptions,
    evaluate,
    report,
    results_json,
    say,
    write_text,
)
from bot.llm.client import ModelClient
from bot.llm.images import ImageLimits


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m bot eval`."""
    parser.add_argument("--count", type=_positive_int,
                        help="charts to read (default: every chosen type × distortion once)")
    parser.add_argument("--seed", type=int, default=0, help="chart set seed (default 0)")
    parser.add_argument("--types", type=_choices(CHART_TYPES), default=CHART_TYPES,
                        help=f"comma-separated chart types (default all: {','.join(CHART_TYPES)})")
    parser.add_argument("--distortions", type=_choices(DISTORTIONS), default=DISTORTIONS,
                        help=f"comma-separated distortions (default all: {','.join(DISTORTIONS)})")
    parser.add_argument("--concurrency", type=_positive_int, default=4,
                        help="model requests at once (default 4)")
    parser.add_argument("--rate", type=float, default=2.0,
                        help="request starts per second, 0 for no limit (default 2)")
    parser.add_argument("--prompt-variant", choices=sorted(PROMPTS), default="default",
                        help="default: the bot's prompt; deplot: DePlot's one-liner; json")
    parser.add_argument("--max-side", type=_positive_int,
                        default=ImageLimits().max_side_for_model,
                        help="longest image side sent to the model (default %(default)s)")
    parser.add_argument("--jpeg-quality", type=_quality,
                        help="re-encode each image as JPEG at this quality (1-95) first")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="write per-item results and aggregates as JSON")
    parser.add_argument("--save", type=Path, metavar="DIR",
                        help="write the chart set: images, truth CSVs and manifest.json")
    parser.add_argument("--generate-only", action="store_true",
                        help="only build (and --save) the chart set; no model calls")
    parser.add_argument("--read-check", action="store_true",
                        help="read each chart twice as the bot does (READ_CHECK_MODEL) and "
                             "score the flags against the true tables (the bot's prompt)")


async def run_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Build the chart set, read it with the configured model, print and save the scores.

    Returns 0, or 1 when every request failed (a wrong endpoint, model or key).
    """
    if not args.generate_only:
        settings.require_model_key()
    types, distortions = tuple(args.types), tuple(args.distortions)
    count = args.count or len(types) * len(distortions)
    say(f"rendering {count} charts (seed {args.seed})…")
    items = await asyncio.to_thread(build_chart_set, args.seed, count, types, distortions)
    if args.save is not None:
        manifest = await asyncio.to_thread(save_chart_set, items, args.save, seed=args.seed)
        say(f"chart set written to {manifest.parent}")
    if args.generate_only:
        return 0
    options = EvalOptions(args.prompt_variant, args.max_side, args.jpeg_quality,
                          args.concurrency, args.rate)
    if args.read_check:
        return await run_check_eval(settings, args, items, options)
    models = ModelClient(settings)
    started = time.monotonic()
    try:
        await models.check_endpoint()
        results = await evaluate(models, items, options, progress=say)
    finally:
        await models.close()
    run = _run_info(settings, args, options, count, time.monotonic() - started)
    print(f"{count} charts read by {settings.vision_model} (prompt {options.prompt_variant}, "
          f"max side {options.max_side}, JPEG quality {options.jpeg_quality or 'off'})\n")
    print(report(results))
    if args.json is not None:
        text = json.dumps(results_json(results, run), ensure_ascii=False, indent=2)
        await asyncio.to_thread(write_text, args.json, text + "\n")
    return 1 if all(r.status == "error" for r in results) else 0


def _run_info(settings: Settings, args: argparse.Namespace, options: EvalOptions, count: int,
              seconds: float) -> dict[str, Any]:
    return {
        "vision_model": settings.vision_model, "llm_base_url": shown_url(settings.llm_base_url),
        "vision_url": shown_url(settings.vision_url), "vision_route": settings.vision_route,
        "image_format": settings.vision_image_format, "seed": args.seed, "count": count,
        "types": list(args.types), "distortions": list(args.distortions),
        "prompt_variant": options.prompt_variant, "max_side": options.max_side,
        "jpeg_quality": options.jpeg_quality, "concurrency": options.concurrency,
        "rate": options.rate, "seconds": round(seconds, 2),
    }


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _quality(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 95:
        raise argparse.ArgumentTypeError(f"JPEG quality must be 1-95, not {value}")
    return value


def _choices(allowed: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    """An argparse type for a comma-separated subset of `allowed`."""
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        unknown = [c for c in chosen if c not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown) or '(none given)'}; choose from "
                f"{', '.join(allowed)}")
        return chosen
    return parse
