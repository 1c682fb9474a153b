"""graphmodel/analysis/described.py: the sides the describer makes quickly are the sides ``ProgramSide(...)`` makes."""

from __future__ import annotations

import pytest

from graphmodel.analysis.described import NamedRef, ProgramSide, _Describer
from graphmodel.analysis.overlaps import program_sides
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.dataset import read_dataset

from hostile import write_hostile
from paths import SEED, SEED_COORDINATED


def plain(row: dict) -> ProgramSide:
    """A side made field by field from a ``program_sides`` row, with the dataclass's own ``__init__``."""
    ref = lambda x: NamedRef(x["id"], x.get("name") or x["id"], x.get("name_en"))  # noqa: E731
    return ProgramSide(ref(row["program"]), row["start_year"], row["end_year"], list(row["themes"]),
                       [ref(a) for a in row["agencies"]], [ref(g) for g in row["groups"]],
                       None if row["budget_thb"] is None else float(row["budget_thb"]))


@pytest.mark.parametrize("folder", [SEED, SEED_COORDINATED, None], ids=["seed", "coordinated", "hostile"])
def test_the_describers_sides_are_plain_sides(folder, tmp_path):
    backend = EmbeddedBackend(read_dataset(folder or write_hostile(tmp_path / "ds")))
    describer = _Describer(backend, "auto")
    found = list(program_sides(backend))
    # programs with several agencies (seed), none (the hostile P3), and groups
    assert any(len(r["agencies"]) > 1 for r in found) if folder else any(not r["agencies"] for r in found)
    for row in found:
        fast, slow = describer._side(row), plain(row)
        assert fast == slow
        assert (fast.label, fast.agencies_label, fast.agency_ids, fast.first_party) == (
            slow.label, slow.agencies_label, slow.agency_ids, slow.first_party)
        assert fast.to_json() == slow.to_json() and fast.json_text == slow.json_text
