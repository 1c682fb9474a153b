"""What a fresh Python interpreter imports (a plain module the tests share)."""

from __future__ import annotations

import json
import subprocess
import sys

from paths import REPO


def modules_after(code: str) -> set[str]:
    """The modules a new interpreter, started in the repository, holds after running ``code``."""
    code += "\nimport json as _json, sys as _sys\nprint(_json.dumps(sorted(_sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def within(modules: set[str], *packages: str) -> set[str]:
    """Those of ``modules`` that are one of ``packages`` or inside one."""
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}
