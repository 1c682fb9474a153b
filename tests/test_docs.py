"""Every example in README.md and docs/ runs, and prints what the docs show (docs/cli.md, "Examples").

A ```` ```console ```` block is a transcript: each ``$ `` line a command, the
lines under it its output (a line ``...`` stands for any number of lines).
Each block is one test: its commands run in order, in a scratch folder per
document holding a copy of the repository's ``seed/`` and ``tests/data/``,
the outputs of ``graphmodel synth`` the docs use (made once per
session), and each ```` ```cypher ```` block whose first line names a
file (``// my_budget.cypher — ...``) as that file. A command must exit 0, or non-zero when the output shown has an
``Error:`` line. ``console neo4j`` blocks run against the Neo4j test server
holding the seed (dataset ``nst-2006``), with ``NEO4J_URI``, ``NEO4J_USER``
and ``NEO4J_PASSWORD`` set and ``bolt://127.0.0.1:7687`` standing for it;
``console neo4j gds`` ones on the test server with the Graph Data Science
plugin; ``console norun`` blocks are shown only. ``python`` blocks with ``>>>`` run
as doctests, in the same folder.

A plain ``graphmodel ...`` command runs in this process (click's runner,
output as a terminal shows it, stderr included); anything with shell syntax
(pipes, redirections, ``&&``, variables) runs in bash with the project's
``.venv/bin`` first on the PATH.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli import main
from paths import REPO
from strategies import trap_folder

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: The kinds of ```console blocks (the words after ``console``).
TAGS = {"neo4j", "gds", "norun"}
#: Folders ``graphmodel synth`` makes before the examples run, as the docs make them.
SYNTH = {"krabi": ["--provinces", "81"]}
#: Other folders the docs use, made by the tests' own helpers (the docs say which).
MADE = {"trap": trap_folder}
#: The server the docs name; the test server stands in for it.
DOC_SERVER = "bolt://127.0.0.1:7687"
_FENCE = re.compile(r"^(\s*)```(\S*)[ \t]*(.*?)\s*$")
_SHELL = re.compile(r"[|&;<>()$`*]")


@dataclass
class Command:
    line: int
    text: str
    #: The output the docs show (None: none shown).
    expected: list[str] | None = None


@dataclass
class Block:
    path: Path
    line: int
    kind: str
    tags: set[str]
    body: list[str]
    commands: list[Command] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, their text without the fence's indentation."""
    out, lines, i = [], path.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None or not m.group(2):
            i += 1
            continue
        indent, start = len(m.group(1)), i
        i += 1
        body = []
        while not re.match(r"^\s*```\s*$", lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        out.append(Block(path, start + 1, m.group(2), set(m.group(3).split()), body))
        i += 1
    return out


def transcript(block: Block) -> list[Command]:
    """The commands of a ``console`` block and the output shown under each."""
    commands: list[Command] = []
    pending = ""
    for n, line in enumerate(block.body, block.line + 1):
        if pending:
            pending += "\n" + line
            if not line.endswith("\\"):
                commands.append(Command(n, pending))
                pending = ""
        elif line.startswith("$ "):
            if line.endswith("\\"):
                pending = line[2:]
            else:
                commands.append(Command(n, line[2:]))
        else:
            assert commands, f"{block.id}: output before the first command"
            commands[-1].expected = (commands[-1].expected or []) + [line]
    return commands


def _console_examples() -> list:
    params = []
    for path in DOCS:
        for block in blocks(path):
            if block.kind == "console" and "norun" not in block.tags:
                block.commands = transcript(block)
                marks = [pytest.mark.neo4j] if "neo4j" in block.tags else []
                params.append(pytest.param(block, id=block.id, marks=marks))
    return params


def _python_examples() -> list:
    """Per document, its python blocks with doctests: one test, each block building on the ones before."""
    params = []
    for path in DOCS:
        python = [b for b in blocks(path) if b.kind == "python" and any(x.startswith(">>> ") for x in b.body)]
        if python:
            params.append(pytest.param(python, id=f"{path.relative_to(REPO)}:python"))
    return params


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` line for line (trailing blanks aside), a line ``...``
    standing for any number of lines."""
    expected = [line.rstrip() for line in expected]
    actual = [line.rstrip() for line in actual]

    def match(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(actual)
        if expected[i].strip() == "...":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and expected[i] == actual[j] and match(i + 1, j + 1)

    return match(0, 0)


# --- the folder the examples run in -----------------------------------------------------------------

@pytest.fixture(scope="session")
def docs_base(tmp_path_factory) -> Path:
    """The repository's seed and test data, and the synth outputs the docs use: made once."""
    base = tmp_path_factory.mktemp("docs-base")
    shutil.copytree(REPO / "seed", base / "seed")
    shutil.copytree(REPO / "tests" / "data", base / "tests" / "data")
    for name, args in SYNTH.items():
        result = CliRunner().invoke(main, ["synth", *args, "-o", str(base / name)])
        assert result.exit_code == 0, result.output
    for make in MADE.values():
        make(base)
    return base


@pytest.fixture(scope="session")
def workdirs(docs_base, tmp_path_factory):
    """One scratch folder per document: a copy of the seed, the rest linked from the base."""
    made: dict[Path, Path] = {}

    def get(path: Path) -> Path:
        if path not in made:
            work = tmp_path_factory.mktemp(f"docs-{path.stem}")
            shutil.copytree(docs_base / "seed", work / "seed")
            made_here = set(re.findall(r"graphmodel synth [^\n]*?-o (\S+)", path.read_text(encoding="utf-8")))
            for name in ("tests", *MADE, *(n for n in SYNTH if n not in made_here)):  # a doc that makes one makes it
                (work / name).symlink_to(docs_base / name, target_is_directory=True)
            (work / "docs").symlink_to(REPO / "docs", target_is_directory=True)  # docs/examples/ (combine.md)
            for block in blocks(path):  # a query the docs write in a file, then run
                named = re.match(r"// (\w+\.cypher) ", block.body[0]) if block.body else None
                if block.kind == "cypher" and named:
                    (work / named.group(1)).write_text("\n".join(block.body) + "\n", encoding="utf-8")
            made[path] = work
        return made[path]

    return get


def seeded(server):
    """``server`` holding the seed as dataset nst-2006 (loaded when it does not)."""
    import neo4j

    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        programs = driver.execute_query("MATCH (p:Program) RETURN count(p) AS n").records[0]["n"]
        datasets = driver.execute_query("MATCH (n) UNWIND coalesce(n._datasets, []) AS d "
                                        "RETURN collect(DISTINCT d) AS d").records[0]["d"]
        if programs != 11 or datasets != ["nst-2006"]:
            with driver.session() as session:  # CALL { } IN TRANSACTIONS needs an implicit transaction
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            env = {"NEO4J_URI": server.uri, "NEO4J_USER": server.user, "NEO4J_PASSWORD": server.password}
            loaded = CliRunner(env=env).invoke(main, ["load", str(REPO / "seed" / "nst-2006")])
            assert loaded.exit_code == 0, loaded.output
    return server


def _environment(server) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["BROWSER"] = "true"  # --open hands the page to a browser that does nothing
    if server is not None:
        env.update(NEO4J_URI=server.uri, NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)
    return env


def run(command: str, work: Path, env: dict[str, str], monkeypatch) -> tuple[int, list[str]]:
    """Run one documented command; its exit code and its output lines (stdout and stderr)."""
    words = shlex.split(command, comments=True)
    if words and words[0] == "graphmodel" and not _SHELL.search(command.split("#", 1)[0]) \
            and "--open" not in words:
        monkeypatch.chdir(work)
        # help wraps at 78 columns, as click wraps it in a terminal or a pipe of 80 or more
        result = CliRunner(env={k: env.get(k) for k in {*os.environ, *env}}).invoke(main, words[1:],
                                                                                  prog_name="graphmodel", terminal_width=78)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output.splitlines()
    done = subprocess.run(["bash", "-c", command], cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    return done.returncode, done.stdout.splitlines()


@pytest.mark.parametrize("block", _console_examples())
def test_console_example(block: Block, workdirs, request, monkeypatch):
    work = workdirs(block.path)
    server = None
    if "neo4j" in block.tags:  # the GDS examples on the server with the plugin
        server = seeded(request.getfixturevalue("neo4j_gds_server" if "gds" in block.tags else "neo4j_server"))
    env = _environment(server)
    for command in block.commands:
        text = command.text.replace(DOC_SERVER, server.uri) if server else command.text
        code, output = run(text, work, env, monkeypatch)
        where = f"{block.path.relative_to(REPO)}:{command.line}: $ {command.text}"
        shown = command.expected or []
        if any(line.startswith("Error: ") for line in shown):
            assert code != 0, f"{where}\nexited 0; the docs show an error\n" + "\n".join(output)
        else:
            assert code == 0, f"{where}\nexited {code}:\n" + "\n".join(output)
        if command.expected is not None:
            assert matches(command.expected, output), (
                f"{where}\nprints:\n" + "\n".join(output) + "\n\nthe docs show:\n" + "\n".join(command.expected))


@pytest.mark.parametrize("parts", _python_examples())
def test_python_examples(parts: list[Block], workdirs, monkeypatch):
    monkeypatch.chdir(workdirs(parts[0].path))
    names: dict = {}
    for part in parts:
        test = doctest.DocTestParser().get_doctest("\n".join(part.body) + "\n", names, part.id,
                                                   str(part.path), part.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, clear_globs=False)
        assert runner.failures == 0, f"{part.id}: a doctest failed (see the output above)"
        names = test.globs


# --- the convention itself ---------------------------------------------------------------------------

def test_command_examples_are_console_blocks():
    """Commands are shown in ``console`` blocks (run here) or marked ``norun``: no ``sh`` or ``bash``
    block but the README's two commands (which .ci/run runs)."""
    found = []
    for path in DOCS:
        for block in blocks(path):
            if block.kind in ("sh", "bash", "shell") and not (
                    path.name == "README.md" and block.body in (
                        ["scripts/setup && . .venv/bin/activate && graphmodel overlaps seed/nst-2006"],
                        ["scripts/test"])):
                found.append(block.id)
            if block.kind == "console":
                assert block.tags <= TAGS, f"{block.id}: unknown tags {block.tags - TAGS}"
                assert block.body and block.body[0].startswith("$ "), f"{block.id}: starts with no command"
    assert found == []


def test_the_command_table_lists_every_command():
    table = (REPO / "docs" / "cli.md").read_text(encoding="utf-8").split("| command | what | more |", 1)[1]
    listed = set(re.findall(r"^\| `(\w+)", table.split("\n\n", 1)[0], re.M))
    listed |= set(re.findall(r"` / `(\w+)", table.split("\n\n", 1)[0]))
    assert listed == set(main.commands)


def test_matches():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d  "])
    assert matches(["a", "..."], ["a"]) and not matches(["a"], ["a", "b"])
    assert not matches(["a", "...", "d"], ["a", "b"])


def _help_examples():
    """Every ``graphmodel ...`` line under "Examples:" in a command's --help."""
    import click

    def walk(group: click.Group, prefix: list[str]):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, [*prefix, name])
            else:
                text = command.help or ""
                examples = text.split("Examples:", 1)[1] if "Examples:" in text else ""
                for line in examples.splitlines():
                    line = line.strip()
                    if line.startswith("graphmodel "):
                        yield pytest.param(line, id=f"{' '.join([*prefix, name])}: {line}")

    return list(walk(main, []))


@pytest.mark.parametrize("line", _help_examples())
def test_help_examples_parse(line, monkeypatch):
    """Each example of a command's --help names options the command has, with values it takes
    (parsed as click parses them, nothing run: a file the example names may not exist here)."""
    import warnings

    import click

    monkeypatch.delenv("NEO4J_URI", raising=False)
    for part in re.split(r" && | \| ", line.split(" > ", 1)[0]):
        words = shlex.split(part, comments=True)
        assert words[0] == "graphmodel", part
        with warnings.catch_warnings():  # protected_args: how click 8 hands a group its subcommand
            warnings.simplefilter("ignore", DeprecationWarning)
            group, parent, rest = main, main.make_context("graphmodel", words[1:]), None
            rest = [*parent.protected_args, *parent.args]
            while isinstance(group, click.Group):
                name, command, rest = group.resolve_command(parent, rest)
                try:
                    parent = command.make_context(name, rest, parent=parent)
                except click.BadParameter as exc:
                    assert "does not exist" in str(exc), f"{part}: {exc}"
                    break
                group, rest = command, [*parent.protected_args, *parent.args]


def test_the_scripts_the_docs_run_are_executable():
    """The docs run ``scripts/NAME`` directly: each script has a shebang and the executable bit."""
    for script in sorted((REPO / "scripts").iterdir()):
        if script.is_file() and not script.name.startswith("."):
            assert script.read_text(encoding="utf-8").startswith("#!"), script.name
            assert os.access(script, os.X_OK), f"chmod +x scripts/{script.name}"
