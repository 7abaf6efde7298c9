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
import stat
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import fontpkg_ibm_plex_sans_arabic
import fontpkg_noto_sans

from . import __version__
from .errors import RenderError

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
    """Per-machine cache folder (``LEAFLET_GEN_CACHE`` or the XDG cache home), if it is private.

    The cache holds what start-up loads into the process (library paths, C declarations,
    compiled templates) and pictures printed for patients, so a folder is used only when nobody
    else could have written it (see :func:`untrusted_reason`) and it can be written. Otherwise
    the default folder stands in, or else a private temporary one, with one warning.
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    default = Path(base).absolute() / "leaflet-gen"
    explicit = os.environ.get("LEAFLET_GEN_CACHE")
    return _usable_cache(Path(explicit).absolute() if explicit else default, default)


@cache
def _usable_cache(wanted: Path, default: Path) -> Path:
    problem = _unusable_reason(wanted)
    if problem is None:
        return wanted
    instead = default if wanted != default and _unusable_reason(default) is None else None
    if instead is None:
        global _TEMPORARY_CACHE
        instead = _TEMPORARY_CACHE = Path(tempfile.mkdtemp(prefix="leaflet-gen-cache-"))
    print(
        f"leaflet-gen: warning: cache folder {wanted} {problem}; using {instead} "
        "(set LEAFLET_GEN_CACHE to a folder of your own)",
        file=sys.stderr,
    )
    return instead


def _unusable_reason(folder: Path) -> str | None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = untrusted_reason(folder)
    except OSError as exc:
        return f"cannot be used ({exc.strerror})"
    if problem is None and not os.access(folder, os.W_OK | os.X_OK):
        return "is not writable"
    return problem


_TEMPORARY_CACHE: Path | None = None


def remove_temporary_cache() -> None:
    """Delete the stand-in cache of this run, if one was made (the CLI calls this at exit)."""
    if _TEMPORARY_CACHE is not None:
        shutil.rmtree(_TEMPORARY_CACHE, ignore_errors=True)


def untrusted_reason(folder: Path) -> str | None:
    """Why another user could have written into ``folder`` (None when nobody else could).

    The folder must belong to this user and be writable by nobody else; every folder above
    it must belong to this user or root and be writable by nobody else unless it is sticky
    (like /tmp), so that no one can swap the folder for their own.
    """
    me = os.geteuid()
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != me:
        return "belongs to another user"
    if info.st_mode & 0o022:
        return "is writable by other users"
    for parent in Path(os.path.realpath(folder)).parents:
        info = os.stat(parent)
        writable_by_others = info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX
        if info.st_uid not in (me, 0) or writable_by_others:
            return f"lies in {parent}, which other users can change"
    return None


def keep_in_cache(data: bytes, path: Path) -> None:
    """Store a file in the cache folder, whole or not at all; an unwritable cache only costs
    time, so a failure is not an error."""
    from .pdf import write_atomically

    with suppress(OSError, RenderError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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


def prepare_fonts() -> FontSet:
    """Prepared fonts (built on first use, then read from the cache folder).

    Checked on every call (six file look-ups): a cache folder deleted meanwhile, by hand or
    by another build, is filled again instead of failing every later document.
    """
    fonts = _prepared_fonts()
    if not all(face.path.is_file() for face in fonts.faces):
        _prepared_fonts.cache_clear()
        fonts = _prepared_fonts()
    return fonts


@cache
def _prepared_fonts() -> FontSet:
    folder = cache_root() / "fonts" / _fingerprint()
    faces = []
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for family, weight, style in _PLAN:
            target = folder / f"{family}-{weight}-{style}.ttf"
            if not target.exists():
                _write_atomically(target, family, weight, style)
            faces.append(FontFace(family, weight, style, target))
    except OSError as exc:
        raise RenderError(f"cannot prepare the fonts ({exc.strerror})", folder) from None
    return FontSet(folder, tuple(faces))


def _write_atomically(target: Path, family: str, weight: int, style: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    source = _source(family, weight, style)
    try:
        if family == SANS:
            _cut_noto(source, weight, Path(temporary))
        else:
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:  # a full disk or an interruption leaves no half font behind
        Path(temporary).unlink(missing_ok=True)
        raise


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
    """Point fontconfig at the shipped fonts only (call before WeasyPrint is imported).

    The configuration names the folder where it lies; it is written again whenever it names
    another (a cache folder moved or copied elsewhere), never left pointing at the old place.
    """
    from .pdf import write_atomically

    config = fonts.folder / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(fonts.folder))}</dir>\n"
        f"  <cachedir>{escape(str(fonts.folder / 'fc-cache'))}</cachedir>\n"
        "</fontconfig>\n"
    ).encode()
    try:
        current = config.read_bytes()
    except OSError:
        current = None
    if current != text:
        try:
            write_atomically(text, config)
        except RenderError as exc:
            raise RenderError(f"cannot configure fontconfig: {exc}") from None
    os.environ["FONTCONFIG_FILE"] = str(config)
