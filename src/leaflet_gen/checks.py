"""Checks of one translation against its Danish source: numbers, markup, links, placeholders.

The same checks gate the build (a failing unit is a gap) and make up ``i18n check``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from . import markdown
from .limits import MAX_GROWTH, unsafe_character

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\d*\}|\{\w+\}")
_LEFTOVER = re.compile(r"\b(TODO|FIXME|XXX)\b|\{\d+\}")
# A lone % that is not part of a %(name)s placeholder or an escaped %%.
_STRAY_PERCENT = re.compile(r"%(?!\(\w+\)s|%)")

# Number words 2–12 (and common compounds) a translator may write instead of digits. Where the
# Danish has digits, words are not accepted: dosages and time spans must stay digits.
_NUMBER_WORDS = {
    "da": "to tre fire fem seks syv otte ni ti elleve tolv",
    "en": "two three four five six seven eight nine ten eleven twelve",
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "pl": "dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście",
    "uk": "два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять",
    "tr": "iki üç dört beş altı yedi sekiz dokuz on onbir oniki",
    "ar": "اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة",
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def check_translation(
    sources: tuple[str, ...], targets: tuple[str, ...], lang: str, python_format: bool = False
) -> list[str]:
    """Problems of one translation (plural forms as tuples) against its Danish source."""
    problems: list[str] = []
    for target in targets:
        source = sources[0] if len(sources) == 1 else sources[-1]
        if _numbers(source) != _numbers(target) and not _plural_number_ok(sources, target):
            problems.append(
                f"numbers differ ({sorted(_numbers(source).elements())} → "
                f"{sorted(_numbers(target).elements())})"
            )
        elif _numbers(source) and _spelled_numbers(target, lang) > _spelled_numbers(source, "da"):
            problems.append("a number is written in words where the Danish has digits")
        if _markup(source) != _markup(target):
            problems.append(f"inline markup differs ({_markup(source)} → {_markup(target)})")
        if _links(source) != _links(target):
            problems.append("link targets differ")
        if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
            problems.append("placeholders differ")
        if python_format and _STRAY_PERCENT.search(target):
            problems.append("a lone % (write %% for a percent sign)")
        if len(target) > MAX_GROWTH * len(source) + 200:
            problems.append(
                f"the translation is far longer than the Danish ({len(target)} characters "
                f"for {len(source)})"
            )
        unsafe = unsafe_character(target)
        if unsafe:
            problems.append(f"a {unsafe} (it can reorder or hide the text around it)")
        if _LEFTOVER.search(target) and not _LEFTOVER.search(source):
            problems.append("leftover placeholder or TODO in the translation")
    return list(dict.fromkeys(problems))


def _plural_number_ok(sources: tuple[str, ...], target: str) -> bool:
    return len(sources) > 1 and any(_numbers(s) == _numbers(target) for s in sources)


def _numbers(text: str) -> Counter:
    """Numbers in a text, any script's digits read as their value (٤ is 4)."""
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    return Counter(n.replace(",", ".") for n in _NUMBER.findall(digits))


def _spelled_numbers(text: str, lang: str) -> int:
    words = set(_NUMBER_WORDS.get(lang.split("_")[0], "").split())
    return sum(1 for w in _WORD.findall(text.lower()) if w in words)


def _markup(text: str) -> Counter:
    kinds: Counter = Counter()
    for token in markdown.inline_tokens(text):
        if token.type.endswith("_open") or token.type in ("code_inline", "image"):
            kinds[token.type] += 1
    return kinds


def _links(text: str) -> list[str]:
    """Link targets and image sources (a translation may not point anywhere else)."""
    targets = {"link_open": "href", "image": "src"}
    return sorted(
        str(t.attrs.get(targets[t.type], ""))
        for t in markdown.inline_tokens(text)
        if t.type in targets
    )
