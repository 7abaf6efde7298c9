"""An article read for what its sections are about, as `import` and the source lint see it.

The outline (sections, H3 subsections, table headers, every text block with its line in the
file), the line of every front-matter key, and two readings of the text driven by the words in
``data/signals.da.toml`` (never by Danish words in Python): whether a part of the article looks
like red flags, and which exercises it names.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import markdown
from .load import read_front_matter
from .model import Exercise

SIGNALS_FILE = Path(__file__).resolve().parent / "data" / "signals.da.toml"
# Front-matter key: exercise names the text may use without the library having them.
NOT_IN_LIBRARY = "exercises_not_in_library"


@dataclass(frozen=True)
class Block:
    """One block of text (paragraph, list item, table cell, heading), markup removed."""

    line: int  # 1-based, in the file
    text: str


@dataclass
class Part:
    """A section (H1/H2) or one of its subsections (H3 and below)."""

    heading: str  # as roles name it: the heading's inline Markdown, whitespace normalised
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    tables: list[tuple[Block, ...]] = field(default_factory=list)  # each table's header cells
    subsections: list[Part] = field(default_factory=list)

    def all_blocks(self) -> list[Block]:
        """Its own text and its subsections' (their headings included)."""
        found = list(self.blocks)
        for sub in self.subsections:
            found += sub.with_heading()
        return found

    def with_heading(self) -> list[Block]:
        return [Block(self.line, self.heading), *self.all_blocks()]


@dataclass
class Article:
    """A Markdown file with front matter, read for analysis (nothing is validated here)."""

    path: Path
    raw: str  # the file's text, exactly as read
    meta: dict[str, Any]
    closing_line: int | None  # 0-based index of the front matter's closing '---' line
    key_lines: dict[tuple, int]  # ("roles", "faq") → 1-based line of that key or list item
    intro: list[Block]
    sections: list[Part]

    def line_of(self, *key: Any) -> int:
        """The line of a front-matter key (or its nearest parent; 1 without front matter)."""
        while key:
            if key in self.key_lines:
                return self.key_lines[key]
            key = key[:-1]
        return 1

    def all_blocks(self) -> list[Block]:
        """Every text block, headings included, in file order."""
        return [*self.intro, *(block for s in self.sections for block in s.with_heading())]

    def section(self, heading: str) -> Part | None:
        return next((s for s in self.sections if s.heading == heading), None)


def read_article(path: Path) -> Article:
    """Read an article with load.py's front-matter parsing, and outline its Markdown body."""
    meta, body, offset = read_front_matter(path)
    raw = path.read_bytes().decode("utf-8")
    closing = _closing_line(raw)
    key_lines = _key_lines(raw, closing) if closing is not None else {}
    intro, sections = _outline(markdown.parse(body), offset)
    return Article(path, raw, meta, closing, key_lines, intro, sections)


def _closing_line(raw: str) -> int | None:
    lines = raw.splitlines()
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)


def _key_lines(raw: str, closing: int) -> dict[tuple, int]:
    """1-based lines of the front matter's keys, nested keys and list items."""
    text = "\n".join(raw.splitlines()[1:closing])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[tuple, int] = {}

    def walk(node, key: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                found[(*key, name.value)] = name.start_mark.line + 2
                walk(value, (*key, name.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                found[(*key, index)] = item.start_mark.line + 2

    walk(root, ())
    return found


def _outline(tokens, offset: int) -> tuple[list[Block], list[Part]]:
    intro: list[Block] = []
    sections: list[Part] = []
    current: Part | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            inline = tokens[index + 1]
            heading = markdown.normalise(inline.content)
            part = Part(heading, int(token.tag[1]), _line(inline, offset))
            if part.level <= 2:
                sections.append(part)
                current = part
            elif sections:
                sections[-1].subsections.append(part)
                current = part
            else:
                intro.append(Block(part.line, plain(inline)))
            index += 2
            continue
        if token.type == "thead_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "thead_close")
            cells = tuple(
                Block(_line(t, offset), plain(t)) for t in tokens[index:end] if t.type == "inline"
            )
            if current is not None:
                current.tables.append(cells)
        if token.type == "inline":
            block = Block(_line(token, offset), plain(token))
            (current.blocks if current is not None else intro).append(block)
        index += 1
    return intro, sections


def _line(token, offset: int) -> int:
    return (token.map[0] if token.map else 0) + offset + 1


def plain(inline_token) -> str:
    """The words of an inline token, markup removed, whitespace normalised."""
    words = []
    for child in inline_token.children or ():
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
        elif child.type == "image":
            words.append(plain(child))
    return markdown.normalise("".join(words))


# -- the words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signals:
    """The compiled patterns of ``data/signals.da.toml``."""

    causes_header: tuple[re.Pattern, ...]
    exercises_heading: tuple[re.Pattern, ...]
    faq_heading: tuple[re.Pattern, ...]
    red_flags_heading: tuple[re.Pattern, ...]
    red_flags_strong: tuple[re.Pattern, ...]
    red_flags_weak: tuple[re.Pattern, ...]
    endings: tuple[str, ...]
    compound: tuple[str, ...]
    known_exercises: tuple[str, ...]


@cache
def signals() -> Signals:
    data = tomllib.loads(SIGNALS_FILE.read_text(encoding="utf-8"))

    def words(*key: str) -> tuple[re.Pattern, ...]:
        section = data
        for name in key:
            section = section[name]
        return tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE) for p in section)

    return Signals(
        causes_header=words("causes", "table_header"),
        exercises_heading=words("exercises", "heading"),
        faq_heading=words("faq", "heading"),
        red_flags_heading=words("red_flags", "heading"),
        red_flags_strong=words("red_flags", "strong"),
        red_flags_weak=words("red_flags", "weak"),
        endings=tuple(data["names"]["endings"]),
        compound=tuple(data["names"]["compound"]),
        known_exercises=tuple(data["names"]["known"]),
    )


def first_match(patterns: tuple[re.Pattern, ...], text: str) -> str | None:
    """The words the first matching pattern found in ``text`` (earlier patterns win)."""
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


@dataclass(frozen=True)
class Evidence:
    """Why a part of an article looks like red flags (or not)."""

    heading: str | None  # the words of its heading that say so
    strong: tuple[Block, ...]  # one is enough: the words found and their line
    weak: tuple[Block, ...]  # two different ones are needed

    @property
    def looks_like_red_flags(self) -> bool:
        return bool(self.heading or self.strong or len(self.weak) >= 2)

    @property
    def weight(self) -> tuple[int, int, int]:
        return (1 if self.heading else 0, len(self.strong), len(self.weak))

    def describe(self) -> str:
        said = [f"the heading says «{self.heading}»"] if self.heading else []
        found = [*self.strong, *self.weak][:3]
        if found:
            said.append("the text says " + ", ".join(f"«{b.text}» (line {b.line})" for b in found))
        return "; ".join(said)


def red_flag_evidence(part: Part, blocks: list[Block] | None = None) -> Evidence:
    """How much ``part`` (its heading, and ``blocks``: by default its whole text) looks like
    red flags: a heading that says when to get help, an emergency number or an urgent symptom."""
    words = signals()
    blocks = part.all_blocks() if blocks is None else blocks
    return Evidence(
        first_match(words.red_flags_heading, part.heading),
        _distinct(words.red_flags_strong, blocks),
        _distinct(words.red_flags_weak, blocks),
    )


def _distinct(patterns: tuple[re.Pattern, ...], blocks: list[Block]) -> tuple[Block, ...]:
    """The first place each pattern is found (one finding per pattern)."""
    found = []
    for pattern in patterns:
        for block in blocks:
            match = pattern.search(block.text)
            if match:
                found.append(Block(block.line, match.group(0)))
                break
    return tuple(found)


# -- exercise names ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """An exercise name in the text: a library exercise's, or a known name the library lacks."""

    line: int
    words: str  # as written
    exercise: str | None  # library id; None: a known exercise name no library exercise has
    name: str  # the title, alias or known name it matched


class ExerciseNames:
    """Finds exercise names in text: the library's titles, aliases and ids (lightly inflected:
    "bækkenløftet", "nerveglidningsøvelser", "glute bridges"), and known names it lacks."""

    def __init__(self, library: dict[str, Exercise]):
        words = signals()
        self._endings = "|".join(sorted(map(re.escape, words.endings), key=len, reverse=True))
        self._compound = "|".join(words.compound)
        self._patterns: list[tuple[re.Pattern, str | None, str]] = []
        for exercise in library.values():
            for name in exercise_names(exercise):
                self._patterns.append((self._compile(name), exercise.id, name))
        for name in words.known_exercises:
            self._patterns.append((self._compile(name), None, name))

    def _compile(self, name: str) -> re.Pattern:
        parts = [re.escape(w) + f"(?:{self._endings})?" for w in re.split(r"[\s\-]+", name) if w]
        body = r"[\s\-]+".join(parts) + f"(?:{self._compound})?"
        return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)

    def find(self, block: Block) -> list[Mention]:
        """Mentions in one block, in text order; the longest name wins where names overlap
        ("liggende nerveglidning" is not also "nerveglidning"), a library name over a known one."""
        found = []
        for order, (pattern, exercise, name) in enumerate(self._patterns):
            for match in pattern.finditer(block.text):
                found.append((match.start(), match.end(), order, exercise, name, match.group(0)))
        found.sort(key=lambda f: (f[0] - f[1], f[2]))  # longest first, then library first
        taken: list[tuple[int, int, str | None, str, str]] = []
        for start, end, _, exercise, name, words in found:
            if all(end <= s or start >= e for s, e, *_ in taken):
                taken.append((start, end, exercise, name, words))
        return [
            Mention(block.line, words, exercise, name)
            for _, _, exercise, name, words in sorted(taken, key=lambda t: t[0])
        ]

    def in_blocks(self, blocks: list[Block]) -> list[Mention]:
        return [mention for block in blocks for mention in self.find(block)]


def exercise_names(exercise: Exercise) -> list[str]:
    """An exercise's names, lower case: its title (and the part in brackets), aliases, id."""
    title = exercise.title.text.casefold()
    names = [title, *(p.strip() for p in re.split(r"[()]", title) if p.strip())]
    names += [*exercise.tags.aliases, exercise.id.replace("-", " ")]
    return list(dict.fromkeys(names))


def not_in_library(article: Article, mentions: list[Mention]) -> list[Mention]:
    """The mentions of exercises the library lacks, but for the names the front matter lists
    under ``exercises_not_in_library``."""
    listed = {markdown.normalise(str(n)).casefold() for n in article.meta.get(NOT_IN_LIBRARY) or ()}
    return [
        m for m in mentions
        if m.exercise is None and not {m.words.casefold(), m.name.casefold()} & listed
    ]
