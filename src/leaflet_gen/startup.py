"""Importing WeasyPrint quickly: what every process would work out again, kept per machine.

Two answers are the same in every process on a machine and cost a cold process about 0.4 s:

- **Library look-ups.** WeasyPrint tries several names for each C library (Pango, HarfBuzz…);
  every miss makes ``ctypes.util.find_library`` run gcc, ld and ldconfig (about 0.25 s). The
  answers are kept as JSON, keyed by the dynamic linker's cache, so a library installed later
  is found.
- **C declarations.** WeasyPrint declares its C functions to cffi in "in-line" mode, which parses
  400 lines of C with pycparser on import, and parses every type string again the first time
  ``ffi.new("PangoRectangle *")`` and friends see it (about 0.15 s). cffi's "out-of-line" mode
  parses once and keeps the result as a small Python module of cffi's own making; it is kept
  here, keyed by the declarations' hash and cffi's version, and WeasyPrint's ``ffi`` is built
  from it. Calls, types and the PDFs are the same; if it cannot be made, the in-line way is used.

Nothing stored here is run as code: the module is parsed and only the literal arguments of its
one ``_cffi_backend.FFI(...)`` call are read (anything else in the file counts as damage and the
declarations are parsed again). Library paths are opened by the dynamic linker, so the folder is
used only when no other user could have written it (:func:`leaflet_gen.fonts.cache_root`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import contextmanager, suppress
from pathlib import Path

from .fonts import cache_root, keep_in_cache

_DECLARING_MODULE = "weasyprint.text.ffi"  # the one module of WeasyPrint that calls cffi.FFI()


def import_weasyprint():
    """``import weasyprint`` with remembered library look-ups and precompiled declarations."""
    with _remembered_library_lookups(), _precompiled_declarations():
        import weasyprint

    return weasyprint


@contextmanager
def _remembered_library_lookups():
    import ctypes.util

    path = cache_root() / f"libraries-{_linker_stamp()}.json"
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    original, learned = ctypes.util.find_library, {}

    def find_library(name: str) -> str | None:
        if name not in known:
            known[name] = learned[name] = original(name)
        return known[name]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
    if learned:
        keep_in_cache(json.dumps(known, sort_keys=True).encode(), path)


def _linker_stamp() -> str:
    try:
        stat = os.stat("/etc/ld.so.cache")
        seen = f"{stat.st_mtime_ns}:{stat.st_size}"
    except OSError:
        seen = "none"
    paths = [os.environ.get(name, "") for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")]
    key = "|".join([seen, *paths])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@contextmanager
def _precompiled_declarations():
    """While active, ``cffi.FFI()`` called by WeasyPrint's ffi module gives a precompiled FFI."""
    import cffi

    original = cffi.FFI

    def make_ffi(*args, **kwargs):
        caller = sys._getframe(1).f_globals.get("__name__")
        if caller == _DECLARING_MODULE and not args and not kwargs:
            return _PrecompiledFFI()
        return original(*args, **kwargs)

    cffi.FFI = make_ffi
    try:
        yield
    finally:
        cffi.FFI = original


class _PrecompiledFFI:
    """Stands in for ``cffi.FFI()``: ``cdef`` loads (or makes once) the out-of-line module.

    Its FFI's methods are copied in, so ``ffi.new`` and friends go straight to cffi's C
    backend; anything else (``NULL``, ``errno``…) is read from that FFI when asked for.
    """

    def cdef(self, source: str, **options) -> None:
        self._ffi = _out_of_line_ffi(source, options)
        for name in dir(self._ffi):
            value = getattr(self._ffi, name)
            if callable(value) and not name.startswith("__"):
                setattr(self, name, value)

    def __getattr__(self, name: str):
        ffi = self.__dict__.get("_ffi")
        if ffi is None:
            raise AttributeError(name)
        return getattr(ffi, name)


def _out_of_line_ffi(source: str, options: dict):
    """The stored module's FFI; on a miss (or a damaged file) parse in-line and store it."""
    import _cffi_backend

    key = f"{_cffi_backend.__version__}\0{sorted(options.items())}\0{source}"
    name = f"ffi_{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    path = cache_root() / "cffi" / f"{name}.py"
    with suppress(Exception):  # missing or damaged: made again below
        return _stored_ffi(name, path)
    inline = _inline_ffi(source, options)
    with suppress(Exception):  # the speed-up is optional; WeasyPrint's own way still works
        keep_in_cache(_generated_module(inline, name), path)
    return inline


def _generated_module(builder, name: str) -> bytes:
    import contextlib
    import io
    import tempfile

    builder.set_source(name, None)
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / f"{name}.py"
        with contextlib.redirect_stdout(io.StringIO()):  # cffi prints "generating …"
            builder.emit_python_code(str(generated))
        return generated.read_bytes()


def _inline_ffi(source: str, options: dict):
    import cffi.api

    ffi = cffi.api.FFI()
    ffi.cdef(source, **options)
    return ffi


def _stored_ffi(name: str, path: Path):
    """The FFI a stored module describes, read as data: the module is never executed."""
    import ast

    import _cffi_backend

    call = None
    for node in ast.parse(path.read_bytes()).body:
        if isinstance(node, ast.Import) and [a.name for a in node.names] == ["_cffi_backend"]:
            continue
        if call is None and isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            names = [ast.unparse(t) for t in node.targets]
            if names == ["ffi"] and ast.unparse(node.value.func) == "_cffi_backend.FFI":
                call = node.value
                continue
        raise ValueError(f"unexpected statement in {path}")
    if call is None or [ast.literal_eval(a) for a in call.args] != [name]:
        raise ValueError(f"no declarations in {path}")
    options = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    return _cffi_backend.FFI(name, **options)
