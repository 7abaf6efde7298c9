"""Translation through gettext: a full round trip with a test language, and fail-closed rules."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from conftest import LEAFLET_ID, REPO, pdf_text, run_cli

from leaflet_gen import catalogs
from leaflet_gen.catalogs import write_catalog
from leaflet_gen.project import Project, catalog_path

TEST_LANG = "sv"  # a real locale (Babel knows its plural rules) that the project does not ship


def _pseudo(text: str) -> str:
    """A visibly different 'translation' that keeps numbers, markup and placeholders."""
    return f"SV {text}"


def _fill(project: Path, lang: str, change=_pseudo, skip=lambda m: False) -> None:
    for path in (project / "locales" / lang / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=lang, domain=path.stem)
        for message in catalog:
            if not message.id or skip(message):
                continue
            if isinstance(message.id, tuple):
                message.string = tuple(change(message.id[-1]) for _ in range(catalog.num_plurals))
            else:
                message.string = change(message.id)
            message.flags.discard("fuzzy")  # the translator confirms the entry
        write_catalog(catalog, path)


def _set(project: Path, lang: str, domain: str, context: str, **changes) -> None:
    path = catalog_path(project / "locales", lang, domain)
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=lang, domain=domain)
    message = next(m for m in catalog if m.context == context)
    for key, value in changes.items():
        if key == "fuzzy":
            message.flags.add("fuzzy")
        else:
            setattr(message, key, value)
    write_catalog(catalog, path)


@pytest.fixture
def translated(project: Path) -> Path:
    """The sample project with a complete pseudo-translation into the test language."""
    assert run_cli("i18n", "update", "--project", project, "--lang", TEST_LANG) == 0
    _fill(project, TEST_LANG)
    return project


def test_round_trip_renders_the_translation(translated: Path, tmp_path: Path) -> None:
    assert run_cli("i18n", "compile", "--project", translated) == 0
    assert run_cli("build", "--project", translated, "--lang", TEST_LANG, "--out", tmp_path) == 0
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")
    assert "SV Smerter i ballen og ned i benet" in text
    assert "SV Søg læge med det samme ved disse tegn".upper() in text.upper()
    assert "SV Side 1 af" in text


def test_extract_writes_contexts_comments_and_safety_marks(project: Path) -> None:
    assert run_cli("i18n", "extract", "--project", project) == 0
    pot = (project / "locales" / f"{LEAFLET_ID}.pot").read_text(encoding="utf-8")
    assert 'msgctxt "red_flags.p1"' in pot
    assert "#. SAFETY-CRITICAL" in pot
    assert f"#: leaflets/{LEAFLET_ID}.md:" in pot
    exercises = (project / "locales" / "exercises.pot").read_text(encoding="utf-8")
    assert 'msgctxt "glute-bridge.caution"' in exercises


def _build_error(project: Path, tmp_path: Path, capsys, *extra: str) -> str:
    code = run_cli("build", "--project", project, "--lang", TEST_LANG, "--out", tmp_path, *extra)
    err = capsys.readouterr().err
    assert code == 1
    assert not list(tmp_path.glob("*.pdf"))
    return err


def test_fuzzy_entry_is_not_rendered(translated: Path, tmp_path: Path, capsys) -> None:
    _set(translated, TEST_LANG, LEAFLET_ID, "intro.p1", fuzzy=True)
    err = _build_error(translated, tmp_path, capsys)
    assert "intro.p1 fuzzy" in err
    assert (
        run_cli(
            "build",
            "--project",
            translated,
            "--lang",
            TEST_LANG,
            "--out",
            tmp_path,
            "--allow-partial",
        )
        == 0
    )
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.{TEST_LANG}.pdf")
    assert "SV Smerter i ballen og ned i benet er et almindeligt" not in text
    assert "Smerter i ballen og ned i benet er et almindeligt" in text  # Danish stands in
    assert "Dele af denne folder er endnu ikke oversat" in text or "SV Dele af" in text


def test_missing_safety_unit_blocks_even_partial(translated: Path, tmp_path: Path, capsys) -> None:
    _set(translated, TEST_LANG, LEAFLET_ID, "red_flags.p1", string="")
    err = _build_error(translated, tmp_path, capsys, "--allow-partial")
    assert "safety-critical" in err and "red_flags.p1" in err


def test_missing_exercise_caution_blocks(translated: Path, tmp_path: Path, capsys) -> None:
    _set(translated, TEST_LANG, "exercises", "glute-bridge.caution", string="")
    err = _build_error(translated, tmp_path, capsys, "--allow-partial")
    assert "glute-bridge.caution" in err


def test_edited_source_makes_translation_stale(translated: Path, tmp_path: Path, capsys) -> None:
    source = translated / "leaflets" / f"{LEAFLET_ID}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("over 4–6 uger", "over 6–8 uger"), encoding="utf-8")
    err = _build_error(translated, tmp_path, capsys)
    assert "stale" in err
    # update keeps the old translation as fuzzy with the previous msgid for the translator
    assert run_cli("i18n", "update", "--project", translated) == 0
    po = catalog_path(translated / "locales", TEST_LANG, LEAFLET_ID).read_text(encoding="utf-8")
    assert "#| msgid" in po and "#, fuzzy" in po
    _build_error(translated, tmp_path, capsys)


def test_changed_safety_unit_is_never_fuzzy_matched(translated: Path) -> None:
    catalog = _edit_source_and_update(
        translated, lambda text: text.replace("Søg læge straks", "Søg ikke læge straks")
    )
    message = next(m for m in catalog if m.context == "red_flags.p1")
    assert message.string == "" and not message.fuzzy


def test_no_fuzzy_match_across_contexts(translated: Path) -> None:
    """Babel's Catalog.update would reuse a similar msgid of another unit; we never do."""
    catalog = _edit_source_and_update(
        translated,
        lambda text: text.replace(
            "## Hvor lang tid tager det at komme sig?",
            "## Hvor lang tid tager det at komme sig?\n\n"
            "Hvor lang tid tager det at komme sig igen?",
        ),
    )
    new = next(m for m in catalog if m.id == "Hvor lang tid tager det at komme sig igen?")
    assert new.string == "" and not new.fuzzy


def _edit_source_and_update(project: Path, edit) -> Catalog:
    """Change the Danish source with ``edit``, run update, return the test language's catalogue."""
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    catalogs.update(Project.at(project))
    with catalog_path(project / "locales", TEST_LANG, LEAFLET_ID).open("rb") as stream:
        return read_po(stream, locale=TEST_LANG)


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda t: t.replace("4–6", "4–7"), "numbers differ"),
        (lambda t: t.replace("**", ""), "inline markup differs"),
        (
            lambda t: t.replace("(https://example.org/a)", "(https://evil.example/)"),
            "link targets differ",
        ),
        (lambda t: t + " {1}", "leftover placeholder"),
    ],
)
def test_check_catches_broken_translations(translated: Path, change, problem: str, capsys) -> None:
    source = translated / "leaflets" / f"{LEAFLET_ID}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("over 4–6 uger", "over **4–6 uger** ([se](https://example.org/a))"),
        encoding="utf-8",
    )
    catalogs.update(Project.at(translated))
    _fill(translated, TEST_LANG)
    assert run_cli("i18n", "check", "--project", translated) == 0
    _fill(
        translated,
        TEST_LANG,
        change=lambda t: change(_pseudo(t)),
        skip=lambda m: "4–6" not in str(m.id),
    )
    assert run_cli("i18n", "check", "--project", translated) == 1
    assert problem in capsys.readouterr().err


def test_stats_json_and_exit_code(translated: Path, capsys) -> None:
    assert run_cli("i18n", "stats", "--json", "--project", translated) == 0
    capsys.readouterr()
    _set(translated, TEST_LANG, LEAFLET_ID, "red_flags.heading", fuzzy=True)
    assert run_cli("i18n", "stats", "--json", "--project", translated) == 1
    out = capsys.readouterr().out
    import json

    data = json.loads(out)[TEST_LANG]
    assert data["units"]["fuzzy"] == 1 and data["safety"]["fuzzy"] == 1
    assert data["words"]["translated"] > 1000


def test_shipped_catalogues_pass_check(capsys) -> None:
    assert run_cli("i18n", "check", "--project", REPO) == 0, capsys.readouterr().err


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt not installed")
def test_shipped_catalogues_pass_msgfmt() -> None:
    for po in sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po")):
        result = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{po}: {result.stderr}"
