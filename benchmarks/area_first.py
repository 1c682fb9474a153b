#!/usr/bin/env python3
"""Area-first: a province's question on the national folder against the same question on the province's own folder.

For each command that takes an area (``view``, ``report``, ``overlaps``,
``recommend``, ``pilots``, ``index``) it runs, each in its own process under
``/usr/bin/time -v``, one after the other in one run:

- ``graphmodel CMD NATIONAL --province P`` (the scoped read of the whole country),
- ``graphmodel CMD AREA --province P`` (a folder holding only the province's
  rows, written by ``benchmarks/area_folder.py``, an independent reading),
- ``graphmodel CMD NATIONAL --tambon T``,

and ``graphmodel validate AREA`` once; it records wall time, CPU time (user
+ system) and peak RSS of each, and the ratios the targets of issue 19 name:
national / own folder (time ≤ 2 ×, memory ≤ 1.5 × and ≤ 512 MiB) and
``--tambon`` on the national folder / ``validate`` of the own folder (≤ 3 ×).

**The check**: each command prints (and writes) the same on the national
folder as on the province's own folder, but for the folder's name; a
difference is printed and the exit code is 1.

Usage::

    python benchmarks/area_first.py --national /work/data/synth-all --province 55 --tambon 550101 \\
        --area /work/data/nan-only-area --json /tmp/area_first.json

The province's folder is written first if it is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from area_folder import write_area  # noqa: E402
from national import graphmodel  # noqa: E402

#: Each command with the arguments after the folder and the area option, and the file it writes (or None: stdout).
COMMANDS = {
    "view": (["-o", "view.html"], "view.html"),
    "report": (["-o", "report.html"], "report.html"),
    "overlaps": (["--format", "csv"], None),
    "recommend": ([], None),
    "pilots": ([], None),
    "index": ([], None),
}
TARGETS = {"time": 2.0, "rss": 1.5, "rss_mib": 512, "tambon": 3.0}


def measured(argv: list[str], cwd: Path, stdout: Path) -> dict:
    """Run ``argv`` under ``/usr/bin/time -v`` in ``cwd``: wall s, CPU s, peak RSS MiB, exit code."""
    log = cwd / "time.log"
    with open(stdout, "wb") as out:
        code = subprocess.run(["/usr/bin/time", "-v", "-o", str(log), *argv], cwd=cwd, stdout=out,
                              stderr=subprocess.DEVNULL).returncode
    text = log.read_text()

    def field(name: str) -> str:
        return re.search(rf"{re.escape(name)}: (.+)", text).group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
    seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return {"wall": seconds, "cpu": cpu, "rss_mib": int(field("Maximum resident set size (kbytes)")) / 1024,
            "exit": code}


def run_one(name: str, folder: Path, option: list[str], scratch: Path) -> tuple[dict, bytes]:
    """One command in a fresh folder; its figures and what it printed or wrote (folder name blanked)."""
    cwd = Path(tempfile.mkdtemp(dir=scratch, prefix=f"{name}-"))
    args, written = COMMANDS[name]
    figures = measured(graphmodel(name, str(folder), *option, *args), cwd, cwd / "stdout")
    output = (cwd / (written or "stdout")).read_bytes() if (cwd / (written or "stdout")).exists() else b""
    return figures, output.replace(str(folder).encode(), b"FOLDER")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", type=Path, default=Path("/work/data/synth-all"))
    parser.add_argument("--province", default="55")
    parser.add_argument("--tambon", default="550101")
    parser.add_argument("--area", type=Path, default=Path("/work/data/nan-only-area"))
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.area / "programs.csv").exists():
        write_area(args.national, args.province, args.area)
    scratch = Path(tempfile.mkdtemp(prefix="area-first-"))
    load = [os.getloadavg()[0]]
    rows, problems = [], []
    cwd = Path(tempfile.mkdtemp(dir=scratch, prefix="validate-"))
    validate = measured(graphmodel("validate", str(args.area)), cwd, cwd / "stdout")
    print(f"validate own folder: {validate['wall']:.1f} s, {validate['rss_mib']:.0f} MiB", file=sys.stderr)
    for name in args.commands.split(","):
        national, national_out = run_one(name, args.national, ["--province", args.province], scratch)
        own, own_out = run_one(name, args.area, ["--province", args.province], scratch)
        tambon, _ = run_one(name, args.national, ["--tambon", args.tambon], scratch)
        if national_out != own_out or national["exit"] or own["exit"]:
            problems.append(f"{name}: the national folder's answer differs from the province folder's "
                            f"(exit {national['exit']} and {own['exit']})")
        row = {"command": name, "national": national, "own": own, "tambon": tambon,
               "time_ratio": national["wall"] / own["wall"], "cpu_ratio": national["cpu"] / own["cpu"],
               "rss_ratio": national["rss_mib"] / own["rss_mib"],
               "tambon_ratio": tambon["wall"] / validate["wall"], "same_answer": national_out == own_out}
        rows.append(row)
        print(f"{name}: national {national['wall']:.1f} s {national['rss_mib']:.0f} MiB, own "
              f"{own['wall']:.1f} s {own['rss_mib']:.0f} MiB, tambon {tambon['wall']:.1f} s "
              f"{tambon['rss_mib']:.0f} MiB", file=sys.stderr)
    load.append(os.getloadavg()[0])
    print(table(rows, validate, args, load))
    for p in problems:
        print(p, file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"validate": validate, "rows": rows, "load": load}, indent=2))
    return 1 if problems else 0


def table(rows: list[dict], validate: dict, args, load: list[float]) -> str:
    """The Markdown table of benchmarks/README.md."""
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    out = [f"Load average {load[0]:.1f} at the start, {load[1]:.1f} at the end; `validate` of the "
           f"province's own folder: {validate['wall']:.1f} s wall, {validate['rss_mib']:.0f} MiB.", "",
           f"| command | national `--province {args.province}` | own folder | × time (wall / CPU) | × RSS "
           f"| national `--tambon {args.tambon}` | × validate (own) | targets met | same answer |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        n, o, t = r["national"], r["own"], r["tambon"]
        met = (r["time_ratio"] <= TARGETS["time"] and r["rss_ratio"] <= TARGETS["rss"]
               and n["rss_mib"] <= TARGETS["rss_mib"] and r["tambon_ratio"] <= TARGETS["tambon"])
        out.append(f"| `{r['command']}` | {n['wall']:.1f} s, {n['rss_mib']:.0f} MiB | {o['wall']:.1f} s, "
                   f"{o['rss_mib']:.0f} MiB | {r['time_ratio']:.2f} / {r['cpu_ratio']:.2f} | "
                   f"{r['rss_ratio']:.2f} | {t['wall']:.1f} s, {t['rss_mib']:.0f} MiB | "
                   f"{r['tambon_ratio']:.2f} | {ok(met)} | {ok(r['same_answer'])} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
