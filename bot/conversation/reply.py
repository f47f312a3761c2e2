"""What the person gets back: front-end-neutral reply parts, and how a table is presented."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from bot.tables.table import Table
from bot.words.wording import t

MAX_TABLE_TEXT_CHARS = 3000
MAX_TABLE_TEXT_WIDTH = 72


@dataclass(frozen=True)
class Limits:
    """What one chat platform allows; each front end hands the core its own.

    `caption_chars` is counted as Telegram counts (UTF-16 code units); `toast_chars` bounds the
    short notice a button tap gets; `voice_note_bytes` the largest audio the platform still
    shows as a voice note; `upload_bytes` the largest file the bot may send.
    """

    message_chars: int
    caption_chars: int
    toast_chars: int
    upload_bytes: int
    voice_note_bytes: int


@dataclass(frozen=True)
class Action:
    """A one-tap quick action shown under a chart; `data` is what comes back on a tap."""

    label: str
    data: str


@dataclass(frozen=True)
class Text:
    """A message; `actions` are buttons under it (a library listing's "open" buttons)."""

    text: str
    monospace: bool = False
    actions: tuple[tuple[Action, ...], ...] = ()


@dataclass(frozen=True)
class Photo:
    """A chart image; `table` is the table as monospace text, shown under the caption."""

    png: bytes
    caption: str = ""
    actions: tuple[tuple[Action, ...], ...] = ()
    table: str = ""


@dataclass(frozen=True)
class Document:
    file_name: str
    data: bytes
    caption: str = ""


Part = Text | Photo | Document


@dataclass(frozen=True)
class Reply:
    """What the person gets back, in order; `speak` is the prose for a voice note, if wanted."""

    parts: tuple[Part, ...]
    speak: str = ""
    entry: int | None = None  # the library entry its chart shows, so replies to it find it

    @classmethod
    def text(cls, text: str) -> Reply:
        return cls((Text(text),))


@dataclass(frozen=True)
class Tapped:
    """The outcome of a quick-action tap.

    `notice` is the short toast on the tap; `chart` replaces the tapped chart message;
    otherwise `actions` (when not None) replace its buttons; `follow_up` is sent as new messages.
    """

    notice: str = ""
    chart: Photo | None = None
    actions: tuple[tuple[Action, ...], ...] | None = None
    follow_up: Reply | None = None


Marked = Collection[tuple[int, int]]


def table_parts(table: Table, marked: Marked = ()) -> tuple[Part, ...]:
    """The table as monospace text when it fits a phone screen, else as a CSV file; `marked`
    cells (row, column) carry a "?" in the text (the CSV holds the data only)."""
    text = table.to_text(marked)
    if _fits_screen(text):
        return (Text(text, monospace=True),)
    caption = t("The table is too big for a message: {summary}", summary=table.summary())
    return (csv_document(table, caption),)


def chart_parts(photo: Photo, table: Table, caption_chars: int,
                marked: Marked = ()) -> tuple[Part, ...]:
    """The chart with the table under its caption when that fits, else the chart, then the table.

    One message instead of two keeps the numbers beside their chart, and halves what a reply
    spends of the bot's message budget.
    """
    shown = with_table_caption(photo, table, caption_chars, marked)
    return (shown,) if shown.table else (photo, *table_parts(table, marked))


def with_table_caption(photo: Photo, table: Table, caption_chars: int,
                       marked: Marked = ()) -> Photo:
    """The photo with the table under its caption, if both fit in one caption."""
    text = table.to_text(marked)
    if _fits_screen(text) and caption_length(f"{photo.caption}\n\n{text}") <= caption_chars:
        return replace(photo, table=text)
    return photo


def caption_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _fits_screen(text: str) -> bool:
    width = max(len(line) for line in text.splitlines())
    return len(text) <= MAX_TABLE_TEXT_CHARS and width <= MAX_TABLE_TEXT_WIDTH


def file_stem(table: Table, fallback: str) -> str:
    """A file name (without extension) from the table's title: word characters only."""
    return re.sub(r"[^\w-]+", "_", table.title).strip("_")[:40] or fallback


def csv_document(table: Table, caption: str) -> Document:
    return Document(f"{file_stem(table, 'table')}.csv", table.to_csv().encode("utf-8-sig"),
                    caption)


def xlsx_document(table: Table, data: bytes, caption: str) -> Document:
    return Document(f"{file_stem(table, 'table')}.xlsx", data, caption)


def chart_documents(table: Table, png: bytes, svg: bytes) -> tuple[Document, Document]:
    """The chart as files to keep; the caption goes under the second, closing the pair."""
    stem = file_stem(table, "chart")
    return (Document(f"{stem}.png", png),
            Document(f"{stem}.svg", svg, t("The chart at print size (PNG) and as an SVG whose "
                                           "text you can edit. /csv sends the data.")))


def split_lines(lines: Iterable[str], budget: int) -> list[str]:
    """Messages of at most `budget` characters made of whole lines (a longer line is cut),
    for platforms that limit a message's length; blank ones are left out."""
    pieces: list[str] = []
    current = ""
    for line in lines:
        line = line[:budget]
        if len(current) + len(line) > budget:
            pieces.append(current)
            current = ""
        current += line
    pieces.append(current)
    return [p.rstrip() for p in pieces if p.strip()]


def clip(text: str, limit: int) -> str:
    """Cut text at a word boundary so it fits a message limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
