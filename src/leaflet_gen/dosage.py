"""Dosage: the quick syntax a physiotherapist types, and its wording in the patient's language.

Syntax (comma-separated parts, any order)::

    3x12        3 sets of 12 repetitions
    3x30s       3 sets, hold 30 seconds
    10          10 repetitions        30s   hold 30 seconds
    2/day       twice a day
    left | right | both               side of the body
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from .errors import UsageError
from .model import Dosage, Side

_SETS_REPS = re.compile(r"(\d{1,3})\s*[x×]\s*(\d{1,4})(s?)")
_SINGLE = re.compile(r"(\d{1,4})(s?)")
_PER_DAY = re.compile(r"(\d{1,2})\s*/\s*(?:day|d|dag)")
SYNTAX_HELP = (
    "DOSAGE is comma-separated: SETSxREPS (3x12), SETSxSECONDSs (3x30s), REPS (10), "
    "SECONDSs (30s), TIMES/day (2/day), left|right|both"
)


def parse_dosage(text: str, default: Dosage) -> Dosage:
    """Parse ``3x12,2/day,left``; parts not given keep the library default."""
    dosage = default
    for part in (p.strip().lower() for p in text.split(",")):
        dosage = _apply(part, dosage, text)
    return dosage


def _apply(part: str, dosage: Dosage, whole: str) -> Dosage:
    if match := _SETS_REPS.fullmatch(part):
        sets, amount, seconds = int(match[1]), int(match[2]), bool(match[3])
        return _amount(replace(dosage, sets=sets), amount, seconds, part, whole)
    if match := _SINGLE.fullmatch(part):
        return _amount(dosage, int(match[1]), bool(match[2]), part, whole)
    if match := _PER_DAY.fullmatch(part):
        return _positive(replace(dosage, per_day=int(match[1])), part, whole)
    if part in {side.value for side in Side} - {Side.NONE.value}:
        return replace(dosage, side=Side(part))
    raise UsageError(f"dosage '{whole}': cannot read '{part}' ({SYNTAX_HELP})")


def _amount(dosage: Dosage, amount: int, seconds: bool, part: str, whole: str) -> Dosage:
    if seconds:
        changed = replace(dosage, hold_seconds=amount, reps=None)
    else:
        changed = replace(dosage, reps=amount, hold_seconds=None)
    return _positive(changed, part, whole)


def _positive(dosage: Dosage, part: str, whole: str) -> Dosage:
    values = (dosage.sets, dosage.reps, dosage.hold_seconds, dosage.per_day)
    if any(value is not None and value <= 0 for value in values):
        raise UsageError(f"dosage '{whole}': '{part}' must be more than zero")
    return dosage


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
