"""``--param`` of ``graphmodel query`` (graphmodel/cli/params.py): text made into typed parameters.

tests/cli/test_query.py runs the command with them.
"""

from __future__ import annotations

import pytest

from graphmodel.cli.params import parse_param, parse_params
from graphmodel.errors import QueryError


@pytest.mark.parametrize("arg, expected", [
    ("tambon=802103", ("tambon", "802103")),
    ("code=0801", ("code", "0801")),  # a string: DOPA codes keep their leading zero
    ("year=2006", ("year", "2006")),  # still a string without ':='
    ("name=a=b", ("name", "a=b")),
    ("empty=", ("empty", "")),
    ("year:=2006", ("year", 2006)),
    ("amount:=1.5e5", ("amount", 150000.0)),
    ("pilot:=true", ("pilot", True)),
    ("x:=null", ("x", None)),
    ('ids:=["a", "b"]', ("ids", ["a", "b"])),
    ('code:="0801"', ("code", "0801")),
])
def test_parse_param(arg, expected):
    assert parse_param(arg) == expected


@pytest.mark.parametrize("arg, message", [
    ("tambon", "bad --param 'tambon': write NAME=TEXT, or NAME:=JSON for a number, true/false, null or a list"),
    ("=1", "bad --param '=1': write NAME=TEXT, or NAME:=JSON for a number, true/false, null or a list"),
    ("a-b=1", "bad --param 'a-b=1': write NAME=TEXT, or NAME:=JSON for a number, true/false, null or a list"),
    ("year:=20o6", "bad --param 'year:=20o6': '20o6' after ':=' is not JSON (a string is written NAME=TEXT)"),
])
def test_parse_param_errors(arg, message):
    with pytest.raises(QueryError) as info:
        parse_param(arg)
    assert str(info.value) == message


def test_parse_params_rejects_a_name_given_twice():
    assert parse_params(["a=1", "b:=2"]) == {"a": "1", "b": 2}
    with pytest.raises(QueryError, match=r"^--param a given twice$"):
        parse_params(["a=1", "a:=1"])
