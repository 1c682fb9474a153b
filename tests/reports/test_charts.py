"""graphmodel/reports/charts.py on a fresh machine: the Thai font is found however matplotlib's
font cache was made, and a machine without one gets one line, not a warning per Thai letter.

Each case runs in a child process with its own ``MPLCONFIGDIR`` (matplotlib's
font cache lives there):

- ``empty``: no cache yet, matplotlib builds it (it asks fontconfig);
- ``stale``: a cache built before the Thai fonts were installed, as on the
  machine where ``scripts/setup`` ran the library before ``scripts/test``
  installed ``fonts-noto-core`` (the cache made here, with its Thai entries
  taken out: what matplotlib wrote when they were not there);
- ``none``: that stale cache, and fontconfig pointed at an empty font
  folder (``FONTCONFIG_FILE``): no Thai font anywhere.

The Thai font itself must be installed (scripts/test installs
fonts-noto-core); the test fails, never skips, when it is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paths import SEED

CHART = """
import warnings, sys
from graphmodel.reports.charts import bar_chart, chart_fonts, font_note
svg = bar_chart(["8012 ปากพนัง (Pak Phanang)"], [0.5], ["50 %"], title="t", axis="a", percent=True)
print(chart_fonts()[0])
print(font_note())
"""


def _child(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def _environment(tmp_path: Path, case: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "FONTCONFIG_FILE")}
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    (tmp_path / "mpl").mkdir()
    if case == "empty":
        return env
    built = _child("import matplotlib.font_manager", env)
    assert built.returncode == 0, built.stderr
    [cache] = (tmp_path / "mpl").glob("fontlist-*.json")
    fonts = json.loads(cache.read_text(encoding="utf-8"))
    fonts["ttflist"] = [f for f in fonts["ttflist"] if "Thai" not in f["name"]]
    cache.write_text(json.dumps(fonts), encoding="utf-8")
    if case == "none":
        (tmp_path / "no-fonts").mkdir()
        (tmp_path / "fonts.conf").write_text(
            f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "no-fonts"}</dir>'
            f'<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>', encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(tmp_path / "fonts.conf")
    return env


def test_noto_sans_thai_is_installed():
    listed = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True, check=True)
    assert "Noto Sans Thai" in listed.stdout, "install fonts-noto-core (scripts/test does)"


@pytest.mark.parametrize("case", ["empty", "stale"])
def test_the_thai_font_is_found_however_the_cache_was_made(tmp_path, case):
    done = _child(CHART, _environment(tmp_path, case))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Noto Sans Thai\nNone\n"
    assert "Glyph" not in done.stderr


def test_no_thai_font_is_one_line_not_a_warning_per_letter(tmp_path):
    env = _environment(tmp_path, "none")
    done = _child(CHART, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] in ("Noto Sans", "DejaVu Sans") and "no Thai font is installed" in done.stdout
    assert "Glyph" not in done.stderr
    report = _child("from graphmodel.cli import main; main()", env, "report", str(SEED), "--province", "80",
                    "-o", str(tmp_path / "r.html"))
    assert report.returncode == 0, report.stderr
    assert report.stderr == ("Note: no Thai font is installed here, so the charts' Thai labels were measured "
                             "without Thai letters and may not fit; install one (Debian/Ubuntu: apt-get install "
                             "fonts-noto-core) and run again\n")
