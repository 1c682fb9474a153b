"""Dataset folders for backend tests: random small ones (hypothesis) and large ones.

``dataset_folders()`` draws the CSV rows of a small valid dataset: agencies of
every kind (some with a parent), funds of every channel, programs with random
themes from three and years in CE or Buddhist Era, groups, funding (the same
fund and program in two fiscal years too), implementation, locations in 2-4
real tambons, and coordination links with and without a tambon.
``write_dataset`` writes such rows as a folder that ``graphmodel`` reads;
``datasets()`` draws them already read back, as :class:`~graphmodel.model.Dataset`.

``write_large_dataset`` writes a deterministic dataset of any size over real
tambons (the load-rate benchmark and the server-killed-mid-load test).
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

import geothai
from hypothesis import strategies as st

from graphmodel.dataset import FILES, read_dataset
from graphmodel.model import AgencyKind, Channel

__all__ = ["TAMBONS", "THEMES", "SHARES_CODI", "dataset_folders", "datasets", "write_dataset", "write_large_dataset",
           "all_tambons"]

#: Hu Long, Karo, Nai Mueang and Tha Wang (Nakhon Si Thammarat): two districts, one province.
TAMBONS = ("801208", "802103", "800101", "800102")
THEMES = ("poverty", "welfare", "occupation")
#: A second small dataset (files for write_dataset) sharing the agency codi and tambon 801208
#: (Hu Long) with the seed: one program of codi's there.
SHARES_CODI = {
    "agencies": [{"id": "codi", "name": "พอช.", "kind": "special_agency"}],
    "programs": [{"id": "other_plan", "name": "แผนอื่น", "themes": "welfare", "start_year": "2549",
                  "end_year": "2549"}],
    "implementation": [{"implementer": "codi", "program": "other_plan"}],
    "locations": [{"program": "other_plan", "tambon": "801208"}],
}
_NAMES = ("พอช.", "กรมการปกครอง", "สำนักงานเกษตร", "อบต.หูล่อง", "เครือข่ายยามนา", "สกว.", "สสส.")
_BE = 543


def write_dataset(folder: Path, files: dict[str, list[dict[str, str]]]) -> Path:
    """Write ``{file name: rows}`` as CSV files (header from the contract) into ``folder``;
    a contract file not in ``files`` is removed from it."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in FILES:
        rows = files.get(spec.name)
        if rows is None:
            (folder / spec.filename).unlink(missing_ok=True)
            continue
        columns = list(spec.required) + list(spec.optional)
        with open(folder / spec.filename, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in columns})
    return folder


def trap_folder(tmp_path: Path) -> Path:
    """The greedy trap of tests/analysis/test_recommend.py as a dataset folder."""
    folder = tmp_path / "trap"
    implementers = [("b", "P"), ("d", "Q"), ("c", "R"), ("a", "S"), ("a", "T"), ("d", "T"), ("a", "U"), ("c", "U")]
    return write_dataset(folder, {
        "agencies": [{"id": a, "name": a, "kind": "line_agency"} for a in "abcd"],
        "programs": [{"id": p, "name": p, "themes": "x", "start_year": "2006", "end_year": "2006"} for p in "PQRSTU"],
        "implementation": [{"implementer": i, "program": p} for i, p in implementers],
        "locations": [{"program": p, "tambon": "801208"} for p in "PQRSTU"]})


def _funding_key(row: tuple[str, str, str]) -> tuple:
    """The reader's duplicate key for funding: fund, program, fiscal year."""
    return row[0], row[1], row[2] or None


def _link_key(row: tuple[str, str, str]) -> tuple:
    """The reader's duplicate key for coordination: the two ends in either order, the tambon."""
    return min(row[0], row[1]), max(row[0], row[1]), row[2]


def _year(draw, year: int) -> str:
    return str(year + _BE) if draw(st.booleans()) else str(year)


def _maybe(draw, strategy) -> str:
    return draw(st.one_of(st.just(""), strategy))


@st.composite
def dataset_folders(draw) -> dict[str, list[dict[str, str]]]:
    """The rows of every file of a small valid dataset (see the module docstring)."""
    tambons = draw(st.lists(st.sampled_from(TAMBONS), min_size=2, max_size=4, unique=True))
    kinds = list(AgencyKind)
    n_agencies = draw(st.integers(2, 6))
    agencies = []
    for i in range(n_agencies):
        parent = _maybe(draw, st.sampled_from([f"ag{j}" for j in range(i)])) if i else ""
        agencies.append({
            "id": f"ag{i}", "name": draw(st.sampled_from(_NAMES)),
            "kind": kinds[i].value if i < len(kinds) else draw(st.sampled_from(kinds)).value,
            "name_en": _maybe(draw, st.sampled_from(["CODI", "DOPA", "Agriculture"])),
            "parent": parent,
        })
    funds = []
    for i in range(draw(st.integers(0, 4))):
        funds.append({
            "id": f"fd{i}", "name": f"กองทุน {i}", "agency": draw(st.sampled_from(agencies))["id"],
            "channel": list(Channel)[i].value if i < len(Channel) else _maybe(
                draw, st.sampled_from([c.value for c in Channel])),
            "amount_thb": _maybe(draw, st.integers(0, 900).map(lambda k: f"{k * 1000:,}")),
            "fiscal_year": _maybe(draw, st.sampled_from(["2006", "2549", "2007"])),
        })
    programs = []
    for i in range(draw(st.integers(2, 6))):
        start = draw(st.integers(2004, 2007))
        end = start + draw(st.integers(0, 2))
        themes = draw(st.lists(st.sampled_from(THEMES), min_size=1, max_size=3, unique=True))
        programs.append({
            "id": f"pg{i}", "name": f"โครงการ {i}", "themes": ";".join(themes),
            "start_year": _year(draw, start), "end_year": _year(draw, end),
            "pilot": _maybe(draw, st.sampled_from(["true", "false"])),
            "name_en": _maybe(draw, st.just(f"Program {i}")),
        })
    groups = [{"id": f"gr{i}", "name": f"กลุ่ม {i}", "kind": draw(st.sampled_from(["savings", "network"])),
               "tambon": draw(st.sampled_from(tambons))}
              for i in range(draw(st.integers(0, 3)))]
    pids = [p["id"] for p in programs]
    funding = []
    if funds:
        pairs = draw(st.lists(st.tuples(st.sampled_from([f["id"] for f in funds]), st.sampled_from(pids),
                                        st.sampled_from(["", "2006", "2007"])),
                              max_size=8, unique_by=_funding_key))
        funding = [{"fund": f, "program": p, "fiscal_year": y,
                    "amount_thb": _maybe(draw, st.integers(1, 300).map(lambda k: str(k * 1000)))}
                   for f, p, y in pairs]
    implementers = [a["id"] for a in agencies] + [g["id"] for g in groups]
    implementation = [{"implementer": i, "program": p, "role": _maybe(draw, st.just("lead"))}
                      for i, p in draw(st.lists(st.tuples(st.sampled_from(implementers), st.sampled_from(pids)),
                                                max_size=10, unique=True))]
    locations = [{"program": p, "tambon": t}
                 for p, t in draw(st.lists(st.tuples(st.sampled_from(pids), st.sampled_from(tambons)),
                                           min_size=4, max_size=14, unique=True))]
    ends = implementers + pids
    links = draw(st.lists(st.tuples(st.sampled_from(ends), st.sampled_from(ends),
                                    st.sampled_from([""] + tambons)),
                          max_size=6, unique_by=_link_key))
    coordination = [{"a": a, "b": b, "tambon": t, "mechanism": _maybe(draw, st.just("joint plan"))}
                    for a, b, t in links if a != b]
    return {"agencies": agencies, "funds": funds, "programs": programs, "groups": groups,
            "funding": funding, "implementation": implementation, "locations": locations,
            "coordination": coordination}


def _read_back(files: dict[str, list[dict[str, str]]]):
    with tempfile.TemporaryDirectory() as tmp:
        return read_dataset(write_dataset(Path(tmp) / "random", files))


def datasets():
    """Small valid datasets (:func:`dataset_folders` written to a folder and read back)."""
    return dataset_folders().map(_read_back)


def all_tambons() -> list[str]:
    """Every current tambon code geothai knows (about 7 400), sorted."""
    return sorted(s.code for p in geothai.provinces() for d in geothai.districts(p.code)
                  for s in geothai.subdistricts(d.code))


def write_large_dataset(folder: Path, *, programs: int, locations_per_program: int = 40,
                        agencies: int = 200, tambons: int | None = None, seed: int = 2006) -> Path:
    """Write a deterministic dataset with about ``programs * (locations_per_program + 4)`` relationships.

    ``agencies`` agencies (one fund each), ``programs`` programs each funded
    by one or two funds, implemented by one agency and, every fifth, a group,
    located in ``locations_per_program`` tambons drawn from the whole country
    (or from its first ``tambons`` codes); coordination links between
    agencies, some limited to a tambon. Tambons, districts and provinces add
    up to 7 436 + 928 + 77 nodes and as many relationships at full scale.
    """
    rng = random.Random(seed)
    n_agencies = agencies
    tambons = all_tambons()[:tambons]
    kinds = [k.value for k in AgencyKind]
    channels = [c.value for c in Channel]
    agencies = [{"id": f"a{i:04d}", "name": f"หน่วยงาน {i}", "kind": kinds[i % len(kinds)],
                 "parent": f"a{i // 10:04d}" if i >= 10 else ""} for i in range(n_agencies)]
    funds = [{"id": f"f{i:04d}", "name": f"กองทุน {i}", "agency": a["id"], "channel": channels[i % 3],
              "amount_thb": str(rng.randrange(1, 1000) * 1000), "fiscal_year": "2549"}
             for i, a in enumerate(agencies)]
    groups = [{"id": f"g{i:05d}", "name": f"กลุ่ม {i}", "kind": "network", "tambon": rng.choice(tambons)}
              for i in range(max(1, programs // 5))]
    progs, funding, implementation, locations = [], [], [], []
    for i in range(programs):
        pid = f"p{i:06d}"
        start = rng.randrange(2003, 2008)
        progs.append({"id": pid, "name": f"โครงการ {i}", "themes": ";".join(rng.sample(THEMES, rng.randrange(1, 4))),
                      "start_year": str(start + _BE), "end_year": str(start + rng.randrange(0, 3) + _BE)})
        for f in rng.sample(funds, rng.randrange(1, 3)):
            funding.append({"fund": f["id"], "program": pid, "fiscal_year": "2006",
                            "amount_thb": str(rng.randrange(1, 500) * 1000)})
        implementation.append({"implementer": rng.choice(agencies)["id"], "program": pid})
        if i % 5 == 0:
            implementation.append({"implementer": groups[(i // 5) % len(groups)]["id"], "program": pid})
        locations += [{"program": pid, "tambon": t} for t in rng.sample(tambons, locations_per_program)]
    coordination, seen = [], set()
    for _ in range(programs // 2):
        a, b = rng.sample(agencies, 2)
        tambon = rng.choice(tambons) if rng.random() < 0.5 else ""
        key = (*sorted((a["id"], b["id"])), tambon)
        if key not in seen:
            seen.add(key)
            coordination.append({"a": a["id"], "b": b["id"], "tambon": tambon, "mechanism": "joint plan"})
    return write_dataset(folder, {"agencies": agencies, "funds": funds, "programs": progs, "groups": groups,
                                  "funding": funding, "implementation": implementation,
                                  "locations": locations, "coordination": coordination})
