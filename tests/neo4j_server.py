"""Start/stop a real local Neo4j 5.26 server for tests (not a test module).

Thin wrapper around ``scripts/neo4j-dev`` (see tools/neo4j/README.md), meant
for pytest fixtures, e.g.::

    @pytest.fixture(scope="session")
    def neo4j_server(tmp_path_factory):
        home = tmp_path_factory.mktemp("neo4j")
        uri, password = start_server(home)
        yield uri, password
        stop_server(home)

Each distinct ``home`` is an independent server (own data, port, password),
so several can run at once.  The password is ``NEO4J_PASSWORD`` from the
environment if set, else one generated and kept in ``<home>/password``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "neo4j-dev"


class Neo4jServerError(RuntimeError):
    """scripts/neo4j-dev failed; the message carries its stderr."""


#: Set by ``scripts/test --quick``: a test that would start a server there is not marked neo4j.
QUICK = "GRAPHMODEL_TEST_QUICK"


def run_neo4j_dev(args: list[str], timeout: float = 60.0, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/neo4j-dev ARGS`` with this Python; stdout and stderr captured as text."""
    if os.environ.get(QUICK) and args[:1] in (["start"], ["import"]):
        raise AssertionError(f"scripts/test --quick starts no server; mark this test neo4j (neo4j-dev {args[0]})")
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def start_server(
    home: Path,
    port: int | None = None,
    *,
    timeout: float = 120.0,
    heap: str | None = None,
    tls: bool = False,
    gds: bool = False,
) -> tuple[str, str]:
    """Start (or reuse) the server whose state lives in ``home``.

    Returns ``(uri, password)``, e.g. ``("bolt://127.0.0.1:7687", "...")``, or with
    ``tls=True`` (Bolt over TLS only, self-signed) ``("bolt+ssc://127.0.0.1:N", "...")``;
    ``gds=True`` adds the Graph Data Science plugin.
    Builds tools/neo4j with Maven first if needed (allow for that on a cold
    checkout: the ``timeout`` here only bounds the wait for Bolt; the whole
    call is bounded by ``timeout`` plus 600 s for the build).
    """
    home = Path(home).resolve()
    args = ["start", "--home", str(home), "--timeout", str(timeout)]
    if port is not None:
        args += ["--port", str(port)]
    if heap is not None:
        args += ["--heap", heap]
    args += ["--tls"] * tls + ["--gds"] * gds
    proc = run_neo4j_dev(args, timeout=timeout + 600)
    if proc.returncode != 0:
        raise Neo4jServerError(f"scripts/neo4j-dev start failed (exit {proc.returncode}):\n{proc.stderr}")
    uri = proc.stdout.strip().splitlines()[-1]
    password = (home / "password").read_text().strip()
    return uri, password


def stop_server(home: Path, *, timeout: float = 60.0) -> None:
    """Stop the server of ``home`` (SIGTERM, SIGKILL after ``timeout``); no-op if not running."""
    proc = run_neo4j_dev(["stop", "--home", str(Path(home).resolve()), "--timeout", str(timeout)], timeout=timeout + 30)
    if proc.returncode != 0:
        raise Neo4jServerError(f"scripts/neo4j-dev stop failed (exit {proc.returncode}):\n{proc.stderr}")


def server_pid(home: Path) -> int | None:
    """Pid of the running server of ``home`` (e.g. to SIGKILL it mid-load in a test), else None."""
    proc = run_neo4j_dev(["status", "--home", str(Path(home).resolve())], timeout=30)
    if proc.returncode != 0:
        return None
    for line in proc.stdout.splitlines():
        if line.startswith("pid: "):
            return int(line.split(": ", 1)[1])
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_running(home: Path) -> bool:
    return run_neo4j_dev(["status", "--home", str(Path(home).resolve())], timeout=30).returncode == 0


__all__ = ["Neo4jServerError", "free_port", "is_running", "run_neo4j_dev", "server_pid", "start_server", "stop_server"]

if __name__ == "__main__":  # manual smoke test: python tests/neo4j_server.py HOME
    _home = Path(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, ".neo4j-dev"))
    print(start_server(_home)[0])
