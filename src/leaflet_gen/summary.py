"""A handout in one plain Danish paragraph, for the physiotherapist to paste into the record."""

from __future__ import annotations

from babel import Locale
from babel.dates import format_date

from .dosage import describe
from .model import Leaflet, Personalisation
from .project import SOURCE_LANG
from .translate import Translation


def record_summary(
    leaflet: Leaflet, lang: str, personal: Personalisation, approved: bool
) -> str:
    """What the patient received: day, language, leaflet, exercises with dosage, red flags."""
    danish = Translation(SOURCE_LANG)
    day = format_date(personal.day, format="long", locale=SOURCE_LANG)
    language = Locale(SOURCE_LANG).languages.get(lang.split("_")[0], lang)
    what = "træningsprogram" if personal.exercises_only else "træningsprogram og folder"
    exercises = "; ".join(
        f"{p.exercise.title.text}: {describe(p.dosage, danish, str)}" for p in leaflet.exercises
    )
    sentences = [
        f"{day}: {personal.patient} fik udleveret {what} på {language} "
        f"(»{leaflet.title.text}«).",
        f"Øvelser: {exercises}.",
        "Afsnittet om, hvornår man skal søge læge (røde flag), var med."
        if leaflet.red_flags
        else "Folderen har intet afsnit om, hvornår man skal søge læge.",
    ]
    if personal.diary_weeks:
        sentences.append(f"Med træningsdagbog for {personal.diary_weeks} uger.")
    if lang != SOURCE_LANG:
        sentences.append(
            "Oversættelsen er godkendt af en fagperson."
            if approved
            else "Oversættelsen var et ikke-godkendt udkast (markeret som udkast på hver side)."
        )
    return " ".join(sentences)
