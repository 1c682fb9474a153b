"""scripts/neo4j-dev itself: start, status, env and stop of a real server, and its bootstrap."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import psutil
import pytest

from neo4j_server import REPO, SCRIPT, run_neo4j_dev

pytestmark = pytest.mark.neo4j


def test_start_status_env_stop(tmp_path):
    """start prints only the URI; status and env describe the running JVM; stop finds the
    JVM even when the pid file is gone (the macOS bug of the /proc-based version)."""
    home = tmp_path / "server"
    started = run_neo4j_dev(["start", "--home", str(home)], timeout=720)
    assert started.returncode == 0, started.stderr
    assert re.fullmatch(r"bolt://127\.0\.0\.1:\d+\n", started.stdout), started.stdout
    uri = started.stdout.strip()
    password = (home / "password").read_text().strip()
    assert (home / "password").stat().st_mode & 0o777 == 0o600

    status = run_neo4j_dev(["status", "--home", str(home)])
    assert status.returncode == 0, status.stderr
    fields = dict(line.split(": ", 1) for line in status.stdout.splitlines()[1:])
    assert status.stdout.splitlines()[0] == "running"
    assert fields["uri"] == uri and fields["home"] == str(home) and fields["bolt"] == "answering"
    assert (fields["tls"], fields["gds"]) == ("off", "off")
    jvm = psutil.Process(int(fields["pid"]))
    cmdline = jvm.cmdline()
    assert "dev.graphmodel.neo4j.DevServer" in cmdline
    assert cmdline[cmdline.index("--home") + 1] == str(home)
    assert password not in " ".join(cmdline)  # the password travels in the environment only

    env = run_neo4j_dev(["env", "--home", str(home)])
    assert env.returncode == 0, env.stderr
    assert env.stdout.splitlines() == [
        f"export NEO4J_URI={uri}",
        "export NEO4J_USER=neo4j",
        f"export NEO4J_PASSWORD_FILE={home / 'password'}",
    ]
    assert password not in env.stdout

    (home / "pid").unlink()  # a lost pid file must not hide the JVM
    assert run_neo4j_dev(["status", "--home", str(home)]).stdout.splitlines()[2] == f"pid: {jvm.pid}"
    stopped = run_neo4j_dev(["stop", "--home", str(home)], timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopping pid {jvm.pid}" in stopped.stderr
    assert not jvm.is_running() or jvm.status() == psutil.STATUS_ZOMBIE

    after = run_neo4j_dev(["status", "--home", str(home)])
    assert (after.returncode, after.stdout) == (3, f"not running (home {home})\n")
    not_running_env = run_neo4j_dev(["env", "--home", str(home)])
    assert (not_running_env.returncode, not_running_env.stdout) == (3, "")
    again = run_neo4j_dev(["stop", "--home", str(home)])
    assert (again.returncode, again.stderr) == (0, "neo4j-dev: not running\n")


def test_runs_from_the_project_venv_when_psutil_is_missing(tmp_path):
    """Started by a Python without psutil/filelock (here: -S, no site-packages), the
    script re-runs itself with .venv/bin/python and answers as usual."""
    command = [sys.executable, "-S", str(SCRIPT), "status", "--home", str(tmp_path)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={k: v for k, v in os.environ.items() if k != "NEO4J_DEV_BOOTSTRAPPED"})
    assert (proc.returncode, proc.stdout) == (3, f"not running (home {tmp_path})\n"), proc.stderr
    # If even the venv cannot import them, one clear line instead of a traceback.
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "NEO4J_DEV_BOOTSTRAPPED": "setup-done"})
    assert proc.returncode == 1
    assert proc.stderr == ("neo4j-dev: error: filelock is not importable even from "
                           f"{REPO / '.venv' / 'bin' / 'python'}; run scripts/setup\n")
