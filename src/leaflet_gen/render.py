"""Stage 4: the (translated) model to HTML, through Jinja2 templates and a print stylesheet."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from . import __version__, markdown
from .dosage import describe, describe_parts
from .fonts import ARABIC, SANS, FontSet, cache_root
from .illustrations import sign_file
from .model import Clinic, Dosage, Exercise, Leaflet, Personalisation, Role, Side
from .project import SOURCE_LANG, STATIC_DIR, TEMPLATES_DIR
from .translate import Translation

# A run of digits, possibly a range, product or fraction ("4–6", "3 × 10", "1/2", "500 mg").
_NUMBER_RUN = re.compile(r"\d+(?:[.,:]\d+)*(?:\s?[–\-×x/]\s?\d+(?:[.,:]\d+)*)*")
_TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<]+|^[^<]+")
# Words in Latin script, with the spaces and hyphens between them ("straight leg raise"); not
# the name of a character reference ("&quot;").
_LATIN_RUN = re.compile(
    r"(?<![&#A-Za-z\u00c0-\u024f])[A-Za-z\u00c0-\u024f]+(?:[ \-'’][A-Za-z\u00c0-\u024f]+)*"
)
# The language of Latin-script terms in a right-to-left translation (Piriformis, MRI, glute
# bridge): international medical terms in their English form, read with an English voice.
LATIN_TERMS_LANG = "en"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the (private, see ``cache_root``) cache folder, keyed by the
    templates' checksums; a folder that cannot be written only costs the compiling."""

    def dump_bytecode(self, bucket) -> None:
        with suppress(OSError):
            Path(self.directory).mkdir(mode=0o700, parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        bytecode_cache=_BytecodeCache(str(cache_root() / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


def _environment_for(translation: Translation) -> jinja2.Environment:
    """The shared environment with this language's gettext callables installed."""
    env = _environment()
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    return env


def render_html(
    leaflet: Leaflet,
    translation: Translation,
    fonts: FontSet,
    *,
    clinic: Clinic | None = None,
    personal: Personalisation | None = None,
    partial: bool = False,
    draft: bool = False,
    edition: str = "screen",
    large_print: bool = False,
) -> str:
    """The complete HTML document for one leaflet in one language."""
    env = _environment_for(translation)
    rtl = translation.direction == "rtl"
    locale = translation.locale

    def number(value: int) -> str:
        return format_decimal(value, locale=locale, numbering_system="latn")

    def inline(unit_text: str) -> Markup:
        html = markdown.inline_html(unit_text, leaflet.source.parent)
        return mark_latin_terms(isolate_numbers(html)) if rtl else html

    def long_date(day: date) -> Markup:
        text = format_date(day, format="long", locale=locale)
        return Markup('<bdi class="date">{}</bdi>').format(text)

    def dosage_text(dosage: Dosage) -> Markup:
        return isolate_numbers(escape(describe(dosage, translation, number)))

    def dosage_parts(dosage: Dosage) -> tuple[Markup, ...]:
        return tuple(
            isolate_numbers(escape(part)) for part in describe_parts(dosage, translation, number)
        )

    template = env.get_template("leaflet.html.j2")
    return template.render(
        **_page_context(translation, fonts),
        leaflet=leaflet,
        rtl=rtl,
        asset=lambda path: Path(path).resolve().as_uri(),
        inline=inline,
        long_date=long_date,
        isolate=lambda text: Markup("<bdi>{}</bdi>").format(text),
        dosage_text=dosage_text,
        dosage_parts=dosage_parts,
        diary_weeks=diary_weeks(personal, locale) if personal else [],
        Role=Role,
        Side=Side,
        clinic=clinic,
        clinic_lang=SOURCE_LANG,  # a clinic's name and address are Danish in every language
        personal=personal,
        partial=partial,
        draft=draft,
        approval=translation.approval(),
        edition=edition,
        large_print=large_print,
        generator=f"leaflet-gen {__version__}",
        css_string=css_string,
        clinic_contact=clinic_contact,
        sign_file=sign_file,
    )


@dataclass(frozen=True)
class DiaryDay:
    name: str  # the weekday, abbreviated in the patient's language
    date: str  # day and month


def diary_weeks(personal: Personalisation, locale) -> list[list[DiaryDay]]:
    """The days of the exercise diary, week by week, from the day of the handout."""
    days = [personal.day + timedelta(days=n) for n in range(7 * personal.diary_weeks)]
    cells = [
        DiaryDay(format_date(day, "EEE", locale=locale), format_date(day, "d/M", locale=locale))
        for day in days
    ]
    return [cells[start : start + 7] for start in range(0, len(cells), 7)]


def clinic_contact(clinic: Clinic) -> str:
    """The contact line of the running footer (the name is in the header), each part a
    first-strong isolate (U+2068…U+2069)
    so a left-to-right phone number or address keeps its order in a right-to-left footer."""
    parts = (clinic.phone, clinic.email, clinic.website)
    return " · ".join(f"\u2068{part}\u2069" for part in parts if part)


def render_notes_html(translation: Translation, fonts: FontSet) -> str:
    """One A5 notes page, used to pad a booklet to a multiple of four pages."""
    env = _environment_for(translation)
    return env.get_template("notes.html.j2").render(**_page_context(translation, fonts))


def render_sheet_html(exercises: list[Exercise], translation: Translation, fonts: FontSet) -> str:
    """Every exercise's picture and title, several to a page, for a clinic to browse."""
    env = _environment_for(translation)
    return env.get_template("sheet.html.j2").render(
        **_page_context(translation, fonts),
        exercises=exercises,
        rtl=translation.direction == "rtl",
        inline=markdown.inline_html,
    )


def _page_context(translation: Translation, fonts: FontSet) -> dict:
    rtl = translation.direction == "rtl"
    return {
        "lang": translation.lang,
        "dir": translation.direction,
        "fonts": fonts,
        "font_stack": _font_stack(rtl),
        "static": STATIC_DIR.as_uri(),
    }


def _font_stack(rtl: bool) -> str:
    return f'"{ARABIC}", "{SANS}"' if rtl else f'"{SANS}", "{ARABIC}"'


def isolate_numbers(html: Markup) -> Markup:
    """Wrap number runs of text nodes in left-to-right isolates, so "4–6" stays "4–6" in RTL."""

    def wrap(match: re.Match) -> str:
        return _NUMBER_RUN.sub(lambda m: f'<bdi dir="ltr">{m[0]}</bdi>', match[0])

    return Markup(_TEXT_BETWEEN_TAGS.sub(wrap, str(html)))


def mark_latin_terms(html: Markup) -> Markup:
    """Give runs of Latin script in right-to-left text their language (``LATIN_TERMS_LANG``),
    so a screen reader does not read "Piriformis" with the Arabic voice."""

    def wrap(match: re.Match) -> str:
        return _LATIN_RUN.sub(lambda m: f'<span lang="{LATIN_TERMS_LANG}">{m[0]}</span>', match[0])

    return Markup(_TEXT_BETWEEN_TAGS.sub(wrap, str(html)))


def css_string(text: str) -> Markup:
    """A translated running-header text with %(page)s/%(pages)s as a CSS ``content`` value."""
    parts = re.split(r"(%\((?:page|pages)\)s)", text)
    tokens = []
    for part in parts:
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(_css_quote(part))
    return Markup(" ".join(tokens))


def _css_quote(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&\n\r' else c for c in text)
    return f'"{escaped}"'
