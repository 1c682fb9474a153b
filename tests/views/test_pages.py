"""Writing a view's pages (graphmodel/views/pages.py:write_view), without a browser: the
detailed pages first and the page last, and the detailed pages an earlier run left for
places the page no longer links to removed (through graphmodel.outputs.remove_stale),
the user's own files left alone."""

from __future__ import annotations

from graphmodel.views.pages import write_view


def test_a_second_write_removes_the_detail_pages_it_no_longer_links(tmp_path):
    path, folder = tmp_path / "view.html", tmp_path / "view.files"
    written = write_view(path, {"": lambda: "page 1",
                                "view.files/tambon-801208.html": lambda: "Hu Long",
                                "view.files/district-8012.html": lambda: "Pak Phanang"})
    assert written == [folder / "tambon-801208.html", folder / "district-8012.html", path]  # the page last
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "tambon-802103.html.bak").write_text("mine too", encoding="utf-8")  # not a detailed page's name

    write_view(path, {"": lambda: "page 2", "view.files/tambon-801208.html": lambda: "Hu Long 2"})
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "tambon-801208.html", "tambon-802103.html.bak"]
    assert (path.read_text(encoding="utf-8"), (folder / "tambon-801208.html").read_text(encoding="utf-8")) == (
        "page 2", "Hu Long 2")

    # A detailed view written over an aggregated one links to no detailed page: none stays.
    write_view(path, {"": lambda: "page 3"})
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "tambon-802103.html.bak"]
