"""The library API that strings the stages together: load → translate → render → PDF."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import exercises as library
from .errors import UsageError
from .fonts import prepare_fonts
from .load import load_leaflet
from .model import Leaflet, Prescription
from .pdf import html_to_pdf, write_atomically
from .project import Project
from .render import Clinic, render_html
from .translate import Translation

FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Options:
    """How to make a document (everything but the leaflet and the language)."""

    format: str = "pdf"
    allow_partial: bool = False
    clinic: Clinic | None = None


def prepare_leaflet(project: Project, path: Path) -> Leaflet:
    """Load a leaflet and attach its recommended exercises from the library."""
    leaflet = load_leaflet(path)
    if not leaflet.exercise_ids:
        return leaflet
    known = library.load_library(project.exercises_dir)
    chosen = tuple(library.find(exercise_id, known, path) for exercise_id in leaflet.exercise_ids)
    return replace(leaflet, exercises=tuple(
        Prescription(e, replace(e.dosage, side=e.side)) for e in chosen))


def make_html(project: Project, leaflet: Leaflet, lang: str, options: Options) -> str:
    """The translated HTML of one leaflet, refusing languages with gaps (see translate)."""
    translation = Translation(lang, project.locales_dir)
    translated = translation.leaflet(leaflet)
    fonts = prepare_fonts()
    html = render_html(translated, translation, fonts, clinic=options.clinic)
    if translation.enforce(options.allow_partial, f"{leaflet.id}"):
        html = render_html(translated, translation, fonts, clinic=options.clinic, partial=True)
    return html


def build_one(project: Project, leaflet: Leaflet, lang: str, out_dir: Path,
              options: Options) -> Path:
    """Write ``<out_dir>/<id>.<lang>.<format>`` and return its path."""
    if options.format not in FORMATS:
        raise UsageError(f"unknown format '{options.format}' (choose {', '.join(FORMATS)})")
    html = make_html(project, leaflet, lang, options)
    target = out_dir / f"{leaflet.id}.{lang}.{options.format}"
    if options.format == "html":
        data = html.encode("utf-8")
    else:
        roots = (*project.asset_roots(), *_clinic_roots(options.clinic))
        data = html_to_pdf(html, project.root, roots)
    write_atomically(data, target)
    return target


def _clinic_roots(clinic: Clinic | None) -> tuple[Path, ...]:
    return (clinic.logo.parent,) if clinic and clinic.logo else ()
