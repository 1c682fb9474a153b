"""Real headless Chromium for the view tests (Debian's /usr/bin/chromium via Playwright).

The browser is launched the way ``scripts/screenshot.py`` launches it, and
never downloaded. If Chromium cannot start, the tests fail; they never skip.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
from paths import REPO

sys.path.insert(0, str(REPO / "scripts"))
from screenshot import CHROMIUM, launch, wait_for_view  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    import os

    from playwright.sync_api import sync_playwright

    from neo4j_server import QUICK

    assert not os.environ.get(QUICK), "scripts/test --quick starts no browser; mark this test browser"

    manager = sync_playwright().start()
    try:
        chromium = launch(manager)
    except Exception as exc:  # noqa: BLE001 - any start failure is a failed test, never a skip
        manager.stop()
        pytest.fail(f"could not start headless Chromium at {CHROMIUM}: {exc}")
    yield chromium
    chromium.close()
    manager.stop()


@dataclass
class LoadedView:
    """A view page loaded in Chromium, with everything it asked for or complained about."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_view(browser) -> Callable[..., LoadedView]:
    """Open a view file in a fresh browser context and wait for its own "stable" state (no clock)."""
    contexts = []

    def _open(path: Path, *, width: int = 1400, height: int = 860) -> LoadedView:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        loaded = LoadedView(page, path.resolve().as_uri())
        page.on("request", lambda r: loaded.requests.append(r.url))
        page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: loaded.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: loaded.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.goto(loaded.url)
        wait_for_view(page)
        return loaded

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
