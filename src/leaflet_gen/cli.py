"""The command line: a thin edge that turns LeafletError into one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__, catalogs
from .build import FORMATS, Options, build_one, prepare_leaflet
from .errors import LeafletError, TranslationError, UsageError
from .project import Project
from .translate import SOURCE_LANG


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", metavar="DIR", default=".",
                        help="content folder with leaflets/ and locales/ (default: .)")
    parser = argparse.ArgumentParser(
        prog="leaflet-gen",
        description="Danish patient leaflets to print-ready, translated PDF.")
    parser.add_argument("--version", action="version", version=f"leaflet-gen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="build leaflets",
                                description="Build leaflets into DIR/<id>.<lang>.pdf.")
    build.add_argument("leaflets", nargs="*", metavar="LEAFLET",
                       help="leaflet id or path (default: every leaflet)")
    build.add_argument("--out", metavar="DIR", default="dist", help="output folder (default: dist)")
    build.add_argument("--format", choices=FORMATS, default="pdf",
                       help="pdf, or html for the exact HTML that would be rendered")
    build.add_argument("--lang", action="append", metavar="CODE",
                       help="language (repeatable; default: da and every complete language)")
    build.add_argument("--allow-partial", action="store_true",
                       help="render Danish text, with a notice, for untranslated non-safety units")
    build.set_defaults(run=_run_build)

    i18n = commands.add_parser("i18n", help="translation catalogues (gettext)",
                               description="Manage the gettext catalogues in locales/.")
    actions = i18n.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("extract", parents=[common], help="write locales/<domain>.pot"
                       ).set_defaults(run=_run_extract)
    update = actions.add_parser("update", parents=[common],
                                help="merge templates into locales/<lang>/LC_MESSAGES/*.po")
    update.add_argument("--lang", action="append", metavar="CODE",
                        help="language to update or create (default: every existing one)")
    update.set_defaults(run=_run_update)
    actions.add_parser("compile", parents=[common], help="write .mo files"
                       ).set_defaults(run=_run_compile)
    stats = actions.add_parser("stats", parents=[common],
                               help="translated/fuzzy/untranslated/obsolete per language "
                                    "(exit 1 when a safety unit is incomplete)")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(run=_run_stats)
    actions.add_parser("check", parents=[common],
                       help="check translations against their source (numbers, markup, links)"
                       ).set_defaults(run=_run_check)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    project = Project.at(args.project)
    paths = [project.find_leaflet(name) for name in args.leaflets] or project.leaflet_paths()
    out = Path(args.out)
    _make_folder(out)
    options = Options(format=args.format, allow_partial=args.allow_partial)
    langs = args.lang or [SOURCE_LANG, *catalogs.languages(project)]
    for path in paths:
        leaflet = prepare_leaflet(project, path)
        for lang in langs:
            try:
                print(build_one(project, leaflet, lang, out, options))
            except TranslationError as exc:
                if args.lang:
                    raise
                print(f"leaflet-gen: skipped: {exc}", file=sys.stderr)
    return 0


def _run_extract(args: argparse.Namespace) -> int:
    for path in catalogs.write_templates(Project.at(args.project)):
        print(path)
    return 0


def _run_update(args: argparse.Namespace) -> int:
    for path in catalogs.update(Project.at(args.project), args.lang):
        print(path)
    return 0


def _run_compile(args: argparse.Namespace) -> int:
    for path in catalogs.compile_all(Project.at(args.project)):
        print(path)
    return 0


def _run_stats(args: argparse.Namespace) -> int:
    tallies = catalogs.stats(Project.at(args.project))
    if args.json:
        print(json.dumps({lang: t.as_dict() for lang, t in tallies.items()}, indent=2))
    else:
        print(_stats_table(tallies))
    incomplete = [lang for lang, tally in tallies.items() if not tally.safety_complete]
    for lang in incomplete:
        print(f"leaflet-gen: error: {lang}: safety-critical units incomplete", file=sys.stderr)
    return 1 if incomplete else 0


def _stats_table(tallies: dict[str, catalogs.Tally]) -> str:
    lines = [f"{'lang':<6}{'translated':>12}{'fuzzy':>8}{'untransl.':>11}{'obsolete':>10}"
             f"{'words':>14}{'safety':>10}"]
    for lang, t in tallies.items():
        total_words = sum(t.words.values())
        lines.append(f"{lang:<6}{t.units['translated']:>12}{t.units['fuzzy']:>8}"
                     f"{t.units['untranslated']:>11}{t.obsolete:>10}"
                     f"{t.words['translated']:>7}/{total_words:<6}"
                     f"{t.safety['translated']:>5}/{sum(t.safety.values()):<4}")
    return "\n".join(lines)


def _run_check(args: argparse.Namespace) -> int:
    problems = catalogs.check(Project.at(args.project))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("all catalogues pass")
    return 1 if problems else 0


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LeafletError(f"cannot create output folder ({exc.strerror})", folder) from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``leaflet-gen`` command."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"leaflet-gen: error: {exc}", file=sys.stderr)
        return 2
    except LeafletError as exc:
        print(f"leaflet-gen: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("leaflet-gen: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
