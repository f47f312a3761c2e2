"""`python -m bot check`: everything the bot needs, checked before going live, one line each.

Each configured chat platform (its token, asked who it belongs to), the model endpoint (its
model list), one real round trip per model (a small chart this command draws, read back by
the vision model; a short JSON request to the instruct model), the session store, the webhook
settings when WEBHOOK_URL is set, the programs voice notes need, and the fonts charts in other
scripts need. Nothing is sent to any person; the exit code is 0 when the bot can run. A
refusal by the model endpoint is explained in one line: its cause and the setting that fixes
it.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import openai

from bot.charts.render import cjk_fonts, render_png
from bot.charts.spec import ChartSpec
from bot.config import ConfigError, Settings, shown_url
from bot.evaluation.metric import score_table
from bot.llm.client import ModelClient, ModelError
from bot.llm.images import prepare_image
from bot.sessions.store import StoreUnavailable, create_store
from bot.tables.parsing import NoTableFound, find_json
from bot.tables.table import Table, format_cell
from bot.words.speech import ESPEAK_NG, FFMPEG

CHECK_TIMEOUT_S = 10.0
CHECK_TABLE = Table.build(["Quarter", "Sales"], [["Q1", 12], ["Q2", 30], ["Q3", 21], ["Q4", 27]],
                          title="Replot check")
"""The chart `check` draws and expects the vision model to read back."""
CHECK_SPEC = ChartSpec(type="bar", value_labels=True)
MATCH_F1 = 0.9
"""RMS F1 (Replot's score) from which the read-back table counts as matching the drawing."""
INSTRUCT_SCHEMA: dict[str, Any] = {
    "type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
INSTRUCT_CHECK = [
    {"role": "system", "content": "Answer with one JSON object and nothing else."},
    {"role": "user", "content": 'Reply with the JSON object {"ok": true}.'},
]
_SHOWN_ANSWER_CHARS = 80


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
    """The endpoint's model list, then one round trip to each model."""
    try:
        models = ModelClient(settings)
    except ConfigError as exc:
        return [Finding("Model API", False, str(exc))]
    try:
        try:
            listing = await _model_list(settings, models)
        except ConfigError as exc:
            return [Finding("Model API", False, str(exc))]
        return [*listing, await _vision(settings, models), await _instruct(settings, models)]
    finally:
        await models.close()


async def _model_list(settings: Settings, models: ModelClient) -> list[Finding]:
    url = shown_url(settings.llm_base_url)
    found = await models.check_endpoint()
    if found.warnings:
        return [Finding("Model API", False, warning, required=False)
                for warning in found.warnings]
    if found.models_listed is None:
        return [Finding("Model API", True, f"{url} answers chat completions (it lists no "
                                           "models to check CHAT_MODEL by)")]
    return [Finding("Model API", True, f"{url} lists {found.models_listed} models, among "
                    f"them {settings.chat_model}")]


async def _vision(settings: Settings, models: ModelClient) -> Finding:
    """Draw CHECK_TABLE with the bot's renderer, have the vision model read it back."""
    from bot.llm.reading import read_table_answer

    model = settings.vision_model
    png = await asyncio.to_thread(render_png, CHECK_TABLE, CHECK_SPEC)
    image = await asyncio.to_thread(prepare_image, png)
    started = time.monotonic()
    try:
        completion = await models.read_chart(image)
    except ModelError as exc:
        return Finding("Vision", False, refusal(exc, models, model, vision=True))
    seconds = time.monotonic() - started
    where = models.vision_endpoint(model)
    try:
        table = read_table_answer(completion.text)
    except NoTableFound:
        return Finding("Vision", False, f"{model} at {where} answered, but with no table: "
                                        f"{_short(completion.text)!r}; try another VISION_MODEL")
    score = score_table(table, CHECK_TABLE)
    read = _rows(table)
    if score.f1 >= MATCH_F1:
        return Finding("Vision", True, f"{model} read the test chart back as {read} (matches; "
                                       f"RMS F1 {score.f1:.2f}, {seconds:.1f}s)")
    return Finding("Vision", False, f"{model} read the test chart back as {read}, not "
                                    f"{_rows(CHECK_TABLE)} (RMS F1 {score.f1:.2f}): it answers, "
                                    "but reads charts poorly", required=False)


async def _instruct(settings: Settings, models: ModelClient) -> Finding:
    """One short JSON request to the instruct model, with structured output as the bot asks."""
    model = settings.chat_model
    asked = models.structured
    try:
        completion = await models.instruct(INSTRUCT_CHECK, INSTRUCT_SCHEMA)
    except ModelError as exc:
        return Finding("Instruct", False, refusal(exc, models, model, vision=False))
    answer = find_json(completion.text)
    if models.structured != asked:
        return Finding("Instruct", False, f"{shown_url(settings.llm_base_url)} refused "
                                          f"structured output ({asked}) for {model}; set "
                                          "LLM_STRUCTURED=off (the bot falls back by itself, "
                                          "one refused request later)", required=False)
    if not (isinstance(answer, dict) and answer.get("ok") is True):
        return Finding("Instruct", False, f"{model} answered {_short(completion.text)!r}, not "
                                          'the JSON {"ok": true} asked for', required=False)
    return Finding("Instruct", True, f"{model} answered the JSON asked for in "
                                     f"{completion.seconds:.1f}s (structured output: {asked})")


def refusal(exc: ModelError, models: ModelClient, model: str, *, vision: bool) -> str:
    """One line: why the endpoint refused a request to `model`, and what setting fixes it."""
    cause = exc.__cause__
    setting = "VISION_MODEL" if vision else "CHAT_MODEL"
    where = models.vision_endpoint(model) if vision else shown_url(
        f"{models.settings.llm_base_url}/chat/completions")
    key = ("VISION_API_KEY (or LLM_API_KEY)" if vision and models.settings.vision_api_key
           else "LLM_API_KEY")
    detail = _short(_error_text(cause))
    if isinstance(cause, openai.AuthenticationError | openai.PermissionDeniedError):
        return f"{where} refused the key ({cause.status_code}): check {key}"
    if isinstance(cause, openai.NotFoundError):
        if vision and models.vision_route(model) == "vlm":
            return (f"NVIDIA's VLM route has no {model!r} (404 at {where}): choose a model it "
                    "serves, or VISION_ROUTE=chat for one served on chat completions")
        if "model" in detail.lower():
            return (f"{where} does not serve {setting} {model!r} (404: {detail}): choose a "
                    "model the endpoint lists")
        return (f"{where} answered 404 for the route: the base URL "
                f"({'VISION_BASE_URL' if vision else 'LLM_BASE_URL'}) should be the API root, "
                "usually ending in /v1")
    if isinstance(cause, openai.BadRequestError | openai.UnprocessableEntityError):
        text = detail.lower()
        if vision and any(w in text for w in ("image", "content", "str type", "multimodal")):
            fmt = models.vision_image_format(model)
            fix = ("VISION_IMAGE_FORMAT=inline" if fmt == "image_url"
                   else "VISION_IMAGE_FORMAT=image_url (and VISION_ROUTE=chat)")
            return (f"{where} refused the image as sent ({fmt}; {cause.status_code}: "
                    f"{detail}): set {fix}, or choose a VISION_MODEL that reads images")
        if any(w in text for w in ("response_format", "nvext", "guided", "schema", "json")):
            return (f"{where} refused structured output ({cause.status_code}: {detail}): "
                    "set LLM_STRUCTURED=off")
        return f"{where} refused the request to {model!r} ({cause.status_code}: {detail})"
    if isinstance(cause, openai.APITimeoutError | openai.APIConnectionError):
        return f"{where} did not answer ({type(cause).__name__}); is the endpoint up?"
    if isinstance(cause, openai.APIStatusError):
        return f"{where} answered {cause.status_code} for {model!r}: {detail}"
    return f"{model!r} at {where}: {exc}"


def _error_text(cause: BaseException | None) -> str:
    """The endpoint's own words: the message of an OpenAI-style or problem-details body."""
    body = getattr(cause, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            for field in ("message", "detail", "title"):
                if isinstance(inner.get(field), str):
                    return str(inner[field])
    return str(getattr(cause, "message", "") or cause or "")


def _rows(table: Table) -> str:
    """A small table on one line: 'Q1 12 · Q2 30 · …'."""
    return " · ".join(" ".join(format_cell(cell) for cell in row[:3]) for row in table.rows[:8])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_ANSWER_CHARS else text[:_SHOWN_ANSWER_CHARS - 1] + "…"


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
