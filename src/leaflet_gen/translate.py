"""Stage 2: look every text unit up in the language's gettext catalogues, failing closed.

A translation is used only when it is present, non-empty, not fuzzy, not obsolete and made
for the current Danish text (same msgctxt *and* same msgid). Anything else is a
:class:`Gap`; gaps in safety-critical units always block the language, other gaps block it
unless the caller allows a partly translated leaflet (Danish text stands in, visibly).
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from .errors import TranslationError
from .model import Exercise, Leaflet, Unit, map_units
from .project import EXERCISES_DOMAIN, SOURCE_LANG, UI_DOMAIN, catalog_path

SAFETY_CONTEXT = "safety"


@dataclass(frozen=True)
class Gap:
    """One unit or template string without a usable translation."""

    domain: str
    context: str | None
    msgid: str
    reason: str  # missing, empty, fuzzy, stale
    safety: bool
    reference: str = ""

    def describe(self) -> str:
        where = f" ({self.reference})" if self.reference else ""
        name = self.context or self.msgid[:40]
        return f"{self.domain}:{name} {self.reason}{where}"


def read_catalog(path: Path, lang: str, domain: str) -> Catalog | None:
    """A .po file read by Babel, or None when it does not exist."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            return read_po(stream, locale=lang, domain=domain)
    except Exception as exc:  # Babel raises several types for broken files
        raise TranslationError(f"cannot read catalogue ({exc})", path) from None


@dataclass
class Translation:
    """One language's catalogues and every gap met while using them."""

    lang: str
    locales_dir: Path | None = None
    gaps: list[Gap] = field(default_factory=list)
    _catalogs: dict[str, Catalog | None] = field(default_factory=dict)

    @cached_property
    def locale(self) -> Locale:
        try:
            return Locale.parse(self.lang)
        except (ValueError, TypeError) as exc:
            raise TranslationError(f"unknown language code '{self.lang}' ({exc})") from None

    @property
    def is_source(self) -> bool:
        return self.lang == SOURCE_LANG

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    def catalog(self, domain: str) -> Catalog | None:
        if domain not in self._catalogs:
            path = catalog_path(self.locales_dir or Path("."), self.lang, domain)
            self._catalogs[domain] = (
                None if self.is_source else read_catalog(path, self.lang, domain)
            )
        return self._catalogs[domain]

    # -- text units -------------------------------------------------------------------------

    def unit(self, domain: str, unit: Unit) -> Unit:
        """The unit in this language, or the Danish unit marked as a fallback (gap recorded)."""
        if self.is_source:
            return unit
        found, reason = self._lookup(domain, unit.context, unit.text)
        if found is not None:
            return replace(unit, text=found)
        self.gaps.append(Gap(domain, unit.context, unit.text, reason, unit.safety, unit.reference))
        return replace(unit, fallback=True)

    def leaflet(self, leaflet: Leaflet) -> Leaflet:
        """The leaflet (and its exercises) in this language."""
        translated = map_units(replace(leaflet, exercises=()), lambda u: self.unit(leaflet.id, u))
        exercises = tuple(replace(p, exercise=self.exercise(p.exercise)) for p in leaflet.exercises)
        return replace(translated, exercises=exercises, lang=self.lang)

    def exercise(self, exercise: Exercise) -> Exercise:
        return map_units(exercise, lambda u: self.unit(EXERCISES_DOMAIN, u))

    def _lookup(self, domain: str, context: str | None, msgid: str) -> tuple[str | None, str]:
        catalog = self.catalog(domain)
        if catalog is None:
            return None, "missing (no catalogue)"
        message = catalog.get(msgid, context=context)
        if message is None:
            stale = context and any(m.context == context and m.id for m in catalog)
            return None, "stale (Danish text changed)" if stale else "missing"
        return _usable(message)

    # -- template strings (Jinja2 i18n and Python) ------------------------------------------

    def gettext(self, message: str, **values: object) -> str:
        return self._ui(None, message, None, 1, values)

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return self._ui(context, message, None, 1, values)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._ui(None, singular, plural, n, values)

    def npgettext(self, context: str, singular: str, plural: str, n: int, **values: object) -> str:
        return self._ui(context, singular, plural, n, values)

    def _ui(
        self, context: str | None, singular: str, plural: str | None, n: int, values: dict
    ) -> str:
        text = singular if plural is None or n == 1 else plural
        if not self.is_source:
            key = singular if plural is None else (singular, plural)
            found, reason = self._lookup(UI_DOMAIN, context, key)
            if found is None:
                safety = (context or "").startswith(SAFETY_CONTEXT)
                self.gaps.append(Gap(UI_DOMAIN, context, singular, reason, safety))
            else:
                text = found if plural is None else found[self._plural_index(n)]
        return text % values if values else text

    def _plural_index(self, n: int) -> int:
        catalog = self.catalog(UI_DOMAIN)
        expression = catalog.plural_expr if catalog else "(n != 1)"
        return int(_gettext.c2py(expression)(n))

    # -- policy -----------------------------------------------------------------------------

    def enforce(self, allow_partial: bool, what: str) -> bool:
        """Raise when gaps forbid this language; return True when the output is partial."""
        if not self.gaps:
            return False
        unique = list(dict.fromkeys(self.gaps))
        safety = [g for g in unique if g.safety]
        if safety:
            listed = "; ".join(g.describe() for g in safety)
            raise TranslationError(
                f"{what} [{self.lang}]: {len(safety)} safety-critical "
                f"unit(s) not translated: {listed}"
            )
        if not allow_partial:
            listed = "; ".join(g.describe() for g in unique[:5])
            more = f" and {len(unique) - 5} more" if len(unique) > 5 else ""
            raise TranslationError(
                f"{what} [{self.lang}]: {len(unique)} unit(s) not "
                f"translated: {listed}{more} (--allow-partial renders "
                f"Danish text for them)"
            )
        return True


def _usable(message: Message) -> tuple[str | None, str]:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy:
        return None, "fuzzy"
    if not all(s and s.strip() for s in strings):
        return None, "empty"
    return message.string, ""
