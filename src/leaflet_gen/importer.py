"""`leaflet-gen import`: propose the front-matter keys that turn an exported article into a rich
leaflet — its id, its roles and the library exercises it names — and add them on request.

A proposal says, for every key, what it matched and why. Writing inserts the new keys as text
before the front matter's closing line: every other byte of the file stays as it was, and a key
a person set is never touched.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import frontmatter

from . import markdown
from .article import (
    Article,
    ExerciseNames,
    Mention,
    Part,
    first_match,
    not_in_library,
    read_article,
    red_flag_evidence,
    signals,
)
from .errors import SourceError
from .model import Exercise, Role

ADDED_BY = "# Added by leaflet-gen import: check the roles and exercises against the text."
ROLE_ORDER = (Role.CAUSES, Role.EXERCISES, Role.RED_FLAGS, Role.FAQ)


@dataclass(frozen=True)
class Choice:
    """A proposed value with the reason for it (``value`` None: nothing fits, ``why`` says why)."""

    key: str
    value: str | None
    why: str


@dataclass
class Proposal:
    """What `import` proposes for one article, and the file text with it added."""

    article: Article
    id: Choice
    roles: list[Choice]
    exercises: list[Mention]  # the first mention of each library exercise, in proposed order
    unknown: list[Mention]  # exercise names the library does not have
    elsewhere: list[Mention]  # library exercises named outside the exercise section only
    kept: list[str] = field(default_factory=list)  # keys a person set, left alone

    @property
    def additions(self) -> dict:
        """The keys to add, in file order; nothing a person set."""
        add: dict = {}
        if "id" not in self.article.meta and self.id.value:
            add["id"] = self.id.value
        roles = {c.key: c.value for c in self.roles if c.value}
        if "roles" not in self.article.meta and roles:
            add["roles"] = roles
        if "exercises" not in self.article.meta and self.exercises:
            add["exercises"] = [m.exercise for m in self.exercises]
        return add

    def new_text(self) -> str:
        """The file with the additions inserted before the front matter's closing line."""
        add = self.additions
        if not add:
            return self.article.raw
        lines = self.article.raw.splitlines(keepends=True)
        newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
        closing = self.article.closing_line
        assert closing is not None  # propose() refuses files without front matter
        inserted = "".join(line + newline for line in [ADDED_BY, *_yaml_lines(add)])
        text = "".join(lines[:closing]) + inserted + "".join(lines[closing:])
        if frontmatter.loads(text).metadata != {**self.article.meta, **add}:
            raise SourceError(
                "cannot add keys to this front matter without changing it", self.article.path
            )
        return text

    def diff(self) -> str:
        """The additions as a unified diff, then each proposal and why."""
        old = self.article.raw.splitlines(keepends=True)
        new = self.new_text().splitlines(keepends=True)
        name = str(self.article.path)
        lines = [
            _shorten(line.rstrip("\r\n"))
            for line in difflib.unified_diff(old, new, name, f"{name} (proposed)", n=2)
        ]
        if not lines:
            lines.append(f"{name}: nothing to add")
        lines.append("why:")
        for choice in [self.id, *self.roles]:
            lines.append(f"  {choice.key:<10} {choice.why}")
        for mention in self.exercises:
            lines.append(
                f"  {'exercise':<10} {mention.exercise}: «{mention.words}» (line {mention.line})"
            )
        if not self.exercises:
            lines.append(f"  {'exercises':<10} none: the text names no library exercise")
        for mention in self.elsewhere:
            lines.append(
                f"  {'elsewhere':<10} {mention.exercise}: «{mention.words}» (line {mention.line}) "
                "is outside the exercise section: not proposed"
            )
        for mention in self.unknown:
            lines.append(
                f"  {'not found':<10} «{mention.words}» (line {mention.line}) names an exercise "
                "the library does not have: add it (or an alias), or list it under "
                "exercises_not_in_library"
            )
        lines += [f"  {'kept':<10} {kept}" for kept in self.kept]
        return "\n".join(lines)

    def write(self) -> bool:
        """Add the proposal to the file; False when there is nothing to add."""
        text = self.new_text()
        if text == self.article.raw:
            return False
        from .pdf import write_atomically

        mode = self.article.path.stat().st_mode
        write_atomically(text.encode("utf-8"), self.article.path)
        self.article.path.chmod(mode)
        return True


def propose(path, library: dict[str, Exercise]) -> Proposal:
    """Read an exported article and propose its id, roles and exercises."""
    article = read_article(path)
    if article.closing_line is None:
        raise SourceError("no YAML front matter (--- … ---) to add keys to", path)
    title = markdown.normalise(str(article.meta.get("title") or ""))
    if not title:
        raise SourceError("front matter has no title (the id is made from it)", path)
    slug = markdown.slugify(title)
    names = ExerciseNames(library)
    roles = _roles(article, names)
    exercise_section = next((c.value for c in roles if c.key == Role.EXERCISES and c.value), None)
    mentions = names.in_blocks(article.all_blocks())
    section = article.section(exercise_section) if exercise_section else None
    # With an exercise section, the exercises it names: elsewhere a name may be a test or a
    # movement ("straight leg raise" in a diagnosis, "drej hovedet" as a symptom).
    first = _first_each(names.in_blocks(section.with_heading()) if section else mentions)
    elsewhere = _first_each(m for m in mentions if m.exercise not in first)
    proposal = Proposal(
        article,
        Choice("id", slug, f"{slug}: from the title «{title}»"),
        roles,
        list(first.values()),
        not_in_library(article, mentions),
        list(elsewhere.values()),
    )
    proposal.kept = _kept(proposal)
    return proposal


def _roles(article: Article, names: ExerciseNames) -> list[Choice]:
    """One section per role at most; questions first, then causes, red flags and exercises."""
    taken: set[str] = set()
    chosen = {}
    for role, finder in (
        (Role.FAQ, _faq),
        (Role.CAUSES, _causes),
        (Role.RED_FLAGS, _red_flags),
        (Role.EXERCISES, lambda sections: _exercises(sections, names)),
    ):
        section, why = finder([s for s in article.sections if s.heading not in taken])
        if section is None:
            chosen[role] = Choice(role.value, None, f"none: {why}")
        else:
            taken.add(section.heading)
            chosen[role] = Choice(
                role.value, section.heading, f"«{section.heading}» (line {section.line}): {why}"
            )
    return [chosen[role] for role in ROLE_ORDER]


Found = tuple[Part | None, str]  # the section (None: none fits) and why


def _causes(sections: list[Part]) -> Found:
    """The section holding the first table whose header names causes."""
    for section in sections:
        for header in section.tables:
            for cell in header:
                if first_match(signals().causes_header, cell.text):
                    return section, (
                        f"its table's header names causes: «{cell.text}» (line {cell.line})"
                    )
    return None, "no table whose header names causes"


def _exercises(sections: list[Part], names: ExerciseNames) -> Found:
    """The section whose heading is about exercises, else the one naming most exercises."""

    def named(section: Part) -> int:
        return len({m.exercise for m in names.in_blocks(section.all_blocks()) if m.exercise})

    for pattern in signals().exercises_heading:
        for section in sections:
            found = pattern.search(section.heading)
            if found:
                count = named(section)
                counted = f"; it names {count} library exercise(s)" if count else ""
                return section, f"the heading names exercises: «{found.group(0)}»{counted}"
    count, best = max(((named(s), s) for s in sections), key=lambda c: c[0], default=(0, None))
    if best is not None and count >= 2:
        return best, f"it names {count} library exercises"
    return None, "no heading about exercises, no section naming two or more"


def _red_flags(sections: list[Part]) -> Found:
    """The section that most says when to see a doctor or get urgent help."""
    scored = [(red_flag_evidence(s), s) for s in sections]
    scored = [(e, s) for e, s in scored if e.looks_like_red_flags]
    if not scored:
        return None, "no section says when to see a doctor or get urgent help"
    evidence, section = max(scored, key=lambda pair: pair[0].weight)
    return section, evidence.describe()


def _faq(sections: list[Part]) -> Found:
    """The questions section: H3 questions, under a heading that says so (or most questions)."""

    def questions(section: Part) -> int:
        return sum(1 for sub in section.subsections if sub.heading.rstrip().endswith("?"))

    for section in sections:
        found = first_match(signals().faq_heading, section.heading)
        if found and questions(section):
            return section, f"the heading says «{found}»; {questions(section)} H3 question(s)"
    count, best = max(((questions(s), s) for s in sections), key=lambda c: c[0],
                      default=(0, None))
    if best is not None and count >= 2 and count * 2 >= len(best.subsections):
        return best, f"{count} H3 questions"
    return None, "no section whose H3 headings are questions"


def _first_each(mentions: Iterable[Mention]) -> dict[str, Mention]:
    """The first mention of each library exercise, in text order."""
    first: dict[str, Mention] = {}
    for mention in mentions:
        if mention.exercise:
            first.setdefault(mention.exercise, mention)
    return first


def _kept(proposal: Proposal) -> list[str]:
    """What a person set, and where the proposal differs from it."""
    meta = proposal.article.meta
    kept = []
    if "id" in meta and str(meta["id"]) != proposal.id.value:
        kept.append(f"id: {meta['id']} (as set; the title gives {proposal.id.value})")
    if "roles" in meta:
        declared = meta["roles"] if isinstance(meta["roles"], dict) else {}
        for choice in proposal.roles:
            set_by_hand = markdown.normalise(str(declared.get(choice.key, "")))
            if choice.value and set_by_hand != choice.value:
                kept.append(f"roles: {choice.key} as set (proposed: «{choice.value}»)")
    if "exercises" in meta:
        proposed = [m.exercise for m in proposal.exercises]
        if meta["exercises"] != proposed:
            kept.append(f"exercises: as set (proposed: {', '.join(proposed) or 'none'})")
    return kept


def _yaml_lines(add: dict) -> list[str]:
    """Front-matter lines for the added keys (strings double-quoted, JSON being YAML)."""
    lines = []
    for key, value in add.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {item}" for item in value]
        else:
            lines.append(f"{key}: {value}")
    return lines


def _shorten(line: str, width: int = 110) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
