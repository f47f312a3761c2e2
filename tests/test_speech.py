"""Voice notes: edge-tts (faked at the network boundary), real espeak-ng and ffmpeg fallback."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from edge_tts.exceptions import NoAudioReceived

from bot.words import speech
from bot.words.languages import detect_language
from bot.words.speech import (
    Speaker,
    SpeechUnavailable,
    VoiceNote,
    espeak_voice,
    ogg_duration_s,
    pick_voice,
    speakable_text,
)

ENGLISH = "Sales grew fastest in 2023, rising from 12 to 15 units. Costs stayed flat."
CHINESE = "销售额在二零二三年增长最快。北京的数值最高。"
SECRET_WORD = "Zanzibar"


def sine_mp3(seconds: float) -> bytes:
    """Real MP3 audio, as edge-tts would send it."""
    return subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", f"sine=frequency=440:duration={seconds}", "-f", "mp3", "pipe:1"],
        check=True, capture_output=True, timeout=20).stdout


def probe_stream(ogg: bytes) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels",
         "-of", "json", "-i", "pipe:0"], input=ogg, check=True, capture_output=True, timeout=20)
    stream: dict[str, Any] = json.loads(out.stdout)["streams"][0]
    return stream


def decoded_pcm(ogg: bytes) -> bytes:
    """The voice note decoded by ffmpeg to 48 kHz mono 16-bit PCM."""
    return subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-f", "s16le",
         "-ar", "48000", "-ac", "1", "pipe:1"],
        input=ogg, check=True, capture_output=True, timeout=20).stdout


def assert_voice_note(note: VoiceNote) -> None:
    """A real, decodable OGG/Opus voice note with sound in it, small enough for Telegram."""
    assert note.ogg_opus.startswith(b"OggS") and b"OpusHead" in note.ogg_opus
    assert len(note.ogg_opus) < 1_000_000
    assert probe_stream(note.ogg_opus) == {"codec_name": "opus", "channels": 1}
    pcm = decoded_pcm(note.ogg_opus)
    assert any(pcm[i] for i in range(0, len(pcm), 7))
    assert note.duration_s == pytest.approx(len(pcm) / 2 / 48_000, abs=0.05)


@pytest.fixture(scope="module")
def mp3_1s() -> bytes:
    return sine_mp3(1)


def fake_edge(chunks: list[dict[str, Any]] | None = None, error: Exception | None = None,
              hang: bool = False) -> tuple[type, list[tuple[str, str]]]:
    """A stand-in for edge_tts.Communicate, and the (text, voice) pairs it was made with."""
    calls: list[tuple[str, str]] = []

    class FakeCommunicate:
        def __init__(self, text: str, voice: str, *, proxy: str | None = None) -> None:
            calls.append((text, voice))

        async def stream(self) -> AsyncIterator[dict[str, Any]]:
            yield {"type": "WordBoundary", "offset": 0, "duration": 1, "text": "x"}
            if hang:
                await asyncio.Event().wait()
            if error is not None:
                raise error
            for chunk in chunks or []:
                yield chunk

    return FakeCommunicate, calls


def audio_chunks(mp3: bytes, size: int = 4096) -> list[dict[str, Any]]:
    return [{"type": "audio", "data": mp3[i:i + size]} for i in range(0, len(mp3), size)]


def exec_spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Record every argv given to asyncio.create_subprocess_exec."""
    seen: list[tuple[str, ...]] = []
    real = asyncio.create_subprocess_exec

    async def spy(*argv: str, **kwargs: Any) -> asyncio.subprocess.Process:
        seen.append(argv)
        return await real(*argv, **kwargs)

    monkeypatch.setattr(asyncio, "create_subprocess_exec", spy)
    return seen


# ----------------------------------------------------------------------------- edge-tts path

async def test_edge_audio_becomes_an_ogg_opus_voice_note(mp3_1s: bytes) -> None:
    communicate, calls = fake_edge(audio_chunks(mp3_1s))
    note = await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(ENGLISH)
    assert note.engine == "edge-tts"
    assert calls == [(ENGLISH, "en-US-AriaNeural")]
    assert_voice_note(note)
    assert note.duration_s == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize(("text", "language", "override", "voice"), [
    (CHINESE, None, None, "zh-CN-XiaoxiaoNeural"),
    ("売上は2023年に最も伸びました。", None, None, "ja-JP-NanamiNeural"),
    ("Продажи выросли быстрее всего.", None, None, "ru-RU-SvetlanaNeural"),
    (ENGLISH, "de", None, "de-DE-KatjaNeural"),
    (CHINESE, None, "en-US-EmmaMultilingualNeural", "en-US-EmmaMultilingualNeural"),
])
async def test_edge_gets_the_voice_for_the_language(
        mp3_1s: bytes, text: str, language: str | None, override: str | None,
        voice: str) -> None:
    communicate, calls = fake_edge(audio_chunks(mp3_1s))
    speaker = Speaker(max_note_bytes=1_000_000, communicate=communicate, voice_override=override)
    assert (await speaker.synthesize(text, language)).engine == "edge-tts"
    assert calls == [(text, voice)]


async def test_edge_gets_speakable_text_only(mp3_1s: bytes) -> None:
    communicate, calls = fake_edge(audio_chunks(mp3_1s))
    await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(
        "**Sales** grew.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee https://example.com now.")
    assert calls[0][0] == "Sales grew. See now."


async def test_large_audio_is_reencoded_at_a_lower_bitrate() -> None:
    communicate, _ = fake_edge(audio_chunks(sine_mp3(3)))
    note = await Speaker(max_note_bytes=9_000, communicate=communicate).synthesize(ENGLISH)
    assert len(note.ogg_opus) < 9_000
    assert note.duration_s == pytest.approx(3.0, abs=0.1)


async def test_audio_too_long_for_any_bitrate_is_cut() -> None:
    communicate, _ = fake_edge(audio_chunks(sine_mp3(10)))
    note = await Speaker(max_note_bytes=3_000, communicate=communicate).synthesize(ENGLISH)
    assert len(note.ogg_opus) < 3_000
    assert 1.0 < note.duration_s < 3.0
    assert_voice_note(note)


# ----------------------------------------------------------------------------- fallback

@pytest.mark.parametrize("edge", [
    fake_edge(error=OSError("network is unreachable")),
    fake_edge(error=aiohttp.ClientConnectionError("cannot connect")),
    fake_edge(error=NoAudioReceived("no audio")),
    fake_edge(chunks=[]),
    fake_edge(chunks=[{"type": "audio", "data": b"not an mp3 at all" * 50}]),
    fake_edge(hang=True),
], ids=["oserror", "aiohttp", "no-audio-error", "no-chunks", "garbage-audio", "hangs"])
async def test_edge_failure_falls_back_to_espeak(
        edge: tuple[type, list[tuple[str, str]]], caplog: pytest.LogCaptureFixture) -> None:
    communicate, _ = edge
    text = f"{ENGLISH} The best region is {SECRET_WORD}."
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="bot.words.speech"):
        speaker = Speaker(max_note_bytes=1_000_000, communicate=communicate, edge_timeout_s=0.3)
        note = await speaker.synthesize(text)
    assert time.monotonic() - started < 5
    assert note.engine == "espeak-ng"
    assert_voice_note(note)
    assert note.duration_s > 2
    assert "edge-tts failed" in caplog.text and SECRET_WORD not in caplog.text


async def test_espeak_speaks_chinese(caplog: pytest.LogCaptureFixture) -> None:
    communicate, _ = fake_edge(error=OSError("down"))
    with caplog.at_level(logging.WARNING, logger="bot.words.speech"):
        note = await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(CHINESE)
    assert note.engine == "espeak-ng"
    assert_voice_note(note)
    assert "(zh)" in caplog.text


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 443)
    except OSError:
        return False
    return True


async def test_real_edge_tts_fails_fast_offline_and_falls_back() -> None:
    online = await asyncio.wait_for(asyncio.to_thread(_resolves, "speech.platform.bing.com"), 5)
    started = time.monotonic()
    note = await Speaker(max_note_bytes=1_000_000, edge_timeout_s=4).synthesize(ENGLISH)
    assert time.monotonic() - started < 8
    assert_voice_note(note)
    if not online:
        assert note.engine == "espeak-ng"


@pytest.mark.parametrize("text", ["--help", "-v xx --stdout -w /tmp/x.wav hello", "- dash first"])
async def test_text_that_looks_like_options_is_spoken(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    argvs = exec_spy(monkeypatch)
    communicate, _ = fake_edge(error=OSError("down"))
    note = await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(text)
    assert note.engine == "espeak-ng" and note.duration_s > 0.3
    assert_voice_note(note)
    espeak_argv = next(argv for argv in argvs if argv[0] == "espeak-ng")
    assert text not in espeak_argv and "--stdin" in espeak_argv
    assert all(part not in " ".join(espeak_argv) for part in ("help", "xx", "dash"))


# ----------------------------------------------------------------------------- unavailable

async def test_both_engines_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech, "ESPEAK_NG", "espeak-ng-not-installed")
    communicate, _ = fake_edge(error=OSError("down"))
    with pytest.raises(SpeechUnavailable) as raised:
        await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(ENGLISH)
    assert 0 < len(str(raised.value)) < 120 and "espeak" not in str(raised.value)


async def test_no_ffmpeg_means_no_voice_note(
        monkeypatch: pytest.MonkeyPatch, mp3_1s: bytes) -> None:
    monkeypatch.setattr(speech, "FFMPEG", "ffmpeg-not-installed")
    communicate, _ = fake_edge(audio_chunks(mp3_1s))
    with pytest.raises(SpeechUnavailable):
        await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(ENGLISH)


async def test_nothing_speakable_is_unavailable() -> None:
    communicate, calls = fake_edge()
    with pytest.raises(SpeechUnavailable):
        await Speaker(max_note_bytes=1_000_000, communicate=communicate).synthesize(
            "```\ncode only\n```\n| a | b |")
    assert calls == []


async def test_hung_process_is_killed_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    argvs = exec_spy(monkeypatch)
    started = time.monotonic()
    with pytest.raises(speech._EngineFailed, match="longer than"):
        await speech._run(["sleep", "30"], b"", 0.3)
    assert time.monotonic() - started < 3 and argvs == [("sleep", "30")]


def test_ogg_duration_rejects_non_ogg() -> None:
    with pytest.raises(ValueError):
        ogg_duration_s(b"RIFF\x00\x00\x00\x00WAVE")
    with pytest.raises(ValueError):
        ogg_duration_s(b"")


# ----------------------------------------------------------------------------- languages

@pytest.mark.parametrize(("text", "language"), [
    ("销售额在2023年增长最快。", "zh"),
    ("売上は2023年に最も伸びました。", "ja"),
    ("매출은 2023년에 가장 많이 늘었습니다.", "ko"),
    ("Продажи выросли быстрее всего.", "ru"),
    ("Продажі зросли найшвидше у 2023 році.", "uk"),
    ("ارتفعت المبيعات في عام 2023", "ar"),
    ("बिक्री 2023 में सबसे तेज़ बढ़ी", "hi"),
    ("Οι πωλήσεις αυξήθηκαν", "el"),
    ("המכירות עלו", "he"),
    ("ยอดขายเพิ่มขึ้น", "th"),
    ("Der Umsatz ist im Jahr 2023 am stärksten gestiegen und das ist gut.", "de"),
    ("Le chiffre d'affaires est le plus élevé en 2023.", "fr"),
    ("El valor más alto es de 2023 y la tendencia es positiva.", "es"),
    ("Il valore più alto è del 2023 e la crescita è forte.", "it"),
    ("O valor mais alto é de 2023 e a tendência não é negativa.", "pt"),
    ("De hoogste waarde is van 2023 en het is een goede groei.", "nl"),
    (ENGLISH, "en"),
    ("The top city is 北京 with 50 units sold in 2023.", "en"),
    ("12345 %", "en"),
    ("", "en"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_pick_voice() -> None:
    assert pick_voice("zh") == "zh-CN-XiaoxiaoNeural"
    assert pick_voice("ja") == "ja-JP-NanamiNeural"
    assert pick_voice("ko") == "ko-KR-SunHiNeural"
    assert pick_voice("ru") == "ru-RU-SvetlanaNeural"
    assert pick_voice("de-AT") == "de-DE-KatjaNeural"
    assert pick_voice("en_GB") == "en-GB-SoniaNeural"
    assert pick_voice("xx") == pick_voice("en") == "en-US-AriaNeural"
    assert pick_voice("zh", override=" fr-FR-HenriNeural ") == "fr-FR-HenriNeural"
    assert pick_voice("zh", override="") == "zh-CN-XiaoxiaoNeural"


def test_espeak_voice() -> None:
    assert [espeak_voice(lang) for lang in ("en", "zh-CN", "ja", "ru", "de", "xx")] == [
        "en", "cmn", "ja", "ru", "de", "en"]


# ----------------------------------------------------------------------------- speakable text

def test_speakable_text_drops_tables_code_urls_and_markup() -> None:
    answer = """# Result
Here is **your** chart, as _asked_ (https://example.com/x.png).

| Year | Sales |
|------|------:|
| 2021 | 10 |

```python
print("do not read me")
```
- Sales grew *fastest* in 2023
* Costs fell. See [the docs](http://x.y/z) and `df.sum()` too.
"""
    assert speakable_text(answer) == (
        "Result. Here is your chart, as asked. Sales grew fastest in 2023. "
        "Costs fell. See the docs and too.")


def test_speakable_text_cuts_at_a_sentence_boundary() -> None:
    text = "First sentence here. Second one is longer! Third? " + "word " * 200
    assert speakable_text(text, limit=45) == "First sentence here. Second one is longer!"
    assert speakable_text("Growth was 3.5 percent in total", limit=16) == "Growth was 3.5"
    assert speakable_text("销售额在2023年增长最快。北京的数值最高，达到五十。", 20) == (
        "销售额在2023年增长最快。")
    assert speakable_text("销售额增长最快！北京最高？上海", 13) == "销售额增长最快！北京最高？"


def test_speakable_text_hard_cuts_at_a_word_boundary() -> None:
    assert speakable_text("alpha beta gamma delta epsilon", 14) == "alpha beta"
    assert speakable_text("alpha beta gamma", 10) == "alpha beta"
    assert speakable_text("x" * 50, 10) == "x" * 10
    assert len(speakable_text(ENGLISH * 20)) <= 600


def test_speakable_text_edge_cases() -> None:
    assert speakable_text("") == ""
    assert speakable_text("   \n\n  ") == ""
    assert speakable_text("anything", limit=0) == ""
    assert speakable_text("--help -v xx") == "--help -v xx"
    assert speakable_text("a\n\n  b\tc") == "a b c"
