"""A hostile dataset: every text field holds a script, Cypher or look-alike payload (issue 12).

Used by the tests that check graphmodel keeps hostile text inert wherever it
goes: stored and returned verbatim by Neo4j (tests/neo4j/test_hostile.py),
shown as text in the HTML views (tests/views/test_html.py), and wherever a
new output lands (reports, exports: add them to those tests with this
fixture). :func:`write_hostile` writes the folder; :data:`HOSTILE_ROWS` is
what it holds, so tests compare against these hand-written values, never
against the program's own output.

The graph, worked out by hand from the rows below (docs/analysis.md's rule):

- tambon 802103 (Kalo, district 8021, province 80) holds programs P1, P2 and P3;
  tambon 801208 (Hu Long, district 8012) holds P3 and group G1;
- Agencies(P1) = {A1} (fund F1 of A1 pays for P1, A1 also runs it),
  Agencies(P2) = {A2} (fund F2 of A2), Agencies(P3) = {} (only group G1 runs it);
- P1 and P2 share theme T1, P1 and P3 share theme T2, P2 and P3 share none;
- the coordination link G1–A1 (for 802103) joins P3's group to P1's agency,
  the link A3–A2 touches P2 only: so in 802103 the pair (P1, P2) is parallel and
  **uncoordinated** and (P1, P3) is parallel and coordinated. Nothing else is parallel.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["HTML", "CYPHER", "HOSTILE_ROWS", "IDS", "THEMES", "KALO", "HU_LONG", "UNCOORDINATED",
           "COORDINATED", "EXTRA_COLUMN", "all_strings", "write_hostile"]

#: Markup that would run if a page pasted it in as HTML (each sets ``window.__xss``).
HTML = {
    "script": "<script>window.__xss=1</script>",
    "img": '<img src=x onerror="window.__xss=2">',
    "quotes": "\"'><svg onload=window.__xss=3>",
    "close": "</script><script>window.__xss=4</script>",
    "attr": "\" onmouseover=\"window.__xss=5\" x='",
    "iframe": '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
    "javascript_url": "javascript:window.__xss=7",
    "css": "</style><style>body{background:url(http://127.0.0.1:9/css)}</style>",
}

#: Text that would change a query if it were pasted into Cypher instead of passed as a parameter.
CYPHER = {
    "detach": "x}) DETACH DELETE n //",
    "backtick": "`Agency`",
    "param": "$tambon",
    "or": "' OR 1=1 //",
    "thai_quotes": "กะหรอ \"ตำบล\" 'หมู่ ๑' `ทดสอบ`",
    "label": ":Agency {id: 'codi'}",
    "call": "'}) CALL db.createLabel('X') //",
    "escapes": "a\\'b\\\"c\\\\ \\u0027)",
}

KALO, HU_LONG = "802103", "801208"

#: The ids: each a payload (ids may hold any text but invisible characters).
IDS = {
    "A1": CYPHER["detach"], "A2": CYPHER["backtick"], "A3": HTML["script"],
    "F1": CYPHER["param"], "F2": HTML["close"],
    "P1": CYPHER["or"], "P2": HTML["img"], "P3": CYPHER["thai_quotes"],
    "G1": CYPHER["label"],
}
#: Theme codes (no ``;``: it separates them).
THEMES = {"T1": CYPHER["call"], "T2": HTML["attr"]}
#: An extra column whose very name is Cypher-like (it becomes a property key).
EXTRA_COLUMN = "note`}) SET n.x = 1 //"

_A1, _A2, _A3, _F1, _F2, _P1, _P2, _P3, _G1 = (IDS[k] for k in ("A1", "A2", "A3", "F1", "F2", "P1", "P2",
                                                             "P3", "G1"))
_T1, _T2 = THEMES["T1"], THEMES["T2"]
H, C = HTML, CYPHER

#: Every file of the folder: a header and rows, each cell as written.
HOSTILE_ROWS: dict[str, list[dict[str, str]]] = {
    "agencies": [
        {"id": _A1, "name": H["script"], "name_en": C["escapes"], "kind": "line_agency", "parent": "",
         "source": H["img"], "website": H["javascript_url"]},
        {"id": _A2, "name": H["img"], "name_en": H["attr"], "kind": "special_agency", "parent": "",
         "source": C["detach"], "website": ""},
        {"id": _A3, "name": C["thai_quotes"], "name_en": H["css"], "kind": "provincial", "parent": _A1,
         "source": C["param"], "website": H["iframe"]},
    ],
    "funds": [
        {"id": _F1, "name": H["close"], "name_en": C["or"], "agency": _A1, "channel": "normal",
         "amount_thb": "1,000,000", "source": H["quotes"]},
        {"id": _F2, "name": C["call"], "name_en": H["iframe"], "agency": _A2, "channel": "special",
         "amount_thb": "", "source": H["script"]},
    ],
    "programs": [
        {"id": _P1, "name": H["close"], "name_en": H["iframe"], "themes": f"{_T1};{_T2}",
         "start_year": "2549", "end_year": "2549", "source": C["label"], "note": H["img"],
         "link": H["javascript_url"], "style": H["css"], EXTRA_COLUMN: C["backtick"]},
        {"id": _P2, "name": H["attr"], "name_en": H["script"], "themes": _T1,
         "start_year": "2006", "end_year": "2007", "source": H["quotes"], "note": C["detach"],
         "link": "", "style": "", EXTRA_COLUMN: ""},
        {"id": _P3, "name": C["backtick"], "name_en": C["escapes"], "themes": _T2,
         "start_year": "2006", "end_year": "2006", "source": "", "note": C["param"],
         "link": H["javascript_url"], "style": H["css"], EXTRA_COLUMN: C["thai_quotes"]},
    ],
    "groups": [
        {"id": _G1, "name": H["iframe"], "name_en": C["or"], "kind": H["img"], "tambon": HU_LONG,
         "source": C["call"]},
    ],
    "funding": [
        {"fund": _F1, "program": _P1, "amount_thb": "250,000", "fiscal_year": "2549", "source": H["close"]},
        {"fund": _F2, "program": _P2, "amount_thb": "", "fiscal_year": "", "source": C["escapes"]},
    ],
    "implementation": [
        {"implementer": _A1, "program": _P1, "role": H["script"], "source": C["param"]},
        {"implementer": _G1, "program": _P3, "role": H["img"], "source": H["attr"]},
    ],
    "locations": [
        {"program": _P1, "tambon": KALO, "source": H["css"]},
        {"program": _P2, "tambon": KALO, "source": C["detach"]},
        {"program": _P3, "tambon": KALO, "source": H["javascript_url"]},
        {"program": _P3, "tambon": HU_LONG, "source": ""},
    ],
    "coordination": [
        {"a": _G1, "b": _A1, "mechanism": H["close"], "tambon": KALO, "source": C["label"]},
        {"a": _A3, "b": _A2, "mechanism": C["call"], "tambon": "", "source": H["quotes"]},
    ],
}

#: The one uncoordinated and the one coordinated parallel pair, in 802103, ids sorted.
UNCOORDINATED = tuple(sorted((_P1, _P2)))
COORDINATED = tuple(sorted((_P1, _P3)))


def all_strings() -> set[str]:
    """Every payload string, HTML and Cypher."""
    return set(HTML.values()) | set(CYPHER.values())


def write_hostile(folder: Path, files: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write :data:`HOSTILE_ROWS` (or ``files``, rows of the same shape) as a dataset folder
    (UTF-8 CSV, the csv module's quoting)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (HOSTILE_ROWS if files is None else files).items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder
