"""The project's one exception family; the CLI turns these into one-line messages."""

from __future__ import annotations

from pathlib import Path


class LeafletError(Exception):
    """Base of every error leaflet-gen reports to its user (exit code 1)."""

    def __init__(self, message: str, path: Path | str | None = None):
        self.path = Path(path) if path is not None else None
        super().__init__(message)

    def __reduce__(self):  # keeps the path when the error crosses a process boundary
        return (self.__class__, (super().__str__(), self.path))

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message


class SourceError(LeafletError):
    """A leaflet, exercise or clinic file is missing or malformed."""


class TranslationError(LeafletError):
    """A catalogue is missing, incomplete, fuzzy, stale or inconsistent."""


class CatalogueError(TranslationError):
    """A catalogue file is broken (unreadable, bad Plural-Forms, a broken placeholder): its
    language fails, also in a build that did not ask for it by name."""


class SafetyGapError(TranslationError):
    """A safety-critical unit has no usable translation: the language is withheld."""


class RenderError(LeafletError):
    """HTML or PDF production failed (fonts, assets, output folder)."""


class UsageError(LeafletError):
    """Options that contradict each other or name nothing (exit code 2)."""
