"""What reviewed aliases change in the findings: the Nan example of docs/combine.md, worked out by hand.

The office (docs/examples/combine/nan-office) and the partners' 3W sheet
(docs/examples/combine/partners-3w.csv) in Bo (บ่อ, 550102), Pha Sing (ผาสิงห์, 550103) and
Nong Daeng (หนองแดง, 550202), all in 2567 BE, with the rule of docs/analysis.md:

Without aliases the sheet's agencies have ids of their own (their Thai names):

- Bo, NCD-SCREEN (health; PHO-NAN's fund, HC-BO runs it) and p_dm (health; ThaiHealth funds,
  สำนักงานสาธารณสุขจังหวัดน่าน and รพ.สต.บ่อ run it): no agency in common -> parallel; no link
  touches either side -> uncoordinated. **False**: both are the provincial health office's.
- Bo, OCC-GROUPS (occupation; CDD-NAN) and p_weave (Livelihoods = occupation; พอช. funds, the Bo
  network runs it): parallel; NAN-PLAN links CDD-NAN and CODI, but the sheet's พอช. is another
  id -> uncoordinated. **Missed**: NAN-PLAN coordinates the two through CODI.
- Pha Sing, OCC-GROUPS and p_goat (livelihood = occupation; พอช.): the same, uncoordinated.
- Bo, LIFE-PLAN (community_planning; CODI) and TAO-BO-PLAN (TAO-BO): parallel, uncoordinated
  (true, in the office's own data already).
- ELDER-CARE (elderly_care) and p_elder (Eldercare -> eldercare): no theme in common, not compared.

With docs/examples/combine/aliases.csv (the health office, the health centre and CODI are one;
eldercare is elderly_care; the Community Development Department is *different* from its Nan office):

- NCD-SCREEN and p_dm share PHO-NAN and HC-BO: not parallel. The false pair is gone.
- OCC-GROUPS and p_weave (Bo), OCC-GROUPS and p_goat (Pha Sing): parallel; CODI is now in
  Stake(p_weave) and Stake(p_goat), NAN-PLAN links CODI and CDD-NAN: coordinated through a
  shared coordinator (clause c).
- ELDER-CARE and p_elder now share elderly_care; Agencies {PHO-NAN, HC-BO} and {the
  department, the Bo network} are disjoint; no link touches them: a true pair, uncoordinated.
- LIFE-PLAN and TAO-BO-PLAN: unchanged.
"""

from __future__ import annotations

from analysis.rule_oracle import brute_force
from graphmodel.analysis.overlaps import pairs
from graphmodel.backends.embedded import EmbeddedBackend
from graphmodel.combine import combine
from graphmodel.dataset import read_dataset

from folders import EXAMPLE

SOURCES = [EXAMPLE / "nan-office", EXAMPLE / "partners-3w.csv"]

BEFORE = {
    ("550102", "LIFE-PLAN", "TAO-BO-PLAN"): False,
    ("550102", "NCD-SCREEN", "p_dm"): False,  # false: one health office under two ids
    ("550102", "OCC-GROUPS", "p_weave"): False,  # missed: NAN-PLAN coordinates them through CODI
    ("550103", "OCC-GROUPS", "p_goat"): False,  # missed, as in Bo
}
AFTER = {
    ("550102", "ELDER-CARE", "p_elder"): False,  # revealed: one theme, spelled two ways
    ("550102", "LIFE-PLAN", "TAO-BO-PLAN"): False,
    ("550102", "OCC-GROUPS", "p_weave"): True,
    ("550103", "OCC-GROUPS", "p_goat"): True,
}


def _found(folder) -> dict[tuple[str, str, str], bool]:
    return {(p.tambon, p.a, p.b): p.coordinated for p in pairs(EmbeddedBackend(read_dataset(folder)))}


def test_without_aliases_the_findings_are_wrong_both_ways(tmp_path):
    combine(SOURCES, tmp_path / "out")
    assert _found(tmp_path / "out") == BEFORE
    assert brute_force(read_dataset(tmp_path / "out")) == BEFORE


def test_reviewed_aliases_remove_the_false_pair_and_reveal_the_coordination(tmp_path):
    combine(SOURCES, tmp_path / "out", aliases=EXAMPLE / "aliases.csv")
    assert _found(tmp_path / "out") == AFTER
    assert brute_force(read_dataset(tmp_path / "out")) == AFTER
    by = {(p.tambon, p.a, p.b): p.coordinated_by for p in pairs(EmbeddedBackend(read_dataset(tmp_path / "out")))}
    assert by[("550102", "OCC-GROUPS", "p_weave")] == by[("550103", "OCC-GROUPS", "p_goat")] == (
        "shared_coordinator",)
