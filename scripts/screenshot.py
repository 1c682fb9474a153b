#!/usr/bin/env python3
"""Screenshot a page written by ``graphmodel view`` or ``graphmodel report``, in headless Chromium.

Usage::

    graphmodel view seed/nst-2006 --tambon 802103 -o /tmp/kalo.html
    python scripts/screenshot.py /tmp/kalo.html docs/images/view-kalo.png
    graphmodel report seed/nst-2006 --province 80 -o /tmp/report.html
    python scripts/screenshot.py --report /tmp/report.html docs/images/report.png

Uses Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) through
Playwright and never downloads a browser; waits for the view's own
"stable" state (layout settled, physics stopped, drawn); a report (``--report``), which has no
script, is shot once loaded. Thai labels need a
Thai font (Debian: ``fonts-noto-core``). The tests import :func:`launch` and :func:`wait_for_view`
from here so they drive the same browser the same way.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def launch(playwright):
    """Headless Chromium from the system, never a downloaded one."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_for_view(page, timeout_ms: int = 120_000) -> None:
    """Wait for the view's own signal that its layout has settled, physics is
    off and the settled layout is drawn (``<body data-state="stable">``).

    The wait is for that event, not for a time; ``timeout_ms`` only bounds
    how long a broken page can hang.
    """
    page.wait_for_selector("body[data-state=stable]", state="attached", timeout=timeout_ms)


def screenshot(html: Path, out: Path, *, width: int = 1400, height: int = 860, report: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(html.resolve().as_uri())  # returns after the load event: a report is complete
            if not report:
                wait_for_view(page)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path, help="a page written by graphmodel view (or report)")
    parser.add_argument("out", type=Path, help="the PNG file to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    parser.add_argument("--report", action="store_true", help="the page is a report (no view to wait for)")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        parser.error(f"no such file: {args.html}")
    screenshot(args.html, args.out, width=args.width, height=args.height, report=args.report)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
