"""Files for people, written whole or not at all: the one atomic writer.

Every file graphmodel writes for a person to open — HTML views, CSV
outputs and import reports (through :mod:`graphmodel.safecsv`), workbooks —
goes through :func:`atomic_file`: the content is written to a temporary
file in the same folder (``.NAME.XXXX.tmp``), flushed to the disk, and
renamed over the target with :func:`os.replace`. A reader sees the old file
or the complete new one, never half a file; a failure (a read-only folder,
a full disk, a missing folder) removes the temporary file, leaves the old
file untouched and raises one :class:`WriteFailed` naming the file, which
the CLI prints as one ``Error:`` line with exit code 2.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "page.html"
>>> write_text(p, "<!DOCTYPE html>")
>>> p.read_text(), sorted(x.name for x in p.parent.iterdir())
('<!DOCTYPE html>', ['page.html'])
>>> write_text(p.parent / "missing" / "x.html", "x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graphmodel.outputs.WriteFailed: .../missing/x.html: cannot write: No such file or directory (is the folder writable, and is there space on the disk?)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Mapping

from .errors import GraphmodelError

__all__ = ["WriteFailed", "atomic_file", "atomic_text", "write_text", "write_texts", "writing",
           "unusable_folder", "atomic_folder", "move_into", "remove_stale"]


class WriteFailed(GraphmodelError):
    """An output file could not be written (read-only folder, full disk, ...).

    ``path`` is the file (or folder) and ``reason`` the system's words.
    Exit code 2: the user must choose another place or free space.

    >>> print(WriteFailed("r.csv", "No space left on device"))
    r.csv: cannot write: No space left on device (is the folder writable, and is there space on the disk?)
    """

    exit_code = 2

    def __init__(self, path: str | Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: cannot write: {reason} (is the folder writable, and is there "
                         "space on the disk?)")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


@contextlib.contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Run the block; an :class:`OSError` in it leaves as :class:`WriteFailed` naming ``path``.

    For writers that put several files in place themselves (e.g.
    :func:`graphmodel.synth.synthesize`, a folder written whole).

    >>> with writing("out"):
    ...     raise PermissionError(13, "Permission denied")
    Traceback (most recent call last):
    ...
    graphmodel.outputs.WriteFailed: out: cannot write: Permission denied (is the folder writable, and is there space on the disk?)
    """
    try:
        yield
    except OSError as exc:
        raise WriteFailed(path, exc.strerror or str(exc)) from exc


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_file(path: str | Path, *, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """Open a temporary file next to ``path``; when the block ends without error, rename it to ``path``.

    Parameters
    ----------
    path : path
        The file to write (replaced if it exists).
    binary : bool
        A binary file (e.g. for a workbook library that writes bytes); else text.
    encoding : str
        For text: ``"utf-8"``, or ``"utf-8-sig"`` for a byte-order mark (Excel
        then shows Thai text in a CSV file). Text is written with ``newline=""``:
        what the caller writes is what the file holds.

    Raises
    ------
    WriteFailed
        On any :class:`OSError` (read-only folder, full disk, missing
        folder); ``path`` is then as it was and no temporary file is left.

    Notes
    -----
    The new file gets the mode a plain ``open()`` would give it (``0666``
    less the umask), not ``mkstemp``'s ``0600``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.bin"
    >>> with atomic_file(p, binary=True) as fh:
    ...     _ = fh.write(b"PK")
    >>> p.read_bytes()
    b'PK'
    """
    path = Path(path)
    tmp: str | None = None
    try:
        with writing(path):
            tmp, opened = _temporary(path, binary=binary, encoding=encoding)
            with opened as fh:
                yield fh
                _to_disk(fh)
            os.replace(tmp, path)
            tmp = None
    finally:
        _discard([tmp] if tmp is not None else [])


def _temporary(path: Path, *, binary: bool = False, encoding: str = "utf-8") -> tuple[str, IO]:
    """A new temporary file next to ``path`` (``.NAME.XXXX.tmp``), open for writing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, _file_mode())
    return tmp, os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline="")


def _to_disk(fh: IO) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def _discard(temporaries: Iterable[str]) -> None:
    for tmp in temporaries:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_text(path: str | Path, *, encoding: str = "utf-8"):
    """:func:`atomic_file` for text (the CSV writers' form)."""
    return atomic_file(path, encoding=encoding)


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path, encoding=encoding) as fh:
        fh.write(text)


def write_texts(files: Mapping[str | Path, str], *, encoding: str = "utf-8") -> None:
    """Write several files that belong together (a report and its charts): all of them or none.

    Every file is written to a temporary file next to it first; only when
    all are written (the step a full disk or a read-only folder stops) are
    they renamed into place, in order. A failure removes the temporary files
    and leaves every file as it was, old ones included, and the
    :class:`WriteFailed` names the file that failed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_texts({folder / "a.svg": "<svg/>", folder / "missing" / "b.md": "x"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphmodel.outputs.WriteFailed: .../missing/b.md: cannot write: ...
    >>> list(folder.iterdir())
    []
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path = Path(path)
            with writing(path):
                tmp, opened = _temporary(path, encoding=encoding)
                written.append((tmp, path))
                with opened as fh:
                    fh.write(text)
                    _to_disk(fh)
        for tmp, path in written:  # renames in one folder take no space
            with writing(path):
                os.replace(tmp, path)
        written = []
    finally:
        _discard(tmp for tmp, _ in written)


def unusable_folder(out: str | Path, force: bool) -> str | None:
    """Why ``out`` cannot receive a new folder's files, or None when it can.

    ``"not a folder"`` when it is a file; ``"not empty"`` when it holds
    anything and ``force`` is not given; the caller words the message.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> unusable_folder(folder, False), unusable_folder(folder + "/new", False)
    (None, None)
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        return "not a folder"
    if out.is_dir() and any(out.iterdir()) and not force:
        return "not empty"
    return None


@contextlib.contextmanager
def atomic_folder(out: str | Path, *, tag: str = "new") -> Iterator[Path]:
    """A temporary folder next to ``out`` to write a folder's files into, all or nothing.

    The caller writes the files into the yielded folder and puts them in
    place with :func:`move_into` before leaving the block. Whatever is still
    in the temporary folder when the block ends (after a failure, all of it)
    is removed, so ``out`` is either as it was or complete.

    Raises
    ------
    WriteFailed
        On any :class:`OSError`, naming the file of ``out`` it was for (a
        :class:`WriteFailed` raised inside the block names its file in ``out``), or ``out``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "files"
    >>> with atomic_folder(out) as tmp:
    ...     _ = (tmp / "a.csv").write_text("h\\r\\nx\\r\\n")
    ...     move_into(tmp, out, ["a.csv"])
    >>> sorted(p.name for p in out.parent.iterdir()), sorted(p.name for p in out.iterdir())
    (['files'], ['a.csv'])
    """
    out = Path(out)
    tmp: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.{tag}-"))
        yield tmp
    except WriteFailed as exc:  # name the file where it was going, not the temporary folder
        raise WriteFailed(out / exc.path.name, exc.reason) from None
    except OSError as exc:
        raise WriteFailed(out, exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def move_into(tmp: Path, out: Path, names: Iterable[str], *,
              stale: Callable[[str], bool] | None = None) -> None:
    """Put the files ``names`` written in ``tmp`` in place in ``out``.

    A new ``out`` is ``tmp`` renamed (one atomic step); into an existing one
    each file is renamed over the old (each file atomic), then the files of
    ``out`` for which ``stale(name)`` holds and that are not among ``names``
    are removed (files an earlier run wrote and this one does not). Other
    files of ``out`` are left alone.
    """
    names = list(names)
    if not out.exists():
        os.rename(tmp, out)
        return
    for name in names:
        os.replace(tmp / name, out / name)
    if stale is not None:
        remove_stale(out, names, stale)


def remove_stale(folder: Path, kept: Iterable[str], stale: Callable[[str], bool]) -> list[str]:
    """Remove the files of ``folder`` an earlier run wrote and this one did not: those whose
    name ``stale(name)`` takes for one of the run's and that are not among ``kept``. Other
    files (a user's notes) are left alone. The names removed, sorted.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("a.csv", "b.csv", "notes.txt"):
    ...     _ = (out / name).write_text("x")
    >>> remove_stale(out, ["a.csv"], lambda name: name.endswith(".csv"))
    ['b.csv']
    >>> sorted(p.name for p in out.iterdir())
    ['a.csv', 'notes.txt']
    """
    kept = set(kept)
    removed = sorted(old.name for old in Path(folder).iterdir() if stale(old.name) and old.name not in kept)
    for name in removed:
        (Path(folder) / name).unlink()
    return removed
