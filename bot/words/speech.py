"""Spoken answers: text → Telegram voice note (OGG/Opus, mono, under 1 MB).

Microsoft's neural voices (edge-tts) are tried first; when they can't be reached the local
espeak-ng speaks instead. Either output is re-encoded by ffmpeg. Subprocesses get their
arguments as lists and the text only on stdin, so nothing a person writes is ever parsed as
a command-line option.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import edge_tts

from bot.processes import reap
from bot.words.languages import detect_language
from bot.words.wording import later

log = logging.getLogger(__name__)

ESPEAK_NG = "espeak-ng"
FFMPEG = "ffmpeg"
PROCESS_TIMEOUT_S = 30.0
BITRATES = ("32k", "16k", "8k")
OPUS_RATE = 48_000
SPEAKABLE_LIMIT = 600

EDGE = "edge-tts"
ESPEAK = "espeak-ng"
UNAVAILABLE = later("I couldn't make a voice note just now; the answer is in the text above.")


class SpeechUnavailable(Exception):
    """Neither engine produced audio; str() is short and readable by the person, in the
    language of the moment it is shown."""


class _EngineFailed(Exception):
    """One engine or conversion step failed; the message is logged, never shown."""


@dataclass(frozen=True)
class VoiceNote:
    ogg_opus: bytes
    duration_s: float
    engine: str  # "edge-tts" | "espeak-ng"


# ----------------------------------------------------------------------------- what to say

_FENCED_CODE = re.compile(r"(?ms)^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_URL = re.compile(r"<?(?:https?://|www\.)[^\s<>()]*[^\s<>().,;:!?'\"]>?")
_EMPTY_PARENS = re.compile(r"\(\s*\)")
_EMPHASIS = (
    re.compile(r"\*\*(.+?)\*\*"),
    re.compile(r"__(.+?)__"),
    re.compile(r"~~(.+?)~~"),
    re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"),
    re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
)
_HEADING = re.compile(r"#{1,6}\s+")
_BULLET = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s+")
_RULE = re.compile(r"[-=_*─━═│┃|+:\s]{3,}")
_TABLE_SEPARATOR = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?=\s|$)|[。！？][”’」』）)]*")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?，。！？])")
_END_PUNCT = tuple(".!?:;,。！？：；，")


def _is_table_line(line: str) -> bool:
    if _TABLE_SEPARATOR.fullmatch(line):
        return True
    return line.count("|") >= 2 and (line.startswith("|") or line.endswith("|"))


def _speakable_line(line: str) -> str:
    """One markdown line as prose: '' for tables and rules; items end like sentences."""
    line = line.strip().lstrip(">").strip()
    if not line or _is_table_line(line) or _RULE.fullmatch(line):
        return ""
    marker = _HEADING.match(line) or _BULLET.match(line)
    if marker is None:
        return line
    item = line[marker.end():].strip()
    return item if not item or item.endswith(_END_PUNCT) else item + "."


def _strip_inline(text: str) -> str:
    text = _INLINE_CODE.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return _EMPTY_PARENS.sub("", text)


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters: the last whole sentence, else the last whole word."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
    if ends:
        return text[:ends[-1]].rstrip()
    head = text[:limit]
    if not text[limit].isspace() and " " in head:
        head = head[:head.rindex(" ")]
    return head.rstrip(" ,;:，；：、")


def speakable_text(text: str, limit: int = SPEAKABLE_LIMIT) -> str:
    """What to read aloud: prose without tables, code, URLs or markup, cut to `limit` chars."""
    if limit <= 0:
        return ""
    text = _FENCED_CODE.sub("\n", text)
    lines = (_speakable_line(line) for line in text.splitlines())
    text = _strip_inline(" ".join(line for line in lines if line))
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    return _cut(text, limit)


_EDGE_VOICES = {
    "en": "en-US-AriaNeural",
    "zh": "zh-CN-XiaoxiaoNeural",
    "ja": "ja-JP-NanamiNeural",
    "ko": "ko-KR-SunHiNeural",
    "ru": "ru-RU-SvetlanaNeural",
    "uk": "uk-UA-PolinaNeural",
    "ar": "ar-SA-ZariyahNeural",
    "hi": "hi-IN-SwaraNeural",
    "el": "el-GR-AthinaNeural",
    "he": "he-IL-HilaNeural",
    "th": "th-TH-PremwadeeNeural",
    "de": "de-DE-KatjaNeural",
    "fr": "fr-FR-DeniseNeural",
    "es": "es-ES-ElviraNeural",
    "it": "it-IT-ElsaNeural",
    "pt": "pt-BR-FranciscaNeural",
    "nl": "nl-NL-ColetteNeural",
}
_EDGE_REGIONAL_VOICES = {
    "en-gb": "en-GB-SoniaNeural",
    "en-au": "en-AU-NatashaNeural",
    "zh-tw": "zh-TW-HsiaoChenNeural",
    "zh-hant": "zh-TW-HsiaoChenNeural",
    "zh-hk": "zh-HK-HiuMaanNeural",
    "pt-pt": "pt-PT-RaquelNeural",
    "es-mx": "es-MX-DaliaNeural",
    "fr-ca": "fr-CA-SylvieNeural",
}
_ESPEAK_VOICES = {
    "en": "en", "zh": "cmn", "ja": "ja", "ko": "ko", "ru": "ru", "uk": "uk", "ar": "ar",
    "hi": "hi", "el": "el", "he": "he", "th": "th", "de": "de", "fr": "fr", "es": "es",
    "it": "it", "pt": "pt", "nl": "nl", "yue": "yue",
}


def _normalized(language: str) -> tuple[str, str]:
    tag = language.strip().lower().replace("_", "-")
    return tag, tag.split("-", 1)[0]


def pick_voice(language: str, override: str | None = None) -> str:
    """The edge-tts neural voice for a language; a non-empty override (TTS_VOICE) wins."""
    if override and override.strip():
        return override.strip()
    tag, primary = _normalized(language)
    return _EDGE_REGIONAL_VOICES.get(tag) or _EDGE_VOICES.get(primary, _EDGE_VOICES["en"])


def espeak_voice(language: str) -> str:
    """The espeak-ng voice for a language (English when espeak-ng has none for it)."""
    return _ESPEAK_VOICES.get(_normalized(language)[1], _ESPEAK_VOICES["en"])


# ----------------------------------------------------------------------------- audio

async def _run(argv: Sequence[str], stdin: bytes, timeout_s: float) -> bytes:
    """Run argv (no shell) with stdin; its stdout, or _EngineFailed. Killed on timeout."""
    name = argv[0]
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
    except OSError as exc:  # FileNotFoundError, PermissionError: not usable here
        raise _EngineFailed(f"{name} can't start: {type(exc).__name__}") from None
    try:
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout_s)
    except TimeoutError:
        raise _EngineFailed(f"{name} took longer than {timeout_s:g}s") from None
    finally:
        await reap(proc)
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip()[-200:]
        raise _EngineFailed(f"{name} exited with {proc.returncode}: {detail}")
    return out


def ogg_duration_s(data: bytes) -> float:
    """Seconds of audio in an OGG/Opus stream, from the last page's granule position."""
    pos, granule, pre_skip = 0, -1, -1
    while pos < len(data):
        if data[pos:pos + 4] != b"OggS" or pos + 27 > len(data):
            raise ValueError("not an OGG stream")
        segments = data[pos + 27:pos + 27 + data[pos + 26]]
        body = pos + 27 + len(segments)
        if pre_skip < 0 and data[body:body + 8] == b"OpusHead":
            pre_skip = int.from_bytes(data[body + 10:body + 12], "little")
        page_granule = int.from_bytes(data[pos + 6:pos + 14], "little", signed=True)
        granule = page_granule if page_granule >= 0 else granule
        pos = body + sum(segments)
    if pos != len(data) or pre_skip < 0:
        raise ValueError("not a complete OGG/Opus stream")
    return max(granule - pre_skip, 0) / OPUS_RATE


async def _encode(audio: bytes, bitrate: str, max_seconds: float | None = None) -> bytes:
    """Any audio ffmpeg reads (MP3, WAV) → OGG/Opus mono at `bitrate`."""
    cut = ["-t", f"{max_seconds:.1f}"] if max_seconds is not None else []
    argv = [FFMPEG, "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-vn",
            "-c:a", "libopus", "-b:a", bitrate, "-ac", "1", *cut, "-f", "ogg", "pipe:1"]
    return await _run(argv, audio, PROCESS_TIMEOUT_S)


async def _voice_note(audio: bytes, engine: str, max_bytes: int) -> VoiceNote:
    """Encode at the highest bitrate that fits; cut the audio if even the lowest doesn't."""
    for bitrate in BITRATES:
        ogg = await _encode(audio, bitrate)
        if len(ogg) < max_bytes:
            break
    else:
        lowest_bytes_per_s = int(BITRATES[-1].removesuffix("k")) * 1000 / 8
        ogg = await _encode(audio, BITRATES[-1], 0.8 * max_bytes / lowest_bytes_per_s)
        if len(ogg) >= max_bytes:
            raise _EngineFailed("audio too large even when cut")
    try:
        duration = ogg_duration_s(ogg)
    except ValueError as exc:
        raise _EngineFailed(f"ffmpeg output unreadable: {exc}") from None
    return VoiceNote(ogg_opus=ogg, duration_s=duration, engine=engine)


class Speaker:
    """Turns answer text into a voice note: edge-tts first, espeak-ng when that fails."""

    def __init__(self, *, max_note_bytes: int, voice_override: str | None = None,
                 edge_timeout_s: float = 8.0, proxy: str | None = None,
                 communicate: Callable[..., Any] | None = None) -> None:
        """`max_note_bytes`: the largest audio the chat platform still shows as a voice note
        (longer answers are cut); `proxy`: an http(s) proxy for edge-tts's connection to
        Microsoft's service."""
        self._max_note_bytes = max_note_bytes
        self._voice_override = voice_override
        self._proxy = proxy
        self._edge_timeout_s = edge_timeout_s
        self._communicate = communicate or edge_tts.Communicate

    async def synthesize(self, text: str, language: str | None = None) -> VoiceNote:
        """Speak speakable_text(text) in `language` (detected when None)."""
        spoken = speakable_text(text)
        if not spoken:
            raise SpeechUnavailable(later("There is nothing to read aloud in this answer."))
        language = language or detect_language(spoken)
        for engine, make_audio in ((EDGE, self._edge_mp3), (ESPEAK, self._espeak_wav)):
            started = time.monotonic()
            try:
                return await _voice_note(await make_audio(spoken, language), engine,
                                         self._max_note_bytes)
            except _EngineFailed as exc:
                reason = str(exc)
            except Exception as exc:  # any network or library error: try the next engine
                reason = type(exc).__name__
            log.warning("speech: %s failed after %.1fs for %d chars (%s): %s", engine,
                        time.monotonic() - started, len(spoken), language, reason)
        raise SpeechUnavailable(UNAVAILABLE)

    async def _edge_mp3(self, text: str, language: str) -> bytes:
        voice = pick_voice(language, self._voice_override)
        chunks: list[bytes] = []
        try:
            async with asyncio.timeout(self._edge_timeout_s):
                stream = self._communicate(text, voice, proxy=self._proxy).stream()
                async with contextlib.aclosing(stream):
                    async for chunk in stream:
                        if chunk.get("type") == "audio" and chunk.get("data"):
                            chunks.append(chunk["data"])
        except TimeoutError:
            raise _EngineFailed(f"no answer within {self._edge_timeout_s:g}s") from None
        if not chunks:
            raise _EngineFailed(f"no audio for voice {voice}")
        return b"".join(chunks)

    async def _espeak_wav(self, text: str, language: str) -> bytes:
        argv = [ESPEAK_NG, "-v", espeak_voice(language), "-b", "1", "--stdin", "--stdout"]
        wav = await _run(argv, text.encode("utf-8"), PROCESS_TIMEOUT_S)
        if len(wav) <= 44:  # a bare WAV header: nothing was spoken
            raise _EngineFailed("espeak-ng produced no audio")
        return wav
