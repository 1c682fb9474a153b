"""Paths the tests share (a plain module: conftest files are not for importing)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seed" / "nst-2006"
SEED_COORDINATED = REPO / "seed" / "nst-2006-coordinated"
