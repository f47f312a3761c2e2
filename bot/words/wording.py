"""The bot's own words, in the language of the person it is answering.

Messages are written in English in the code and wrapped where they are made: `t("...")` says
one now, `later("...")` makes a Phrase that is said when it is shown. Exceptions carry
Phrases, because they may be raised in a worker thread or process and shown elsewhere. Each
other language has a catalogue (bot/locales/) keyed by the English text; a message missing
from it stays English, and tests/test_wording.py keeps the catalogues complete.

The language of the update being handled lives in a context variable: the front end sets it
with `speaking()` from what the person wrote, or else from their app's language; the engine
may then `recall()` the language the chat's person last wrote a change in (kept in the
session), when their words in this update don't tell one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.words.languages import has_letters, written_language
from bot.words.locales import de, es, fr, pt, ru, zh

ENGLISH = "en"
CATALOGUES: Mapping[str, Mapping[str, str]] = {
    "zh": zh.MESSAGES, "ru": ru.MESSAGES, "es": es.MESSAGES, "pt": pt.MESSAGES,
    "de": de.MESSAGES, "fr": fr.MESSAGES,
}
LANGUAGES = (ENGLISH, *CATALOGUES)

_NOT_WORDS = re.compile(r"(?:^|\s)[/@]\w+(?:@\w+)?")  # /commands and @mentions


@dataclass
class _Speech:
    """How one update is answered; shared by the tasks it starts (a typing status, a progress
    note), so a language recalled later in the update reaches them too."""

    language: str = ENGLISH
    told: bool = False  # the person's own words in this update said which language it is
    personal: bool = True  # the chat is one person's: its remembered language is theirs


_speech: ContextVar[_Speech | None] = ContextVar("speech", default=None)


def language() -> str:
    """The language the bot is speaking in now."""
    speech = _speech.get()
    return speech.language if speech is not None else ENGLISH


@contextmanager
def speaking(lang: str, *, told: bool = False, personal: bool = True) -> Iterator[None]:
    """Speak `lang` while handling an update; `told`: the person's words in it are in `lang`;
    `personal`: the chat is theirs alone (in a group, one member's language is not another's,
    so the chat's remembered language is not recalled)."""
    speech = _Speech(lang, told, personal) if lang in LANGUAGES else _Speech(personal=personal)
    token = _speech.set(speech)
    try:
        yield
    finally:
        _speech.reset(token)


def told() -> str | None:
    """The language the person's words in this update are in, when they tell it."""
    speech = _speech.get()
    return speech.language if speech is not None and speech.told else None


def recall(remembered: str | None) -> None:
    """Speak the chat's remembered language for the rest of this update, unless the person's
    words in it told another (a photo or a tap from someone who writes Chinese in an English
    app is answered in Chinese)."""
    if remembered not in LANGUAGES:
        return
    speech = _speech.get()
    if speech is None:
        _speech.set(_Speech(remembered))
    elif speech.personal and not speech.told:
        speech.language = remembered


def supported(code: str | None) -> str | None:
    """One of LANGUAGES for an IETF tag such as Telegram's language_code ("zh-hans"), or None."""
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def heard(text: str | None, app_language: str | None) -> tuple[str, bool]:
    """The language to answer in, and whether the person's words told it: that of the words
    they wrote, when they tell it and it is one the bot speaks; else their app's language;
    else English. Text without letters ("2024 = 50") or without any stop word ("sort
    descending") says nothing about the language, nor do /commands and @mentions."""
    text = _NOT_WORDS.sub(" ", text or "")
    app = supported(app_language)
    if has_letters(text):
        written = supported(written_language(text, prefer=app))
        if written:
            return written, True
    return app or ENGLISH, False


def t(message: str, /, **values: object) -> str:
    """`message` (English, with {named} fields) in the current language, fields filled in."""
    template = CATALOGUES.get(language(), {}).get(message, message)
    return template.format(**values) if values else template


def noop(message: str) -> str:
    """Marks a message kept in a constant, so that the catalogue check finds it; the code
    says it with t(CONSTANT) where it is used."""
    return message


@dataclass(frozen=True)
class Phrase:
    """A message said when it is turned into text, in the language of that moment."""

    message: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return t(self.message, **dict(self.values))


def later(message: str, /, **values: object) -> Phrase:
    return Phrase(message, tuple(values.items()))


def fields(message: str) -> set[str]:
    """The {named} fields of a message, for checking that a translation keeps them all."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}
