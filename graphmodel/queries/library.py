"""The Cypher library: named queries in ``cypher/*.cypher``, aiosql-style.

The files live in ``cypher/`` at the top of the repository, where analysts
look for them, and ship inside the wheel as the resource package
``graphmodel.cypher`` (pyproject.toml maps one onto the other), so an
installed graphmodel finds them with :mod:`importlib.resources`.

Each file holds one or more queries. A query starts with a header of ``//``
comment lines; its Cypher text runs up to the next ``// name:`` (or
``// fragment:``) line or the end of the file::

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

**Shared definitions.** A block headed ``// fragment: NAME`` is a piece of
Cypher that several queries share, written once (``cypher/definitions.cypher``
holds "the agencies of a program", "the known budget of a program" and "a
coordination link that counts in a tambon"). A query includes it with a line
``// include: NAME``; the line is replaced by the fragment's text, indented
like the include line. Server errors inside an included fragment cite the
fragment's own file and line. ``graphmodel query --show NAME`` prints a
query with its fragments in place, ready for Neo4j Browser or cypher-shell.

An analyst's own file may leave the header out: it then holds one query,
named after the file, whose parameters (all required) are the ``$name``\\ s
the text uses.

DDL (the constraints and indexes ``graphmodel load`` creates) lives apart,
in ``cypher/ddl/``: :func:`load_ddl` reads it with the same parser and
:meth:`Query.statements` splits it; it is not part of :func:`load_library`.

**graphmodel's own queries** (the load gate's check, the Neo4j backend's
paged reads, the read-only check's look-ups) live apart too, in
``cypher/internal/``, one file per module that runs them:
:func:`load_internal` reads them with the same parser and the same checks,
:func:`internal_query` gives one, and ``graphmodel query`` neither lists nor
runs them. A label or a relationship type cannot be a Cypher parameter that
an index serves, so such a query may leave some for its caller to fill: a
header line ``// labels: label`` and ``{label}`` in backticks where it goes
(checked as parameters are: each slot listed is used, each slot used is
listed). :meth:`Query.with_labels` fills them, and :meth:`Query.bind`
refuses a query whose slots are still empty.

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
>>> {"overlaps", "counts", "fund_flows"} <= set(load_library())
True
>>> q = parse_queries('''// name: page
... // params: limit
... // labels: label
... // One page of the nodes of a label.
... MATCH (n:`{label}`) RETURN n.id AS id ORDER BY n.id LIMIT $limit''')[0]
>>> q.labels, q.with_labels(label="Tambon").text
(('label',), 'MATCH (n:`Tambon`) RETURN n.id AS id ORDER BY n.id LIMIT $limit')
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ArgumentError, QueryError

__all__ = [
    "LIBRARY_PACKAGE",
    "MAX_QUERY_FILE",
    "Query",
    "QueryFileError",
    "find_params",
    "find_label_slots",
    "parse_queries",
    "load_library",
    "load_ddl",
    "load_user_file",
    "load_internal",
    "internal_query",
    "resolve",
    "is_name",
]

#: The resource package holding the library (``cypher/`` in the repository).
LIBRARY_PACKAGE = "graphmodel.cypher"
#: How messages name the library folder.
_LIBRARY_LABEL = "cypher"
#: The folder of graphmodel's own queries, under the library's.
_INTERNAL = "internal"
#: The most bytes of an analyst's query file read (the library's largest file is under 9 kB).
MAX_QUERY_FILE = 2**20

_IDENT = r"[^\W\d]\w*"
_HEAD_LINE = re.compile(r"^\s*//\s*(name|fragment)\s*:\s*(.*?)\s*$")
_INCLUDE_LINE = re.compile(r"^(\s*)//\s*include\s*:\s*(.*?)\s*$")
#: A header line listing names: ``params:`` (parameters) or ``labels:`` (label slots).
_SIGNATURE_LINE = re.compile(r"^(params|labels)\s*:\s*(.*?)\s*$")
_COMMENT_LINE = re.compile(r"^\s*//(.*)$")
_IDENT_RE = re.compile(rf"^{_IDENT}$")
_PARAM_REF = re.compile(rf"\$(?:({_IDENT})|([0-9]+)|`((?:[^`]|``)+)`)")
#: A label slot: ``{name}`` in backticks, a whole quoted name.
_LABEL_SLOT = re.compile(rf"^`\{{({_IDENT})\}}`$")

#: A source position: (file label, 1-based line).
Position = tuple[str, int]


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
    of the ``// name:`` header in ``file``; ``text`` the Cypher sent to the
    server (fragments included) and ``positions`` the source of each of its
    lines. ``labels`` are the label slots still to fill (:meth:`with_labels`).
    """

    name: str
    text: str
    params: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    doc: str = ""
    file: str = "<string>"
    line: int = 1
    positions: tuple[Position, ...] = ()
    labels: tuple[str, ...] = ()

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

    @property
    def text_line(self) -> int:
        """The line of :attr:`file` the Cypher text starts on."""
        return self.positions[0][1] if self.positions else self.line

    def source_line(self, text_line: int) -> Position:
        """Where line ``text_line`` (1-based) of :attr:`text` comes from."""
        if 1 <= text_line <= len(self.positions):
            return self.positions[text_line - 1]
        return self.file, self.line + text_line

    def statements(self) -> list[tuple[str, Position]]:
        """The text split at ``;`` outside strings and comments (for DDL files),
        each statement with the position of its first line.

        >>> q = parse_queries("// name: ddl\\n// Two statements.\\nCREATE INDEX a;\\n"
        ...                   "// a comment; not a split\\nCREATE INDEX b FOR (n:X) ON (n.y);")[0]
        >>> [(s, line) for s, (_, line) in q.statements()]
        [('CREATE INDEX a', 3), ('CREATE INDEX b FOR (n:X) ON (n.y)', 5)]
        """
        out: list[tuple[str, Position]] = []
        start = 0
        cuts = [offset + i for kind, offset, chunk in _spans(self.text) if kind == "code"
                for i, ch in enumerate(chunk) if ch == ";"]
        for cut in [*cuts, len(self.text)]:
            piece = self.text[start:cut]
            code = "".join(chunk for kind, _, chunk in _spans(piece) if kind != "comment").strip()
            if code:
                skip = next(i for i, ln in enumerate(piece.split("\n")) if _has_code(ln))
                line = self.text.count("\n", 0, start) + skip + 1
                out.append((code, self.source_line(line)))
            start = cut + 1
        return out

    def with_labels(self, **labels: str) -> "Query":
        """This query with its label slots filled: ``{slot}`` in backticks becomes the label.

        Raises
        ------
        ArgumentError
            A slot left out or unknown, or a value that is not a label name.
        """
        if set(labels) != set(self.labels):
            raise ArgumentError(f"query {self.name!r} has the label slots {', '.join(self.labels) or 'none'}; "
                                f"given: {', '.join(labels) or 'none'}")
        text = self.text
        for slot, label in labels.items():
            label = getattr(label, "value", label)  # a NodeLabel or RelType is its value
            if not isinstance(label, str) or not is_name(label):
                raise ArgumentError(f"{label!r} is not a label name (letters, digits and _)")
            text = text.replace(f"`{{{slot}}}`", f"`{label}`")
        return replace(self, text=text, labels=())

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The driver parameters for a run: ``given`` checked, optional ones defaulted to None.

        Raises
        ------
        QueryError
            naming every unknown parameter, else every missing one; or the
            query's label slots are not filled (:meth:`with_labels`).
        """
        if self.labels:
            raise QueryError(f"{self.location}: query {self.name!r} leaves the labels "
                             f"{', '.join(self.labels)} to fill, which only graphmodel's own queries do")
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


def is_name(text: str) -> bool:
    """Whether ``text`` may name a query, a fragment or a parameter (letters, digits and ``_``,
    not starting with a digit).

    >>> is_name("tambon"), is_name("year_2"), is_name("2nd"), is_name("a-b")
    (True, True, False, False)
    """
    return _IDENT_RE.match(text) is not None


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


def find_label_slots(text: str) -> dict[str, int]:
    """The label slots ``text`` uses (``{name}`` in backticks), each with the line of its first use.

    >>> find_label_slots("MATCH (a:`{start}` {id: $id})-[r:`{type}`]->(b:`Tambon`)\\nRETURN '`{x}`'")
    {'start': 1, 'type': 1}
    """
    found: dict[str, int] = {}
    for kind, offset, chunk in _spans(text):
        m = _LABEL_SLOT.match(chunk) if kind == "quoted" else None
        if m:
            found.setdefault(m.group(1), text.count("\n", 0, offset) + 1)
    return found


# --- parsing files ------------------------------------------------------------

@dataclass
class _Block:
    kind: str  # "name" (a query) or "fragment"
    name: str
    file: str
    line: int
    header: list[tuple[int, str]] = field(default_factory=list)  # (line, comment text)
    body: list[tuple[int, str]] = field(default_factory=list)  # (line, source line)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _split(text: str, file: str, problems: list[str], *, header_optional: bool) -> list[_Block]:
    blocks: list[_Block] = []
    preamble: list[tuple[int, str]] = []
    in_header = False
    for no, raw in enumerate(text.splitlines(), 1):
        m = _HEAD_LINE.match(raw)
        if m:
            blocks.append(_Block(m.group(1), m.group(2), file, no))
            in_header = True
            continue
        comment = _COMMENT_LINE.match(raw)
        if blocks and in_header and comment and not _INCLUDE_LINE.match(raw):
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


def _parse_signature(value: str, where: str, problems: list[str],
                     header: str = "params") -> tuple[list[str], list[str]]:
    params: list[str] = []
    optional: list[str] = []
    what = "parameter" if header == "params" else "label slot"
    for item in (s.strip() for s in value.split(",")):
        if not item:
            continue
        name = item[:-1].strip() if item.endswith("?") and header == "params" else item
        if not _IDENT_RE.match(name):
            problems.append(f"{where}: bad {what} name {item!r} in '// {header}:' (letters, digits and _"
                            f"{', then ' + repr('?') + ' if optional' if header == 'params' else ''})")
        elif name in params:
            problems.append(f"{where}: {what} {name!r} listed twice in '// {header}:'")
        else:
            params.append(name)
            if name != item:
                optional.append(name)
    return params, optional


def _trim(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    lines = list(body)
    while lines and not lines[-1][1].strip():
        lines.pop()
    while lines and not lines[0][1].strip():
        lines.pop(0)
    return lines


def _expand(block: _Block, fragments: Mapping[str, _Block], problems: list[str],
            seen: tuple[str, ...] = ()) -> list[tuple[Position, str]]:
    """The block's body with every ``// include: NAME`` replaced by that fragment."""
    out: list[tuple[Position, str]] = []
    for no, raw in _trim(block.body):
        m = _INCLUDE_LINE.match(raw)
        if m is None:
            out.append(((block.file, no), raw))
            continue
        indent, name = m.groups()
        fragment = fragments.get(name)
        if fragment is None:
            known = ", ".join(sorted(fragments)) or "none"
            problems.append(f"{block.file}:{no}: no fragment named {name!r} to include "
                            f"(fragments: {known})")
            continue
        if name in seen or name == block.name and block.kind == "fragment":
            problems.append(f"{block.file}:{no}: fragment {name!r} includes itself")
            continue
        for position, line in _expand(fragment, fragments, problems, (*seen, block.name)):
            out.append((position, indent + line if line.strip() else line))
    return out


def _build(block: _Block, fragments: Mapping[str, _Block], problems: list[str], *,
           need_doc: bool) -> Query | None:
    before = len(problems)
    file, where = block.file, block.where
    if not _IDENT_RE.match(block.name):
        problems.append(f"{where}: bad query name {block.name!r} (letters, digits and _)")
    signatures: dict[str, tuple[int, list[str], list[str]]] = {}  # header -> (line, names, optional)
    doc: list[str] = []
    for no, comment in block.header:
        m = _SIGNATURE_LINE.match(comment)
        if m is None:
            doc.append(comment)
        elif m.group(1) in signatures:
            problems.append(f"{file}:{no}: second '// {m.group(1)}:' line for query {block.name!r}")
        else:
            signatures[m.group(1)] = (no, *_parse_signature(m.group(2), f"{file}:{no}", problems, m.group(1)))
    params_line, params, optional = signatures.get("params", (None, [], []))
    slots_line, slots, _ = signatures.get("labels", (None, [], []))
    lines = _expand(block, fragments, problems)
    text = "\n".join(line for _, line in lines)
    if not _has_code(text):
        problems.append(f"{where}: query {block.name!r} has no Cypher text")
        return None
    if need_doc and not doc:
        problems.append(f"{where}: query {block.name!r} has no description "
                        f"(add '//' lines saying what it returns under the name)")
    positions = tuple(position for position, _ in lines)
    for header, listed, at, used in (("params", params, params_line, find_params(text)),
                                     ("labels", slots, slots_line, find_label_slots(text))):
        _check_used(block, header, listed, at, {n: positions[line - 1] for n, line in used.items()}, problems)
    if len(problems) > before:
        return None
    return Query(name=block.name, text=text, params=tuple(params), optional=tuple(optional),
                 doc="\n".join(doc).strip(), file=file, line=block.line, positions=positions,
                 labels=tuple(slots))


def _check_used(block: _Block, header: str, listed: list[str], at: int | None,
                used: Mapping[str, Position], problems: list[str]) -> None:
    """Each name the text uses is listed on the ``// header:`` line (at line ``at``), each listed one used."""
    what, shown = ("parameter", "${}") if header == "params" else ("label slot", "`{{{}}}`")
    for name, (file, line) in used.items():
        if name not in listed:
            problems.append(f"{file}:{line}: query {block.name!r} uses {shown.format(name)} but its "
                            f"'// {header}:' line does not list it")
    for name in listed:
        if name not in used:
            problems.append(f"{block.file}:{at}: query {block.name!r} lists {what} "
                            f"{name!r} but its text never uses {shown.format(name)}")


def _fragments_of(blocks: Iterable[_Block], problems: list[str],
                  into: dict[str, _Block]) -> None:
    for block in blocks:
        if block.kind != "fragment":
            continue
        if not _IDENT_RE.match(block.name):
            problems.append(f"{block.where}: bad fragment name {block.name!r} (letters, digits and _)")
        elif block.name in into:
            problems.append(f"{block.where}: duplicate fragment name {block.name!r} "
                            f"(first at {into[block.name].where})")
        else:
            into[block.name] = block


def _queries_of(blocks: Iterable[_Block], fragments: Mapping[str, _Block], problems: list[str],
                into: dict[str, Query], *, need_doc: bool) -> None:
    seen: dict[str, str] = {}  # name -> where first (a broken query still takes its name)
    for block in blocks:
        if block.kind != "name":
            continue
        if block.name in seen:
            problems.append(f"{block.where}: duplicate query name {block.name!r} "
                            f"(first at {seen[block.name]})")
            continue
        seen[block.name] = block.where
        q = _build(block, fragments, problems, need_doc=need_doc)
        if q is not None:
            into[block.name] = q


def parse_queries(text: str, file: str = "<string>",
                  fragments: Mapping[str, Any] | None = None) -> list[Query]:
    """Parse the text of one ``.cypher`` file of the library into its queries.

    Parameters
    ----------
    text : str
        The file's content.
    file : str
        How messages name the file, e.g. ``cypher/overlaps.cypher``.
    fragments : mapping, optional
        Fragments from other files that ``// include:`` may name
        (:func:`library_fragments`); the file's own fragments are always available.

    Raises
    ------
    QueryFileError
        listing every problem, each as ``FILE:LINE: what is wrong``.
    """
    problems: list[str] = []
    blocks = _split(text, file, problems, header_optional=False)
    own: dict[str, _Block] = {}
    _fragments_of(blocks, problems, own)
    queries: dict[str, Query] = {}
    _queries_of(blocks, {**(fragments or {}), **own}, problems, queries, need_doc=True)
    if problems:
        raise QueryFileError(problems)
    return list(queries.values())


def _read(path: Any, label: str, limit: int | None = None) -> str:
    """The text of ``path``; with ``limit``, at most that many bytes are read (an analyst's file
    may be ``/dev/zero``)."""
    try:
        if limit is None:
            return path.read_text(encoding="utf-8")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise QueryError(f"{label}: larger than {limit // 2**20} MiB: not a query file")
        return data.decode("utf-8")
    except FileNotFoundError:
        raise QueryError(f"{label}: no such file") from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"{label}: cannot read: not UTF-8 text (byte {exc.start} is "
                         f"0x{exc.object[exc.start]:02x})") from None
    except OSError as exc:
        raise QueryError(f"{label}: cannot read: {exc.strerror or exc}") from None


def _library_blocks(folder: Any, label: str, problems: list[str]) -> list[_Block]:
    """Every block of the ``*.cypher`` files directly in ``folder`` (a path or a resource)."""
    if not folder.is_dir():
        raise QueryError(f"the Cypher library folder {label} does not exist")
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".cypher") and p.is_file()),
                   key=lambda p: p.name)
    blocks: list[_Block] = []
    for path in paths:
        name = f"{label}/{path.name}"
        blocks += _split(_read(path, name), name, problems, header_optional=False)
    return blocks


def _root(directory: str | Path | None) -> tuple[Any, str]:
    if directory is None:
        return files(LIBRARY_PACKAGE), _LIBRARY_LABEL
    directory = Path(directory)
    return directory, directory.name


@cache
def _library(directory: str | Path | None, sub: str = "") -> tuple[dict[str, Query], dict[str, _Block]]:
    """The queries and fragments of the library at ``directory`` (the shipped one by default), or of
    its folder ``sub``."""
    root, label = _root(directory)
    if sub:
        root, label = root.joinpath(sub), f"{label}/{sub}"
    problems: list[str] = []
    blocks = _library_blocks(root, label, problems)
    fragments: dict[str, _Block] = {}
    _fragments_of(blocks, problems, fragments)
    library: dict[str, Query] = {}
    _queries_of(blocks, fragments, problems, library, need_doc=True)
    if problems:
        raise QueryFileError(problems)
    return library, fragments


def load_library(directory: str | Path | None = None) -> dict[str, Query]:
    """Every named query of the library, by name, in file then line order.

    ``directory`` defaults to the library shipped with graphmodel. Messages
    name files as ``cypher/FILE.cypher``. Problems in all files are collected
    and raised together, duplicate names across files included.
    """
    return dict(_library(directory)[0])


def library_fragments(directory: str | Path | None = None) -> dict[str, Any]:
    """The library's fragments by name (what ``// include:`` may name)."""
    return dict(_library(directory)[1])


def load_internal(directory: str | Path | None = None) -> dict[str, Query]:
    """graphmodel's own queries, ``cypher/internal/*.cypher`` (the module docstring), by name:
    read and checked as :func:`load_library` reads the library, and apart from it."""
    return dict(_library(directory, _INTERNAL)[0])


@cache
def internal_query(name: str, **labels: str) -> Query:
    """graphmodel's own query ``name`` (shipped in ``cypher/internal/``), its label slots filled
    with ``labels`` (:meth:`Query.with_labels`); made once for each ``labels``."""
    query = _library(None, _INTERNAL)[0][name]
    return query.with_labels(**labels) if labels or query.labels else query


def load_ddl(name: str = "schema") -> Query:
    """The DDL block ``cypher/ddl/NAME.cypher`` (one header, several ``;``-ended statements)."""
    label = f"{_LIBRARY_LABEL}/ddl/{name}.cypher"
    text = _read(files(LIBRARY_PACKAGE).joinpath("ddl", f"{name}.cypher"), label)
    queries = parse_queries(text, label)
    if len(queries) != 1:
        raise QueryError(f"{label}: expected one '// name:' block, found {len(queries)}")
    return queries[0]


def load_user_file(path: str | Path) -> Query:
    """An analyst's own ``.cypher`` file: one query, with or without a header.

    Without a header the query is named after the file and every ``$name``
    its text uses is a required parameter. ``// include:`` lines may name
    the library's fragments.
    """
    path = Path(path)
    label = str(path)
    text = _read(path, label, MAX_QUERY_FILE)
    problems: list[str] = []
    blocks = _split(text, label, problems, header_optional=True)
    if not blocks and not problems:  # header-less: one query named after the file
        body = [(no, raw) for no, raw in enumerate(text.splitlines(), 1)]
        blocks = [_Block("name", path.stem, label, 1, body=body)]
        header_less = True
    else:
        header_less = False
    fragments = dict(library_fragments())
    _fragments_of(blocks, problems, fragments)
    queries: dict[str, Query] = {}
    if header_less:
        block = blocks[0]
        lines = _expand(block, fragments, problems)
        body = "\n".join(line for _, line in lines)
        if not problems and not _has_code(body):
            raise QueryError(f"{label}: the file holds no Cypher")
        if not problems:
            first = lines[0][0][1]
            queries[block.name] = Query(name=block.name, text=body, params=tuple(find_params(body)),
                                        file=label, line=first,
                                        positions=tuple(p for p, _ in lines))
    else:
        _queries_of(blocks, fragments, problems, queries, need_doc=False)
    if problems:
        raise QueryFileError(problems)
    if not queries:
        raise QueryError(f"{label}: the file holds fragments only ('// fragment:' blocks), no query to run: "
                         "add the query below them, or a '// name:' block that includes them")
    if len(queries) > 1:
        names = ", ".join(queries)
        raise QueryError(f"{label}: holds {len(queries)} queries ({names}); "
                         f"put the one to run in a file of its own")
    return next(iter(queries.values()))


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
