"""The command line: a thin edge that turns LeafletError into one line on stderr."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from contextlib import suppress
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules here: each command imports what it needs, so that `build` with nothing to
# do, or `--help`, does not pay for WeasyPrint, Babel, rich or pdfplumber.
from . import __version__
from .dosage import SYNTAX_HELP
from .errors import LeafletError, TranslationError, UsageError
from .model import FORMATS, Options, Personalisation
from .personal import literal_text
from .project import SOURCE_LANG, Project
from .readability import MIN_BODY_LARGE_PRINT_PT, MIN_BODY_PT, MIN_CONTRAST, MIN_TEXT_PT

if TYPE_CHECKING:
    from .batch import Outcome
    from .catalogs import Tally

EXAMPLE_LEAFLET = "smerter-i-ballen-og-ned-i-benet"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        metavar="DIR",
        default=".",
        help="content folder with leaflets/ and locales/ (default: .)",
    )
    parser = argparse.ArgumentParser(
        prog="leaflet-gen", description="Danish patient leaflets to print-ready, translated PDF."
    )
    parser.add_argument("--version", action="version", version=f"leaflet-gen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        parents=[common],
        help="build leaflets",
        description="Build leaflets into DIR/<id>.<lang>.pdf.",
    )
    build.add_argument(
        "leaflets", nargs="*", metavar="LEAFLET", help="leaflet id or path (default: every leaflet)"
    )
    build.add_argument("--out", metavar="DIR", default="dist", help="output folder (default: dist)")
    build.add_argument(
        "--format",
        choices=FORMATS,
        default="pdf",
        help="pdf, or html for the exact HTML that would be rendered",
    )
    build.add_argument(
        "--lang",
        action="append",
        metavar="CODE",
        help="language (repeatable; default: da and every complete language)",
    )
    build.add_argument(
        "--allow-partial",
        action="store_true",
        help="render Danish text, with a notice, for untranslated non-safety units",
    )
    build.set_defaults(run=_run_build)

    _edition_arguments(build)
    _draft_argument(build)
    build.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="processes at work at once (default: number of cores); 1 keeps everything in "
        "one process",
    )
    build.add_argument(
        "--force", action="store_true", help="rebuild even documents whose inputs did not change"
    )
    build.add_argument(
        "--clinic",
        metavar="FILE",
        type=Path,
        help="clinic profile (TOML): logo and name in the header, contact details "
        "in the footer of every page",
    )

    handout = commands.add_parser(
        "handout",
        parents=[common],
        help="a personalised handout for one patient",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The leaflet made personal: patient, therapist, date and note up front, the "
        "chosen exercises with their dosage, the red-flag box always included.",
        epilog=f"Examples:\n  leaflet-gen handout {EXAMPLE_LEAFLET} --lang da "
        "--clinic examples/clinic.toml \\\n    --exercise glute-bridge:3x12 "
        "--exercise piriformis-stretch:3x30s,2/day,left \\\n"
        "    --patient 'Anna Jensen' --out anna.pdf\n\n" + SYNTAX_HELP,
    )
    handout.add_argument("leaflet", metavar="LEAFLET", help="leaflet id or path")
    handout.add_argument(
        "--lang", default=SOURCE_LANG, metavar="CODE", help="the patient's language (default: da)"
    )
    handout.add_argument("--clinic", metavar="FILE", type=Path, help="clinic profile (TOML)")
    handout.add_argument(
        "--exercise",
        action="append",
        default=[],
        metavar="ID[:DOSAGE]",
        help="an exercise from the library, in order (repeatable)",
    )
    handout.add_argument("--patient", required=True, metavar="NAME")
    handout.add_argument("--therapist", metavar="NAME")
    handout.add_argument("--note", metavar="TEXT")
    handout.add_argument("--date", metavar="YYYY-MM-DD", help="date of the plan (default: today)")
    handout.add_argument(
        "--exercises-only",
        action="store_true",
        help="short programme sheet: exercises, note and red-flag box",
    )
    handout.add_argument(
        "--diary",
        type=int,
        default=2,
        metavar="WEEKS",
        help="weeks of the exercise diary to tick (default: 2; 0: none)",
    )
    handout.add_argument(
        "--summary",
        action="store_true",
        help="print one Danish paragraph for the patient's record",
    )
    handout.add_argument(
        "--copy",
        metavar="CODE",
        help="also write the same handout in this language (e.g. da) as FILE.CODE.pdf",
    )
    _edition_arguments(handout)
    _draft_argument(handout)
    handout.add_argument("--out", metavar="FILE.pdf", type=Path, required=True)
    handout.set_defaults(run=_run_handout)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="lint leaflet sources (red flags, roles, exercises), measure readability",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Lint the leaflets' sources: a section that looks like red flags must be "
        "the red_flags role (or be listed under not_red_flags), roles name existing headings, "
        "exercises named in the text are in the library, lastUpdated is set. Then render "
        "them (or read finished PDFs) and measure them: no text below "
        f"{MIN_TEXT_PT:g} pt, body text at least {MIN_BODY_PT:g} pt "
        f"({MIN_BODY_LARGE_PRINT_PT:g} pt in large print), contrast at least "
        f"{MIN_CONTRAST:g}:1 in colour and in greyscale, alt text on every figure, "
        "and tags in the screen edition.",
        epilog=f"Examples:\n  leaflet-gen check\n  leaflet-gen check --source\n"
        f"  leaflet-gen check {EXAMPLE_LEAFLET} --lang ar --edition booklet\n"
        "  leaflet-gen check dist/*.pdf",
    )
    check.add_argument(
        "targets",
        nargs="*",
        metavar="LEAFLET|FILE.pdf",
        help="leaflet id or path, or a finished PDF (default: every leaflet)",
    )
    check.add_argument(
        "--source",
        action="store_true",
        help="only the source lint of the leaflets (red-flag sections, roles, exercise names, "
        "lastUpdated); no PDF is made",
    )
    check.add_argument(
        "--lang",
        action="append",
        metavar="CODE",
        help="language (repeatable; default: da and every complete language)",
    )
    _edition_arguments(check)
    _draft_argument(check)
    check.add_argument("--clinic", metavar="FILE", type=Path, help="clinic profile (TOML)")
    check.set_defaults(run=_run_check)

    imports = commands.add_parser(
        "import",
        parents=[common],
        help="propose id, roles and exercises for articles as a clinic exported them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read articles as exported (title, lastUpdated, H2 sections) and propose "
        "the front-matter keys that make them rich leaflets: the id (from the title), the "
        "roles (causes table, exercises, red flags, questions) and the library exercises the "
        "text names, as a diff with the reason for each. --write adds them, leaving every "
        "other byte of the file as it was and every key a person set alone.",
        epilog="Examples:\n  leaflet-gen import ~/export/knaesmerter.md\n"
        "  leaflet-gen import leaflets/*.md --write",
    )
    imports.add_argument("articles", nargs="+", metavar="ARTICLE.md", help="article id or path")
    imports.add_argument(
        "--write", action="store_true", help="add the proposed keys to each file's front matter"
    )
    imports.set_defaults(run=_run_import_articles)

    exercises = commands.add_parser("exercises", parents=[common], help="list the exercise library")
    exercises.add_argument("--lang", default=SOURCE_LANG, metavar="CODE")
    exercises.add_argument(
        "--sheet",
        metavar="FILE.pdf",
        type=Path,
        help="an A4 PDF with every (chosen) exercise's picture and title, to review the library",
    )
    exercises.add_argument("--region", action="append", metavar="REGION",
                           help="only exercises for this body region (repeat for any of several)")
    exercises.add_argument("--kind", action="append", metavar="KIND",
                           help="only this kind (mobility, stretch, strength, nerve-mobility…)")
    exercises.add_argument("--equipment", action="append", metavar="THING",
                           help="only exercises needing nothing more than this (none, mat, chair…)")
    exercises.add_argument("--json", action="store_true", help="print the list as JSON")
    exercises.set_defaults(run=_run_exercises)

    i18n = commands.add_parser(
        "i18n",
        help="translation catalogues (gettext)",
        description="Manage the gettext catalogues in locales/.",
    )
    actions = i18n.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("extract", parents=[common], help="write locales/<domain>.pot").set_defaults(
        run=_run_catalogue_files
    )
    update = actions.add_parser(
        "update", parents=[common], help="merge templates into locales/<lang>/LC_MESSAGES/*.po"
    )
    update.add_argument(
        "--lang",
        action="append",
        metavar="CODE",
        help="language to update or create (default: every existing one)",
    )
    update.set_defaults(run=_run_catalogue_files)
    actions.add_parser("compile", parents=[common], help="write .mo files").set_defaults(
        run=_run_catalogue_files
    )
    approve = actions.add_parser(
        "approve",
        parents=[common],
        help="record a reviewer's approval of every current, check-passing translation",
    )
    approve.add_argument("--lang", required=True, metavar="CODE")
    approve.add_argument("--by", required=True, metavar="NAME", help="the reviewer's name")
    approve.add_argument("--date", metavar="YYYY-MM-DD", help="day of the review (default: today)")
    approve.set_defaults(run=_run_approve)
    export = actions.add_parser(
        "export", parents=[common], help="one language's catalogues as XLIFF 1.2 for an agency"
    )
    export.add_argument("--lang", required=True, metavar="CODE")
    export.add_argument("--format", choices=["xliff"], default="xliff")
    export.add_argument(
        "--out", metavar="FILE", type=Path, help="output file (default: <lang>.xliff)"
    )
    export.set_defaults(run=_run_export)
    imported = actions.add_parser(
        "import", parents=[common], help="bring an agency's XLIFF back into the catalogues"
    )
    imported.add_argument("file", metavar="FILE.xliff", type=Path)
    imported.set_defaults(run=_run_import)
    stats = actions.add_parser(
        "stats",
        parents=[common],
        help="translated/fuzzy/untranslated/obsolete per language "
        "(exit 1 when a safety unit is incomplete)",
    )
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(run=_run_stats)
    actions.add_parser(
        "check",
        parents=[common],
        help="check translations against their source (numbers, markup, links)",
    ).set_defaults(run=_run_i18n_check)
    return parser


def _draft_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--draft",
        action="store_true",
        help="build translations no reviewer has approved, every page marked as a draft "
        "(never with missing, fuzzy, stale or failing safety text)",
    )


def _edition_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--edition",
        default="screen",
        metavar="EDITION",
        help="screen (tagged PDF/UA-1, default), print-shop (3 mm bleed, crop "
        "marks, PDF/X-4) or booklet (A5 two-up on A4 for folding)",
    )
    parser.add_argument("--large-print", action="store_true", help="body text 16 pt")


def _run_build(args: argparse.Namespace) -> int:
    from .batch import Job, build_many, no_catalogue_notices
    from .load import leaflet_ids

    project = Project.at(args.project)
    _check_edition(args)
    _check_langs(args.lang or [])
    paths = [project.find_leaflet(name) for name in args.leaflets] or project.leaflet_paths()
    out = Path(args.out)
    _make_folder(out)
    clinic = _clinic(args.clinic)
    options = Options(
        format=args.format,
        allow_partial=args.allow_partial,
        draft=args.draft,
        clinic=clinic,
        edition=args.edition,
        large_print=args.large_print,
    )
    langs = args.lang or [SOURCE_LANG, *project.languages()]
    ids = leaflet_ids(paths)
    jobs = [
        Job(path, ids[path], lang, bool(args.lang))
        for path in paths
        for lang in dict.fromkeys(langs)
    ]
    summary = _with_progress(
        lambda report: build_many(
            project,
            jobs,
            out,
            options,
            workers=args.jobs,
            force=args.force,
            report=report,
            complete=not args.leaflets and not args.lang,
        )
    )
    for notice in no_catalogue_notices(project, summary):
        print(f"leaflet-gen: skipped: {notice}", file=sys.stderr)
    _status(summary.line())
    return 1 if summary.failed else 0


def _check_edition(args: argparse.Namespace) -> None:
    """An unknown edition is one usage error, before any document is made."""
    from .editions import check_edition

    try:
        check_edition(args.edition, getattr(args, "format", "pdf"))
    except LeafletError as exc:
        raise UsageError(str(exc)) from None


def _check_langs(langs: list[str]) -> None:
    """Every --lang names a language Babel knows (before any document is made)."""
    from .translate import parse_locale

    for lang in langs:
        try:
            parse_locale(lang)
        except LeafletError as exc:
            raise UsageError(f"--lang: {exc}") from None


def _with_progress(work):
    """Run ``work(report)`` with a progress bar on a terminal, one line per document otherwise.

    Problems go to stderr, one line each; progress and the summary go to stdout.
    """
    if not sys.stderr.isatty():
        return work(_report_line)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=_raw(sys.stderr)),
    ) as progress:
        task = progress.add_task("building", total=None)

        def bar(outcome: Outcome, done: int, total: int) -> None:
            description = printable(f"{outcome.status} {outcome.job.name}")
            progress.update(task, completed=done, total=total, description=description)
            if outcome.status in PROBLEMS:
                progress.console.print(printable(_problem_line(outcome)), markup=False)

        return work(bar)


def _report_line(outcome: Outcome, done: int, total: int) -> None:
    if outcome.status in PROBLEMS:
        print(_problem_line(outcome), file=sys.stderr)
    else:
        _status(f"[{done}/{total}] {outcome.status}: {outcome.message}")


def _status(line: str) -> None:
    """A progress line on stdout; a reader that stopped (``| head -1``) does not stop the build."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    with suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


PROBLEMS = ("failed", "withheld", "skipped")


def _problem_line(outcome: Outcome) -> str:
    kind = "skipped" if outcome.status == "skipped" else "error"
    return f"leaflet-gen: {kind}: {outcome.message}"


MAX_DIARY_WEEKS = 8


def _run_handout(args: argparse.Namespace) -> int:
    from .coldstart import prepare_while_importing
    from .pdf import finish_document, write_atomically

    project = Project.at(args.project)
    _check_edition(args)
    _check_langs([args.lang, *([args.copy] if args.copy else [])])
    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out {args.out}: a handout is written as FILE.pdf")
    if not args.exercise:
        raise UsageError("choose at least one --exercise ID[:DOSAGE]")
    if not 0 <= args.diary <= MAX_DIARY_WEEKS:
        raise UsageError(f"--diary {args.diary}: give 0 to {MAX_DIARY_WEEKS} weeks")
    if args.copy == args.lang:
        raise UsageError(f"--copy {args.copy}: the handout is in that language already")
    copy = args.out.with_suffix(f".{args.copy}.pdf") if args.copy else None
    prepared, summary = prepare_while_importing(lambda: _prepared_handout(project, args))
    documents = [(prepared, args.out)]
    if copy:
        documents.append((_prepared_handout(project, args, args.copy)[0], copy))
    for document, target in documents:
        write_atomically(finish_document(document, project.root), target)
        print(target)
    if args.summary:
        print(summary)
    return 0


def _prepared_handout(project: Project, args: argparse.Namespace, lang: str | None = None):
    """The handout up to its HTML, and its summary for the patient's record."""
    from .build import personalise, prepare_leaflet, prepare_with_translation, prescribe
    from .summary import record_summary

    leaflet = personalise(
        prepare_leaflet(project, project.find_leaflet(args.leaflet)),
        prescribe(project, args.exercise),
    )
    personal = Personalisation(
        patient=literal_text(args.patient, "--patient"),
        therapist=literal_text(args.therapist, "--therapist") if args.therapist else None,
        note=literal_text(args.note, "--note") if args.note else None,
        day=_parse_iso_day(args.date) if args.date else date.today(),
        exercises_only=args.exercises_only,
        diary_weeks=args.diary,
    )
    options = Options(
        draft=args.draft,
        clinic=_clinic(args.clinic),
        personal=personal,
        edition=args.edition,
        large_print=args.large_print,
    )
    lang = lang or args.lang
    prepared, translation = prepare_with_translation(project, leaflet, lang, options)
    return prepared, record_summary(leaflet, lang, personal, translation.approved)


def _run_check(args: argparse.Namespace) -> int:
    """The source lint of the leaflets named (or all), then readability of their PDFs."""
    project = Project.at(args.project)
    pdfs = [Path(t) for t in args.targets if t.lower().endswith(".pdf")]
    names = [t for t in args.targets if not t.lower().endswith(".pdf")]
    if args.source and pdfs:
        raise UsageError("--source lints leaflet sources, not PDFs")
    sources = [project.find_leaflet(n) for n in names]
    if not pdfs and not sources:
        sources = project.leaflet_paths()
    linted = _lint_sources(project, sources)
    if args.source:
        return linted
    return max(linted, _run_readability(args, project, pdfs, sources))


def _lint_sources(project: Project, sources: list[Path]) -> int:
    from .exercises import load_library
    from .lint import lint

    library = load_library(project.exercises_dir)
    failed = 0
    for source in sources:
        try:
            problems = [f"{_shown(p.path)}:{p.line}: {p.message}" for p in lint(source, library)]
        except LeafletError as exc:  # unreadable: report it, lint the rest
            problems = [str(exc)]
        failed += bool(problems)
        for problem in problems:
            print(f"leaflet-gen: error: {problem}", file=sys.stderr)
        if not problems:
            print(f"ok {_shown(source)}: source")
    if sources:
        print(f"source: {len(sources) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _shown(path: Path) -> Path:
    """A path as short as the user would type it: relative to the current folder if inside."""
    with suppress(ValueError):
        return path.relative_to(Path.cwd())
    return path


def _run_readability(
    args: argparse.Namespace, project: Project, pdfs: list[Path], sources: list[Path]
) -> int:
    from .readability import check_pdf, rules_for

    _check_edition(args)
    _check_langs(args.lang or [])
    rules = rules_for(args.edition, args.large_print)
    checked = failed = 0
    for name, produce in _readability_targets(args, project, pdfs, sources):
        try:
            data, source = produce()
            report = check_pdf(data, rules, source)
            problems = report.findings
        except LeafletError as exc:  # this document cannot be made: report it, check the rest
            if isinstance(exc, TranslationError) and not args.lang:
                print(f"leaflet-gen: skipped: {name}: {exc}", file=sys.stderr)
                continue
            problems = [str(exc)]
        checked += 1
        if not problems:
            print(f"ok {name}: {report.summary()}")
            continue
        failed += 1
        for problem in problems:
            print(f"leaflet-gen: error: {name}: {problem}", file=sys.stderr)
    print(f"{checked - failed} passed, {failed} failed ({args.edition} edition)")
    return 1 if failed or not checked else 0


def _readability_targets(
    args: argparse.Namespace, project: Project, pdfs: list[Path], sources: list[Path]
):
    """(name, function making the PDF bytes and, where known, the text it must contain) for each
    finished PDF or leaflet × language."""
    from .build import prepare_document, prepare_leaflet
    from .load import leaflet_ids
    from .pdf import finish_document
    from .readability import document_text

    def made(leaflet, lang: str) -> tuple[bytes, str]:
        prepared = prepare_document(project, leaflet, lang, options)
        return finish_document(prepared, project.root), document_text(prepared.html)

    for path in pdfs:
        yield str(path), lambda path=path: (_read_file(path), None)
    options = Options(
        draft=args.draft,
        clinic=_clinic(args.clinic),
        edition=args.edition,
        large_print=args.large_print,
    )
    langs = dict.fromkeys(args.lang or [SOURCE_LANG, *project.languages()])
    for path in leaflet_ids(sources):
        leaflet = prepare_leaflet(project, path)
        for lang in langs:
            yield (
                f"{leaflet.id}.{lang}",
                lambda leaflet=leaflet, lang=lang: made(leaflet, lang),
            )


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LeafletError("no such file", path) from None
    except OSError as exc:
        raise LeafletError(f"cannot read ({exc.strerror})", path) from None


def _parse_iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date '{text}' is not a date like 2026-11-27") from None


def _run_import_articles(args: argparse.Namespace) -> int:
    from .exercises import load_library
    from .importer import propose

    project = Project.at(args.project)
    library = load_library(project.exercises_dir)
    failed = 0
    for number, name in enumerate(args.articles):
        try:  # one unreadable article does not stop the others
            path = project.find_leaflet(name)
            proposal = propose(path, library)
            print(("\n" if number else "") + proposal.diff())
            if args.write:
                print(f"wrote {_shown(path)}" if proposal.write() else f"{_shown(path)}: unchanged")
        except LeafletError as exc:
            print(f"leaflet-gen: error: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _run_exercises(args: argparse.Namespace) -> int:
    from .dosage import describe
    from .translate import Translation

    project = Project.at(args.project)
    translation = Translation(args.lang, project.locales_dir)
    chosen = _chosen_exercises(project, args)
    if args.sheet:
        return _exercise_sheet(project, translation, chosen, args.sheet)
    rows = []
    for exercise in chosen:
        shown = translation.exercise(exercise)
        dosage = describe(replace(exercise.dosage, side=exercise.side), translation, str)
        rows.append({
            "id": exercise.id, "title": shown.title.text, "side": exercise.side.value,
            "dosage": dosage, "regions": list(exercise.tags.regions), "kind": exercise.tags.kind,
            "equipment": list(exercise.tags.equipment), "difficulty": exercise.tags.difficulty,
            "aliases": list(exercise.tags.aliases),
        })
    translation.enforce(False, True, "exercises")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_exercise_table(rows)
    return 0


def _chosen_exercises(project: Project, args: argparse.Namespace) -> list:
    """The library filtered by ``--region``, ``--kind`` and ``--equipment`` (each: any of)."""
    from .exercises import EQUIPMENT, KINDS, REGIONS, load_library

    wanted = {
        "regions": _filter_words(args.region, "--region", REGIONS),
        "kind": _filter_words(args.kind, "--kind", KINDS),
        "equipment": _filter_words(args.equipment, "--equipment", EQUIPMENT),
    }
    chosen = []
    for exercise in load_library(project.exercises_dir).values():
        tags = exercise.tags
        if wanted["regions"] and not wanted["regions"] & set(tags.regions):
            continue
        if wanted["kind"] and tags.kind not in wanted["kind"]:
            continue
        if wanted["equipment"] and not set(tags.equipment) <= wanted["equipment"] | {"none"}:
            continue
        chosen.append(exercise)
    return chosen


def _filter_words(given: list[str] | None, option: str, allowed: tuple[str, ...]) -> set[str]:
    words = {w.strip() for value in given or () for w in value.split(",") if w.strip()}
    unknown = sorted(words - set(allowed))
    if unknown:
        raise UsageError(f"{option} '{unknown[0]}' is not one of {', '.join(allowed)}")
    return words


def _print_exercise_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "title", "region", "kind", "equipment", "side", "default dosage",
                  box=None, pad_edge=False)
    for row in rows:
        cells = (row["id"], row["title"], ", ".join(row["regions"]), row["kind"],
                 ", ".join(row["equipment"]), row["side"], row["dosage"])
        table.add_row(*(Text(printable(cell)) for cell in cells))  # plain text, never markup
    Console(width=200, file=_raw(sys.stdout)).print(table)


def _exercise_sheet(project: Project, translation, chosen: list, out: Path) -> int:
    from .fonts import prepare_fonts
    from .pdf import html_to_pdf, write_atomically
    from .render import render_sheet_html

    if out.suffix.lower() != ".pdf":
        raise UsageError(f"--sheet {out}: the sheet is written as FILE.pdf")
    if not chosen:
        raise UsageError("no exercise matches the filters: nothing to put on the sheet")
    shown = [translation.exercise(e) for e in chosen]
    translation.enforce(False, True, "exercises")
    html = render_sheet_html(shown, translation, prepare_fonts())
    pdf = html_to_pdf(html, project.root, project.asset_roots(), pdf_variant="pdf/ua-1")
    write_atomically(pdf, out)
    print(out)
    return 0


def _run_catalogue_files(args: argparse.Namespace) -> int:
    """``i18n extract``, ``update`` or ``compile``: write catalogue files, print their paths."""
    from . import catalogs

    project = Project.at(args.project)
    if args.action == "extract":
        paths = catalogs.write_templates(project)
    elif args.action == "update":
        paths = catalogs.update(project, args.lang)
    else:
        paths = catalogs.compile_all(project)
    for path in paths:
        print(path)
    return 0


def _run_stats(args: argparse.Namespace) -> int:
    from . import catalogs

    tallies = catalogs.stats(Project.at(args.project))
    if args.json:
        print(json.dumps({lang: t.as_dict() for lang, t in tallies.items()}, indent=2))
    else:
        print(_stats_table(tallies))
    incomplete = [lang for lang, tally in tallies.items() if not tally.safety_complete]
    for lang in incomplete:
        print(f"leaflet-gen: error: {lang}: safety-critical units incomplete", file=sys.stderr)
    return 1 if incomplete else 0


def _stats_table(tallies: dict[str, Tally]) -> str:
    lines = [
        f"{'lang':<6}{'translated':>11}{'approved':>10}{'fuzzy':>7}{'stale':>7}{'failing':>9}"
        f"{'untransl.':>11}{'obsolete':>10}{'words':>14}{'safety':>10}"
    ]
    for lang, t in tallies.items():
        total_words = sum(t.words.values())
        lines.append(
            f"{lang:<6}{t.units['translated']:>11}{t.approved:>10}{t.units['fuzzy']:>7}"
            f"{t.units['stale']:>7}{t.units['failing']:>9}"
            f"{t.units['untranslated']:>11}{t.obsolete:>10}"
            f"{t.words['translated']:>7}/{total_words:<6}"
            f"{t.safety['translated']:>5}/{sum(t.safety.values()):<4}"
        )
    return "\n".join(lines)


def _run_approve(args: argparse.Namespace) -> int:
    from . import catalogs

    day = _parse_iso_day(args.date) if args.date else date.today()
    by = literal_text(args.by, "--by")
    approved, refused = catalogs.approve(Project.at(args.project), args.lang, by, day)
    print(f"{args.lang}: {approved} unit(s) approved by {by} on {day.isoformat()}")
    if refused:
        print(
            f"leaflet-gen: {args.lang}: {refused} unit(s) not approved: untranslated, fuzzy, "
            "stale or failing a check (leaflet-gen i18n stats, i18n check)",
            file=sys.stderr,
        )
    return 1 if refused else 0


def _run_export(args: argparse.Namespace) -> int:
    from .pdf import write_atomically
    from .xliff import export_xliff

    data = export_xliff(Project.at(args.project), args.lang)
    out = args.out or Path(f"{args.lang}.xliff")
    write_atomically(data, out)
    print(out)
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from .xliff import import_xliff

    data = _read_file(args.file)
    for path in import_xliff(Project.at(args.project), data, str(args.file)):
        print(path)
    return 0


def _run_i18n_check(args: argparse.Namespace) -> int:
    from . import catalogs

    problems = catalogs.check(Project.at(args.project))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("all catalogues pass")
    return 1 if problems else 0


def _clinic(path: Path | None):
    """The clinic profile named by --clinic, if any."""
    if path is None:
        return None
    from .clinic import load_clinic

    return load_clinic(path)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LeafletError(f"cannot create output folder ({exc.strerror})", folder) from None


# Control characters (C0 but tab and newline, DEL, C1) and bidi controls, which a terminal
# would obey, coming from a file or an argument: shown as escapes, never sent raw.
_UNPRINTABLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200E, 0x200F]
    + [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    if code not in (0x09, 0x0A)
}


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: control characters as visible escapes."""
    return text.translate(_UNPRINTABLE)


class _PrintableStream:
    """stdout or stderr of the command: everything written goes through :func:`printable`."""

    def __init__(self, stream):
        self.raw_stream = stream

    def write(self, text: str) -> int:
        return self.raw_stream.write(printable(text))

    def __getattr__(self, name: str):
        return getattr(self.raw_stream, name)


def _raw(stream):
    """The stream under a :class:`_PrintableStream` (for rich, which writes escapes itself)."""
    return getattr(stream, "raw_stream", stream)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: workers stopped, no partial file, one line."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def run() -> None:
    """The ``leaflet-gen`` command: :func:`main`, then a quick exit.

    Everything is written and closed by then; skipping the interpreter's teardown (freeing
    every object of WeasyPrint, Babel…) saves about 0.1 s per command.
    """
    signal.signal(signal.SIGTERM, _terminate)
    for name in ("stdout", "stderr"):  # closed (`>&-`): written to nowhere, not a traceback
        stream = getattr(sys, name) or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        setattr(sys, name, _PrintableStream(stream))
    from .fonts import remove_temporary_cache

    code = main()
    pdf = sys.modules.get(f"{__package__}.pdf")
    if pdf:
        pdf.release()
    remove_temporary_cache()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"leaflet-gen: error: {exc}", file=sys.stderr)
        return 2
    except LeafletError as exc:
        print(f"leaflet-gen: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `leaflet-gen i18n stats | head`: the reader has had enough
        _silence_stdout()
        return 0
    except OSError as exc:  # a fault no command foresaw (a disk error…): still one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"leaflet-gen: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        print("leaflet-gen: interrupted", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT)


if __name__ == "__main__":
    run()
