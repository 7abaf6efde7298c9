"""Stage 2: look every text unit up in the language's gettext catalogues, failing closed.

A translation is used only when it is present, non-empty, not fuzzy, not obsolete, made for
the current Danish text (same msgctxt and msgid, and not stale by its seal, see
:mod:`leaflet_gen.lifecycle`) and passes the translation checks. Anything else is a
:class:`Gap`. Gaps in safety-critical units always block the language; other gaps block it
unless the caller allows a partly translated leaflet (Danish text stands in, visibly). A
language whose units a reviewer has not all approved is built only as a marked draft.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import NoReturn

from babel import Locale, UnknownLocaleError

from . import lifecycle, pofiles
from .errors import CatalogueError, SafetyGapError, TranslationError
from .model import Exercise, Leaflet, Unit, map_units
from .project import EXERCISES_DOMAIN, SOURCE_LANG, UI_DOMAIN, catalog_path

# Template strings whose context starts so are safety-critical: the red-flag box, the stop-if
# label, the side of the body and every part of a dosage.
SAFETY_CONTEXTS = ("safety.", "side.", "dosage.")


def is_safety_context(context: str | None) -> bool:
    return (context or "").startswith(SAFETY_CONTEXTS)


def parse_locale(lang: str) -> Locale:
    """The Babel locale of a language code, or a one-line error."""
    try:
        return Locale.parse(lang)
    except (ValueError, TypeError, UnknownLocaleError):
        raise TranslationError(f"unknown language code '{lang}'") from None


@dataclass(frozen=True)
class Gap:
    """One unit or template string without a usable translation."""

    domain: str
    context: str | None
    msgid: str
    reason: str  # missing, empty, fuzzy, stale, check failed: …
    safety: bool
    reference: str = ""

    def describe(self) -> str:
        where = f" at {self.reference}" if self.reference else ""
        text = self.msgid if len(self.msgid) <= 40 else f"{self.msgid[:39]}…"
        return f"{self.domain}:{self.context} «{text}» {self.reason}{where}"


@dataclass
class Translation:
    """One language's catalogues, the gaps met while using them and the approvals found."""

    lang: str
    locales_dir: Path | None = None
    gaps: list[Gap] = field(default_factory=list)
    approvals: dict[tuple[str, str | None, str], lifecycle.Approval | None] = field(
        default_factory=dict
    )
    _stores: dict[str, pofiles.Store | None] = field(default_factory=dict)
    _indexes: dict[str, dict] = field(default_factory=dict)

    @cached_property
    def locale(self) -> Locale:
        return parse_locale(self.lang)

    @property
    def is_source(self) -> bool:
        return self.lang == SOURCE_LANG

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    def _index(self, domain: str) -> dict | None:
        if domain not in self._indexes:
            path = catalog_path(self.locales_dir or Path("."), self.lang, domain)
            store = None if self.is_source else pofiles.read(path)
            self._stores[domain] = store
            self._indexes[domain] = pofiles.index(store) if store is not None else None
        return self._indexes[domain]

    # -- approval ---------------------------------------------------------------------------

    @property
    def approved(self) -> bool:
        """True when a reviewer approved every translation used (always for Danish)."""
        return self.is_source or (
            bool(self.approvals) and all(a is not None for a in self.approvals.values())
        )

    @property
    def unapproved(self) -> int:
        return sum(1 for a in self.approvals.values() if a is None)

    def approval(self) -> lifecycle.Approval | None:
        """Who approved the translations used (names joined) and on which (latest) day."""
        if self.is_source or not self.approved:
            return None
        found = [a for a in self.approvals.values() if a is not None]
        names = ", ".join(sorted({a.by for a in found}))
        return lifecycle.Approval(max(a.day for a in found), names)

    # -- text units -------------------------------------------------------------------------

    def unit(self, domain: str, unit: Unit) -> Unit:
        """The unit in this language, or the Danish unit marked as a fallback (gap recorded)."""
        if self.is_source:
            return unit
        found, reason = self._lookup(domain, unit.context, (unit.text,))
        if found is not None:
            return replace(unit, text=found[0])
        self.gaps.append(Gap(domain, unit.context, unit.text, reason, unit.safety, unit.reference))
        return replace(unit, fallback=True)

    def leaflet(self, leaflet: Leaflet) -> Leaflet:
        """The leaflet (and its exercises) in this language."""
        translated = map_units(replace(leaflet, exercises=()), lambda u: self.unit(leaflet.id, u))
        exercises = tuple(replace(p, exercise=self.exercise(p.exercise)) for p in leaflet.exercises)
        return replace(translated, exercises=exercises, lang=self.lang)

    def exercise(self, exercise: Exercise) -> Exercise:
        return map_units(exercise, lambda u: self.unit(EXERCISES_DOMAIN, u))

    def _lookup(
        self, domain: str, context: str | None, sources: tuple[str, ...]
    ) -> tuple[tuple[str, ...] | None, str]:
        entries = self._index(domain)
        if entries is None:
            return None, "missing (no catalogue)"
        entry = entries.get((context or "", sources[0]))
        if entry is None or lifecycle.source_strings(entry) != sources:
            stale = any(c == (context or "") for c, _ in entries)
            return None, lifecycle.STALE if stale else "missing"
        state = lifecycle.state(entry)
        if state != lifecycle.CURRENT:
            return None, state
        problems = lifecycle.problems(entry, self.lang)
        if problems:
            return None, f"check failed: {'; '.join(problems)}"
        self.approvals[(domain, context, sources[0])] = lifecycle.approval(entry)
        return lifecycle.target_strings(entry), ""

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
            sources = (singular,) if plural is None else (singular, plural)
            found, reason = self._lookup(UI_DOMAIN, context, sources)
            if found is None:
                safety = is_safety_context(context)
                self.gaps.append(Gap(UI_DOMAIN, context, singular, reason, safety))
            else:
                text = found[0] if plural is None else self._plural_form(found, n)
        if not values:
            return text
        try:
            return text % values
        except (KeyError, ValueError, TypeError) as exc:  # a translation's broken placeholder
            self._problem(f"«{text}» has a broken placeholder ({exc.__class__.__name__}: {exc})")

    def _plural_form(self, forms: tuple[str, ...], n: int) -> str:
        """The form for ``n`` by the ui catalogue's Plural-Forms expression."""
        store = self._stores.get(UI_DOMAIN)
        header = pofiles.header_field(store, "Plural-Forms") if store is not None else ""
        expression = header.partition("plural=")[2].rstrip(";").strip() or "(n != 1)"
        try:
            index = int(_gettext.c2py(expression)(n))
            return forms[index]
        except (ValueError, TypeError, OverflowError, RecursionError, ZeroDivisionError):
            self._problem(f"Plural-Forms '{header}' is not a valid expression")
        except IndexError:
            self._problem(f"Plural-Forms '{header}' chooses form {index} of {len(forms)}")

    def _problem(self, message: str) -> NoReturn:
        path = catalog_path(self.locales_dir or Path("."), self.lang, UI_DOMAIN)
        raise CatalogueError(message, path)

    # -- policy -----------------------------------------------------------------------------

    def enforce(self, allow_partial: bool, draft: bool, what: str) -> bool:
        """Raise when gaps or missing approval forbid this language; True when partial."""
        unique = list(dict.fromkeys(self.gaps))
        safety = [g for g in unique if g.safety]
        if safety:
            raise SafetyGapError(
                f"{what} [{self.lang}]: withheld: {len(safety)} safety-critical unit(s) "
                f"without a usable translation: {_listed(safety)}"
            )
        if unique and not allow_partial:
            raise TranslationError(
                f"{what} [{self.lang}]: {len(unique)} unit(s) not translated: "
                f"{_listed(unique)} (--allow-partial renders Danish text for them)"
            )
        if not self.approved and not draft:
            raise TranslationError(
                f"{what} [{self.lang}]: {self.unapproved} of {len(self.approvals)} "
                f"translation(s) not approved by a reviewer (leaflet-gen i18n approve); "
                f"--draft builds a copy marked as an unapproved translation"
            )
        return bool(unique)


def _listed(gaps: list[Gap], shown: int = 3) -> str:
    more = f" and {len(gaps) - shown} more" if len(gaps) > shown else ""
    return "; ".join(g.describe() for g in gaps[:shown]) + more
