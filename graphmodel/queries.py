"""The Cypher library: named queries in ``cypher/*.cypher``, loaded and run read-only.

Each file holds one or more queries, aiosql-style. A query starts with a
header of ``//`` comment lines, then its Cypher text runs up to the next
``// name:`` line or the end of the file::

    // name: agency_footprint
    // params: agency, year?
    // Every fund the agency manages and every program it funds or runs,
    // with the tambons of each program.
    // example: graphmodel query agency_footprint --param agency=codi
    MATCH (a:Agency {id: $agency}) ...

``// params:`` lists the parameters, comma-separated; a trailing ``?`` marks
an optional one, which defaults to null. The other header lines are the
documentation; lines starting with ``example:`` are example calls. The loader
finds every ``$name`` the text uses (not inside strings or comments) and
rejects, with ``cypher/FILE.cypher:LINE``, a header that does not match the
text, a duplicate name, or Cypher without a header.

An analyst's own file may leave the header out: it then holds one query,
named after the file, whose parameters (all required) are the ``$name``\\ s
the text uses.

Parameters are always sent to the server as driver parameters, never pasted
into the text, and queries run in a read transaction, so the server refuses
any write.

Examples
--------
>>> q = parse_queries('''// name: programs_in
... // params: tambon, year?
... // Programs located in one tambon.
... // example: graphmodel query programs_in --param tambon=802103
... MATCH (p:Program)-[:LOCATED_IN]->(:Tambon {id: $tambon})
... WHERE $year IS NULL OR p.start_year <= $year <= p.end_year
... RETURN p.id AS program, '$not_a_param' AS text
... ''', "cypher/example.cypher")[0]
>>> q.name, q.params, q.optional, q.summary
('programs_in', ('tambon', 'year'), ('year',), 'Programs located in one tambon.')
>>> q.bind({"tambon": "802103"})
{'tambon': '802103', 'year': None}
>>> q.bind({"tambon": "802103", "yaer": 2006})
Traceback (most recent call last):
...
graphmodel.errors.QueryError: query 'programs_in' has no parameter 'yaer' (its parameters: tambon, year?)
>>> parse_param("tambon=0801"), parse_param("year:=2006")
(('tambon', '0801'), ('year', 2006))
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .errors import QueryError

__all__ = [
    "LIBRARY_DIR",
    "Query",
    "QueryFileError",
    "QueryResult",
    "iter_rows",
    "find_params",
    "parse_queries",
    "load_file",
    "load_library",
    "load_user_file",
    "resolve",
    "parse_param",
    "parse_params",
    "run",
    "plain",
]

#: Where the named queries live: ``cypher/`` at the repository root.
LIBRARY_DIR = Path(__file__).resolve().parent.parent / "cypher"

_IDENT = r"[^\W\d]\w*"
_NAME_LINE = re.compile(r"^\s*//\s*name\s*:\s*(.*?)\s*$")
_PARAMS_LINE = re.compile(r"^params\s*:\s*(.*?)\s*$")
_COMMENT_LINE = re.compile(r"^\s*//(.*)$")
_IDENT_RE = re.compile(rf"^{_IDENT}$")
_PARAM_REF = re.compile(rf"\$(?:({_IDENT})|([0-9]+)|`((?:[^`]|``)+)`)")


class QueryFileError(QueryError):
    """One or more problems in a ``.cypher`` file; each line cites ``FILE:LINE``."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):
        return (type(self), (self.problems,))

    def lines(self) -> list[str]:
        return list(self.problems)


@dataclass(frozen=True)
class Query:
    """One named Cypher query, self-describing.

    ``params`` are all parameter names in header order (for a header-less
    user file: in order of first use); ``optional`` the ones that default
    to null; ``doc`` the description lines of the header; ``line`` the line
    of the ``// name:`` header in ``file`` and ``text_line`` the line the
    Cypher text starts on (both the first line of text in a header-less file).
    """

    name: str
    text: str
    params: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    doc: str = ""
    file: str = "<string>"
    line: int = 1
    text_line: int = 0

    def __post_init__(self):
        if not self.text_line:
            object.__setattr__(self, "text_line", self.line)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p not in self.optional)

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def examples(self) -> list[str]:
        """The ``example:`` lines of the documentation, without the prefix."""
        return [line.split(":", 1)[1].strip() for line in self.doc.splitlines()
                if line.lower().startswith("example:")]

    @property
    def signature(self) -> str:
        """The parameters as the header writes them, e.g. ``tambon?, province?``."""
        return ", ".join(p + ("?" if p in self.optional else "") for p in self.params)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The driver parameters for a run: ``given`` checked, optional ones defaulted to None.

        Raises
        ------
        QueryError
            naming every unknown parameter, else every missing one.
        """
        given = dict(given or {})
        unknown = [k for k in given if k not in self.params]
        if unknown:
            its = f"its parameters: {self.signature}" if self.params else "it takes none"
            raise QueryError(f"query {self.name!r} has no {_plural('parameter', unknown)} ({its})")
        missing = [p for p in self.required if p not in given]
        if missing:
            raise QueryError(f"query {self.name!r} needs {_plural('parameter', missing)}")
        return {p: given.get(p) for p in self.params}


def _plural(word: str, names: list[str]) -> str:
    quoted = ", ".join(repr(n) for n in names)
    return f"{word}{'s' if len(names) != 1 else ''} {quoted}"


# --- finding $parameters ----------------------------------------------------

def _spans(text: str) -> Iterable[tuple[str, int, str]]:
    """``(kind, offset, chunk)`` covering ``text``; kind is ``code``, ``quoted``
    (a string literal or a quoted name) or ``comment``."""
    i, n, start = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch in "'\"`" or text.startswith("//", i) or text.startswith("/*", i):
            if i > start:
                yield "code", start, text[start:i]
            begin, kind = i, "comment"
            if ch in "'\"`":
                kind, i = "quoted", i + 1
                while i < n and text[i] != ch:
                    i += 2 if text[i] == "\\" and ch != "`" else 1
                i += 1
            elif text.startswith("//", i):
                end = text.find("\n", i)
                i = n if end < 0 else end
            else:
                end = text.find("*/", i + 2)
                i = n if end < 0 else end + 2
            yield kind, begin, text[begin:i]
            start = i
        elif text.startswith("$`", i):  # a quoted parameter name, $`odd name`, is code
            end = text.find("`", i + 2)
            while end >= 0 and text.startswith("``", end):
                end = text.find("`", end + 2)
            i = n if end < 0 else end + 1
        else:
            i += 1
    if start < n:
        yield "code", start, text[start:]


def _has_code(text: str) -> bool:
    """Whether ``text`` holds anything besides whitespace and comments."""
    return any(kind != "comment" and chunk.strip() for kind, _, chunk in _spans(text))


def find_params(text: str) -> dict[str, int]:
    """The ``$parameters`` ``text`` uses, each with the line (1-based) of its first use.

    ``$`` inside string literals, quoted names and comments is not a parameter.

    >>> find_params("MATCH (t {id: $tambon}) // $not\\nRETURN '$x', $tambon, $`odd one`, $0")
    {'tambon': 1, 'odd one': 2, '0': 2}
    """
    found: dict[str, int] = {}
    for kind, offset, chunk in _spans(text):
        if kind != "code":
            continue
        for m in _PARAM_REF.finditer(chunk):
            name = m.group(1) or m.group(2) or m.group(3).replace("``", "`")
            found.setdefault(name, text.count("\n", 0, offset + m.start()) + 1)
    return found


# --- parsing files ------------------------------------------------------------

@dataclass
class _Block:
    name: str
    line: int
    header: list[tuple[int, str]] = field(default_factory=list)  # (line, comment text)
    body: list[tuple[int, str]] = field(default_factory=list)  # (line, source line)


def _split(text: str, file: str, problems: list[str], *, header_optional: bool) -> list[_Block]:
    blocks: list[_Block] = []
    preamble: list[tuple[int, str]] = []
    in_header = False
    for no, raw in enumerate(text.splitlines(), 1):
        m = _NAME_LINE.match(raw)
        if m:
            blocks.append(_Block(m.group(1), no))
            in_header = True
            continue
        comment = _COMMENT_LINE.match(raw)
        if blocks and in_header and comment:
            blocks[-1].header.append((no, comment.group(1).strip()))
            continue
        in_header = False
        if blocks:
            blocks[-1].body.append((no, raw))
        else:
            preamble.append((no, raw))
    code = [(no, raw) for no, raw in preamble if raw.strip() and not _COMMENT_LINE.match(raw)]
    if not blocks and header_optional:
        return []
    if code:
        problems.append(f"{file}:{code[0][0]}: Cypher before any '// name:' header "
                        f"(each query starts with '// name: NAME')")
    elif not blocks:
        problems.append(f"{file}:1: no '// name:' header (each query starts with '// name: NAME')")
    return blocks


def _parse_signature(value: str, where: str, problems: list[str]) -> tuple[list[str], list[str]]:
    params: list[str] = []
    optional: list[str] = []
    for item in (s.strip() for s in value.split(",")):
        if not item:
            continue
        name = item[:-1].strip() if item.endswith("?") else item
        if not _IDENT_RE.match(name):
            problems.append(f"{where}: bad parameter name {item!r} in '// params:' "
                            f"(letters, digits and _, then '?' if optional)")
        elif name in params:
            problems.append(f"{where}: parameter {name!r} listed twice in '// params:'")
        else:
            params.append(name)
            if name != item:
                optional.append(name)
    return params, optional


def _build(block: _Block, file: str, problems: list[str], *, need_doc: bool) -> Query | None:
    before = len(problems)
    where = f"{file}:{block.line}"
    if not _IDENT_RE.match(block.name):
        problems.append(f"{where}: bad query name {block.name!r} (letters, digits and _)")
    params: list[str] = []
    optional: list[str] = []
    params_line: int | None = None
    doc: list[str] = []
    for no, comment in block.header:
        m = _PARAMS_LINE.match(comment)
        if m:
            if params_line is not None:
                problems.append(f"{file}:{no}: second '// params:' line for query {block.name!r}")
                continue
            params_line = no
            params, optional = _parse_signature(m.group(1), f"{file}:{no}", problems)
        else:
            doc.append(comment)
    while block.body and not block.body[-1][1].strip():
        block.body.pop()
    while block.body and not block.body[0][1].strip():
        block.body.pop(0)
    text = "\n".join(raw for _, raw in block.body)
    if not _has_code(text):
        problems.append(f"{where}: query {block.name!r} has no Cypher text")
        return None
    first = block.body[0][0]
    if need_doc and not doc:
        problems.append(f"{where}: query {block.name!r} has no description "
                        f"(add '//' lines saying what it returns under the name)")
    used = {name: first + line - 1 for name, line in find_params(text).items()}
    for name, no in used.items():
        if name not in params:
            problems.append(f"{file}:{no}: query {block.name!r} uses ${name} but its "
                            f"'// params:' line does not list it")
    for name in params:
        if name not in used:
            problems.append(f"{file}:{params_line}: query {block.name!r} lists parameter "
                            f"{name!r} but its text never uses ${name}")
    if len(problems) > before:
        return None
    return Query(name=block.name, text=text, params=tuple(params), optional=tuple(optional),
                 doc="\n".join(doc).strip(), file=file, line=block.line, text_line=first)


def parse_queries(text: str, file: str = "<string>") -> list[Query]:
    """Parse the text of one ``.cypher`` file of the library into its queries.

    Parameters
    ----------
    text : str
        The file's content.
    file : str
        How messages name the file, e.g. ``cypher/overlaps.cypher``.

    Raises
    ------
    QueryFileError
        listing every problem, each as ``FILE:LINE: what is wrong``.
    """
    problems: list[str] = []
    queries = _parse(text, file, problems, header_optional=False)
    if problems:
        raise QueryFileError(problems)
    return queries


def _parse(text: str, file: str, problems: list[str], *, header_optional: bool) -> list[Query]:
    out: list[Query] = []
    seen: dict[str, int] = {}
    for block in _split(text, file, problems, header_optional=header_optional):
        if block.name in seen:
            problems.append(f"{file}:{block.line}: duplicate query name {block.name!r} "
                            f"(first at {file}:{seen[block.name]})")
            continue
        seen[block.name] = block.line
        q = _build(block, file, problems, need_doc=not header_optional)
        if q is not None:
            out.append(q)
    return out


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"{label}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{label}: cannot read: {exc}") from None


def load_file(path: str | Path, *, label: str | None = None) -> list[Query]:
    """The queries of one library file (headers required); ``label`` names it in messages."""
    path = Path(path)
    label = label or str(path)
    return parse_queries(_read(path, label), label)


def load_library(directory: str | Path = LIBRARY_DIR) -> dict[str, Query]:
    """Every named query of ``directory/*.cypher``, by name, in file then line order.

    Messages name files as ``cypher/FILE.cypher``. Problems in all files are
    collected and raised together, duplicate names across files included.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise QueryError(f"the Cypher library folder {directory} does not exist")
    problems: list[str] = []
    library: dict[str, Query] = {}
    for path in sorted(directory.glob("*.cypher")):
        label = f"{directory.name}/{path.name}"
        for q in _parse(_read(path, label), label, problems, header_optional=False):
            if q.name in library:
                problems.append(f"{q.location}: duplicate query name {q.name!r} "
                                f"(first at {library[q.name].location})")
            else:
                library[q.name] = q
    if problems:
        raise QueryFileError(problems)
    return library


def load_user_file(path: str | Path) -> Query:
    """An analyst's own ``.cypher`` file: one query, with or without a header.

    Without a header the query is named after the file and every ``$name``
    its text uses is a required parameter.
    """
    path = Path(path)
    label = str(path)
    text = _read(path, label)
    problems: list[str] = []
    queries = _parse(text, label, problems, header_optional=True)
    if problems:
        raise QueryFileError(problems)
    if len(queries) > 1:
        names = ", ".join(q.name for q in queries)
        raise QueryError(f"{label}: holds {len(queries)} queries ({names}); "
                         f"put the one to run in a file of its own")
    if queries:
        return queries[0]
    body = text.strip()
    if not _has_code(body):
        raise QueryError(f"{label}: the file holds no Cypher")
    first = text.count("\n", 0, text.index(body)) + 1
    params = tuple(find_params(body))
    return Query(name=path.stem, text=body, params=params, file=label, line=first)


def resolve(spec: str, library: Mapping[str, Query] | None = None) -> Query:
    """The query ``spec`` names: a path ending in ``.cypher`` (or holding a ``/``) is
    the analyst's own file, anything else a name in the library."""
    if spec.endswith(".cypher") or "/" in spec or os.sep in spec:
        return load_user_file(spec)
    library = load_library() if library is None else library
    if spec in library:
        return library[spec]
    raise QueryError(f"no query named {spec!r} (graphmodel query --list shows them; "
                     f"a file of your own must end in .cypher)")


# --- parameters from the command line -----------------------------------------

def parse_param(arg: str) -> tuple[str, Any]:
    """One ``--param``: ``k=v`` gives the string ``v``; ``k:=JSON`` gives a typed value.

    Strings stay strings, so a DOPA code such as ``0801`` keeps its leading
    zero; numbers, booleans, null, lists and maps are written as JSON after
    ``:=``.

    >>> parse_param("province=80"), parse_param("min:=1e5"), parse_param("ids:=[\\"a\\", \\"b\\"]")
    (('province', '80'), ('min', 100000.0), ('ids', ['a', 'b']))
    >>> parse_param("pilot:=true"), parse_param("name=a=b"), parse_param("x:=null")
    (('pilot', True), ('name', 'a=b'), ('x', None))
    """
    key, sep, value = arg.partition("=")
    typed = sep and key.endswith(":")
    if typed:
        key = key[:-1]
    key = key.strip()
    if not sep or not _IDENT_RE.match(key):
        raise QueryError(f"bad --param {arg!r}: write NAME=TEXT, or NAME:=JSON for a number, "
                         f"true/false, null or a list")
    if not typed:
        return key, value
    try:
        return key, json.loads(value)
    except ValueError:
        raise QueryError(f"bad --param {arg!r}: {value!r} after ':=' is not JSON "
                         f"(a string is written NAME=TEXT)") from None


def parse_params(args: Iterable[str]) -> dict[str, Any]:
    """Several ``--param`` values; a name given twice is an error."""
    out: dict[str, Any] = {}
    for arg in args:
        key, value = parse_param(arg)
        if key in out:
            raise QueryError(f"--param {key} given twice")
        out[key] = value
    return out


# --- running ------------------------------------------------------------------

@dataclass(frozen=True)
class QueryResult:
    """The columns and rows a query returned, as plain Python values."""

    columns: list[str]
    rows: list[dict[str, Any]]


def plain(value: Any) -> Any:
    """A driver value as plain JSON-able Python: nodes, relationships and paths as dicts.

    A node becomes ``{"labels": [...], "properties": {...}}``, a relationship
    ``{"type", "start", "end", "properties"}`` (ends by their ``id``
    property), a path ``{"nodes": [...], "relationships": [...]}``;
    temporal and spatial values become strings. Bookkeeping properties (names
    starting with ``_``) are left out.
    """
    from neo4j.graph import Node, Path as GraphPath, Relationship
    from neo4j.spatial import Point

    if isinstance(value, Point):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": _props(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": _end_id(value.start_node),
                "end": _end_id(value.end_node), "properties": _props(value)}
    if isinstance(value, GraphPath):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def _props(entity) -> dict[str, Any]:
    return {k: plain(v) for k, v in sorted(entity.items()) if not k.startswith("_")}


def _end_id(node) -> Any:
    if node is None:
        return None
    return node.get("id", node.element_id)


def _stream(driver, query: Query, params: Mapping[str, Any] | None,
            database: str | None) -> Iterator[Any]:
    """Yield the column names, then each row as plain values, from one read transaction."""
    import neo4j
    from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

    from .errors import ConnectionFailed

    bound = query.bind(params)
    try:
        # Read access mode: the server itself refuses CREATE/MERGE/SET/DELETE.
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction() as tx:
                result = tx.run(query.text, bound)
                columns = list(result.keys())
                yield columns
                for record in result:
                    yield {k: plain(record[k]) for k in columns}
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise QueryError(f"{query.location}: the query tried to write; "
                             f"graphmodel query is read-only") from None
        raise QueryError(_failure(query, exc)) from None
    except (ServiceUnavailable, SessionExpired) as exc:
        raise ConnectionFailed(f"lost the Neo4j server while running {query.name!r}: "
                               f"{_first_line(exc)}") from None
    except Neo4jError as exc:
        raise QueryError(_failure(query, exc)) from None


def iter_rows(driver, query: Query, params: Mapping[str, Any] | None = None, *,
              database: str | None = None) -> Iterator[dict[str, Any]]:
    """Stream the rows of ``query``, run read-only, as plain values, one at a time.

    Rows are read from the server as the caller iterates, so a result of
    millions of rows is never held twice; :func:`run` collects them.
    Parameters and errors as for :func:`run`.
    """
    stream = _stream(driver, query, params, database)
    next(stream)  # the column names
    yield from stream


def run(driver, query: Query, params: Mapping[str, Any] | None = None, *,
        database: str | None = None) -> QueryResult:
    """Run ``query`` read-only with checked ``params``; rows as plain values.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver (see :func:`graphmodel.neo4j_connection.connect`).
    query : Query
        From :func:`load_library`, :func:`load_user_file` or :func:`resolve`.
    params : mapping, optional
        Parameter values; checked by :meth:`Query.bind` before anything is sent.
    database : str, optional
        The database; the server's default when None.

    Raises
    ------
    QueryError
        Missing or unknown parameters, a Cypher error, or a write attempt
        (the read transaction makes the server refuse it).
    ConnectionFailed
        The server went away.
    """
    stream = _stream(driver, query, params, database)
    columns = next(stream)
    return QueryResult(columns=columns, rows=list(stream))


_POSITION = re.compile(r"\s*\(line (\d+), column (\d+) \(offset: \d+\)\)")


def _failure(query: Query, exc: Exception) -> str:
    """The server's complaint, its position (if any) moved from the text to the file."""
    message = _first_line(exc)
    m = _POSITION.search(message)
    if m is None:
        return f"{query.location}: query {query.name!r} failed: {message}"
    line = query.text_line + max(int(m.group(1)), 1) - 1
    message = (message[: m.start()] + message[m.end():]).strip()
    column = f":{m.group(2)}" if int(m.group(2)) > 0 else ""
    return f"{query.file}:{line}{column}: query {query.name!r} failed: {message}"


def _first_line(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return message.strip().splitlines()[0] if message.strip() else type(exc).__name__
