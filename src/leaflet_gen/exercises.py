"""The exercise library: one Markdown file per exercise, with its SVG illustration."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import markdown
from .dosage import implausible
from .errors import SourceError
from .illustrations import picture_nerve, picture_sign
from .images import refuse_images
from .limits import MAX_FIELD_CHARS, MAX_TITLE_CHARS
from .load import checked_id, read_front_matter, text_field, unit_context
from .model import Dosage, Exercise, ExerciseTags, Side, Unit
from .svg import check_svg

MIN_STEPS, MAX_STEPS = 3, 6
REGIONS = ("lower-back", "hip", "knee", "ankle", "shoulder", "neck")
KINDS = ("mobility", "stretch", "strength", "nerve-mobility", "balance")
EQUIPMENT = ("none", "mat", "chair", "step", "wall", "band", "ball", "towel", "table", "stick")
DIFFICULTIES = (1, 2, 3)


def load_library(folder: Path) -> dict[str, Exercise]:
    """Every exercise in ``folder``, by id (empty when the folder does not exist)."""
    if not folder.is_dir():
        return {}
    library: dict[str, Exercise] = {}
    for path in sorted(folder.glob("*.md")):
        exercise = load_exercise(path)
        if exercise.id in library:
            other = library[exercise.id].source
            raise SourceError(f"exercise id '{exercise.id}' is also the id of {other}", path)
        library[exercise.id] = exercise
    _check_aliases(list(library.values()))
    return library


def _check_aliases(exercises: list[Exercise]) -> None:
    """An alias (or an id) names one exercise only, so a leaflet's text matches one card."""
    owner: dict[str, Exercise] = {}
    for exercise in exercises:
        for alias in exercise.tags.aliases:
            other = owner.setdefault(alias, exercise)
            if other is not exercise:
                raise SourceError(
                    f"alias '{alias}' names both '{other.id}' ({other.source.name}) "
                    f"and '{exercise.id}'",
                    exercise.source,
                )


def load_exercise(path: Path) -> Exercise:
    """Load and validate one exercise file."""
    meta, body, offset = read_front_matter(path)
    exercise_id = checked_id(meta, path)
    ref = f"leaflets/exercises/{path.name}"
    for key in ("title", "purpose", "caution", "alt", "dosage", "side", *TAG_KEYS):
        if not meta.get(key):
            raise SourceError(f"exercise '{exercise_id}' has no {key}", path)
    texts = {
        key: text_field(meta, key, path, MAX_TITLE_CHARS if key == "title" else MAX_FIELD_CHARS)
        for key in ("title", "purpose", "caution", "alt")
    }
    steps = _steps(body, exercise_id, path)
    tags = _tags(meta, path)
    dosage = replace(_dosage(meta["dosage"], path), limb=_limb(tags.regions))
    held = dosage.hold_seconds is not None
    illustration, illustration_rtl = _illustrations(meta, texts, exercise_id, path, held=held)

    def unit(key: str, kind: str, safety: bool = False) -> Unit:
        return Unit(f"{exercise_id}.{key}", texts[key], kind, safety, ref)

    return Exercise(
        id=exercise_id,
        title=unit("title", "exercise-title"),
        purpose=unit("purpose", "exercise-purpose"),
        steps=tuple(
            Unit(
                unit_context(f"{exercise_id}.step", text),
                text,
                "exercise-step",
                False,
                f"{ref}:{line + offset + 1}",
            )
            for text, line in steps
        ),
        caution=unit("caution", "exercise-caution", safety=True),
        alt=unit("alt", "exercise-alt"),
        side=_side(meta["side"], path),
        dosage=dosage,
        illustration=illustration,
        illustration_rtl=illustration_rtl,
        source=path,
        tags=tags,
        sign=picture_sign(meta.get("figure"), held=held) if meta.get("figure") else "",
        nerve=picture_nerve(meta.get("figure")),
    )


def _limb(regions: tuple[str, ...]) -> str:
    """What a side of this exercise is: a leg (lower body), the neck's side, or an arm."""
    if set(regions) & {"lower-back", "hip", "knee", "ankle"}:
        return "leg"
    return "side" if "neck" in regions else "arm"


TAG_KEYS = ("regions", "kind", "equipment", "difficulty", "aliases")


def _tags(meta: dict[str, Any], path: Path) -> ExerciseTags:
    """The library metadata, every value from its fixed vocabulary."""
    return ExerciseTags(
        regions=_choices(meta["regions"], "regions", REGIONS, path),
        kind=_choices([meta["kind"]], "kind", KINDS, path)[0],
        equipment=_choices(meta["equipment"], "equipment", EQUIPMENT, path),
        difficulty=_choices([meta["difficulty"]], "difficulty", DIFFICULTIES, path)[0],
        aliases=tuple(dict.fromkeys(
            markdown.normalise(str(a)).casefold() for a in _listed(meta["aliases"], "aliases", path)
        )),
    )


def _listed(value: Any, key: str, path: Path) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise SourceError(f"{key}: must be a list (e.g. {key}: [a, b])", path)
    return value


def _choices(value: Any, key: str, allowed: tuple, path: Path) -> tuple:
    """``value`` as a tuple of known words; an unknown one names the allowed ones."""
    for item in _listed(value, key, path):
        if item not in allowed:
            raise SourceError(
                f"{key}: '{item}' is not one of {', '.join(map(str, allowed))}", path
            )
    return tuple(dict.fromkeys(value))


def _illustrations(
    meta: dict[str, Any], texts: dict[str, str], exercise_id: str, path: Path, *, held: bool
) -> tuple[Path, Path]:
    """The picture for left-to-right and right-to-left pages.

    ``figure:`` (poses as data) is drawn by :mod:`leaflet_gen.figures`, once per machine
    (cached by content), with a stopwatch when the position is ``held`` (the dosage has
    ``hold_seconds``); ``illustration:`` names a hand-made SVG beside the file instead.
    """
    if meta.get("figure") is not None:
        from .illustrations import figure_file

        title, alt = texts["title"], texts["alt"]
        ltr, rtl = (
            figure_file(meta["figure"], title=title, desc=alt, where=path, rtl=r, held=held)
            for r in (False, True)
        )
        return ltr, rtl
    if not meta.get("illustration"):
        raise SourceError(f"exercise '{exercise_id}' has no figure (or illustration)", path)
    illustration = (path.parent / str(meta["illustration"])).resolve()
    if illustration.parent != path.parent.resolve() or not illustration.is_file():
        raise SourceError(f"illustration '{meta['illustration']}' not found beside the file", path)
    check_svg(illustration, need_title=True)
    return illustration, illustration


def _steps(body: str, exercise_id: str, path: Path) -> list[tuple[str, int]]:
    tokens = markdown.parse(body)
    steps = [
        (markdown.normalise(t.content), t.map[0] if t.map else 0)
        for t in tokens
        if t.type == "inline" and t.level == 3
    ]
    for text, _ in steps:
        refuse_images(text, f"exercise '{exercise_id}' step", path)
    ordered = any(t.type == "ordered_list_open" for t in tokens)
    if not ordered or not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise SourceError(
            f"exercise '{exercise_id}' needs a numbered list of "
            f"{MIN_STEPS}–{MAX_STEPS} steps (found {len(steps)})",
            path,
        )
    return steps


def _side(value: Any, path: Path) -> Side:
    try:
        return Side(str(value))
    except ValueError:
        raise SourceError(f"side: '{value}' is not one of left, right, both, none", path) from None


def _dosage(value: Any, path: Path) -> Dosage:
    if not isinstance(value, dict):
        raise SourceError("dosage: must have sets, reps or hold_seconds, per_day", path)
    known = {"sets", "reps", "hold_seconds", "per_day"}
    if set(value) - known:
        raise SourceError(f"dosage: unknown key '{sorted(set(value) - known)[0]}'", path)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values()):
        raise SourceError("dosage: every value must be a positive whole number", path)
    if not ({"reps", "hold_seconds"} & set(value)):
        raise SourceError("dosage: needs reps or hold_seconds", path)
    dosage = Dosage(**value)
    problem = implausible(dosage)
    if problem:
        raise SourceError(f"dosage: {problem}", path)
    return dosage


def find(exercise_id: str, library: dict[str, Exercise], where: Path | None = None) -> Exercise:
    """Look an exercise up by id; an unknown id names the closest known ones."""
    if exercise_id in library:
        return library[exercise_id]
    close = difflib.get_close_matches(exercise_id, library, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise SourceError(f"unknown exercise '{exercise_id}'{hint}", where)
