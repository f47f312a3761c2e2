"""`python -m bot check`: everything the bot needs, checked before going live, one line each.

Each configured chat platform (its token, asked who it belongs to), the model endpoint (its
model list), the session store, the webhook settings when WEBHOOK_URL is set, the programs
voice notes need, and the fonts charts in other scripts need. Nothing is sent to anyone;
the exit code is 0 when the bot can run.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.charts.render import cjk_fonts
from bot.config import ConfigError, Settings, shown_url
from bot.llm.client import ModelClient
from bot.sessions.store import StoreUnavailable, create_store
from bot.words.speech import ESPEAK_NG, FFMPEG

CHECK_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Finding:
    part: str
    ok: bool
    detail: str
    required: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        return f"{mark}  {self.part:<10} {self.detail}"


FrontEndCheck = Callable[[Settings], Awaitable[Finding]]


async def run_check(settings: Settings, front_ends: Sequence[FrontEndCheck]) -> int:
    """Print one line per part; 0 when nothing required failed, else 1. `front_ends` check
    each configured chat platform's token (the launcher knows which are configured)."""
    platforms = [await check(settings) for check in front_ends] or [Finding(
        "Chat app", False, "set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN (or both)")]
    findings = [*platforms, *await _model(settings), await _store(settings),
                *_webhook(settings), _voice(), _fonts()]
    for finding in findings:
        print(finding.line())
    return 0 if all(f.ok or not f.required for f in findings) else 1


async def _model(settings: Settings) -> list[Finding]:
    url = shown_url(settings.llm_base_url)
    try:
        models = ModelClient(settings)
    except ConfigError as exc:
        return [Finding("Model API", False, str(exc))]
    try:
        found = await models.check_endpoint()
    except ConfigError as exc:
        return [Finding("Model API", False, str(exc))]
    finally:
        await models.close()
    if found.warnings:
        return [Finding("Model API", False, warning, required=False)
                for warning in found.warnings]
    if found.models_listed is None:
        return [Finding("Model API", True, f"{url} answers chat completions (it lists no "
                                           "models to check VISION_MODEL and CHAT_MODEL by)")]
    return [Finding("Model API", True, f"{url} lists {found.models_listed} models, among "
                    f"them {settings.vision_model} and {settings.chat_model}")]


async def _store(settings: Settings) -> Finding:
    if not settings.redis_url:
        return Finding("Store", True, "in this process (REDIS_URL unset): sessions end with "
                                      "the process, one replica only")
    store = create_store(settings.redis_url, 60)
    try:
        await store.ping()
        return Finding("Store", True, "Redis answers")
    except StoreUnavailable:
        return Finding("Store", False, "Redis at REDIS_URL does not answer")
    finally:
        await store.close()


def _webhook(settings: Settings) -> list[Finding]:
    """Only in webhook mode (WEBHOOK_URL set): the settings `python -m bot webhook` needs."""
    if not settings.webhook_url:
        return []
    try:
        settings.require_webhook_secret()
    except ConfigError as exc:
        return [Finding("Webhook", False, str(exc))]
    return [Finding("Webhook", True, f"Telegram will post to {settings.webhook_url}; "
                                     f"served on port {settings.port}")]


def _voice() -> Finding:
    missing = [name for name in (FFMPEG, ESPEAK_NG) if shutil.which(name) is None]
    if missing:
        return Finding("Voice", False, f"{' and '.join(missing)} not installed: voice notes "
                                       "will be unavailable", required=False)
    return Finding("Voice", True, "ffmpeg and espeak-ng installed (edge-tts is tried first)")


def _fonts() -> Finding:
    fonts = cjk_fonts()
    if not fonts:
        return Finding("Fonts", False, "no CJK font: Chinese, Japanese and Korean labels "
                                       "would draw as boxes (e.g. fonts-wqy-microhei)",
                       required=False)
    return Finding("Fonts", True, f"CJK labels drawn with {', '.join(fonts)}")
