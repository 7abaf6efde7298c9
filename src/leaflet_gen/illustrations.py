"""Exercise pictures drawn from data (:mod:`leaflet_gen.figures`), cached per machine.

A picture is a pure function of its ``figure:`` data, title, description, reading direction,
whether the position is held and the renderer's source, so it is drawn once per machine and
kept in the cache folder under a hash of all of them: byte-identical every time, and redrawn as
soon as anything changes.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from .errors import RenderError
from .fonts import cache_root, keep_in_cache
from .project import PACKAGE_DIR


@cache
def renderer_fingerprint() -> str:
    """A hash of the figure renderer's source files."""
    digest = hashlib.sha256()
    for path in sorted((PACKAGE_DIR / "figures").rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def figure_folder() -> Path:
    """Where drawn pictures are kept (a folder documents may load images from)."""
    return cache_root() / "figures"


def picture_sign(spec, *, held: bool) -> str:
    """The sign a drawn picture shows: ``hold`` (a stopwatch: the dosage holds, or the cue
    says so), ``repeat`` (keep moving) or none. Read from the ``figure:`` data as it is, so an
    exercise knows it without loading the renderer; :func:`leaflet_gen.figures.draw` draws
    by it after validating the cues."""
    cues = _cues(spec)
    if held or "hold" in cues:
        return "hold"
    return "repeat" if "repeat" in cues else ""


def picture_nerve(spec) -> bool:
    """Whether a drawn picture shows a nerve (the ``nerve`` cue), which the legend explains."""
    return any(isinstance(cue, dict) and "nerve" in cue for cue in _cues(spec))


def _cues(spec) -> list:
    """The ``cues`` of a ``figure:`` mapping as written, unvalidated (none if it has none)."""
    return (spec.get("cues") if isinstance(spec, dict) else None) or []


def figure_file(spec, *, title: str, desc: str, where: Path, rtl: bool, held: bool) -> Path:
    """The SVG file of one exercise's picture, drawn now if this machine has not drawn it."""
    key = json.dumps(
        [renderer_fingerprint(), spec, title, desc, rtl, held], sort_keys=True, default=str
    ).encode("utf-8")

    def drawn() -> str:
        from .figures import draw

        return draw(spec, title=title, desc=desc, where=where, rtl=rtl, held=held)

    return _kept(f"{hashlib.sha256(key).hexdigest()[:32]}.svg", drawn)


def sign_file(kind: str) -> Path:
    """The SVG file of one of the pictures' signs (:func:`leaflet_gen.figures.svg.sign_svg`),
    drawn now if this machine has not drawn it."""

    def drawn() -> str:
        from .figures.svg import sign_svg

        return sign_svg(kind)

    return _kept(f"sign-{kind}-{renderer_fingerprint()[:16]}.svg", drawn)


def _kept(name: str, drawn) -> Path:
    """The cached drawing ``name``, made by ``drawn()`` when this machine has none."""
    path = figure_folder() / name
    if not path.is_file():
        keep_in_cache(drawn().encode(), path)
        if not path.is_file():
            raise RenderError("cannot store a drawn picture", figure_folder())
    return path
