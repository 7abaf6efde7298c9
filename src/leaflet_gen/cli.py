"""The command line: a thin edge that turns LeafletError into one line on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import FORMATS, Options, build_one, prepare_leaflet
from .errors import LeafletError, UsageError
from .project import Project


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
    build.set_defaults(run=_run_build)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    project = Project.at(args.project)
    paths = [project.find_leaflet(name) for name in args.leaflets] or project.leaflet_paths()
    out = Path(args.out)
    _make_folder(out)
    options = Options(format=args.format)
    for path in paths:
        leaflet = prepare_leaflet(project, path)
        target = build_one(project, leaflet, "da", out, options)
        print(target)
    return 0


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
