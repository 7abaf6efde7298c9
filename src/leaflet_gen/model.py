"""The small typed document model every stage reads and writes.

Every piece of patient-facing text is a :class:`Unit`: a block of Danish inline Markdown with a
stable message context, so translation can look it up without reshaping the model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar


class Role(StrEnum):
    """What a leaflet section is for; declared in front matter, never guessed."""

    PLAIN = "plain"
    CAUSES = "causes"
    EXERCISES = "exercises"
    RED_FLAGS = "red_flags"
    FAQ = "faq"


class Side(StrEnum):
    """Which side of the body an exercise is done on."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NONE = "none"


@dataclass(frozen=True)
class Unit:
    """One translatable block of text (inline Markdown, whitespace normalised)."""

    context: str
    text: str
    kind: str
    safety: bool = False
    reference: str = ""
    fallback: bool = False  # True when Danish text stands in for a missing translation


@dataclass(frozen=True)
class Paragraph:
    unit: Unit


@dataclass(frozen=True)
class Heading:
    level: int
    unit: Unit


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[Unit, ...]


LONGEST_WORD = 30  # characters; the sample's longest, in German, is under 30


@dataclass(frozen=True)
class Table:
    header: tuple[Unit, ...]
    rows: tuple[tuple[Unit, ...], ...]
    aligns: tuple[str, ...]

    def has_unbreakable_word(self) -> bool:
        """A cell holds a word longer than any real one, which must be let break anywhere.

        Breaking anywhere is only switched on for such tables: it makes every character a
        break opportunity when the table's column widths are measured, which is slow.
        """
        cells = (cell for row in (self.header, *self.rows) for cell in row)
        return any(len(word) > LONGEST_WORD for cell in cells for word in cell.text.split())


Block = Paragraph | Heading | ListBlock | Table


@dataclass(frozen=True)
class FaqItem:
    question: Unit
    answer: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    key: str
    role: Role
    heading: Unit
    blocks: tuple[Block, ...]
    faq: tuple[FaqItem, ...] = ()


@dataclass(frozen=True)
class Dosage:
    """How much of an exercise: sets × reps or hold seconds, times per day, side.

    ``limb`` names what the side is of: ``leg`` ("venstre ben"), ``arm`` or ``side`` (the neck).
    """

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    per_day: int | None = None
    side: Side | None = None
    limb: str = "leg"


@dataclass(frozen=True)
class Exercise:
    id: str
    title: Unit
    purpose: Unit
    steps: tuple[Unit, ...]
    caution: Unit
    alt: Unit
    side: Side
    dosage: Dosage
    illustration: Path
    illustration_rtl: Path  # the same picture with its panels in right-to-left order
    source: Path
    tags: ExerciseTags
    sign: str = ""  # what the picture's sign says: "hold" (a stopwatch), "repeat" or nothing
    nerve: bool = False  # the picture draws a nerve as a yellow line (the legend says so)


@dataclass(frozen=True)
class ExerciseTags:
    """How the library is searched: body regions, kind, equipment, difficulty, Danish aliases."""

    regions: tuple[str, ...]
    kind: str
    equipment: tuple[str, ...]
    difficulty: int  # 1 easy, 2 moderate, 3 demanding
    aliases: tuple[str, ...]  # the names articles use, lower case


@dataclass(frozen=True)
class Prescription:
    """An exercise as handed to a patient, with its dosage."""

    exercise: Exercise
    dosage: Dosage


@dataclass(frozen=True)
class Leaflet:
    id: str
    source: Path
    title: Unit
    last_updated: date
    published: date | None
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    exercise_ids: tuple[str, ...] = ()
    exercises: tuple[Prescription, ...] = ()
    lang: str = "da"

    @property
    def red_flags(self) -> Section | None:
        """The safety section, if the leaflet declares one."""
        return next((s for s in self.sections if s.role is Role.RED_FLAGS), None)


@dataclass(frozen=True)
class Clinic:
    """A clinic's branding and contact details (validated by :mod:`leaflet_gen.clinic`)."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: Path | None = None
    colour: str = "#1f4e79"
    qr_svg: str = ""  # data: URI of a QR code to the website


@dataclass(frozen=True)
class Personalisation:
    """What makes a leaflet one patient's handout."""

    patient: str
    therapist: str | None
    note: str | None
    day: date
    exercises_only: bool = False
    diary_weeks: int = 2  # weeks of the tick grid (0: none)


T = TypeVar("T")


def iter_units(node: Any) -> Iterator[Unit]:
    """Yield every Unit inside a model object, in document order."""
    if isinstance(node, Unit):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from iter_units(getattr(node, f.name))
    elif isinstance(node, tuple):
        for item in node:
            yield from iter_units(item)


def map_units(node: T, change: Callable[[Unit], Unit]) -> T:
    """Return a copy of a model object with every Unit replaced by ``change(unit)``."""
    if isinstance(node, Unit):
        return change(node)  # type: ignore[return-value]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        updates = {
            f.name: map_units(getattr(node, f.name), change) for f in dataclasses.fields(node)
        }
        return dataclasses.replace(node, **updates)  # type: ignore[type-var]
    if isinstance(node, tuple):
        return tuple(map_units(item, change) for item in node)  # type: ignore[return-value]
    return node


FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Options:
    """How to make a document (everything but the leaflet and the language)."""

    format: str = "pdf"
    allow_partial: bool = False
    draft: bool = False  # unapproved translations allowed, every page marked as a draft
    clinic: Clinic | None = None
    personal: Personalisation | None = None
    edition: str = "screen"
    large_print: bool = False
