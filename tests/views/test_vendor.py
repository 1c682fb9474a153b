"""vis-network comes from graphmodel/views/vendor/: pinned by sha256, licensed, and what pages inline."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graphmodel.model import Agency, Dataset
from graphmodel.views import render_view
from graphmodel.views.html import ViewAssetError, vis_network
from paths import REPO

VENDOR = REPO / "graphmodel" / "views" / "vendor"
RECORD = json.loads((VENDOR / "vis-network.json").read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["vis-network.min.js", "vis-network.min.css", "LICENSE-APACHE-2.0",
                                  "LICENSE-MIT"])
def test_vendored_file_has_its_recorded_sha256(name):
    assert sha256(VENDOR / name) == RECORD["files"][name]["sha256"]


def test_record_names_the_package_version_and_licence():
    assert (RECORD["package"], RECORD["license"]) == ("vis-network", "(Apache-2.0 OR MIT)")
    assert re.fullmatch(r"\d+\.\d+\.\d+", RECORD["version"])
    assert RECORD["tarball"]["name"] == f"vis-network-{RECORD['version']}.tgz"
    # the published file itself says which version it is
    assert f"@version {RECORD['version']}\n" in (VENDOR / "vis-network.min.js").read_text(encoding="utf-8")[:400]


def test_licence_texts_are_the_two_licences():
    assert (VENDOR / "LICENSE-MIT").read_text(encoding="utf-8").startswith("The MIT License (MIT)")
    apache = (VENDOR / "LICENSE-APACHE-2.0").read_text(encoding="utf-8")
    assert "Apache License" in apache[:200] and "Version 2.0, January 2004" in apache[:300]


def test_readme_states_the_same_version_and_hashes():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"`vis-network` **{RECORD['version']}**" in readme
    rows = dict(re.findall(r"^\| `([^`]+)` \| `[^`]+` \| `([0-9a-f]{64})` \|$", readme, re.M))
    assert rows == {name: sha256(VENDOR / name) for name in RECORD["files"]}
    assert RECORD["tarball"]["sha256"] in readme and RECORD["tarball"]["integrity"] in readme


class _Page(HTMLParser):
    """The text of each <script> and <style> element, and the CSP meta tag."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.csp = ""
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._into = self.scripts if tag == "script" else self.styles
            self._into.append("")
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy":
            self.csp = dict(attrs)["content"]

    def handle_endtag(self, tag):
        self._into = None

    def handle_data(self, data):
        if self._into is not None:
            self._into[-1] += data


def test_page_inlines_exactly_the_vendored_asset():
    page = _Page()
    page.feed(render_view(Dataset(agencies=[Agency(id="a", name="x", kind="provincial")]).to_graph(), []))
    js = (VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VENDOR / "vis-network.min.css").read_text(encoding="utf-8")
    assert page.scripts[1] == js  # [0] is the data block, [2] the view's own script
    assert sum(style.count(css) for style in page.styles) == 1
    # the CSP lets that very script run, by its hash
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in page.csp.split("script-src ")[1].split(";")[0]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vendor"
    shutil.copytree(VENDOR, folder)
    return folder


def test_an_altered_asset_is_refused(tmp_path):
    folder = _copy(tmp_path)
    js = folder / "vis-network.min.js"
    js.write_bytes(js.read_bytes() + b"\n")
    with pytest.raises(ViewAssetError) as err:
        vis_network(folder)
    assert str(err.value) == (
        f"{js} is not vis-network {RECORD['version']} as published: sha256 {sha256(js)}, recorded "
        f"{RECORD['files']['vis-network.min.js']['sha256']}; reinstall graphmodel, or restore the files "
        f"with scripts/update-vis-network --version {RECORD['version']}")


def test_a_missing_asset_is_refused(tmp_path):
    folder = _copy(tmp_path)
    (folder / "vis-network.min.css").unlink()
    with pytest.raises(ViewAssetError) as err:
        vis_network(folder)
    message = str(err.value)
    assert message.startswith(f"vis-network is missing from {folder} (")
    assert "vis-network.min.css" in message
    assert message.endswith("reinstall graphmodel, or restore the files with scripts/update-vis-network "
                            "--version VERSION")


def test_the_copy_as_vendored_is_accepted(tmp_path):
    version, js, css = vis_network(_copy(tmp_path))
    assert (version, js, css) == (RECORD["version"], (VENDOR / "vis-network.min.js").read_text(encoding="utf-8"),
                                  (VENDOR / "vis-network.min.css").read_text(encoding="utf-8"))


def test_a_version_npm_does_not_have_is_one_line_not_a_traceback(tmp_path):
    """npm itself is replaced by a script printing what npm 10 printed for ``npm pack
    vis-network@9.1.14`` (no such version): the point is how the script reports npm's failure."""
    import os
    import subprocess
    import sys

    npm = tmp_path / "npm"
    npm.write_text("#!/bin/sh\n"
                   "echo 'npm error code ETARGET' >&2\n"
                   "echo 'npm error notarget No matching version found for vis-network@9.1.14.' >&2\n"
                   "printf '%s\\n' '{\"error\": {\"code\": \"ETARGET\", "
                   "\"summary\": \"No matching version found for vis-network@9.1.14.\"}}'\n"
                   "exit 1\n", encoding="utf-8")
    npm.chmod(0o755)
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "update-vis-network"), "--version", "9.1.14"],
                          capture_output=True, text=True, env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"})
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("update-vis-network: npm could not fetch vis-network@9.1.14: "
                           "No matching version found for vis-network@9.1.14.\n")
    assert sha256(VENDOR / "vis-network.min.js") == RECORD["files"]["vis-network.min.js"]["sha256"]  # untouched
