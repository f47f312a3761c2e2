"""Logging set-up that keeps secrets out of every line, tracebacks included, and writes it in
English whatever language the update being handled is answered in."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.words.wording import ENGLISH, speaking

# The bot token sits in every Bot API URL; keys sometimes echo back in error bodies.
_TOKEN_IN_URL = re.compile(r"/(file/)?bot\d+:[A-Za-z0-9_-]+")
_BEARER = re.compile(r"(Bearer\s+)[^\s'\"]+", re.IGNORECASE)
_NVIDIA_KEY = re.compile(r"nvapi-[A-Za-z0-9_-]+")
_OPENAI_KEY = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
_URL_PASSWORD = re.compile(r"(\w+://[^:/@\s]*:)[^@\s]+@")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove known secrets and anything shaped like a token or key from text."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _TOKEN_IN_URL.sub(lambda m: f"/{m.group(1) or ''}bot***", text)
    text = _BEARER.sub(r"\1***", text)
    text = _NVIDIA_KEY.sub("nvapi-***", text)
    text = _OPENAI_KEY.sub("sk-***", text)
    return _URL_PASSWORD.sub(r"\1***@", text)


class RedactingFormatter(logging.Formatter):
    """Formats a record (message and traceback) and then redacts the whole line."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        with speaking(ENGLISH):  # a person's error (a Phrase) is logged for the operator
            return redact(super().format(record), self._secrets)


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
