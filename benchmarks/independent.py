"""An independent reading of the overlaps rule, straight from a dataset folder's CSV files.

Written from docs/analysis.md with the standard ``csv`` module only: no
graphmodel reader, model, backend or analysis code. It is indexed (a
dictionary per relation, candidate pairs per tambon from each theme's
programs) so it answers a whole country in a minute or so, where the
brute-force oracle of the tests (tests/analysis/rule_oracle.py) would take
days. ``benchmarks/national.py`` holds ``graphmodel overlaps`` to it at every
size; tests/benchmarks/test_independent.py holds it to the oracle.

It trusts the folder to be valid (run ``graphmodel validate`` first) and
reads it as the contract says (docs/dataset.md): ids as written (ends
stripped), themes separated by ``;``, a year of 2400 or more is Buddhist
Era (minus 543), a coordination link with an empty tambon counts everywhere.

Usage::

    python benchmarks/independent.py DIR      # prints parallel and uncoordinated pair counts
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterator, NamedTuple

__all__ = ["Answer", "read_rule"]


class Answer(NamedTuple):
    """The rule's answer: per tambon the number of parallel pairs, and every uncoordinated pair."""

    parallel: dict[str, int]
    uncoordinated: set[tuple[str, str, str]]


def _rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    path = folder / f"{name}.csv"
    if not path.is_file():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _year(text: str) -> int:
    year = int(text)
    return year - 543 if year >= 2400 else year


def read_rule(folder: Path) -> Answer:
    """Every parallel pair of the folder, counted per tambon, and the uncoordinated ones listed."""
    agencies = {r["id"] for r in _rows(folder, "agencies")}
    groups = {r["id"] for r in _rows(folder, "groups")}
    manager = {r["id"]: r["agency"] for r in _rows(folder, "funds")}
    years: dict[str, tuple[int, int]] = {}
    themes: dict[str, set[str]] = {}
    for r in _rows(folder, "programs"):
        years[r["id"]] = (_year(r["start_year"]), _year(r["end_year"]))
        themes[r["id"]] = {t.strip() for t in r["themes"].split(";") if t.strip()}
    runs: dict[str, set[str]] = defaultdict(set)   # program -> its agencies
    helps: dict[str, set[str]] = defaultdict(set)  # program -> the groups implementing it
    for r in _rows(folder, "funding"):
        runs[r["program"]].add(manager[r["fund"]])
    for r in _rows(folder, "implementation"):
        if r["implementer"] in agencies:
            runs[r["program"]].add(r["implementer"])
        elif r["implementer"] in groups:
            helps[r["program"]].add(r["implementer"])
    where: dict[str, set[str]] = defaultdict(set)
    for r in _rows(folder, "locations"):
        where[r["tambon"]].add(r["program"])
    everywhere: dict[str, set[str]] = defaultdict(set)
    only_in: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in _rows(folder, "coordination"):
        links = everywhere if not r.get("tambon") else only_in[r["tambon"]]
        links[r["a"]].add(r["b"])
        links[r["b"]].add(r["a"])

    parallel: dict[str, int] = {}
    uncoordinated: set[tuple[str, str, str]] = set()
    for tambon, programs in where.items():
        local = only_in.get(tambon, {})

        def linked(node: str) -> set[str]:
            return everywhere.get(node, set()) | local.get(node, set())

        stake = {p: {p} | runs[p] | helps[p] for p in programs}
        near = {p: set().union(*(linked(x) for x in stake[p])) for p in programs}
        by_theme: dict[str, list[str]] = defaultdict(list)
        for p in programs:
            for t in themes[p]:
                by_theme[t].append(p)
        candidates = {(p, q) if p < q else (q, p)
                      for members in by_theme.values() for p in members for q in members if p != q}
        found = 0
        for p, q in candidates:
            (s1, e1), (s2, e2) = years[p], years[q]
            if s1 > e2 or s2 > e1 or runs[p] & runs[q]:
                continue
            found += 1
            if not (helps[p] & helps[q] or near[p] & stake[q] or near[p] & near[q]):
                uncoordinated.add((tambon, p, q))
        if found:
            parallel[tambon] = found
    return Answer(parallel, uncoordinated)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    answer = read_rule(Path(args[0]))
    print(f"parallel pairs: {sum(answer.parallel.values())}; uncoordinated: {len(answer.uncoordinated)}; "
          f"tambons with a parallel pair: {len(answer.parallel)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
