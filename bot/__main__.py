"""`python -m bot` runs the bot on Telegram, `python -m bot discord` on Discord; `check` checks
the set-up, `extract CHART.png` reads one chart without a chat app, `eval` scores the vision
model on generated charts. This launcher is the one place in bot/ that knows the front ends."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from bot.checkup import FrontEndCheck
from bot.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    extract = sub.add_parser("extract", help="print the table the vision model reads from an image")
    extract.add_argument("image", type=Path)
    extract.add_argument("--chart", type=Path, help="also write the re-rendered chart (PNG)")
    from bot.evaluation.command import add_eval_arguments

    add_eval_arguments(sub.add_parser("eval", help="score the vision model on generated charts"))
    sub.add_parser("webhook", help="serve Telegram webhooks (WEBHOOK_URL, WEBHOOK_SECRET, PORT)")
    sub.add_parser("discord", help="run the Discord front end (DISCORD_BOT_TOKEN)")
    sub.add_parser("check", help="check the token, the model endpoint (one round trip per "
                   "model), store, voice and fonts")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.secrets())
        if args.command == "extract":
            return asyncio.run(run_extract(settings, args.image, args.chart))
        if args.command == "check":
            from bot.checkup import run_check

            return asyncio.run(run_check(settings, front_end_checks(settings)))
        if args.command == "eval":
            from bot.evaluation.command import run_eval

            return asyncio.run(run_eval(settings, args))
        if args.command == "discord":
            from handlers.discord.app import run

            return run(settings)
        return run_bot(settings, webhook=args.command == "webhook")
    except ConfigError as exc:
        print(f"replot: {exc}", file=sys.stderr)
        return 2


def front_end_checks(settings: Settings) -> list[FrontEndCheck]:
    """The check of each chat platform whose token is set (Telegram's when none is)."""
    checks: list[FrontEndCheck] = []
    if settings.telegram_bot_token is not None or settings.discord_bot_token is None:
        from handlers.telegram.check import check_telegram

        checks.append(check_telegram)
    if settings.discord_bot_token is not None:
        from handlers.discord.check import check_discord

        checks.append(check_discord)
    return checks


def run_bot(settings: Settings, *, webhook: bool = False) -> int:
    """The Telegram front end: polling by default, or serving webhooks."""
    from handlers.telegram.app import run

    return run(settings, webhook=webhook)


async def run_extract(settings: Settings, image_path: Path, chart_path: Path | None) -> int:
    """Read one chart image through the configured vision model and print its table."""
    from bot.charts.render import render_png
    from bot.llm.client import ModelClient, ModelError
    from bot.llm.images import ImageRejected, prepare_image
    from bot.llm.read_check import ReadCheck
    from bot.llm.reading import read_checked
    from bot.tables.parsing import NoTableFound

    settings.require_model_key()
    try:
        data = await asyncio.to_thread(image_path.read_bytes)
    except OSError as exc:
        print(f"replot: cannot read {image_path}: {exc.strerror}", file=sys.stderr)
        return 1
    models = ModelClient(settings)
    try:
        await models.check_endpoint()
        image = prepare_image(data)
        check = ReadCheck(settings.read_check_model) if settings.read_check == "on" else None
        reading = await read_checked(models, image, check, wait_for_check=True)
    except (ImageRejected, ModelError, NoTableFound) as exc:
        print(f"replot: {exc}", file=sys.stderr)
        return 1
    finally:
        await models.close()
    table, spec = reading.table, reading.spec
    if table.title:
        print(table.title)
    print(table.to_text())
    print(f"(chart type: {spec.type}{', log scale' if spec.log_y else ''})")
    if check is not None:
        print(f"read check: {len(reading.flags)} cell(s) read differently"
              if reading.checked else "read check: the second read failed (see the log)")
        for flag in reading.flags:
            print(f"  {flag.describe()}")
    if chart_path is not None:
        await asyncio.to_thread(chart_path.write_bytes, render_png(table, spec))
        print(f"chart written to {chart_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
