"""graphmodel.model: the graph rows of a dataset (what every backend stores) are what pydantic's
own JSON dump of each record says, for every record of the seed and of a generated province."""

from __future__ import annotations

import pytest

from graphmodel.dataset import read_dataset
from graphmodel.model import AREA_LABELS, NodeLabel, RelType

from paths import SEED


def reference_props(record, skip=()) -> dict:
    """The properties as the model's JSON dump gives them: None dropped, extras after."""
    data = record.model_dump(mode="json", exclude={"id", "extra", *skip})
    props = {k: v for k, v in data.items() if v is not None}
    for key, value in getattr(record, "extra", {}).items():
        if value != "" and key not in props:
            props[key] = value
    return props


SKIP = {"Province": (), "District": ("province",), "Tambon": ("district",), "Agency": ("parent",),
        "Fund": ("agency",), "Program": (), "Group": ("tambon",)}
RECORDS = {"Province": "provinces", "District": "districts", "Tambon": "tambons", "Agency": "agencies",
           "Fund": "funds", "Program": "programs", "Group": "groups"}


@pytest.fixture(params=["seed", "synth"])
def dataset(request, synth_dir):
    return read_dataset(SEED if request.param == "seed" else synth_dir)


def test_node_rows_are_the_records_json_dump(dataset):
    for label in NodeLabel:
        records = getattr(dataset, RECORDS[label.value])
        key = "code" if label.value in AREA_LABELS else "id"
        expected = [(getattr(r, key), reference_props(r, SKIP[label.value])) for r in records]
        assert list(dataset.node_rows(label)) == expected, label
        assert [list(props) for _, props in dataset.node_rows(label)] == [list(p) for _, p in expected]


def test_link_rows_keep_their_values_and_extra_columns(dataset):
    rows = {rtype: list(dataset.relationship_rows(rtype)) for rtype in RelType}
    assert [r[4] for r in rows[RelType.LOCATED_IN]] == [dict(x.extra) for x in dataset.locations]
    assert [r[4] for r in rows[RelType.FUNDS]] == [
        {**{k: v for k, v in (("amount_thb", x.amount_thb), ("fiscal_year", x.fiscal_year)) if v is not None},
         **x.extra} for x in dataset.funding]
    assert [(r[1], r[3]) for r in rows[RelType.LOCATED_IN]] == [(x.program, x.tambon) for x in dataset.locations]
    assert {r[0] for r in rows[RelType.IMPLEMENTS]} <= {"Agency", "Group"}
