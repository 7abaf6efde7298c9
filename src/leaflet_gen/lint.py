"""The source lint of `leaflet-gen check`: what a leaflet's Markdown must get right before any
PDF is made, each problem with its file and line.

- a section (or H3 subsection) that looks like red flags — it says when to see a doctor or get
  urgent help: 112, 1813, the emergency department, cauda equina… — must be the ``red_flags``
  role, so that it is boxed and safety-critical, unless the front matter lists its heading under
  ``not_red_flags`` (a person's word that it is not one);
- every role names a section heading that exists, every ``not_red_flags`` entry a section or
  subsection heading;
- an exercise the text names is in the library (or listed under ``exercises_not_in_library``),
  and every id under ``exercises`` is;
- ``title`` is there, and ``lastUpdated``, a day-first date.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import markdown
from .article import (
    NOT_IN_LIBRARY,
    Article,
    ExerciseNames,
    Part,
    not_in_library,
    read_article,
    red_flag_evidence,
)
from .errors import SourceError
from .load import parse_day
from .model import Exercise, Role

# Front-matter key: headings a person checked that are not red flags, though they look so.
NOT_RED_FLAGS = "not_red_flags"


@dataclass(frozen=True)
class Problem:
    """One finding of the lint, where it is."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def lint(path: Path, library: dict[str, Exercise]) -> list[Problem]:
    """Every problem of one leaflet source, in line order."""
    article = read_article(path)
    problems: list[tuple[int, str]] = []
    problems += _dates_and_title(article)
    roles = _roles(article, problems)
    not_red = _headings_listed(article, NOT_RED_FLAGS, problems)
    red_heading = next((h for h, r in roles.items() if r == Role.RED_FLAGS.value), None)
    if red_heading in not_red:
        problems.append((
            article.line_of(NOT_RED_FLAGS),
            f"{NOT_RED_FLAGS}: «{red_heading}» is the red_flags role",
        ))
    problems += _unmarked_red_flags(article, red_heading, not_red)
    problems += _exercises(article, library)
    return [Problem(path, line, message) for line, message in sorted(problems)]


def _dates_and_title(article: Article) -> list[tuple[int, str]]:
    found = [] if article.meta.get("title") else [(1, "no title in the front matter")]
    if "lastUpdated" not in article.meta:
        found.append((1, "no lastUpdated date in the front matter (day-first, like 12/10/2025)"))
        return found
    try:
        parse_day(article.meta["lastUpdated"], "lastUpdated", article.path)
    except SourceError as exc:
        found.append((article.line_of("lastUpdated"), exc.args[0]))
    return found


def _roles(article: Article, problems: list[tuple[int, str]]) -> dict[str, str]:
    """The declared roles by heading; unknown roles and missing headings are problems."""
    declared = article.meta.get("roles") or {}
    if not isinstance(declared, dict):
        problems.append((article.line_of("roles"), "roles: must map role names to headings"))
        return {}
    known = [r.value for r in Role if r is not Role.PLAIN]
    roles = {}
    for name, heading in declared.items():
        line = article.line_of("roles", name)
        if name not in known:
            problems.append((line, f"roles: unknown role '{name}' (known: {', '.join(known)})"))
        elif _heading_exists(article, str(heading), line, f"roles: {name}", problems, False):
            roles[markdown.normalise(str(heading))] = name
    return roles


def _headings_listed(article: Article, key: str, problems: list[tuple[int, str]]) -> set[str]:
    """The headings a list key (``not_red_flags``) names; each must exist."""
    listed = article.meta.get(key) or []
    if not isinstance(listed, list):
        problems.append((article.line_of(key), f"{key}: must be a list of headings"))
        return set()
    return {
        markdown.normalise(str(heading))
        for index, heading in enumerate(listed)
        if _heading_exists(article, str(heading), article.line_of(key, index), key, problems)
    }


def _heading_exists(
    article: Article,
    heading: str,
    line: int,
    what: str,
    problems: list[tuple[int, str]],
    subsections: bool = True,
) -> bool:
    """Whether a section (or, with ``subsections``, an H3 subsection) has this heading."""
    heading = markdown.normalise(heading)
    headings = [
        part.heading
        for section in article.sections
        for part in (section, *(section.subsections if subsections else ()))
    ]
    if heading in headings:
        return True
    close = difflib.get_close_matches(heading, headings, n=1, cutoff=0.6)
    hint = f"; did you mean «{close[0]}»?" if close else ""
    problems.append((line, f"{what}: no heading «{heading}» in the text{hint}"))
    return False


def _unmarked_red_flags(
    article: Article, red_heading: str | None, not_red: set[str]
) -> list[tuple[int, str]]:
    """Sections and subsections that look like red flags but are neither the red_flags role
    nor listed as not being one. A subsection is named where it alone says so."""
    exempt = {red_heading, *not_red}
    fix = (
        f"move it into «{red_heading}» (the red_flags role)"
        if red_heading
        else "make it the red_flags role (leaflet-gen import proposes one)"
    )
    found = []
    for section in article.sections:
        if section.heading in exempt:
            continue
        subsections = [s for s in section.subsections if s.heading not in exempt]
        flagged = [s for s in subsections if red_flag_evidence(s).looks_like_red_flags]
        blocks = list(section.blocks)
        for sub in subsections:
            blocks += sub.all_blocks()
        parts: list[tuple[Part, Any]] = [(s, red_flag_evidence(s)) for s in flagged]
        if not flagged:
            evidence = red_flag_evidence(section, blocks)
            if evidence.looks_like_red_flags:
                parts = [(section, evidence)]
        for part, evidence in parts:
            found.append((
                part.line,
                f"«{part.heading}» looks like red flags ({evidence.describe()}) but is not the "
                f"red_flags role, so it would print unboxed and not safety-critical: {fix}, "
                f"or list it under {NOT_RED_FLAGS} if it is not one",
            ))
    return found


def _exercises(article: Article, library: dict[str, Exercise]) -> list[tuple[int, str]]:
    found = []
    declared = article.meta.get("exercises") or []
    if not isinstance(declared, list):
        return [(article.line_of("exercises"), "exercises: must be a list of exercise ids")]
    for index, exercise_id in enumerate(declared):
        if str(exercise_id) not in library:
            close = difflib.get_close_matches(str(exercise_id), library, n=1, cutoff=0.4)
            hint = f"; did you mean {close[0]}?" if close else ""
            found.append((
                article.line_of("exercises", index),
                f"exercises: '{exercise_id}' is not in the library{hint}",
            ))
    mentions = ExerciseNames(library).in_blocks(article.all_blocks())
    for mention in not_in_library(article, mentions):
        found.append((
            mention.line,
            f"«{mention.words}» names an exercise the library does not have: add it to "
            f"leaflets/exercises/ (or give one an alias), or list it under {NOT_IN_LIBRARY}",
        ))
    return found
