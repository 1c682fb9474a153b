#!/usr/bin/env python3
"""``graphmodel combine`` at national size, against ``graphmodel validate`` and the floor, in one run.

Issue 17's bar: combining the national generated dataset split into two
sources takes at most 2 x the time of ``graphmodel validate`` on the whole
national folder, in at most 1.5 GiB; suggestions on 10,000 agencies per
source take under a minute.

The splits (made once under ``--splits`` from ``--national``, which is only read):

- **halves**: ``north`` holds the rows of the first half of the provinces
  (by code), ``south`` the rest; a row that belongs to no province (a
  national agency, a link between the halves) is in both, as two offices
  would each list it;
- **funding**: ``programs`` holds every file but ``funding.csv`` (and
  ``funds.csv``), ``money`` holds those two: every program's funding in a
  second source.

Then, each in its own process, one after the other: the floor (the csv
module and a bare networkx graph over the national folder,
``benchmarks/reader.py``), ``graphmodel validate`` on the national folder,
``graphmodel combine`` of each split, and ``graphmodel combine`` of two
folders of 10,000 agencies each (``--agencies``: local administrations and
health centres named from geothai, each running a program in its tambon;
the second source names the first's in other ways: abbreviated, misspelt,
in English only, or another body of the same tambon). Wall time, CPU time and peak RSS of each child (``os.wait4``).

**The checks**: each combined folder holds exactly the national folder's
rows (compared as sets of rows without the ``source`` column, read with
the csv module: no graphmodel code), its report has no conflict; the
agencies' suggestions find the renamed agencies (counted) and never pair
two health centres of different tambons.

Usage::

    python benchmarks/combine.py --national /work/data/synth-all --splits /work/data/combine-split
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national import graphmodel, measure, print_machine_and_problems  # noqa: E402

FILES = ("agencies", "funds", "programs", "groups", "funding", "implementation", "locations", "coordination")


# --- the splits ----------------------------------------------------------------------------------------------

def _rows(folder: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def split_halves(national: Path, out: Path) -> None:
    """``north`` and ``south``: the rows of each half of the provinces (see the module's docstring)."""
    data = {name: _rows(national, name) for name in FILES}

    def col(name: str, column: str) -> int:
        return data[name][0].index(column)

    provinces = sorted({r[col("locations", "tambon")][:2] for r in data["locations"][1]})
    north = set(provinces[:len(provinces) // 2])
    half = {p: 0 if p in north else 1 for p in provinces}
    program_half: dict[str, int] = {}
    for r in data["locations"][1]:
        program_half.setdefault(r[col("locations", "program")], half[r[col("locations", "tambon")][:2]])
    fund_halves: dict[str, set[int]] = {}
    for r in data["funding"][1]:
        fund_halves.setdefault(r[col("funding", "fund")], set()).add(program_half.get(r[col("funding", "program")], 0))
    fund_agency = {r[0]: r[col("funds", "agency")] for r in data["funds"][1]}
    agency_halves: dict[str, set[int]] = {}
    for fund, halves in fund_halves.items():
        agency_halves.setdefault(fund_agency[fund], set()).update(halves)
    for r in data["implementation"][1]:
        agency_halves.setdefault(r[col("implementation", "implementer")], set()).add(
            program_half.get(r[col("implementation", "program")], 0))
    group_half = {r[0]: half.get(r[col("groups", "tambon")][:2], 0) for r in data["groups"][1]}

    def halves_of(id_: str) -> set[int]:
        if id_ in program_half:
            return {program_half[id_]}
        if id_ in group_half:
            return {group_half[id_]}
        return agency_halves.get(id_) or {0, 1}

    rule = {
        "agencies": lambda r: agency_halves.get(r[0]) or {0, 1},
        "funds": lambda r: fund_halves.get(r[0]) or agency_halves.get(r[col("funds", "agency")]) or {0},
        "programs": lambda r: {program_half.get(r[0], 0)},
        "groups": lambda r: {group_half[r[0]]},
        "funding": lambda r: {program_half.get(r[col("funding", "program")], 0)},
        "implementation": lambda r: {program_half.get(r[col("implementation", "program")], 0)},
        "locations": lambda r: {half[r[col("locations", "tambon")][:2]]},
        "coordination": lambda r: ({half[r[col("coordination", "tambon")][:2]]} if r[col("coordination", "tambon")]
                                   else (halves_of(r[0]) & halves_of(r[1])) or {0, 1}),
    }
    for name in FILES:
        header, rows = data[name]
        for h, where in enumerate(("north", "south")):
            _write(out / where, name, header, [r for r in rows if h in rule[name](r)])


def split_funding(national: Path, out: Path) -> None:
    """``programs`` (every file but the money) and ``money`` (funds.csv and funding.csv)."""
    for name in FILES:
        header, rows = _rows(national, name)
        _write(out / ("money" if name in ("funds", "funding") else "programs"), name, header, rows)


_HEALTH, _TAO = "โรงพยาบาลส่งเสริมสุขภาพตำบล", "องค์การบริหารส่วนตำบล"


def agencies(out: Path, count: int = 10_000, seed: int = 0) -> dict[str, str]:
    """Two folders of ``count`` agencies each, each running one program in its tambon;
    return the second's renamed ids -> the first's ids."""
    import geothai

    tambons = [s for p in geothai.provinces() for d in geothai.districts(p.code) for s in geothai.subdistricts(d.code)]
    first: list[list[str]] = []
    for s in tambons:
        first.append([f"tao{s.code}", f"{_TAO}{s.name_th}", f"{s.name_en} Tambon Administrative Organization",
                      "local_government"])
    for s in tambons[:count - len(tambons)]:
        first.append([f"hc{s.code}", f"{_HEALTH}{s.name_th}", f"{s.name_en} Health Promoting Hospital",
                      "line_agency"])
    rng = random.Random(seed)
    second, renamed = [], {}
    for i, (id_, name, name_en, kind) in enumerate(first):
        way = rng.random()
        if way < 0.3:  # the same name, another id
            second.append([f"b{i}", name, "", kind])
        elif way < 0.5:  # abbreviated
            second.append([f"b{i}", name.replace(_TAO, "อบต.").replace(_HEALTH, "รพ.สต."), "", kind])
        elif way < 0.6:  # misspelt: a letter dropped from the place name
            place = len(_TAO) if id_.startswith("tao") else len(_HEALTH)
            cut = rng.randrange(place, len(name))
            second.append([f"b{i}", name[:cut] + name[cut + 1:], "", kind])
        elif way < 0.7:  # in English only
            second.append([f"b{i}", name_en, "", kind])
        else:  # another body: the tambon's school
            second.append([f"b{i}", name.replace(_TAO, "โรงเรียนบ้าน").replace(_HEALTH, "โรงเรียนบ้าน"), "",
                           "academic"])
            continue
        renamed[f"b{i}"] = id_
    for where, rows in (("first", first), ("second", second)):
        tambon = [r[0][-6:] if r[0][:1] != "b" else first[int(r[0][1:])][0][-6:] for r in rows]
        _write(out / where, "agencies", ["id", "name", "name_en", "kind"], rows)
        _write(out / where, "programs", ["id", "name", "themes", "start_year", "end_year"],
               [[f"p_{r[0]}", "แผนพัฒนา", "community_planning", "2567", "2567"] for r in rows])
        _write(out / where, "implementation", ["implementer", "program"], [[r[0], f"p_{r[0]}"] for r in rows])
        _write(out / where, "locations", ["program", "tambon"], [[f"p_{r[0]}", t] for r, t in zip(rows, tambon)])
    return renamed


# --- the checks ----------------------------------------------------------------------------------------------

def _row_set(folder: Path, name: str) -> set[tuple[str, ...]]:
    """The rows of a file as tuples of (column, value), without ``source`` and empty cells."""
    with open(folder / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return {tuple(sorted((k, v) for k, v in r.items() if k != "source" and v)) for r in csv.DictReader(fh)}


def check_combined(national: Path, combined: Path) -> list[str]:
    problems = []
    for name in FILES:
        want, got = _row_set(national, name), _row_set(combined, name)
        if want != got:
            problems.append(f"{combined.name}/{name}.csv: {len(want - got)} rows missing, {len(got - want)} extra")
    with open(combined / "combine-report.csv", encoding="utf-8", newline="") as fh:
        report = list(csv.DictReader(fh))
    if report:
        problems.append(f"{combined.name}: {len(report)} report lines, e.g. {report[:2]}")
    return problems


def check_suggestions(folder: Path, renamed: dict[str, str]) -> tuple[str, list[str]]:
    with open(folder / "aliases-suggested.csv", encoding="utf-8-sig", newline="") as fh:
        suggested = {r["id"]: r["same_as"] for r in csv.DictReader(fh)}
    right = sum(1 for b, a in renamed.items() if suggested.get(b) == a)
    wrong = {b: a for b, a in suggested.items() if renamed.get(b) != a}
    health_apart = [(b, a) for b, a in wrong.items() if a.startswith("hc") and renamed.get(b, "hc")[2:] != a[2:]]
    problems = [f"{len(health_apart)} health centres of two tambons suggested as one, e.g. {health_apart[:3]}"] \
        if health_apart else []
    return (f"{right:,} of the {len(renamed):,} renamed agencies found, {len(wrong):,} other suggestions "
            f"({len(suggested):,} in all)"), problems


# --- the run -------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", type=Path, default=Path("/work/data/synth-all"))
    parser.add_argument("--splits", type=Path, default=Path(tempfile.gettempdir()) / "combine-split")
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--child-floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_floor:
        from reader import floor

        print(floor(args.child_floor))
        return 0
    if not (args.splits / "south" / "agencies.csv").is_file():
        print(f"splitting {args.national} into halves ...", file=sys.stderr)
        split_halves(args.national, args.splits)
    if not (args.splits / "money" / "funding.csv").is_file():
        split_funding(args.national, args.splits)
    renamed = agencies(args.splits / "agencies", args.agencies)
    load = [os.getloadavg()]
    problems: list[str] = []
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="combine-", dir=args.splits) as scratch:
        out = Path(scratch)
        steps = {
            "floor": [sys.executable, str(Path(__file__).resolve()), "--child-floor", str(args.national)],
            "validate national": graphmodel("validate", str(args.national)),
            "combine halves": graphmodel("combine", str(args.splits / "north"), str(args.splits / "south"),
                                         "-o", str(out / "halves")),
            "combine funding": graphmodel("combine", str(args.splits / "programs"), str(args.splits / "money"),
                                          "-o", str(out / "funding")),
            f"combine {args.agencies:,} + {args.agencies:,} agencies": graphmodel(
                "combine", str(args.splits / "agencies" / "first"), str(args.splits / "agencies" / "second"),
                "-o", str(out / "agencies")),
        }
        for name, argv_ in steps.items():
            figures[name] = measure(argv_)
            print(f"  {name:<32} {figures[name]['wall']:7.1f} s wall {figures[name]['cpu']:7.1f} s CPU "
                  f"{figures[name]['rss'] / 2**20:6.0f} MiB", file=sys.stderr)
        problems += check_combined(args.national, out / "halves")
        problems += check_combined(args.national, out / "funding")
        found, wrong = check_suggestions(out / "agencies", renamed)
        problems += wrong
    load.append(os.getloadavg())
    base, validate = figures["floor"], figures["validate national"]
    print("| step | wall s | CPU s | peak RSS MiB | × validate wall | × validate CPU | × floor wall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, f in figures.items():
        print(f"| {name} | {f['wall']:.1f} | {f['cpu']:.1f} | {f['rss'] / 2**20:,.0f} | "
              f"{f['wall'] / validate['wall']:.2f} | {f['cpu'] / validate['cpu']:.2f} | "
              f"{f['wall'] / base['wall']:.2f} |")
    print()
    print(f"suggestions: {found}")
    print_machine_and_problems(load, problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
