"""Image intake: safe checks before and after download, decoding, downscaling, model encoding.

Everything here is synchronous, bounded CPU work; callers run it with `asyncio.to_thread`.
Pillow's global limits are left alone: our own, lower pixel limit is checked explicitly
after `Image.open` has read the header and before any pixel data is decoded.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import math
import mimetypes
import struct
import threading
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, features

from bot.png import encode_image
from bot.words.wording import Phrase, later, noop

INLINE_BASE64_LIMIT = 180_000
"""NVIDIA's hosted API rejects inline images whose base64 text is longer than this."""

MIN_SIDE = 32
"""Images with a side shorter than this are too small to hold a readable chart."""

MIN_MODEL_SIDE = 256
"""`encode_for_model` shrinks the longest side no further than this."""

_MB = 1024 * 1024
_DAMAGED = noop(
    "That image file looks damaged or incomplete, so I can't read it. "
    "Try sending it again, or send a screenshot of the chart."
)
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
_GENERIC_MIME_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})
_BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_JPEG_LADDER: tuple[tuple[int, int], ...] = ((90, 0), (80, 0), (70, 2), (60, 2))
"""(quality, chroma subsampling): 4:4:4 keeps thin coloured lines sharp at high quality."""

_SVG = noop("an SVG drawing")
_PDF = noop("a PDF")
_HEIC = noop("a HEIC photo")
_HEIF = noop("a HEIF photo")
_TIFF = noop("a TIFF image")
_ZIP = noop("a ZIP archive")
_VIDEO = noop("a video")
_TEXT = noop("a text file")
_KIND_BY_MIME = {
    "image/svg+xml": _SVG,
    "application/pdf": _PDF,
    "image/heic": _HEIC,
    "image/heif": _HEIF,
    "image/avif": noop("an AVIF image"),
    "image/tiff": _TIFF,
    "application/zip": _ZIP,
}
_MIME_BY_EXTENSION = {
    "svg": "image/svg+xml",
    "svgz": "image/svg+xml",
    "pdf": "application/pdf",
    "heic": "image/heic",
    "heif": "image/heif",
    "hif": "image/heif",
    "avif": "image/avif",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}

# `warnings.catch_warnings` swaps process-wide state; serialise our use of it.
_OPEN_LOCK = threading.Lock()


class ImageRejected(ValueError):
    """An image we will not read; the message is short, person-readable and says what to do.

    It is a Phrase, said in the person's language when the exception is shown (images are
    checked in a worker thread).
    """


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * _MB
    max_pixels: int = 40_000_000
    max_side_for_model: int = 1344


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True)
class PreparedImage:
    """What the model is sent: `data` is a PNG or JPEG (`mime_type`) of width × height pixels.

    `digest` names the picture for the extraction cache: it hashes the file when the file is
    sent as it came, else the decoded pixels (so the same picture re-encoded matches).
    """

    data: bytes
    mime_type: str
    width: int
    height: int
    digest: str


@dataclass(frozen=True)
class _Format:
    pillow_id: str
    mime_types: frozenset[str]
    extensions: frozenset[str]
    optional: bool = False


_FORMATS = (
    _Format(
        "PNG", frozenset({"image/png", "image/x-png", "image/apng"}), frozenset({"png", "apng"})
    ),
    _Format(
        "JPEG",
        frozenset({"image/jpeg", "image/jpg", "image/pjpeg"}),
        frozenset({"jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp"}),
    ),
    _Format("WEBP", frozenset({"image/webp"}), frozenset({"webp"})),
    _Format("GIF", frozenset({"image/gif"}), frozenset({"gif"})),
    _Format(
        "BMP",
        frozenset({"image/bmp", "image/x-bmp", "image/x-ms-bmp", "image/x-windows-bmp"}),
        frozenset({"bmp", "dib"}),
    ),
    _Format(
        "HEIF",
        frozenset({"image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"}),
        frozenset({"heic", "heif", "hif"}),
        optional=True,
    ),
    _Format("AVIF", frozenset({"image/avif"}), frozenset({"avif"}), optional=True),
)


# --- before download -------------------------------------------------------------------


def check_declared(
    *,
    file_size: int | None,
    width: int | None = None,
    height: int | None = None,
    mime_type: str | None = None,
    file_name: str | None = None,
    limits: ImageLimits = DEFAULT_LIMITS,
) -> None:
    """Reject by what Telegram declares about a file, before downloading it."""
    if file_size is not None:
        _check_byte_size(file_size, limits)
    if width is not None and height is not None:
        _check_pixel_count(width, height, limits)
    _check_declared_type(mime_type, file_name)


def _check_byte_size(size: int, limits: ImageLimits) -> None:
    if size > limits.max_bytes:
        raise ImageRejected(later(
            "That file is {size}; I can read images up to {limit}. "
            "Send a screenshot or a smaller photo.",
            size=_megabytes(size), limit=_megabytes(limits.max_bytes),
        ))


def _check_pixel_count(width: int, height: int, limits: ImageLimits) -> None:
    if width * height > limits.max_pixels:
        raise ImageRejected(later(
            "That image is {width}×{height} pixels ({megapixels} megapixels); "
            "I can read images up to {limit} megapixels. Send a screenshot or a smaller copy.",
            width=width, height=height, megapixels=_megapixels(width * height),
            limit=_megapixels(limits.max_pixels),
        ))


def _check_declared_type(mime_type: str | None, file_name: str | None) -> None:
    mime = (mime_type or "").split(";", 1)[0].strip().lower()
    if mime and mime not in _GENERIC_MIME_TYPES:
        if mime not in _accepted_mime_types():
            raise ImageRejected(_unsupported_message(_kind_of_mime(mime)))
        return
    extension = _extension(file_name)
    if extension is None or extension in _accepted_extensions():
        return
    guessed = _MIME_BY_EXTENSION.get(extension) or mimetypes.guess_type(f"x.{extension}")[0]
    if guessed is not None:
        raise ImageRejected(_unsupported_message(_kind_of_mime(guessed)))


def _extension(file_name: str | None) -> str | None:
    if not file_name or "." not in file_name:
        return None
    return file_name.rsplit(".", 1)[1].strip().lower() or None


def _accepted_mime_types() -> frozenset[str]:
    return frozenset(m for f in _FORMATS if _decodable(f) for m in f.mime_types)


def _accepted_extensions() -> frozenset[str]:
    return frozenset(e for f in _FORMATS if _decodable(f) for e in f.extensions)


def _decodable(fmt: _Format) -> bool:
    """Core formats always; HEIF/AVIF only when this Pillow build can decode them."""
    if not fmt.optional:
        return True
    if fmt.pillow_id == "AVIF":
        return bool(features.check_module("avif"))
    Image.init()
    return fmt.pillow_id in Image.OPEN


def _kind_of_mime(mime: str) -> Phrase:
    if mime in _KIND_BY_MIME:
        return Phrase(_KIND_BY_MIME[mime])
    if mime.startswith("video/"):
        return Phrase(_VIDEO)
    if mime.startswith("text/"):
        return Phrase(_TEXT)
    return later("that kind of file ({mime})", mime=mime)


def _unsupported_message(kind: Phrase) -> Phrase:
    if kind.message in {_HEIC, _HEIF}:
        return later(
            "I can't read {kind}. Send it as a photo rather than as a file, "
            "or as a PNG, JPEG, WebP, GIF or BMP image.",
            kind=kind,
        )
    return later(
        "I can't read {kind}. Send the chart as a PNG, JPEG, WebP, GIF or BMP image; "
        "a screenshot works.",
        kind=kind,
    )


# --- after download --------------------------------------------------------------------


def prepare_image(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> PreparedImage:
    """Check, decode (first frame, EXIF-oriented, alpha on white) and downscale to RGB.

    A plain PNG or JPEG that fits is kept as it came, and then not decoded in full: a JPEG is
    decoded at an eighth of its size (every coded block is still read), and a PNG's chunks'
    checksums and its compressed pixel stream are checked; its digest is the file's. Anything
    else is re-encoded, as JPEG when it came as one (a photo as PNG is several times larger)
    and as PNG otherwise, and its digest is its pixels'.
    """
    if not data:
        raise ImageRejected(later(
            "That file is empty. Send the chart as a PNG, JPEG, WebP, GIF or BMP image."
        ))
    _check_byte_size(len(data), limits)
    pillow_id = _sniff_format(data)
    with _open_image(data, pillow_id, limits) as im:
        _check_dimensions(*im.size, limits=limits)
        if _sendable_as_is(data, im, limits):
            width, height = im.size
            if im.format == "JPEG":
                im.draft(im.mode, (math.ceil(width / 8), math.ceil(height / 8)))
                _load_oriented(im)  # no EXIF here: only checks that it decodes
            return PreparedImage(data=data, mime_type=Image.MIME[pillow_id], width=width,
                                 height=height, digest=_file_digest(data))
        _draft_jpeg(im, limits.max_side_for_model)
        rgb = _to_rgb(_load_oriented(im))  # a new image: it outlives the file
    rgb = _downscale(rgb, limits.max_side_for_model)
    rgb.info.clear()  # Pillow would write comments and profiles from it into a new file
    if pillow_id == "JPEG":
        encoded, mime_type = _jpeg_bytes(rgb, *_JPEG_LADDER[0]), "image/jpeg"
    else:
        encoded, mime_type = encode_image(rgb), "image/png"
    return PreparedImage(
        data=encoded, mime_type=mime_type, width=rgb.width, height=rgb.height,
        digest=_pixel_digest(rgb),
    )


_PLAIN_PNG_CHUNKS = frozenset({b"IHDR", b"IDAT", b"IEND", b"sRGB", b"gAMA", b"cHRM", b"pHYs"})
_PNG_RGB8 = (8, 2)
_PNG_GREY8 = (8, 0)
_PLAIN_JPEG_SEGMENTS = frozenset({("APP0", b"JFIF\0"), ("APP14", b"Adobe")})


def _sendable_as_is(data: bytes, im: ImageFile.ImageFile, limits: ImageLimits) -> bool:
    """Whether the downloaded file can go to the model byte for byte (call before decoding).

    Re-encoding costs tens of milliseconds (hundreds for a phone photo turned into PNG) and
    makes a photo's request several times larger. The file is sent as is only when it is a
    plain 8-bit RGB or grey PNG or JPEG that needs no resizing, rotation or compositing and
    carries nothing besides pixels: no EXIF (a phone's location), comments or text chunks.
    """
    if max(im.size) > limits.max_side_for_model:
        return False
    if im.format == "PNG":
        return _plain_png(data)
    if im.format == "JPEG":
        return _plain_jpeg(im)
    return False


def _plain_jpeg(im: ImageFile.ImageFile) -> bool:
    """An RGB or grey JPEG with no segments but JFIF and Adobe's colour marker."""
    if im.mode not in ("RGB", "L") or "comment" in im.info:
        return False
    return all(
        (marker, body[:5]) in _PLAIN_JPEG_SEGMENTS for marker, body in getattr(im, "applist", [])
    )


def _plain_png(data: bytes) -> bool:
    """An 8-bit RGB or grey, non-interlaced PNG whose chunks are all in _PLAIN_PNG_CHUNKS,
    each with a correct checksum, and whose pixel data inflates to exactly its rows (so it
    decodes, without being decoded)."""
    offset, rows_bytes = 8, 0
    inflater = zlib.decompressobj()
    inflated = 0
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        checksum = data[offset + 8 + length : offset + 12 + length]
        if kind not in _PLAIN_PNG_CHUNKS or len(body) < length or \
                zlib.crc32(kind + body).to_bytes(4, "big") != checksum:
            return False
        if kind == b"IHDR":
            if length != 13 or (body[8], body[9]) not in (_PNG_RGB8, _PNG_GREY8) or body[12]:
                return False  # other depths and colour types, or Adam7 interlacing
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            rows_bytes = height * (1 + width * (3 if body[9] == 2 else 1))
        elif kind == b"IDAT":
            while body:  # inflated in slices, counted and dropped: memory stays small
                inflated += len(inflater.decompress(body, _INFLATE_SLICE))
                body = inflater.unconsumed_tail
                if inflated > rows_bytes:
                    return False
        elif kind == b"IEND":
            inflated += len(inflater.flush())
            return inflater.eof and inflated == rows_bytes > 0
        offset += 12 + length
    return False


_INFLATE_SLICE = 1 << 20


def _sniff_format(data: bytes) -> str:
    """The Pillow format id chosen by magic bytes, or ImageRejected naming what it is."""
    pillow_id = _magic_format(data)
    if pillow_id is None:
        raise ImageRejected(_unsupported_message(_describe_unknown(data)))
    fmt = next(f for f in _FORMATS if f.pillow_id == pillow_id)
    if not _decodable(fmt):
        raise ImageRejected(_unsupported_message(_kind_of_mime(sorted(fmt.mime_types)[0])))
    return pillow_id


def _magic_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:2] == b"BM" and int.from_bytes(data[14:18], "little") in _BMP_HEADER_SIZES:
        return "BMP"
    brands = _ftyp_brands(data)
    if brands & _AVIF_BRANDS:
        return "AVIF"
    if brands & _HEIF_BRANDS:
        return "HEIF"
    return None


def _ftyp_brands(data: bytes) -> frozenset[bytes]:
    """Major and compatible brands of an ISO media file's leading `ftyp` box."""
    if data[4:8] != b"ftyp" or len(data) < 12:
        return frozenset()
    box_end = min(int.from_bytes(data[:4], "big"), 128, len(data))
    compatible = (data[i : i + 4] for i in range(16, box_end - 3, 4))
    return frozenset({data[8:12], *compatible})


def _describe_unknown(data: bytes) -> Phrase:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return Phrase(_PDF)
    if head.startswith(b"<") and b"<svg" in head:
        return Phrase(_SVG)
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return Phrase(_TIFF)
    if data[:4] == b"PK\x03\x04":
        return Phrase(_ZIP)
    if data[4:8] == b"ftyp":
        return Phrase(_VIDEO)
    if _looks_like_text(data[:1024]):
        return Phrase(_TEXT)
    return later("that kind of file")


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch.isspace() for ch in text)


def _open_image(data: bytes, pillow_id: str, limits: ImageLimits) -> ImageFile.ImageFile:
    """Read the header only, with Pillow's decompression-bomb warning raised as an error."""
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[pillow_id])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = min(limits.max_pixels, Image.MAX_IMAGE_PIXELS or limits.max_pixels)
        raise ImageRejected(later(
            "That image has far too many pixels for me to read; I can read images up to "
            "{limit} megapixels. Send a screenshot or a smaller copy.",
            limit=_megapixels(limit),
        )) from exc
    except _DECODE_ERRORS as exc:
        raise ImageRejected(Phrase(_DAMAGED)) from exc


def _check_dimensions(width: int, height: int, *, limits: ImageLimits) -> None:
    _check_pixel_count(width, height, limits)
    if min(width, height) < MIN_SIDE:
        raise ImageRejected(later(
            "That image is only {width}×{height} pixels, too small to read. "
            "Send a larger screenshot of the chart.",
            width=width, height=height,
        ))


def _draft_jpeg(im: ImageFile.ImageFile, max_side: int) -> None:
    """Let libjpeg decode big JPEGs at 1/2, 1/4 or 1/8 scale, still at least `max_side`."""
    if im.format != "JPEG" or max(im.size) <= 2 * max_side:
        return
    scale = max_side / max(im.size)
    im.draft(None, (math.ceil(im.width * scale), math.ceil(im.height * scale)))


def _load_oriented(im: ImageFile.ImageFile) -> Image.Image:
    """Decode the first frame and turn it upright by its EXIF orientation, in place (skipped
    if EXIF is unreadable): most photos need no turn, and a copy would cost a frame's bytes."""
    try:
        im.load()
    except _DECODE_ERRORS as exc:
        raise ImageRejected(Phrase(_DAMAGED)) from exc
    with contextlib.suppress(*_DECODE_ERRORS):
        ImageOps.exif_transpose(im, in_place=True)
    return im


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB with any transparency composited onto white; 16/32-bit grey scaled to 8 bits."""
    if im.mode.startswith("I") or im.mode == "F":
        im = im.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        im.info.pop("transparency", None)
    if not im.has_transparency_data:
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _fit_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return size
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _downscale(im: Image.Image, max_side: int) -> Image.Image:
    size = _fit_size(im.size, max_side)
    if size == im.size:
        return im
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _file_digest(data: bytes) -> str:
    """sha256 of a file sent as it came: the same file gives the same digest."""
    return hashlib.sha256(b"file:" + data).hexdigest()


def _pixel_digest(im: Image.Image) -> str:
    """sha256 of the size and RGB pixels: the same picture gives the same digest."""
    sha = hashlib.sha256(f"{im.width}x{im.height}:".encode())
    sha.update(im.tobytes())
    return sha.hexdigest()


# --- for the model ---------------------------------------------------------------------


def encode_for_model(
    image: PreparedImage, *, max_base64_chars: int | None = None
) -> tuple[str, str]:
    """(mime type, base64): the image as prepared if it fits, else JPEG at falling quality,
    then smaller sides."""
    b64 = _b64(image.data)
    if max_base64_chars is None or len(b64) <= max_base64_chars:
        return image.mime_type, b64
    if max_base64_chars <= 0:
        raise ValueError("max_base64_chars must be positive")
    with Image.open(io.BytesIO(image.data), formats=["PNG", "JPEG"]) as opened:
        rgb = opened.convert("RGB")
    for side in _fallback_sides(max(rgb.size)):
        jpeg_b64 = _best_jpeg(_downscale(rgb, side), max_base64_chars)
        if jpeg_b64 is not None:
            return "image/jpeg", jpeg_b64
    raise ImageRejected(later(
        "That image has too much fine detail to send to the model, even shrunk. "
        "Send a screenshot cropped to just the chart."
    ))


def _fallback_sides(longest: int) -> Iterator[int]:
    """The longest side, then ×0.8 steps down to MIN_MODEL_SIDE (never below, never above)."""
    side = longest
    yield side
    while side > MIN_MODEL_SIDE:
        side = max(MIN_MODEL_SIDE, int(side * 0.8))
        yield side


def _best_jpeg(im: Image.Image, max_chars: int) -> str | None:
    """Highest-quality JPEG of the ladder that fits; None when even the lowest does not."""
    floor = _jpeg_b64(im, *_JPEG_LADDER[-1])
    if len(floor) > max_chars:
        return None
    for quality, subsampling in _JPEG_LADDER[:-1]:
        candidate = _jpeg_b64(im, quality, subsampling)
        if len(candidate) <= max_chars:
            return candidate
    return floor


def _jpeg_bytes(im: Image.Image, quality: int, subsampling: int) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality, subsampling=subsampling)
    return buffer.getvalue()


def _jpeg_b64(im: Image.Image, quality: int, subsampling: int) -> str:
    return _b64(_jpeg_bytes(im, quality, subsampling))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def data_url(mime_type: str, b64: str) -> str:
    """A `data:` URL for an OpenAI-style `image_url` content part."""
    return f"data:{mime_type};base64,{b64}"


def _megabytes(size: int) -> str:
    return f"{_short_number(size / _MB)} MB"


def _megapixels(pixels: int) -> str:
    """The number of megapixels, for messages that say "{...} megapixels"."""
    return _short_number(pixels / 1_000_000)


def _short_number(value: float) -> str:
    """One decimal below 100, none above, and no trailing `.0`."""
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}".removesuffix(".0")
