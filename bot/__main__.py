"""`python -m bot` runs the bot. `python -m bot check` checks the set-up, `extract CHART.png`
reads one chart without Telegram, `eval` scores the vision model on generated charts."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    extract = sub.add_parser("extract", help="print the table the vision model reads from an image")
    extract.add_argument("image", type=Path)
    extract.add_argument("--chart", type=Path, help="also write the re-rendered chart (PNG)")
    from bot.evaluation.runner import add_eval_arguments

    add_eval_arguments(sub.add_parser("eval", help="score the vision model on generated charts"))
    sub.add_parser("webhook", help="serve Telegram webhooks (WEBHOOK_URL, WEBHOOK_SECRET, PORT)")
    sub.add_parser("check", help="check the token, model endpoint, store, voice and fonts")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.secrets())
        if args.command == "extract":
            return asyncio.run(run_extract(settings, args.image, args.chart))
        if args.command == "check":
            from bot.checkup import run_check

            return asyncio.run(run_check(settings))
        if args.command == "eval":
            from bot.evaluation.runner import run_eval

            return asyncio.run(run_eval(settings, args))
        return run_bot(settings, webhook=args.command == "webhook")
    except ConfigError as exc:
        print(f"replot: {exc}", file=sys.stderr)
        return 2


def run_bot(settings: Settings, *, webhook: bool = False) -> int:
    """Polling by default; `webhook` serves Telegram's POSTs (several replicas can share Redis)."""
    settings.require_bot_token()
    settings.require_model_key()
    if webhook:
        settings.require_webhook_secret()
    from bot.app import ALLOWED_UPDATES, Services, build_application

    app = build_application(settings, Services.create(settings))
    if webhook:
        from handlers.webhook import serve_webhook

        asyncio.run(serve_webhook(app, settings, ALLOWED_UPDATES))
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


async def run_extract(settings: Settings, image_path: Path, chart_path: Path | None) -> int:
    """Read one chart image through the configured vision model and print its table."""
    from bot.chart import render_png
    from bot.engine import read_checked
    from bot.images import ImageRejected, prepare_image
    from bot.models import ModelClient, ModelError
    from bot.read_check import ReadCheck
    from bot.table_parsing import NoTableFound

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
