"""What imports what: in a fresh interpreter, and in a module's source (a plain module the tests share)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from paths import REPO


def modules_after(code: str) -> set[str]:
    """The modules a new interpreter, started in the repository, holds after running ``code``."""
    code += "\nimport json as _json, sys as _sys\nprint(_json.dumps(sorted(_sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def within(modules: set[str], *packages: str) -> set[str]:
    """Those of ``modules`` that are one of ``packages`` or inside one."""
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def imports_of(path: Path) -> set[str]:
    """Every module the source file ``path`` (under the repository) imports, wherever the
    statement is (one inside a function too), relative imports made absolute; a name
    imported from a module counts as ``module.name``."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            out |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
    return out
