"""The bot's own words: every message the code says has a translation in every catalogue."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import pytest

from bot.words import wording
from bot.words.wording import (
    CATALOGUES,
    Phrase,
    fields,
    heard,
    language,
    later,
    recall,
    speaking,
    supported,
    t,
    told,
)

ROOT = Path(__file__).resolve().parent.parent
MARKERS = {"t", "later", "noop"}


def _marker(call: ast.Call) -> str | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)
    return name if name in MARKERS else None


def said_in_code() -> dict[str, str]:
    """Every literal message passed to t(), later() or noop() in bot/ and handlers/, with
    where it is; a marker given anything but a literal is reported as an error."""
    said: dict[str, str] = {}
    for path in sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _marker(node) is None or not node.args:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                said.setdefault(first.value, where)
            elif _marker(node) != "t":
                raise AssertionError(f"{where}: {_marker(node)}() needs a literal message")
    return said


SAID = said_in_code()


def test_the_code_says_messages_through_the_catalogue() -> None:
    assert len(SAID) > 50


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_is_translated_with_the_same_fields(language: str) -> None:
    catalogue = CATALOGUES[language]
    missing = {message: where for message, where in SAID.items() if message not in catalogue}
    assert not missing, f"untranslated into {language}: {missing}"
    wrong = {message: (sorted(fields(message)), sorted(fields(catalogue[message])))
             for message in SAID if fields(message) != fields(catalogue[message])}
    assert not wrong, f"fields differ in {language}: {wrong}"
    unused = set(catalogue) - set(SAID)
    assert not unused, f"no longer said anywhere: {sorted(unused)}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_translations_keep_the_commands_and_the_line_breaks(language: str) -> None:
    command = re.compile(r"/[a-z]+\b")
    for message, translated in CATALOGUES[language].items():
        assert set(command.findall(translated)) == set(command.findall(message)), message
        assert translated.count("\n") == message.count("\n"), message


def test_messages_are_said_in_the_language_of_the_moment() -> None:
    message = "Voice replies are off."
    assert t(message) == message
    with speaking("zh"):
        assert t(message) == CATALOGUES["zh"][message]
        with speaking("xx"):
            assert t(message) == message
    assert wording.language() == "en"


def test_a_phrase_is_said_when_shown_not_when_made() -> None:
    message = "I can't draw that: {reason}."
    phrase = later(message, reason="a pie needs positive numbers")
    error = ValueError(phrase)
    with speaking("zh"):
        shown = str(error)
    assert shown == CATALOGUES["zh"][message].format(reason="a pie needs positive numbers")
    assert str(error) == "I can't draw that: a pie needs positive numbers."
    assert isinstance(phrase, Phrase)


@pytest.mark.parametrize(("text", "app", "expected"), [
    ("把标题改成销售额", "en", "zh"),
    ("make it a pie chart", "zh-hans", "en"),
    ("2024 = 50", "zh-hans", "zh"),
    ("", "zh-TW", "zh"),
    (None, "ru", "ru"),
    (None, "ja", "en"),
    (None, None, "en"),
    ("сделай круговую диаграмму", "zh", "ru"),
    ("ordena de mayor a menor", "es", "es"),  # "de" is Portuguese and Dutch too
    ("ordena de mayor a menor", "pt-br", "pt"),
    ("trie par valeur et mets le titre", "de", "fr"),
    ("sort descending", "zh", "zh"),  # no word that tells: the app's language
    ("do something odd", "en", "en"),  # "do" alone: Portuguese? the app says English
    ("do something odd", "zh", "zh"),
    ("sortiere absteigend", "de-DE", "de"),
    ("make it a pie chart", "ru", "en"),
    ("зроби кругову діаграму", "uk", "en"),  # Ukrainian: no catalogue yet
    ("/undo", "zh", "zh"),
    ("@replot_bot 改成饼图", "en", "zh"),
    ("/start@replot_bot", "zh-hans", "zh"),
])
def test_the_answer_language_follows_the_words_then_the_app(
        text: str | None, app: str | None, expected: str) -> None:
    assert heard(text, app)[0] == expected


def test_language_tags_map_to_what_the_bot_speaks() -> None:
    assert supported("zh_Hans_CN") == "zh"
    assert supported("EN-gb") == "en"
    assert supported("pt-BR") == "pt"
    assert supported("uk") is None
    assert supported(None) is None


async def test_a_recalled_language_reaches_the_tasks_the_update_started() -> None:
    started = asyncio.Event()
    recalled = asyncio.Event()
    heard: list[str] = []

    async def progress_note() -> None:  # started before the session is read
        started.set()
        await recalled.wait()
        heard.append(language())

    with speaking("en"):
        note = asyncio.create_task(progress_note())
        await started.wait()
        recall("zh")  # the engine read the chat's session
        recalled.set()
        await note
        assert language() == "zh"
    assert heard == ["zh"] and language() == "en"

    with speaking("fr", told=True):
        recall("zh")  # the person's own words win
        assert language() == "fr" and told() == "fr"
