"""Clinic profiles (TOML): name, contact details, logo and brand colour, validated."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import segno

from .colour import MIN_CONTRAST, WHITE, from_hex, to_hex, worst_contrast
from .errors import SourceError
from .images import check_raster
from .limits import (
    MAX_FIELD_CHARS,
    MAX_IMAGE_BYTES,
    MAX_SOURCE_BYTES,
    MAX_TITLE_CHARS,
    check_characters,
    check_length,
    read_bounded,
)
from .model import Clinic
from .svg import check_svg

_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
_TEXT_KEYS = ("name", "address", "phone", "email", "website")


def load_clinic(path: Path) -> Clinic:
    """Read and validate a clinic profile; the logo path is relative to the profile."""
    try:
        data = tomllib.loads(read_bounded(path, MAX_SOURCE_BYTES, "clinic profile").decode())
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot read clinic profile ({exc.__class__.__name__})", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"invalid TOML ({exc})", path) from None
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise SourceError("clinic profile needs a name", path)
    unknown = set(data) - {*_TEXT_KEYS, "logo", "colour", "color"}
    if unknown:
        raise SourceError(f"unknown key '{sorted(unknown)[0]}' in clinic profile", path)
    for key in _TEXT_KEYS:
        if key in data and not isinstance(data[key], str):
            raise SourceError(f"{key} must be text", path)
        limit = MAX_FIELD_CHARS if key == "address" else MAX_TITLE_CHARS
        check_length(data.get(key, "").strip(), limit, key, path)
        check_characters(data.get(key, ""), key, path)
    website = data.get("website", "").strip()
    if website and not re.fullmatch(r"https?://[^\s<>\"]+", website):
        raise SourceError(f"website '{website}' must start with https:// or http://", path)
    colour = data.get("colour", data.get("color", "#1f4e79"))
    return Clinic(
        name=data["name"].strip(),
        address=data.get("address", "").strip(),
        phone=data.get("phone", "").strip(),
        email=data.get("email", "").strip(),
        website=website,
        logo=_logo(data["logo"], path) if data.get("logo") else None,
        colour=text_colour(colour, path),
        # MAX_TITLE_CHARS (200) keeps the website well inside a QR code's capacity (2331 bytes)
        qr_svg=segno.make(website, error="m").svg_data_uri(dark="#000", border=2)
        if website
        else "",
    )


def _logo(value: object, profile: Path) -> Path:
    if not isinstance(value, str):
        raise SourceError("logo must be a file name", profile)
    logo = (profile.parent / value).resolve()
    if not logo.is_file():
        raise SourceError(f"logo '{value}' not found", profile)
    suffix = logo.suffix.lower()
    if suffix == ".svg":
        check_svg(logo)
    elif suffix in _SIGNATURES:
        data = read_bounded(logo, MAX_IMAGE_BYTES, f"logo '{value}'")
        if not data.startswith(_SIGNATURES[suffix]):
            raise SourceError(f"logo '{value}' is not really a {suffix[1:].upper()} image", profile)
        check_raster(data, f"logo '{value}'", profile)
    else:
        raise SourceError(f"logo '{value}' must be SVG, PNG or JPEG", profile)
    return logo


def text_colour(value: object, profile: Path | None = None) -> str:
    """A valid ``#rrggbb`` colour, darkened until it reaches 4.5:1 against white, in colour
    and in greyscale."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
        raise SourceError(f"colour '{value}' is not a hex colour like #1f4e79", profile)
    rgb = from_hex(value)
    while worst_contrast(rgb, WHITE) < MIN_CONTRAST:
        rgb = tuple(int(round(v * 255) * 0.9) / 255 for v in rgb)  # whole 8-bit steps
    return to_hex(rgb)
