"""The library API that strings the stages together: load → translate → render → PDF."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import editions
from . import exercises as library
from .dosage import parse_dosage
from .errors import SourceError, UsageError
from .fonts import prepare_fonts
from .load import load_leaflet
from .model import FORMATS, Clinic, Leaflet, Options, Prescription, Side
from .pdf import Prepared, finish_document
from .project import Project
from .render import render_html, render_notes_html
from .translate import Translation


def prepare_leaflet(project: Project, path: Path) -> Leaflet:
    """Load a leaflet and attach its recommended exercises from the library."""
    leaflet = load_leaflet(path)
    if not leaflet.exercise_ids:
        return leaflet
    known = library.load_library(project.exercises_dir)
    chosen = tuple(library.find(exercise_id, known, path) for exercise_id in leaflet.exercise_ids)
    return replace(
        leaflet, exercises=tuple(Prescription(e, replace(e.dosage, side=e.side)) for e in chosen)
    )


def make_html(project: Project, leaflet: Leaflet, lang: str, options: Options) -> str:
    """The translated HTML of one leaflet, refusing languages with gaps (see translate)."""
    return _translated_html(project, leaflet, lang, options)[0]


def _translated_html(
    project: Project, leaflet: Leaflet, lang: str, options: Options
) -> tuple[str, Translation]:
    translation = Translation(lang, project.locales_dir)
    translated = translation.leaflet(leaflet)
    fonts = prepare_fonts()

    def render(partial: bool = False, draft: bool = False) -> str:
        return render_html(
            translated,
            translation,
            fonts,
            clinic=options.clinic,
            personal=options.personal,
            partial=partial,
            draft=draft,
            edition=options.edition,
            large_print=options.large_print,
        )

    html = render()
    partial = translation.enforce(options.allow_partial, options.draft, leaflet.id)
    if partial or not translation.approved:  # the notices have strings of their own
        html = render(partial, draft=not translation.approved)
        translation.enforce(options.allow_partial, options.draft, leaflet.id)
    return html, translation


def prepare_document(project: Project, leaflet: Leaflet, lang: str, options: Options) -> Prepared:
    """Check the options, translate (refusing languages with gaps) and render the HTML."""
    return prepare_with_translation(project, leaflet, lang, options)[0]


def prepare_with_translation(
    project: Project, leaflet: Leaflet, lang: str, options: Options
) -> tuple[Prepared, Translation]:
    """:func:`prepare_document`, and the translation it used (its gaps and approvals)."""
    if options.format not in FORMATS:
        raise UsageError(f"unknown format '{options.format}' (choose {', '.join(FORMATS)})")
    editions.check_edition(options.edition, options.format)
    html, translation = _translated_html(project, leaflet, lang, options)
    booklet = options.edition == "booklet"
    prepared = Prepared(
        lang=lang,
        html=html,
        notes_html=render_notes_html(translation, prepare_fonts()) if booklet else "",
        right_to_left=translation.direction == "rtl",
        roots=(*project.asset_roots(), *_clinic_roots(options.clinic)),
        options=options,
    )
    return prepared, translation


def make_document(project: Project, leaflet: Leaflet, lang: str, options: Options) -> bytes:
    """The finished document (PDF or HTML bytes) of one leaflet in one language."""
    return finish_document(prepare_document(project, leaflet, lang, options), project.root)


def personalise(leaflet: Leaflet, prescriptions: tuple[Prescription, ...]) -> Leaflet:
    """The leaflet with the physiotherapist's chosen exercises in place of its default set."""
    if leaflet.red_flags is None:
        raise SourceError(
            "a handout needs the leaflet's red-flag section, and this leaflet "
            "declares none (roles: red_flags: in its front matter)",
            leaflet.source,
        )
    return replace(leaflet, exercises=prescriptions)


def _clinic_roots(clinic: Clinic | None) -> tuple[Path, ...]:
    return (clinic.logo.parent,) if clinic and clinic.logo else ()


def prescribe(project: Project, requests: list[str]) -> tuple[Prescription, ...]:
    """``ID[:DOSAGE]`` requests → exercises from the library with their dosage, in order."""
    known = library.load_library(project.exercises_dir)
    chosen: dict[str, Prescription] = {}
    for request in requests:
        exercise_id, _, dosage_text = request.partition(":")
        exercise = library.find(exercise_id.strip(), known)
        if exercise.id in chosen:
            raise UsageError(
                f"--exercise {request}: {exercise.id} is chosen twice (give each exercise once, "
                "with its whole dosage)"
            )
        default = replace(exercise.dosage, side=exercise.side)
        dosage = parse_dosage(dosage_text, default) if dosage_text.strip() else default
        if exercise.side is Side.NONE and dosage.side is not Side.NONE:
            raise UsageError(
                f"--exercise {request}: {exercise.id} is not done on one side "
                f"('{dosage.side}' does not apply)"
            )
        chosen[exercise.id] = Prescription(exercise, dosage)
    return tuple(chosen.values())
