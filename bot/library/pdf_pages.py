"""PDF intake: a hostile file checked, looked over cheaply, and its chart pages rendered.

pypdfium2 (PDFium with wheels) opens the file. Limits hold before any rendering: the file's
bytes, its page count, each page's size in points, and the rendered pixel size. An
encrypted, damaged or non-PDF file is refused with a clear reason. Forms are never
initialised, so the file's JavaScript never runs; links are not followed (nothing here
looks at them). Text pulled from a page is data for retrieval, never an instruction.

An embedded image of absurd pixel size makes its page be skipped, never decoded.

A first pass over each page's objects, with no model call, tells pages that may hold a
chart (drawn paths, a large image) from pages of plain text, so that a 30-page report with
12 charts costs about 12 vision calls rather than 30.

PDFium is not thread-safe: every call into it holds one process-wide lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bot.png import encode_image
from bot.words.wording import Phrase, later

MAX_PDF_BYTES = 20 * 1024 * 1024  # the cloud Bot API's download limit
MAX_PDF_PAGES = 40
MAX_PAGE_POINTS = 14_400  # 200 inches, the largest page the PDF format describes
RENDER_LONG_SIDE_PX = 1600  # enough for the vision model; the image checks downscale further
MAX_IMAGE_PIXELS = 50_000_000  # an embedded image larger than this is a bomb, not a chart
MAX_PAGE_OBJECTS = 20_000  # past this a page is not looked over object by object
MIN_CHART_PATHS = 8  # bars, axes and ticks are paths; a text page has a few rules at most
MIN_IMAGE_SHARE = 0.08  # an image over this share of the page may be a chart picture
MAX_PAGE_TEXT_CHARS = 2000

_lock = threading.Lock()


class PdfRejected(Exception):
    """The PDF cannot be read; str() says why, in the person's language."""

    def __init__(self, reason: Phrase) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason)


@dataclass(frozen=True)
class PageLook:
    """What the first pass saw on one page (numbered from 1)."""

    number: int
    maybe_chart: bool
    text: str
    too_big: bool = False


def is_pdf(file_name: str | None, mime_type: str | None) -> bool:
    return (mime_type or "").lower() == "application/pdf" or (
        (file_name or "").lower().endswith(".pdf"))


def check_declared_pdf(file_size: int | None) -> None:
    """Refuse a PDF by its declared size, before downloading it."""
    if file_size is not None and file_size > MAX_PDF_BYTES:
        raise PdfRejected(later("That PDF is too big for me: the limit is {mb} MB.",
                                mb=MAX_PDF_BYTES // (1024 * 1024)))


def survey(data: bytes) -> list[PageLook]:
    """Every page's first look. Raises PdfRejected for a file that must not be read."""
    if len(data) > MAX_PDF_BYTES:
        check_declared_pdf(len(data))
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise PdfRejected(later("That file is not a PDF I can read."))
    with _lock:
        document = _open(data)
        try:
            count = len(document)
            if count == 0:
                raise PdfRejected(later("That PDF has no pages."))
            if count > MAX_PDF_PAGES:
                raise PdfRejected(later(
                    "That PDF has {pages} pages; I read at most {limit}. Send the pages with "
                    "the charts as a shorter PDF.", pages=count, limit=MAX_PDF_PAGES))
            return [_look(document, index) for index in range(count)]
        finally:
            document.close()


def render_page(data: bytes, number: int) -> bytes:
    """Page `number` (from 1) as a PNG, its longer side RENDER_LONG_SIDE_PX at most."""
    with _lock:
        document = _open(data)
        try:
            page = document[number - 1]
            try:
                width, height = page.get_size()
                if not _sane_size(width, height):
                    raise PdfRejected(later("Page {page} of that PDF is too large to draw.",
                                            page=number))
                scale = min(RENDER_LONG_SIDE_PX / max(width, height), 4.0)
                bitmap = page.render(scale=scale, may_draw_forms=False)
                return encode_image(bitmap.to_pil())
            finally:
                page.close()
        finally:
            document.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise PdfRejected(later("That PDF is encrypted or password-protected, so I "
                                    "can't read it. Send a copy without protection.")) from None
        raise PdfRejected(later("That PDF is damaged or not a PDF I can read.")) from None


def _sane_size(width: float, height: float) -> bool:
    return 1 <= width <= MAX_PAGE_POINTS and 1 <= height <= MAX_PAGE_POINTS


def _look(document: pdfium.PdfDocument, index: int) -> PageLook:
    page = document[index]
    try:
        width, height = page.get_size()
        if not _sane_size(width, height):
            return PageLook(index + 1, False, "", too_big=True)
        paths = 0
        image_area = 0.0
        for seen, obj in enumerate(page.get_objects(max_depth=4), start=1):
            if seen > MAX_PAGE_OBJECTS:
                paths = MIN_CHART_PATHS  # too busy to count: let the vision model look
                break
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                paths += 1
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                pixels_wide, pixels_high = obj.get_px_size()
                if pixels_wide * pixels_high > MAX_IMAGE_PIXELS:
                    return PageLook(index + 1, False, "", too_big=True)
                left, bottom, right, top = obj.get_bounds()
                image_area += max(0.0, right - left) * max(0.0, top - bottom)
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()[:MAX_PAGE_TEXT_CHARS]
        finally:
            textpage.close()
        maybe = paths >= MIN_CHART_PATHS or image_area >= MIN_IMAGE_SHARE * width * height
        return PageLook(index + 1, maybe, " ".join(text.split()))
    finally:
        page.close()
