"""Shipped fonts, prepared once per machine, and a fontconfig pinned to them.

The fonts come from PyPI packages (Noto Sans, IBM Plex Sans Arabic). Noto Sans is a 2 MB
variable font whose subsetting dominates a render, so it is instanced to static weights and
cut down to the scripts leaflets use, once, into a cache folder. No machine font is ever used:
``FONTCONFIG_FILE`` points at a configuration that knows only that folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import fontpkg_ibm_plex_sans_arabic
import fontpkg_noto_sans

from . import __version__

SANS = "LeafletSans"
ARABIC = "LeafletArabic"

# Scripts a leaflet may use: Latin (da, en, de, pl, tr…), Cyrillic (uk), punctuation, arrows,
# mathematical signs such as × and ≤.
_KEEP = [
    (0x0020, 0x024F),
    (0x02B0, 0x036F),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20BF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
    (0xFB00, 0xFB06),
]


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    path: Path


@dataclass(frozen=True)
class FontSet:
    """The prepared font files and the folder that holds them."""

    folder: Path
    faces: tuple[FontFace, ...]


def cache_root() -> Path:
    """Per-machine cache folder (``LEAFLET_GEN_CACHE`` or the XDG cache home)."""
    explicit = os.environ.get("LEAFLET_GEN_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leaflet-gen"


def keep_in_cache(data: bytes, path: Path) -> None:
    """Store a file in the cache folder, whole or not at all; an unwritable cache only costs
    time, so a failure is not an error."""
    from .errors import RenderError
    from .pdf import write_atomically

    with suppress(OSError, RenderError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(data, path)


def _noto(style: str) -> Path:
    name = "NotoSans-Italic[wdth,wght].ttf" if style == "italic" else "NotoSans[wdth,wght].ttf"
    return fontpkg_noto_sans.ROOT / "files" / name


def _plex(weight: int) -> Path:
    name = "Bold" if weight >= 600 else "Regular"
    return fontpkg_ibm_plex_sans_arabic.ROOT / "files" / f"IBMPlexSansArabic-{name}.ttf"


_PLAN = (
    (SANS, 400, "normal"),
    (SANS, 700, "normal"),
    (SANS, 400, "italic"),
    (SANS, 700, "italic"),
    (ARABIC, 400, "normal"),
    (ARABIC, 700, "normal"),
)


def _source(family: str, weight: int, style: str) -> Path:
    return _noto(style) if family == SANS else _plex(weight)


# Raise when the cut fonts change for the same sources, so every machine cuts them again.
_CUT_REVISION = 2  # 2: fixed head.modified (1 stamped the time of cutting)


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{__version__}:{_CUT_REVISION}:{_KEEP}".encode())
    for family, weight, style in _PLAN:
        source = _source(family, weight, style)
        digest.update(f"{source.name}:{source.stat().st_size}".encode())
    return digest.hexdigest()[:16]


@cache
def prepare_fonts() -> FontSet:
    """Prepared fonts (built on first use, then read from the cache folder)."""
    folder = cache_root() / "fonts" / _fingerprint()
    folder.mkdir(parents=True, exist_ok=True)
    faces = []
    for family, weight, style in _PLAN:
        target = folder / f"{family}-{weight}-{style}.ttf"
        if not target.exists():
            _write_atomically(target, family, weight, style)
        faces.append(FontFace(family, weight, style, target))
    return FontSet(folder, tuple(faces))


def _write_atomically(target: Path, family: str, weight: int, style: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    source = _source(family, weight, style)
    if family == SANS:
        _cut_noto(source, weight, Path(temporary))
    else:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _cut_noto(source: Path, weight: int, target: Path) -> None:
    """Instance the variable font at one weight and keep only the needed characters."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(source), {"wght": weight, "wdth": 100})
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in _KEEP for c in range(low, high + 1)])
    subsetter.subset(font)
    # Keep the source's head.modified: saving would stamp the time of cutting, and the cut
    # fonts (so every PDF) would then differ from machine to machine.
    font.recalcTimestamp = False
    font.save(target)


def pin_fontconfig(fonts: FontSet) -> None:
    """Point fontconfig at the shipped fonts only (call before WeasyPrint is imported)."""
    config = fonts.folder / "fonts.conf"
    if not config.exists():
        text = (
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{escape(str(fonts.folder))}</dir>\n"
            f"  <cachedir>{escape(str(fonts.folder / 'fc-cache'))}</cachedir>\n"
            "</fontconfig>\n"
        )
        handle, temporary = tempfile.mkstemp(dir=fonts.folder, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, config)
    os.environ["FONTCONFIG_FILE"] = str(config)
