"""Which language a piece of text is written in, guessed from its scripts and stop words.

Used to pick a voice for a spoken answer and the language of the bot's own messages.
"""

from __future__ import annotations

import re
import unicodedata

_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("kana", 0x3040, 0x30FF),
    ("kana", 0x31F0, 0x31FF),
    ("kana", 0xFF66, 0xFF9F),
    ("han", 0x3400, 0x4DBF),
    ("han", 0x4E00, 0x9FFF),
    ("han", 0xF900, 0xFAFF),
    ("ko", 0x1100, 0x11FF),
    ("ko", 0x3130, 0x318F),
    ("ko", 0xAC00, 0xD7AF),
    ("cyrillic", 0x0400, 0x04FF),
    ("ar", 0x0600, 0x06FF),
    ("ar", 0x0750, 0x077F),
    ("hi", 0x0900, 0x097F),
    ("el", 0x0370, 0x03FF),
    ("he", 0x0590, 0x05FF),
    ("th", 0x0E00, 0x0E7F),
)
_CJK_WEIGHT = 3  # one Han, kana or Hangul character carries about as much as 3 Latin letters
_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")

_STOP_WORD_LISTS = {
    "en": "the and is are was were of to in it that this with for on by from what "
          "which has have not be as at an or",
    "de": "der die das und ist sind nicht mit von den dem des ein eine einen zu auf "
          "für im sich auch wie war wurde es ich hat oder",
    "fr": "le la les et est sont de des du un une dans pour que qui pas sur au aux avec "
          "ce cette plus ont il elle",
    "es": "el la los las y es son de del que en un una por con para más se lo al su "
          "fue como pero muy",
    "it": "il lo gli le e è di che un una per con non del della nel sono più al "
          "ha anche questo",
    "pt": "o os as e é de do da dos das que em um uma para com não no na mais foi "
          "são ao pelo",
    "nl": "de het een en is van dat in op te met voor niet zijn er ook aan als bij "
          "was naar dit",
}
_STOP_WORDS = {lang: frozenset(words.split()) for lang, words in _STOP_WORD_LISTS.items()}
_WORD = re.compile(r"[^\W\d_]+")


def _script(char: str) -> str | None:
    code = ord(char)
    for name, low, high in _SCRIPTS:
        if low <= code <= high:
            return name
    return None


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = _script(char) or ("latin" if unicodedata.name(char, "").startswith("LATIN")
                                 else "other")
        counts[name] = counts.get(name, 0) + 1
    return counts


def _latin_language(text: str, prefer: str | None) -> str | None:
    """Short messages carry few stop words, and one is weak evidence ("do" is Portuguese,
    "de" Spanish, Dutch and more), so the preferred language wins unless another one leads it
    by two words or more, and one word alone only tells English."""
    words = _WORD.findall(text.lower())
    scores = {lang: sum(word in stops for word in words) for lang, stops in _STOP_WORDS.items()}
    best = max(scores.values())
    if best == 0:
        return None
    if prefer in scores and scores[prefer] >= best - 1:
        return prefer
    leaders = [lang for lang, score in scores.items() if score == best]  # English first
    return leaders[0] if best >= 2 or "en" in leaders else None


def written_language(text: str, prefer: str | None = None) -> str | None:
    """A BCP-47 primary language code for `text` from its scripts, then from Latin stop words;
    None when its words don't tell (no letters, or too few Latin stop words). For Latin text,
    `prefer` (say, the person's app language) wins unless the words clearly say otherwise."""
    counts = _script_counts(text)
    cjk = counts.get("kana", 0) + counts.get("han", 0)
    weights = {"cjk": cjk * _CJK_WEIGHT, "ko": counts.get("ko", 0) * _CJK_WEIGHT}
    weights.update({k: v for k, v in counts.items() if k not in ("kana", "han", "ko", "other")})
    if not weights or max(weights.values()) == 0:
        return None
    script = max(weights, key=lambda name: weights[name])
    if script == "cjk":
        return "ja" if counts.get("kana", 0) * 10 >= cjk else "zh"
    if script == "cyrillic":
        return "uk" if any(char in _UKRAINIAN_LETTERS for char in text) else "ru"
    if script == "latin":
        return _latin_language(text, prefer)
    return script


def detect_language(text: str) -> str:
    """The language of `text` as written_language guesses it, English when nothing tells."""
    return written_language(text) or "en"


def has_letters(text: str) -> bool:
    """Whether `text` holds enough words to tell its language: one CJK character or three
    letters of another script."""
    counts = _script_counts(text)
    cjk = counts.get("kana", 0) + counts.get("han", 0) + counts.get("ko", 0)
    return cjk > 0 or sum(counts.values()) >= 3
