"""Dosage: the quick syntax a physiotherapist types, and its wording in the patient's language.

Syntax (comma-separated parts, any order)::

    3x12        3 sets of 12 repetitions
    3x30s       3 sets, hold 30 seconds
    10          10 repetitions        30s   hold 30 seconds
    2/day       twice a day
    left | right | both               side of the body

A part changes what it names and nothing else: ``3x10`` on an exercise with a 5-second hold
keeps the hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from .errors import UsageError
from .model import Dosage, Side

_SETS_REPS = re.compile(r"(\d{1,6})\s*[x×]\s*(\d{1,6})(s?)")
_SINGLE = re.compile(r"(\d{1,6})(s?)")
_PER_DAY = re.compile(r"(\d{1,6})\s*/\s*(?:day|d|dag)")
SYNTAX_HELP = (
    "DOSAGE is comma-separated: SETSxREPS (3x12), SETSxSECONDSs (3x30s), REPS (10), "
    "SECONDSs (30s), TIMES/day (2/day), left|right|both"
)

# What a home programme plausibly asks for (README, "Limits and safety"). Beyond these a typo
# is likelier than a prescription: 30 sets, 9999 repetitions, a 2¾-hour hold, 99 times a day.
BOUNDS = {
    "sets": (1, 10, "sets"),
    "reps": (1, 100, "repetitions"),
    "hold_seconds": (1, 600, "seconds of hold"),
    "per_day": (1, 10, "times a day"),
}
_NAMES = {
    "sets": "number of sets",
    "reps": "repetitions",
    "hold_seconds": "hold",
    "per_day": "times a day",
    "side": "side",
}


def implausible(dosage: Dosage) -> str | None:
    """What is outside :data:`BOUNDS` in a dosage, or None."""
    problems = (_outside(name, getattr(dosage, name)) for name in BOUNDS)
    return next((problem for problem in problems if problem), None)


def _outside(name: str, value: object) -> str | None:
    low, high, unit = BOUNDS[name]
    if isinstance(value, int) and not low <= value <= high:
        return f"{value} {unit} is outside {low}–{high}"
    return None


def parse_dosage(text: str, default: Dosage) -> Dosage:
    """Parse ``3x12,2/day,left``; what the parts do not give keeps the library default.

    Each quantity (sets, repetitions, hold, times a day, side) may be given once: a second
    value contradicts the first and is an error naming both parts, as is a value outside
    :data:`BOUNDS`.
    """
    given: dict[str, tuple[object, str]] = {}
    for part in (p.strip().lower() for p in text.split(",")):
        for name, value in _read(part, text).items():
            if name in given:
                raise UsageError(
                    f"dosage '{text}': '{part}' gives the {_NAMES[name]} again, after "
                    f"'{given[name][1]}' (give each once)"
                )
            given[name] = (value, part)
    for name, (value, part) in given.items():
        problem = _outside(name, value) if name in BOUNDS else None
        if problem:
            raise UsageError(f"dosage '{text}': '{part}': {problem}")
    return replace(default, **{name: value for name, (value, _) in given.items()})


def _read(part: str, whole: str) -> dict[str, object]:
    """The quantities one part gives."""
    if match := _SETS_REPS.fullmatch(part):
        amount = "hold_seconds" if match[3] else "reps"
        return {"sets": int(match[1]), amount: int(match[2])}
    if match := _SINGLE.fullmatch(part):
        return {"hold_seconds" if match[2] else "reps": int(match[1])}
    if match := _PER_DAY.fullmatch(part):
        return {"per_day": int(match[1])}
    if part in {side.value for side in Side} - {Side.NONE.value}:
        return {"side": Side(part)}
    raise UsageError(f"dosage '{whole}': cannot read '{part}' ({SYNTAX_HELP})")


class Strings(Protocol):
    """The template-string lookups of one language (see :mod:`leaflet_gen.translate`)."""

    def gettext(self, message: str, **values: object) -> str: ...
    def pgettext(self, context: str, message: str, **values: object) -> str: ...
    def npgettext(
        self, context: str, singular: str, plural: str, n: int, **values: object
    ) -> str: ...


def describe(dosage: Dosage, strings: Strings, number: Callable[[int], str]) -> str:
    """The dosage written out, e.g. '3 sæt × 12 gentagelser, 2 gange dagligt, venstre ben'."""
    separator = strings.pgettext("dosage.separator", ", ")
    return separator.join(part for part in describe_parts(dosage, strings, number) if part)


def describe_parts(
    dosage: Dosage, strings: Strings, number: Callable[[int], str]
) -> tuple[str, str, str]:
    """How much ('3 sæt × 12 gentagelser'), how often ('2 gange dagligt') and which side
    ('venstre ben'); a part the dosage does not give is empty."""
    amounts = []
    if dosage.reps:
        amounts.append(
            strings.npgettext(
                "dosage.reps",
                "%(num)s gentagelse",
                "%(num)s gentagelser",
                dosage.reps,
                num=number(dosage.reps),
            )
        )
    if dosage.hold_seconds:
        amounts.append(
            strings.npgettext(
                "dosage.hold",
                "hold %(num)s sekund",
                "hold %(num)s sekunder",
                dosage.hold_seconds,
                num=number(dosage.hold_seconds),
            )
        )
    amount = strings.pgettext("dosage.separator", ", ").join(amounts)
    if dosage.sets:
        sets = strings.npgettext(
            "dosage.sets", "%(num)s sæt", "%(num)s sæt", dosage.sets, num=number(dosage.sets)
        )
        amount = strings.pgettext(
            "dosage.sets-of", "%(sets)s × %(amount)s", sets=sets, amount=amount
        )
    per_day = (
        strings.npgettext(
            "dosage.per-day",
            "%(num)s gang dagligt",
            "%(num)s gange dagligt",
            dosage.per_day,
            num=number(dosage.per_day),
        )
        if dosage.per_day
        else ""
    )
    side = side_name(dosage.side, strings, dosage.limb) if dosage.side else ""
    return amount, per_day, side


def side_name(side: Side, strings: Strings, limb: str = "leg") -> str:
    """The side of the body in the patient's language: a leg, an arm or the neck's side."""
    if side is Side.BOTH:
        return strings.pgettext("side.both", "begge sider")
    if side is Side.NONE:
        return ""
    left = side is Side.LEFT
    if limb == "arm":
        return (strings.pgettext("side.left-arm", "venstre arm") if left
                else strings.pgettext("side.right-arm", "højre arm"))
    if limb == "side":
        return (strings.pgettext("side.left-side", "venstre side") if left
                else strings.pgettext("side.right-side", "højre side"))
    return (strings.pgettext("side.left", "venstre ben") if left
            else strings.pgettext("side.right", "højre ben"))
