"""A year later: the next snapshot of a generated dataset (``graphmodel synth --evolve``).

:func:`evolve` reads a folder written by :func:`graphmodel.synth.synthesize`
and writes the same country a budget round later, for ``graphmodel diff``
to compare with it (docs/synth.md, "A year later"):

- **programs ended**: a share :data:`END_SHARE` of programs is gone, with
  their funding, implementation and location rows and the links naming them;
- **programs added**: in a share :data:`NEW_SHARE` of tambons the local
  government starts one new program (a title of :data:`_NEW_TITLES`, funded
  by its fund, located in the tambon);
- **tambons left**: a program run beyond one tambon (a district's, a
  province's, a pilot) leaves a share :data:`LEAVE_SHARE` of the tambons it
  reached;
- **links added**: in a share :data:`LINK_SHARE` of tambons the local
  government agrees a joint plan with one line agency there; in every
  province the planning office takes one more line agency onto its
  committee (province-wide);
- **links removed**: a share :data:`UNLINK_SHARE` of the links limited to a
  tambon lapses.

Nothing else changes: no program's years, themes or name (so two snapshots
loaded into one Neo4j database as two datasets answer as the folders do;
docs/diff.md says why). Every choice is a hash of the seed and an id, so
the same input and seed give the same bytes, and a province's changes do
not depend on which others the folder holds. The files are read and written
a row at a time; memory holds the ids of the ended programs and the links.

Examples
--------
>>> import tempfile, pathlib
>>> from graphmodel.synth import synthesize
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> _ = synthesize(base / "krabi", provinces=["81"], scale=0.2)
>>> s = evolve(base / "krabi", base / "krabi-next", seed=1)
>>> s.ended > 0 and s.added > 0 and s.links_added > 0, s.rows["programs"] == s.old_rows["programs"] - s.ended + s.added
(True, True)
"""

from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import SynthError
from .outputs import atomic_folder, move_into, unusable_folder

__all__ = ["EvolveSummary", "evolve", "END_SHARE", "NEW_SHARE", "LEAVE_SHARE", "LINK_SHARE", "UNLINK_SHARE"]

#: Programs that end (gone from the next snapshot).
END_SHARE = 0.05
#: Tambons whose local government starts a new program.
NEW_SHARE = 0.10
#: Tambons a program run beyond one tambon (not a local government's, ``lg...``) stops reaching.
LEAVE_SHARE = 0.02
#: Tambons whose local government agrees a new joint plan with a line agency.
LINK_SHARE = 0.20
#: Links limited to a tambon that lapse.
UNLINK_SHARE = 0.10
#: The line agencies a new link may name (graphmodel.synth's national line agencies).
_LINE = ("doae", "moph", "cdd", "nfe", "dopa", "dld", "rid", "dsdw")
#: (Thai, English, themes) of the new local programs; each shares themes with line agencies' programs.
_NEW_TITLES = (
    ("ส่งเสริมอาชีพผู้สูงอายุ", "Occupations for older people", ("occupation", "elderly_care")),
    ("บริหารจัดการน้ำชุมชน", "Community water management", ("water", "agriculture")),
    ("ตลาดชุมชนและกลุ่มออมทรัพย์", "Community market and savings", ("occupation", "community_finance")),
    ("คัดกรองสุขภาพผู้สูงอายุ", "Health screening for older people", ("health", "elderly_care")),
    ("ศูนย์เรียนรู้เกษตรชุมชน", "Community farming learning centre", ("agriculture", "learning")),
)
#: The fiscal year (Buddhist Era) the new programs run in: the last year graphmodel.synth uses.
_NEW_YEAR = 2568
_FILES = ("agencies", "funds", "programs", "groups", "funding", "implementation", "locations", "coordination")


@dataclass(frozen=True)
class EvolveSummary:
    """What :func:`evolve` wrote: rows per file before and after, and the changes."""

    folder: Path
    old_rows: dict[str, int]
    rows: dict[str, int]
    ended: int
    added: int
    #: Location rows of programs that stay, left out.
    left: int
    links_added: int
    links_removed: int
    seconds: float = field(compare=False)


def _draw(seed: int, kind: str, key: str) -> float:
    """A number in [0, 1) fixed by the seed, the kind of change and an id."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _rows(folder: Path, name: str) -> tuple[list[str], Iterator[list[str]]]:
    path = folder / f"{name}.csv"
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise SynthError(f"{path}: cannot read it ({exc.strerror}); --evolve takes a folder written by "
                         "graphmodel synth") from None

    def rows() -> Iterator[list[str]]:
        with handle:
            yield from reader
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        handle.close()
        raise SynthError(f"{path}: empty; --evolve takes a folder written by graphmodel synth")
    return header, rows()


class _Next:
    """One run: reads the old folder's files in order, writes the new ones into ``tmp``."""

    def __init__(self, old: Path, tmp: Path, seed: int):
        self.old, self.tmp, self.seed = old, tmp, seed
        self.old_rows: dict[str, int] = {}
        self.rows: dict[str, int] = {}
        self.ended: set[str] = set()
        self.local: list[str] = []  # tambon codes with a local government lgTTTTTT
        self.plans: list[str] = []  # province codes with a planning office planPP
        self.funds: set[str] = set()
        self.new: list[tuple[str, str, tuple[str, str, tuple[str, ...]]]] = []  # (program, tambon, title)
        self.links_added = self.links_removed = self.left = 0

    def _copy(self, name: str, keep=lambda row, col: True, more=()) -> None:
        header, rows = _rows(self.old, name)
        col = {c: i for i, c in enumerate(header)}
        read = written = 0
        with open(self.tmp / f"{name}.csv", "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                read += 1
                if keep(row, col):
                    out.writerow(row)
                    written += 1
            for cells in more() if callable(more) else more:
                out.writerow([cells.get(c, "") for c in header])
                written += 1
        self.old_rows[name], self.rows[name] = read, written

    def agencies(self, row, col) -> bool:
        id_, kind = row[col["id"]], row[col["kind"]]
        if kind == "local_government" and id_.startswith("lg") and id_[2:].isdigit():
            self.local.append(id_[2:])
        elif kind == "provincial" and id_.startswith("plan") and id_[4:].isdigit():
            self.plans.append(id_[4:])
        return True

    def programs(self, row, col) -> bool:
        id_ = row[col["id"]]
        if _draw(self.seed, "end", id_) < END_SHARE:
            self.ended.add(id_)
            return False
        return True

    def locations(self, row, col) -> bool:
        program, tambon = row[col["program"]], row[col["tambon"]]
        if program in self.ended:
            return False
        if not program.startswith("lg") and _draw(self.seed, "leave", f"{program}|{tambon}") < LEAVE_SHARE:
            self.left += 1
            return False
        return True

    def new_programs(self, taken: set[str]) -> Iterator[dict[str, str]]:
        for code in self.local:
            if _draw(self.seed, "new", code) >= NEW_SHARE or f"lg{code}_f" not in self.funds:
                continue
            n = 1
            while f"lg{code}_n{n}" in taken:
                n += 1
            title = _NEW_TITLES[int(_draw(self.seed, "title", code) * len(_NEW_TITLES))]
            self.new.append((f"lg{code}_n{n}", code, title))
            yield {"id": f"lg{code}_n{n}", "name": f"{title[0]} (ใหม่)", "name_en": f"{title[1]} (new)",
                   "themes": ";".join(title[2]), "start_year": str(_NEW_YEAR), "end_year": str(_NEW_YEAR),
                   "pilot": "false", "source": "synth --evolve"}

    def coordination(self) -> None:
        header, rows = _rows(self.old, "coordination")
        col = {c: i for i, c in enumerate(header)}
        kept, seen = [], set()
        read = 0
        for row in rows:
            read += 1
            a, b, tambon = row[col["a"]], row[col["b"]], row[col["tambon"]]
            if a in self.ended or b in self.ended:
                continue
            if tambon and _draw(self.seed, "unlink", f"{min(a, b)}|{max(a, b)}|{tambon}") < UNLINK_SHARE:
                self.links_removed += 1
                continue
            kept.append(row)
            seen.add((min(a, b), max(a, b), tambon))
        added = []
        for code in self.local:
            if _draw(self.seed, "link", code) < LINK_SHARE:
                agency = _LINE[int(_draw(self.seed, "partner", code) * len(_LINE))]
                added.append((f"lg{code}", agency, "joint tambon plan (new)", code))
        for pp in self.plans:
            agency = _LINE[int(_draw(self.seed, "committee", pp) * len(_LINE))]
            added.append((f"plan{pp}", agency, "provincial development committee (new)", ""))
        with open(self.tmp / "coordination.csv", "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(header)
            out.writerows(kept)
            for a, b, mechanism, tambon in added:
                if (min(a, b), max(a, b), tambon) not in seen and (min(a, b), max(a, b), "") not in seen:
                    seen.add((min(a, b), max(a, b), tambon))
                    out.writerow([{"a": a, "b": b, "mechanism": mechanism, "tambon": tambon}.get(c, "")
                                  for c in header])
                    self.links_added += 1
        self.old_rows["coordination"] = read
        self.rows["coordination"] = len(kept) + self.links_added

    def run(self) -> None:
        ended = self.ended
        self._copy("agencies", self.agencies)
        self._copy("funds", lambda row, col: self.funds.add(row[col["id"]]) or True)
        taken: set[str] = set()
        self._copy("programs", lambda row, col: taken.add(row[col["id"]]) or self.programs(row, col),
                   lambda: self.new_programs(taken))
        self._copy("groups")
        self._copy("funding", lambda row, col: row[col["program"]] not in ended,
                   lambda: ({"fund": f"lg{t}_f", "program": p, "fiscal_year": str(_NEW_YEAR),
                             "amount_thb": str(50_000 + 1_000 * int(_draw(self.seed, "amount", p) * 950))}
                            for p, t, _ in self.new))
        self._copy("implementation", lambda row, col: row[col["program"]] not in ended,
                   lambda: ({"implementer": f"lg{t}", "program": p, "role": "lead"} for p, t, _ in self.new))
        self._copy("locations", self.locations, lambda: ({"program": p, "tambon": t} for p, t, _ in self.new))
        self.coordination()


def _readme(old: Path, s: EvolveSummary, seed: int) -> str:
    lines = ["# A generated dataset, a year later (graphmodel synth --evolve)", "",
             "Synthetic rows on the real gazetteer; not a record of real programs. See docs/synth.md.", "",
             f"    graphmodel synth --evolve {old} --seed {seed} -o DIR", "",
             f"From {old}: {s.ended:,} programs ended, {s.added:,} added, {s.left:,} tambons left by "
             f"programs that stay, {s.links_added:,} links added, {s.links_removed:,} lapsed.", "", "| file | rows before | rows |", "|---|---:|---:|",
             *(f"| {n}.csv | {s.old_rows[n]} | {s.rows[n]} |" for n in _FILES), ""]
    return "\n".join(lines)


def evolve(old_dir: str | Path, out_dir: str | Path, *, seed: int = 0, force: bool = False) -> EvolveSummary:
    """Write the next snapshot of the generated dataset in ``old_dir`` into ``out_dir`` (see the module docstring).

    Raises
    ------
    SynthError
        ``old_dir`` lacks a file of the dataset, or ``out_dir`` is a file
        or a folder that is not empty (without ``force``).
    WriteFailed
        The folder cannot be written; nothing is left half written.
    """
    start = time.perf_counter()
    old, out = Path(old_dir), Path(out_dir)
    problem = unusable_folder(out, force)
    if problem:
        raise SynthError(f"{out}: {problem}; give an empty or new folder (or --force)")
    with atomic_folder(out, tag="evolve") as tmp:
        run = _Next(old, tmp, seed)
        run.run()
        summary = EvolveSummary(out, run.old_rows, run.rows, len(run.ended), len(run.new), run.left,
                                run.links_added, run.links_removed, 0.0)
        (tmp / "README.md").write_text(_readme(old, summary, seed), encoding="utf-8")
        move_into(tmp, out, [f"{n}.csv" for n in _FILES] + ["README.md"])
    return EvolveSummary(out, run.old_rows, run.rows, len(run.ended), len(run.new), run.left, run.links_added,
                         run.links_removed, time.perf_counter() - start)
