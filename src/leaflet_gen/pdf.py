"""Stage 5: HTML to PDF with WeasyPrint, shipped fonts only, and a locked resource fetcher."""

from __future__ import annotations

import atexit
import logging
import mimetypes
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import editions, hyphenation, prepress, tagging
from .errors import RenderError
from .fonts import FontSet, pin_fontconfig, prepare_fonts
from .model import Options
from .startup import import_weasyprint

# WeasyPrint's note that it subsets with fontTools when HarfBuzz-Subset is absent is about
# speed only (the fonts are pre-cut in fonts.py); it changes nothing in the output.
_HARMLESS = ("Using fontTools instead of HarfBuzz-Subset",)
REPRODUCIBLE_EPOCH = "315532800"  # 1980-01-01, the usual reproducible-builds stamp


@contextmanager
def _weasyprint_warnings():
    """Collect WeasyPrint's warnings: a missing glyph or asset is an error, not a shrug."""
    records: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if not message.startswith(_HARMLESS):
                records.append(message)

    logger = logging.getLogger("weasyprint")
    handler = Collector(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def weasyprint_module(fonts: FontSet | None = None):
    """WeasyPrint, imported on first use after pinning fontconfig to the shipped fonts."""
    loaded = sys.modules.get("weasyprint")
    if loaded:  # every later call, several per document: nothing to pin or look up again
        tagging.install(loaded)
        return loaded
    pin_fontconfig(fonts or prepare_fonts())
    # fontTools stamps subset fonts with the current time unless this is set: a fixed stamp
    # keeps identical inputs giving byte-identical PDFs.
    os.environ.setdefault("SOURCE_DATE_EPOCH", REPRODUCIBLE_EPOCH)
    weasyprint = import_weasyprint()
    tagging.install(weasyprint)
    return weasyprint


def locked_fetcher(roots: tuple[Path, ...]):
    """A URL fetcher serving ``data:`` URIs and files inside ``roots``; nothing else."""
    weasyprint = weasyprint_module()
    resolved_roots = tuple(root.resolve() for root in roots)

    class LockedFetcher(weasyprint.URLFetcher):
        def __init__(self):
            super().__init__(
                allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True
            )

        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise RenderError(f"refused to fetch {url} (only project assets are loaded)")
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in resolved_roots):
                raise RenderError(f"refused to read {path} (outside the project's asset folders)")
            if not path.is_file():
                raise RenderError(f"asset not found: {path}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": mime}
            )

    return LockedFetcher()


def html_to_pdf(html: str, base: Path, roots: tuple[Path, ...], **options) -> bytes:
    """Render an HTML string to PDF bytes; any warning from WeasyPrint is an error."""
    return write_pdf(render_document(html, base, roots, **options), **options)


def render_document(html: str, base: Path, roots: tuple[Path, ...], **options):
    """Lay an HTML string out into pages (a WeasyPrint ``Document``).

    ``options`` are WeasyPrint's (``pdf_variant``, ``output_intent``…): a PDF variant's
    defaults are applied at layout time, so they are given here and again to :func:`write_pdf`.
    """
    fonts = prepare_fonts()
    weasyprint = weasyprint_module(fonts)
    fetcher = locked_fetcher((*roots, fonts.folder))
    font_config, images = _process_caches()
    with _strict(weasyprint):
        document = weasyprint.HTML(string=html, base_url=base.as_uri(), url_fetcher=fetcher)
        return document.render(font_config=font_config, cache=images, **options)


_PROCESS_CACHES: dict[int, tuple] = {}  # by process id: a forked worker makes its own


def _process_caches() -> tuple:
    """One font configuration and one image cache per process: a worker building document
    after document registers the fonts and decodes the illustrations once."""
    pid = os.getpid()
    if pid not in _PROCESS_CACHES:
        from weasyprint.text.fonts import FontConfiguration

        atexit.register(release)
        _PROCESS_CACHES[pid] = (FontConfiguration(), {})
    return _PROCESS_CACHES[pid]


def release() -> None:
    """Delete the temporary font copies WeasyPrint made for this process (its own clean-up runs
    only when the configuration is garbage-collected, which a quick exit skips)."""
    caches = _PROCESS_CACHES.pop(os.getpid(), None)
    folder = getattr(caches[0], "_folder", None) if caches else None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def write_pdf(document, **options) -> bytes:
    """Serialise laid-out pages to PDF bytes (with :mod:`.tagging`'s repairs, and a PDF/X's
    :mod:`.prepress` finish)."""
    if options.get("pdf_variant") == "pdf/x-4":
        options["finisher"] = prepress.finish
    options.setdefault("pdf_identifier", True)  # the trailer /ID: a hash of the content
    with _strict(weasyprint_module()):
        return document.write_pdf(**options)


@contextmanager
def _strict(weasyprint):
    """Turn WeasyPrint's warnings and refused fetches into :class:`RenderError`."""
    with _weasyprint_warnings() as warnings:
        try:
            yield
        except weasyprint.urls.FatalURLFetchingError as exc:
            raise RenderError(str(exc.__cause__ or exc)) from None
        except OSError as exc:  # WeasyPrint copies fonts to TMPDIR; a full disk ends here
            where = exc.filename or tempfile.gettempdir()
            raise RenderError(f"cannot write temporary files ({exc.strerror})", where) from None
    if warnings:
        raise RenderError(f"rendering problem: {warnings[0]}")


PENDING: set[str] = set()  # temporary files being written now, removed if the process is stopped


def write_atomically(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` through a temporary file, so no half file is ever left."""
    folder = target.parent
    if not folder.is_dir():
        raise RenderError("output folder does not exist", folder)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise RenderError(f"cannot write to the output folder ({exc.strerror})", folder) from None
    PENDING.add(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise RenderError(f"cannot write output ({exc.strerror})", target) from None
    except BaseException:  # interrupted: no half file either
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        PENDING.discard(temporary)


def remove_pending() -> None:
    """Delete the temporary files of writes under way (a process stopped by a signal)."""
    for temporary in list(PENDING):
        with suppress(OSError):
            os.unlink(temporary)


@dataclass(frozen=True)
class Prepared:
    """One document up to its HTML: everything the PDF stage needs (and picklable)."""

    lang: str
    html: str
    notes_html: str  # the booklet's padding page, when the edition is a booklet
    right_to_left: bool
    roots: tuple[Path, ...]  # folders the document may load files from
    options: Options


def render_pdf(prepared: Prepared, base: Path) -> bytes:
    """The PDF of a prepared document, in its edition (``base``: where relative URLs start)."""
    hyphenation.preload(prepared.lang)
    edition = prepared.options.edition
    pdf_options = editions.pdf_options(edition)
    document = render_document(prepared.html, base, prepared.roots, **pdf_options)
    if edition != "booklet":
        return write_pdf(document, **pdf_options)
    padding = editions.padding_needed(len(document.pages))
    if padding:
        notes = render_document(prepared.notes_html, base, prepared.roots)
        document = document.copy(document.pages + notes.pages * padding)
    return editions.impose(write_pdf(document), prepared.right_to_left)


def finish_document(prepared: Prepared, base: Path) -> bytes:
    """The HTML bytes, or the rendered PDF, of a prepared document."""
    if prepared.options.format == "html":
        return prepared.html.encode("utf-8")
    return render_pdf(prepared, base)
