"""The Cypher library (graphmodel/queries/library.py): headers, parameters, fragments, every load error.

What the named queries answer is tested in tests/analysis/test_named_queries.py (both twins).
"""

from __future__ import annotations

import re

import pytest

from graphmodel.errors import ArgumentError, QueryError
from graphmodel.model import NodeLabel, RelType
from graphmodel.queries import (
    Query, QueryFileError, find_params, internal_query, load_ddl, load_internal, load_library, load_user_file,
    parse_queries, resolve,
)

from paths import REPO

F = "cypher/test.cypher"

TWO = """\
// A file may start with comment lines of its own.

// name: first
// params: tambon, year?
// Programs in one tambon.
// Second line of the description.
// example: graphmodel query first --param tambon=802103
MATCH (p:Program)-[:LOCATED_IN]->(:Tambon {id: $tambon})
WHERE $year IS NULL OR p.start_year <= $year
RETURN p.id AS program

// name: second
// Everything, no parameters.
MATCH (n) RETURN count(n) AS n
"""


def problems(text: str) -> list[str]:
    with pytest.raises(QueryFileError) as info:
        parse_queries(text, F)
    return info.value.lines()


# --- headers --------------------------------------------------------------------------------

def test_two_queries_parse_to_self_describing_objects():
    first, second = parse_queries(TWO, F)
    assert first == Query(
        name="first",
        text="MATCH (p:Program)-[:LOCATED_IN]->(:Tambon {id: $tambon})\n"
             "WHERE $year IS NULL OR p.start_year <= $year\nRETURN p.id AS program",
        params=("tambon", "year"), optional=("year",),
        doc="Programs in one tambon.\nSecond line of the description.\n"
            "example: graphmodel query first --param tambon=802103",
        file=F, line=3, positions=((F, 8), (F, 9), (F, 10)),
    )
    assert first.required == ("tambon",)
    assert first.summary == "Programs in one tambon."
    assert first.examples == ["graphmodel query first --param tambon=802103"]
    assert first.signature == "tambon, year?"
    assert first.location == "cypher/test.cypher:3"
    assert first.text_line == 8 and first.source_line(2) == (F, 9)
    assert (second.name, second.params, second.line, second.text) == (
        "second", (), 12, "MATCH (n) RETURN count(n) AS n")


def test_comment_lines_inside_the_text_stay_in_the_text():
    (q,) = parse_queries("// name: q\n// Doc.\nMATCH (n)\n// a comment in the body\nRETURN n\n", F)
    assert q.text == "MATCH (n)\n// a comment in the body\nRETURN n"
    assert q.doc == "Doc."


def test_empty_params_line_means_no_parameters():
    (q,) = parse_queries("// name: q\n// params:\n// Doc.\nRETURN 1\n", F)
    assert q.params == () and q.signature == ""


# --- finding $parameters ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("RETURN $a, $b, $a", {"a": 1, "b": 1}),
    ("RETURN '$no', \"$no\", $yes", {"yes": 1}),
    ("RETURN 'it\\'s $no', \"say \\\"$no\\\"\", $yes", {"yes": 1}),
    ("RETURN 1 // $no\n, $yes /* $no\n $no */, $also", {"yes": 2, "also": 3}),
    ("MATCH (n:`$no`) RETURN n.`$no`, $yes", {"yes": 1}),
    ("RETURN $`odd name`, $0, $tambon_2", {"odd name": 1, "0": 1, "tambon_2": 1}),
    ("RETURN 'unterminated $no", {}),
    ("RETURN '$', $x$y", {"x": 1, "y": 1}),
])
def test_find_params(text, expected):
    assert find_params(text) == expected


# --- load errors, each with its file:line -------------------------------------------------------

def test_duplicate_name_across_files(tmp_path):
    lib = tmp_path / "cypher"
    lib.mkdir()
    (lib / "a.cypher").write_text("// name: q\n// Doc.\nRETURN 1\n", "utf-8")
    (lib / "b.cypher").write_text("// name: other\n// Doc.\nRETURN 1\n// name: q\n// Doc.\nRETURN 2\n", "utf-8")
    with pytest.raises(QueryFileError) as info:
        load_library(lib)
    assert info.value.lines() == ["cypher/b.cypher:4: duplicate query name 'q' (first at cypher/a.cypher:1)"]


NO_HEADER = "no '// name:' header (each query starts with '// name: NAME')"


@pytest.mark.parametrize("text, message", [
    pytest.param("// a comment\n\nMATCH (n) RETURN n\n// name: q\n// Doc.\nRETURN 1\n",
                 "cypher/test.cypher:3: Cypher before any '// name:' header (each query starts with "
                 "'// name: NAME')", id="cypher-before-header"),
    pytest.param("// only a comment\n", f"cypher/test.cypher:1: {NO_HEADER}", id="comments-only"),
    pytest.param("", f"cypher/test.cypher:1: {NO_HEADER}", id="empty-file"),
    pytest.param("// name: q\n// params: tambon\n// Doc.\nMATCH (t:Tambon {id: $tambon})\nWHERE t.x = $typo\n",
                 "cypher/test.cypher:5: query 'q' uses $typo but its '// params:' line does not list it",
                 id="param-not-listed"),
    pytest.param("// name: q\n// Doc.\nRETURN $x\n",
                 "cypher/test.cypher:3: query 'q' uses $x but its '// params:' line does not list it",
                 id="no-params-line"),
    pytest.param("// name: q\n// params: tambon, year?\n// Doc.\nMATCH (t:Tambon {id: $tambon})\nRETURN '$year'\n",
                 "cypher/test.cypher:2: query 'q' lists parameter 'year' but its text never uses $year",
                 id="param-never-used"),
    pytest.param("// name: q\n// Doc.\nRETURN 1\n\n// name: q\n// Doc.\nRETURN 2\n",
                 "cypher/test.cypher:5: duplicate query name 'q' (first at cypher/test.cypher:1)",
                 id="duplicate-name"),
    ("// name: bad-name\n// Doc.\nRETURN 1\n",
     "cypher/test.cypher:1: bad query name 'bad-name' (letters, digits and _)"),
    ("// name: q\n// params: a b\n// Doc.\nRETURN 1\n",
     "cypher/test.cypher:2: bad parameter name 'a b' in '// params:' (letters, digits and _, then '?' if optional)"),
    ("// name: q\n// params: a, a?\n// Doc.\nRETURN $a\n",
     "cypher/test.cypher:2: parameter 'a' listed twice in '// params:'"),
    ("// name: q\n// params: a\n// params: b\n// Doc.\nRETURN $a\n",
     "cypher/test.cypher:3: second '// params:' line for query 'q'"),
    ("// name: q\n// Doc.\n\n\n// name: r\n// Doc.\nRETURN 1\n",
     "cypher/test.cypher:1: query 'q' has no Cypher text"),
    ("// name: q\n// Doc.\n\n/* only\n a comment */\n",
     "cypher/test.cypher:1: query 'q' has no Cypher text"),
    ("// name: q\nRETURN 1\n",
     "cypher/test.cypher:1: query 'q' has no description (add '//' lines saying what it returns under the name)"),
    pytest.param("// name: q\n// labels: label\n// Doc.\nMATCH (n:`{label}`)-[:`{type}`]->() RETURN n\n",
                 "cypher/test.cypher:4: query 'q' uses `{type}` but its '// labels:' line does not list it",
                 id="slot-not-listed"),
    pytest.param("// name: q\n// labels: label, type\n// Doc.\nMATCH (n:`{label}`) RETURN '`{type}`'\n",
                 "cypher/test.cypher:2: query 'q' lists label slot 'type' but its text never uses `{type}`",
                 id="slot-never-used"),
    ("// name: q\n// labels: label?\n// Doc.\nMATCH (n) RETURN n\n",
     "cypher/test.cypher:2: bad label slot name 'label?' in '// labels:' (letters, digits and _)"),
    ("// name: q\n// labels: label\n// labels: label\n// Doc.\nMATCH (n:`{label}`) RETURN n\n",
     "cypher/test.cypher:3: second '// labels:' line for query 'q'"),
])
def test_each_load_error(text, message):
    assert problems(text) == [message]


def test_every_problem_is_reported_at_once():
    text = "RETURN 0\n// name: q\n// Doc.\nRETURN $x\n// name: q\n// Doc.\nRETURN 1\n"
    assert problems(text) == [
        "cypher/test.cypher:1: Cypher before any '// name:' header (each query starts with '// name: NAME')",
        "cypher/test.cypher:4: query 'q' uses $x but its '// params:' line does not list it",
        "cypher/test.cypher:5: duplicate query name 'q' (first at cypher/test.cypher:2)",
    ]


def test_missing_library_folder(tmp_path):
    with pytest.raises(QueryError, match="the Cypher library folder .* does not exist"):
        load_library(tmp_path / "nope")


# --- label slots -------------------------------------------------------------------------------

SLOTS = ("// name: from\n// params: ids\n// labels: start, type\n// Relationships of one type.\n"
         "UNWIND $ids AS id MATCH (a:`{start}` {id: id})-[r:`{type}`]->(b:`Tambon`) RETURN a.id, b.id\n")


def test_label_slots_are_filled_as_labels():
    q = parse_queries(SLOTS, F)[0]
    assert q.labels == ("start", "type")
    filled = q.with_labels(start="Program", type="LOCATED_IN")
    assert q.with_labels(start=NodeLabel.Program, type=RelType.LOCATED_IN) == filled
    assert filled.text == ("UNWIND $ids AS id MATCH (a:`Program` {id: id})-[r:`LOCATED_IN`]->(b:`Tambon`) "
                           "RETURN a.id, b.id")
    assert (filled.labels, filled.positions, filled.bind({"ids": ["p"]})) == ((), q.positions, {"ids": ["p"]})


def test_a_query_whose_slots_are_empty_does_not_run():
    q = parse_queries(SLOTS, F)[0]
    with pytest.raises(QueryError) as info:
        q.bind({"ids": []})
    assert str(info.value) == ("cypher/test.cypher:1: query 'from' leaves the labels start, type to fill, "
                               "which only graphmodel's own queries do")
    for given, message in (({"start": "Program"}, "has the label slots start, type; given: start"),
                           ({"start": "Program", "type": "A`] DETACH DELETE (a) //"}, "is not a label name")):
        with pytest.raises(ArgumentError, match=message):
            q.with_labels(**given)


# --- graphmodel's own queries --------------------------------------------------------------------

def test_graphmodels_own_queries_are_apart_and_documented():
    internal, library = load_internal(), load_library()
    assert {"graph_state", "nodes_first_page", "nodes_next_page", "relationships_from", "dataset_names",
            "procedure_modes", "plugin_functions", "server_answers"} <= set(internal)
    assert not set(internal) & set(library)
    for q in internal.values():
        assert q.file.startswith("cypher/internal/") and q.summary and (REPO / q.file).is_file(), q.name
        assert internal_query(q.name, **{slot: "Program" for slot in q.labels}).labels == ()
    assert all(not q.labels for q in library.values())  # a slot is for graphmodel's own queries
    with pytest.raises(QueryError, match="^no query named 'graph_state'"):
        resolve("graph_state")


def test_graphmodels_own_queries_name_the_models_labels_and_types():
    """The queries of one dataset (cypher/internal/backend.cypher) list the model's labels and types."""
    internal = load_internal()
    labels, types = {label.value for label in NodeLabel}, {rtype.value for rtype in RelType}
    for name in ("dataset_wrote_a_node", "dataset_names"):
        (written,) = re.findall(r"\(n:([\w|]+)\)", internal[name].text)
        assert set(written.split("|")) == labels, name
    assert set(re.findall(r"RETURN '(\w+)' AS type", internal["dataset_counts"].text)) == labels | types


# --- the library itself -------------------------------------------------------------------------

def test_library_has_the_named_queries_each_documented():
    library = load_library()
    assert {"schema", "counts", "overlaps", "tambon_stakeholders", "agency_footprint", "fund_flows",
            "pilots_without_normal_partner", "shared_groups"} <= set(library)
    for q in library.values():
        assert q.file.startswith("cypher/") and q.summary, q.name
        assert (REPO / q.file).is_file()
    for name in ("overlaps", "tambon_stakeholders", "agency_footprint", "fund_flows",
                 "pilots_without_normal_partner", "shared_groups", "schema", "counts"):
        assert library[name].examples, name
        assert all(e.startswith(f"graphmodel query {name}") for e in library[name].examples), name
    assert library["overlaps"].signature == "tambon?, district?, province?, tambons?"
    assert "schema_constraints" not in library  # DDL is apart from the read-only library
    assert load_ddl().name == "schema_constraints"


# --- binding parameters -----------------------------------------------------------------------

def test_bind_fills_optional_parameters_with_null():
    q = parse_queries(TWO, F)[0]
    assert q.bind({"tambon": "802103"}) == {"tambon": "802103", "year": None}
    assert q.bind({"tambon": "802103", "year": 2006}) == {"tambon": "802103", "year": 2006}


def test_bind_names_unknown_then_missing_parameters():
    first, second = parse_queries(TWO, F)
    with pytest.raises(QueryError) as info:
        first.bind({"tambon": "1", "yr": 1, "x": 2})
    assert str(info.value) == "query 'first' has no parameters 'yr', 'x' (its parameters: tambon, year?)"
    with pytest.raises(QueryError) as info:
        second.bind({"x": 1})
    assert str(info.value) == "query 'second' has no parameter 'x' (it takes none)"
    with pytest.raises(QueryError) as info:
        first.bind({"year": 2006})
    assert str(info.value) == "query 'first' needs parameter 'tambon'"


# --- an analyst's own file ----------------------------------------------------------------------

def test_user_file_without_header(tmp_path):
    path = tmp_path / "my_question.cypher"
    path.write_text("\n// what codi funds\nMATCH (:Agency {id: $agency})-[:MANAGES]->(f)\n"
                    "WHERE f.fiscal_year = $year RETURN f, '$x'\n", "utf-8")
    q = load_user_file(path)
    assert (q.name, q.params, q.optional, q.file, q.line) == (
        "my_question", ("agency", "year"), (), str(path), 2)
    assert q.text.startswith("// what codi funds\nMATCH")
    with pytest.raises(QueryError, match=r"^query 'my_question' needs parameter 'year'$"):
        q.bind({"agency": "codi"})


def test_user_file_with_header(tmp_path):
    path = tmp_path / "mine.cypher"
    path.write_text("// name: footprint\n// params: agency?\nMATCH (a:Agency) WHERE a.id = $agency RETURN a\n",
                    "utf-8")
    q = load_user_file(path)
    assert (q.name, q.params, q.optional, q.doc) == ("footprint", ("agency",), ("agency",), "")


def test_user_file_problems(tmp_path):
    many = tmp_path / "many.cypher"
    many.write_text("// name: a\nRETURN 1\n// name: b\nRETURN 2\n", "utf-8")
    with pytest.raises(QueryError) as info:
        load_user_file(many)
    assert str(info.value) == f"{many}: holds 2 queries (a, b); put the one to run in a file of its own"
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: a\nRETURN $x\n", "utf-8")
    with pytest.raises(QueryError) as info:
        load_user_file(bad)
    assert str(info.value) == f"{bad}:2: query 'a' uses $x but its '// params:' line does not list it"
    for text in ("\n\n", "// only a comment\n/* and\n another */\n"):
        empty = tmp_path / "empty.cypher"
        empty.write_text(text, "utf-8")
        with pytest.raises(QueryError) as info:
            load_user_file(empty)
        assert str(info.value) == f"{empty}: the file holds no Cypher"
    (tmp_path / "string.cypher").write_text("// a string is Cypher\nRETURN 'x'\n", "utf-8")
    assert load_user_file(tmp_path / "string.cypher").text_line == 1


def test_resolve_a_name_or_a_file(tmp_path, monkeypatch):
    library = load_library()
    assert resolve("overlaps", library) is library["overlaps"]
    path = tmp_path / "q.cypher"
    path.write_text("RETURN 1 AS one\n", "utf-8")
    assert resolve(str(path), library).name == "q"
    monkeypatch.chdir(tmp_path)
    assert resolve("q.cypher", {}).name == "q"  # a file needs no library
    (tmp_path / "overlaps").write_text("RETURN 1\n", "utf-8")
    assert resolve("overlaps", library) is library["overlaps"]  # a bare name is a library name
    with pytest.raises(QueryError) as info:
        resolve("overlap", library)
    assert str(info.value) == ("no query named 'overlap' (graphmodel query --list shows them; "
                               "a file of your own must end in .cypher)")
    with pytest.raises(QueryError) as info:
        resolve("missing.cypher", library)
    assert str(info.value) == "missing.cypher: no such file"


# --- the library's documentation -----------------------------------------------------------------

def test_docs_describe_every_named_query():
    from paths import REPO

    doc = (REPO / "docs" / "cypher.md").read_text("utf-8")
    for name, q in load_library().items():
        assert f"\n### {name}\n" in doc, name
        for example in q.examples:
            if example.startswith("graphmodel query"):
                assert example in doc, example
