"""Real write faults for tests: a read-only folder and a full disk, in a child process.

Both run the code under test in a forked child, so the limits never touch
the test process itself:

- ``read_only``: the child drops to the ``nobody`` user when it runs as
  root (root writes into a mode-0555 folder regardless), so the folder's
  permissions really refuse the write;
- ``full_disk``: the child's file-size limit (``RLIMIT_FSIZE``) is set
  small and SIGXFSZ ignored, so a write beyond it fails with EFBIG the way
  a full disk fails with ENOSPC: an OSError in the middle of the file.

The child returns the outcome as text: what ``fn`` returned if that is a
string, else ``ok``, or ``ExceptionName: message`` if it raised.
"""

from __future__ import annotations

import os
import resource
import signal
import tempfile
from pathlib import Path
from typing import Callable

NOBODY = 65534


def in_child(fn: Callable[[], object], *, unprivileged: bool = False,
             max_file_bytes: int | None = None) -> str:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read)
            if max_file_bytes is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
            if unprivileged and os.geteuid() == 0:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                returned = fn()
                outcome = returned if isinstance(returned, str) else "ok"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent as text
                outcome = f"{type(exc).__name__}: {exc}"
            os.write(write, outcome.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8")


def read_only_folder() -> Path:
    """A folder nobody but root may write to, reachable by every user (remove it with :func:`remove`)."""
    base = Path(tempfile.mkdtemp(prefix="graphmodel-ro-"))
    base.chmod(0o755)
    folder = base / "read-only"
    folder.mkdir()
    return folder


def seal(folder: Path) -> None:
    folder.chmod(0o555)


def remove(folder: Path) -> None:
    import shutil

    folder.chmod(0o755)
    shutil.rmtree(folder.parent, ignore_errors=True)
