"""notebooks/view.ipynb: valid nbformat 4 JSON whose cell builds the Kalo view.

The cell runs as it is, without a kernel: its last line is the page Jupyter shows,
through the page's ``_repr_html_``.
"""

from __future__ import annotations

import html
import json

from paths import REPO

NOTEBOOK = REPO / "notebooks" / "view.ipynb"


def test_notebook_cell_builds_the_kalo_view(monkeypatch):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and code[0]["outputs"] == [] and code[0]["execution_count"] is None
    assert all("id" in c and isinstance(c["source"], list) for c in nb["cells"])

    monkeypatch.chdir(REPO / "notebooks")
    *body, last = "".join(code[0]["source"]).rstrip().split("\n")
    scope: dict = {}
    exec("\n".join(body), scope)  # noqa: S102 - the project's own notebook
    markup = eval(last, scope)._repr_html_()  # noqa: S307 - its last line, the shown value

    assert markup.startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;')
    page = html.unescape(markup.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert "<title>graphmodel: tambon 802103 กะหรอ (Karo)</title>" in page
    assert '"id": "missing0"' in page
