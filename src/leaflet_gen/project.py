"""The content folder a command works on: its leaflets, exercises, catalogues and clinics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

SOURCE_LANG = "da"
UI_DOMAIN = "ui"
EXERCISES_DOMAIN = "exercises"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"


@dataclass(frozen=True)
class Project:
    """A clinic's content folder (the current directory by default)."""

    root: Path

    @classmethod
    def at(cls, root: Path | str = ".") -> Project:
        path = Path(root).resolve()
        if not (path / "leaflets").is_dir():
            raise SourceError("not a leaflet-gen project (no leaflets/ folder)", path)
        return cls(path)

    @property
    def leaflets_dir(self) -> Path:
        return self.root / "leaflets"

    @property
    def exercises_dir(self) -> Path:
        return self.leaflets_dir / "exercises"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    def leaflet_paths(self) -> list[Path]:
        """Every leaflet source in the project, sorted by id."""
        return sorted(self.leaflets_dir.glob("*.md"))

    def languages(self) -> list[str]:
        """Languages that have a catalogue folder, sorted (the source language excluded)."""
        if not self.locales_dir.is_dir():
            return []
        return sorted(
            p.name
            for p in self.locales_dir.iterdir()
            if (p / "LC_MESSAGES").is_dir() and p.name != SOURCE_LANG
        )

    def find_leaflet(self, name: str) -> Path:
        """Resolve a LEAFLET argument: an id in leaflets/ or a path to a Markdown file."""
        candidate = self.leaflets_dir / f"{name}.md"
        if "/" not in name and not name.endswith(".md") and candidate.is_file():
            return candidate
        path = Path(name)
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_file():
            return path.resolve()
        known = ", ".join(p.stem for p in self.leaflet_paths()) or "none"
        raise SourceError(f"no such leaflet (known ids: {known})", name)

    def asset_roots(self) -> tuple[Path, ...]:
        """Folders a document may load files from (besides fonts and clinic logos): the
        stylesheets, the project's leaflets and the exercise pictures drawn from its data."""
        from .illustrations import figure_folder

        return (STATIC_DIR, self.leaflets_dir, figure_folder())


def catalog_path(locales_dir: Path, lang: str, domain: str) -> Path:
    """Where the gettext catalogue of one language and domain lives."""
    return locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
