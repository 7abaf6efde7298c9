"""Pictures from outside the package (clinic logos, images in Markdown), checked before any
renderer decodes them: size, pixel count, integrity, and where they may come from."""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import markdown
from .errors import SourceError
from .limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_SVG_BYTES, read_bounded, size_text
from .svg import check_svg_bytes

RASTER_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def check_raster(data: bytes, what: str, where: Path | None) -> str:
    """The format of a whole, readable PNG/JPEG/GIF/WebP of at most MAX_IMAGE_PIXELS pixels.

    The pixel count is read from the header before anything is decoded; then the picture is
    decoded once, so a truncated file is refused rather than printed half black.
    """
    from PIL import Image, ImageFile, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise SourceError(f"{what} is larger than {size_text(MAX_IMAGE_BYTES)}", where)
    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: our limit is lower
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise SourceError(
                    f"{what} has {width}×{height} pixels, more than the limit of "
                    f"{MAX_IMAGE_PIXELS / 1e6:g} million",
                    where,
                )
            if image.format not in RASTER_FORMATS:
                raise SourceError(f"{what} is a {image.format} image (use PNG or JPEG)", where)
            tolerant = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint turns it on when imported
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    except Image.DecompressionBombError:
        raise SourceError(
            f"{what} has more pixels than the limit of {MAX_IMAGE_PIXELS / 1e6:g} million", where
        ) from None
    except UnidentifiedImageError:
        raise SourceError(f"{what} is not a picture leaflet-gen can read", where) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise SourceError(f"{what} is damaged or truncated", where) from None
    return image.format


def check_markdown_images(text: str, folder: Path, where: Path) -> None:
    """Refuse images in a Markdown unit that are remote, outside ``folder`` or too big.

    Relative paths are relative to the Markdown file's folder (as :func:`markdown.inline_html`
    resolves them); ``data:`` URIs are decoded and checked like files.
    """
    if "![" not in text:
        return
    for token in markdown.inline_tokens(text):
        if token.type == "image":
            _check_image_source(str(token.attrs.get("src", "")), folder, where)


def refuse_images(text: str, what: str, where: Path) -> None:
    """Front-matter fields and exercise texts have no pictures (an exercise has its figure)."""
    if "![" in text and any(t.type == "image" for t in markdown.inline_tokens(text)):
        raise SourceError(f"{what}: images are only allowed in a leaflet's text", where)


def _check_image_source(src: str, folder: Path, where: Path) -> None:
    shown = src if len(src) <= 60 else f"{src[:59]}…"
    scheme = urlparse(src).scheme.lower()
    if scheme == "data":
        header, _, payload = src.partition(",")
        if len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
            raise SourceError(
                f"image '{shown}' is larger than {size_text(MAX_IMAGE_BYTES)}", where
            )
        try:
            data = (
                base64.b64decode(payload, validate=True)
                if header.lower().endswith(";base64")
                else unquote(payload).encode("utf-8")
            )
        except (binascii.Error, ValueError):
            raise SourceError(f"image '{shown}' is not valid base64", where) from None
        _check_picture(data, header.lower().startswith("data:image/svg+xml"), shown, where)
        return
    if scheme not in ("", "file"):
        raise SourceError(f"refused to fetch {shown} (only the project's files are loaded)", where)
    path = Path(unquote(urlparse(src).path))
    resolved = (folder / path).resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise SourceError(
            f"refused to read {resolved} (images must be in the folder of the leaflet)", where
        )
    if not resolved.is_file():
        raise SourceError(f"image '{shown}' not found", where)
    svg = resolved.suffix.lower() == ".svg"
    data = read_bounded(resolved, MAX_SVG_BYTES if svg else MAX_IMAGE_BYTES, f"image '{shown}'")
    _check_picture(data, svg, shown, where)


def _check_picture(data: bytes, svg: bool, shown: str, where: Path) -> None:
    """An image's bytes checked as the SVG or the raster picture it claims to be."""
    if svg:
        check_svg_bytes(data, f"image '{shown}'", where)
    else:
        check_raster(data, f"image '{shown}'", where)
