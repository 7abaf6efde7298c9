"""Stage 1: read a Danish leaflet (YAML front matter + Markdown) into the model."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from . import markdown
from .errors import SourceError
from .images import check_markdown_images, refuse_images
from .limits import (
    MAX_ID_CHARS,
    MAX_SOURCE_BYTES,
    MAX_TABLE_COLUMNS,
    MAX_TITLE_CHARS,
    check_length,
    first_unsafe,
    read_bounded,
)
from .model import (
    Block,
    FaqItem,
    Heading,
    Leaflet,
    ListBlock,
    Paragraph,
    Role,
    Section,
    Table,
    Unit,
)

SAFETY_ROLES = {Role.RED_FLAGS}


class _SafeLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """YAML's safe loader without aliases (a few lines of ``&a [*b, *b…]`` make billions of
    nodes once expanded) and with impossible dates reported as errors at their line."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # a node met twice: the target of an alias
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date", node.start_mark
            ) from None


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)


class _YAMLHandler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_SafeLoader)


def read_source(path: Path) -> str:
    """A Danish source file's text: at most MAX_SOURCE_BYTES of UTF-8 (a BOM is dropped),
    with no bidi controls or control characters (line named)."""
    data = read_bounded(path, MAX_SOURCE_BYTES, "source file")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"line {line}: not UTF-8 text", path) from None
    found = first_unsafe(raw)
    if found:
        line = raw[: found[0]].count("\n") + 1
        raise SourceError(f"line {line}: {found[1]} is not allowed in the text", path)
    return raw


def read_front_matter(path: Path) -> tuple[dict[str, Any], str, int]:
    """Front matter, body and the body's first line number (0-based) of a Markdown file."""
    raw = read_source(path)
    handler = _YAMLHandler()
    try:
        post = frontmatter.loads(raw, handler=handler if handler.detect(raw) else None)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        ours = isinstance(exc, yaml.constructor.ConstructorError)
        detail = f": {exc.problem}" if ours and exc.problem else ""
        raise SourceError(f"invalid YAML front matter{where}{detail}", path) from None
    if not isinstance(post.metadata, dict):
        raise SourceError("front matter must be a mapping of keys to values", path)
    offset = raw[: raw.find(post.content)].count("\n") if post.content else 0
    return dict(post.metadata), post.content, offset


def text_field(meta: dict[str, Any], key: str, path: Path, limit: int = MAX_TITLE_CHARS) -> str:
    """A front-matter text (one line of inline Markdown), refused when it is a list, a
    mapping or longer than ``limit`` characters."""
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        kind = "nothing" if value is None else type(value).__name__
        raise SourceError(f"{key}: must be text, not {kind} (put it in quotes)", path)
    text = check_length(markdown.normalise(str(value)), limit, key, path)
    refuse_images(text, key, path)
    return text


def parse_day(value: Any, key: str, path: Path) -> date:
    """A front-matter date: day-first ``12/10/2025`` (or a YAML date), not in the future."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
        except ValueError:
            raise SourceError(
                f"{key}: '{value}' is not a day-first date like 12/10/2025", path
            ) from None
    if value > date.today() + timedelta(days=1):
        raise SourceError(f"{key}: {value:%d/%m/%Y} is in the future", path)
    return value


def leaflet_id(path: Path) -> str:
    """A leaflet's id (front matter ``id``, else the file name), read without parsing the text."""
    return checked_id(read_front_matter(path)[0], path)


def leaflet_ids(paths: list[Path]) -> dict[Path, str]:
    """The id of each leaflet file, refusing two files with one id (they would share outputs)."""
    ids: dict[Path, str] = {}
    for path in paths:
        identifier = leaflet_id(path)
        other = next((p for p, i in ids.items() if i == identifier and p != path), None)
        if other is not None:
            raise SourceError(f"id '{identifier}' is also the id of {other}", path)
        ids[path] = identifier
    return ids


def checked_id(meta: dict[str, Any], path: Path) -> str:
    """The file's id (front matter ``id``, else the file name), refused unless it is a slug."""
    identifier = str(meta.get("id") or path.stem)
    check_length(identifier, MAX_ID_CHARS, "id", path)
    if markdown.slugify(identifier) != identifier:
        raise SourceError(f"id '{identifier}' must be lower-case letters, digits and '-'", path)
    return identifier


def load_leaflet(path: Path) -> Leaflet:
    """Load one leaflet file into a :class:`Leaflet` (Danish)."""
    meta, body, offset = read_front_matter(path)
    leaflet_id = checked_id(meta, path)
    if not meta.get("title"):
        raise SourceError("front matter has no title", path)
    title = text_field(meta, "title", path)
    if "lastUpdated" not in meta:
        raise SourceError("front matter has no lastUpdated date", path)
    ref = f"leaflets/{path.name}"
    roles = _read_roles(meta, path)
    intro, sections = _Builder(ref, offset, path).build(markdown.parse(body), roles)
    unknown = set(roles) - {section.heading.text for section in sections}
    if unknown:
        raise SourceError(f"roles: no section has the heading '{sorted(unknown)[0]}'", path)
    exercise_ids = meta.get("exercises") or []
    if not isinstance(exercise_ids, list) or not all(isinstance(e, str) for e in exercise_ids):
        raise SourceError("exercises: must be a list of exercise ids", path)
    return Leaflet(
        id=leaflet_id,
        source=path,
        title=Unit("title", title, "title", reference=ref),
        last_updated=parse_day(meta["lastUpdated"], "lastUpdated", path),
        published=parse_day(meta["datePublished"], "datePublished", path)
        if meta.get("datePublished")
        else None,
        intro=intro,
        sections=sections,
        exercise_ids=tuple(exercise_ids),
    )


def _read_roles(meta: dict[str, Any], path: Path) -> dict[str, Role]:
    """``roles:`` maps a role name to the exact H2 heading text of its section."""
    declared = meta.get("roles") or {}
    if not isinstance(declared, dict):
        raise SourceError("roles: must map role names to section headings", path)
    roles: dict[str, Role] = {}
    for name, heading in declared.items():
        try:
            role = Role(name)
        except ValueError:
            known = ", ".join(r.value for r in Role if r is not Role.PLAIN)
            raise SourceError(f"roles: unknown role '{name}' (known: {known})", path) from None
        roles[markdown.normalise(str(heading))] = role
    return roles


class _Builder:
    """Walks markdown-it block tokens and gives every text unit a stable context."""

    def __init__(self, reference: str, line_offset: int, source: Path):
        self.reference = reference
        self.line_offset = line_offset
        self.source = source

    def build(
        self, tokens, roles: dict[str, Role]
    ) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
        chunks: list[tuple[Any, list]] = [(None, [])]
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag in ("h1", "h2"):
                chunks.append((tokens[index + 1], []))
            elif chunks[-1][0] is not tokens[index - 1] or token.type != "inline":
                chunks[-1][1].append(token)
        intro = self._blocks("intro", _strip_heading_close(chunks[0][1]), safety=False)
        sections = tuple(self._section(heading, body, roles) for heading, body in chunks[1:])
        return intro, sections

    def _section(self, heading_token, body: list, roles: dict[str, Role]) -> Section:
        text = markdown.normalise(heading_token.content)
        role = roles.get(text, Role.PLAIN)
        key = (
            role.value
            if role is not Role.PLAIN
            else "-".join(markdown.slugify(text).split("-")[:5])
        )
        safety = role in SAFETY_ROLES
        # A role section is known by its role; everything else by its text (see unit_context).
        prefix = "" if role is Role.PLAIN else f"{role.value}."
        heading_context = "h" if role is Role.PLAIN else f"{role.value}.heading"
        heading = self._unit(heading_context, heading_token, "heading", safety)
        body = _strip_heading_close(body)
        if role is Role.FAQ:
            return Section(
                key,
                role,
                heading,
                self._blocks(prefix, _before_h3(body), safety),
                self._faq(prefix, body),
            )
        return Section(key, role, heading, self._blocks(prefix, body, safety))

    def _faq(self, prefix: str, body: list) -> tuple[FaqItem, ...]:
        items, index = [], 0
        while index < len(body):
            if body[index].type == "heading_open":
                end = _next_heading(body, index + 1)
                question = self._unit(f"{prefix}q", body[index + 1], "faq-question", False)
                answer = self._blocks(prefix, body[index + 3 : end], False)
                items.append(FaqItem(question, answer))
                index = end
            else:
                index += 1
        return tuple(items)

    def _blocks(self, prefix: str, tokens: list, safety: bool) -> tuple[Block, ...]:
        blocks: list[Block] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "paragraph_open" and token.level == 0:
                unit = self._unit(f"{prefix}p", tokens[index + 1], "paragraph", safety)
                blocks.append(Paragraph(unit))
            elif token.type == "heading_open":
                unit = self._unit(f"{prefix}h", tokens[index + 1], "heading", safety)
                blocks.append(Heading(int(token.tag[1]), unit))
            elif token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
                end = _closing(tokens, index)
                blocks.append(self._list(prefix, token, tokens[index:end], safety))
                index = end
            elif token.type == "table_open":
                end = _closing(tokens, index)
                blocks.append(self._table(prefix, tokens[index:end], safety))
                index = end
            index += 1
        return tuple(blocks)

    def _list(self, prefix: str, opening, tokens: list, safety: bool) -> ListBlock:
        items = [t for t in tokens if t.type == "inline" and t.level == 3]
        units = tuple(self._unit(f"{prefix}li", t, "list-item", safety) for t in items)
        return ListBlock(opening.type == "ordered_list_open", units)

    def _table(self, prefix: str, tokens: list, safety: bool) -> Table:
        rows: list[list[Unit]] = []
        aligns: list[str] = []
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open") and len(rows) == 1:
                style = token.attrs.get("style", "")
                aligns.append(str(style).removeprefix("text-align:") or "start")
            elif token.type == "inline":
                rows[-1].append(self._unit(f"{prefix}td", token, "table-cell", safety))
        if len(aligns) > MAX_TABLE_COLUMNS:
            line = (tokens[0].map[0] if tokens[0].map else 0) + self.line_offset + 1
            raise SourceError(
                f"line {line}: a table of {len(aligns)} columns does not fit the page "
                f"(at most {MAX_TABLE_COLUMNS})",
                self.source,
            )
        return Table(tuple(rows[0]), tuple(tuple(r) for r in rows[1:]), tuple(aligns))

    def _unit(self, context: str, inline_token, kind: str, safety: bool) -> Unit:
        """A unit; a context without a '.heading' role suffix gets the text's fingerprint."""
        line = (inline_token.map[0] if inline_token.map else 0) + self.line_offset + 1
        text = markdown.normalise(inline_token.content)
        check_markdown_images(text, self.source.parent, self.source)
        if not context.endswith(".heading"):
            context = unit_context(context, text)
        return Unit(context, text, kind, safety, f"{self.reference}:{line}")


def unit_context(kind: str, text: str) -> str:
    """A message context anchored in the unit's content, not its position: ``p.1a2b3c4d``.

    Inserting, deleting, splitting or reordering blocks never moves a translation to another
    unit, and a heading edit touches the heading alone. An edited unit is a new unit; ``i18n
    update`` offers the old translation as a fuzzy suggestion (see catalogs.merge).
    """
    return f"{kind}.{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _closing(tokens: list, index: int) -> int:
    """Index of the token that closes the block opened at ``index``."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


def _strip_heading_close(tokens: list) -> list:
    return [t for t in tokens if not (t.type == "heading_close" and t.tag in ("h1", "h2"))]


def _next_heading(tokens: list, start: int) -> int:
    return next(
        (i for i in range(start, len(tokens)) if tokens[i].type == "heading_open"), len(tokens)
    )


def _before_h3(tokens: list) -> list:
    return tokens[: _next_heading(tokens, 0)]
