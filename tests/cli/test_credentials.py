"""The Neo4j password never shows (issue 12, section 3): every command that can connect.

The commands are found, not listed: every click command (in any group)
with a ``--neo4j`` option. Each runs with a password from each source —
``$NEO4J_PASSWORD``, the file ``$NEO4J_PASSWORD_FILE``, the hidden prompt
``--ask-password`` — against nothing listening, a server that refuses the
password, a stopped server, with the password typed into the URI, and with
the right password against the real server. Then the password is looked
for in stdout and stderr, in every exception of the chain the CLI caught,
in what the ``neo4j`` driver and graphmodel log (captured at DEBUG), in
every file written (views, reports, exports) and in the logs of the private
server the failures ran against. It must be nowhere.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import click
import pytest
from click.testing import CliRunner, Result

from graphmodel.cli import main
from graphmodel.dataset import read_dataset
from graphmodel.neo4j.errors import safe_uri
from graphmodel.neo4j.load import load_dataset

from neo4j_server import free_port, start_server, stop_server
from paths import SEED

pytestmark = pytest.mark.neo4j

#: What each command needs besides --neo4j to get as far as connecting ({out}: a folder to write in).
#: A command with a --neo4j option that is missing here runs with no arguments and must not be
#: refused as a usage error: add what it needs.
ARGS: dict[str, list[str]] = {
    "info": [],
    "overlaps": ["--format", "csv"],
    "view": ["-o", "{out}/view.html"],
    "query": ["counts"],
    "load": [str(SEED), "--dataset", "credentials"],
    "unload": ["--dataset", "credentials"],
    "export": ["--format", "graphml", "-o", "{out}/export.graphml"],
    "report": ["--province", "80", "-o", "{out}/report.html"],
    "diff": [str(SEED), "--new-dataset", "credentials", "--format", "json"],
}
#: What a command needs in the database to succeed (run first, with the right password, in
#: test_right_password_everything_written).
NEEDS: dict[str, list[str]] = {
    "diff": ["load", str(SEED), "--dataset", "credentials"],
}
SOURCES = ["env", "file", "prompt"]
WRONG = "gm-Wr0ng-pa55-0b7e1d"


def connecting_commands() -> dict[str, click.Command]:
    """Every command, in any group, that takes ``--neo4j``: name (``group command``) -> command."""
    found: dict[str, click.Command] = {}

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])
            elif any("--neo4j" in p.opts for p in command.params):
                found[" ".join([*prefix, name])] = command

    walk(main, [])
    return found


COMMANDS = sorted(connecting_commands())


def test_the_list_is_complete():
    """The commands of this branch that connect; a new one is picked up by the tests on its own."""
    assert {"info", "overlaps", "view", "query", "load", "unload"} <= set(COMMANDS)
    for name in COMMANDS:
        options = {o for p in connecting_commands()[name].params for o in p.opts}
        assert "--ask-password" in options, name


def run(command: str, uri: str, password: str, source: str, out: Path, monkeypatch) -> Result:
    """``graphmodel COMMAND ARGS --neo4j URI`` with the password from ``source``."""
    for name in ("NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE", "NEO4J_URI", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    args = [*command.split(), *[a.format(out=out) for a in ARGS.get(command, [])], "--neo4j", uri]
    stdin = None
    if source == "env":
        monkeypatch.setenv("NEO4J_PASSWORD", password)
    elif source == "file":
        secret = out.parent / f"password-{command.replace(' ', '-')}"
        secret.write_text(password + "\n", encoding="utf-8")
        monkeypatch.setenv("NEO4J_PASSWORD_FILE", str(secret))
    else:
        args.append("--ask-password")
        stdin = password + "\n"
    result = CliRunner().invoke(main, args, input=stdin)
    usage = result.exit_code == 2 and ("Usage:" in result.stderr or "Missing argument" in result.stderr)
    assert not usage, f"{command}: add the arguments it needs to ARGS ({result.stderr.strip()})"
    if source == "prompt":  # CliRunner's stdin is not a terminal: read without a prompt
        assert "Neo4j password" not in result.output
    return result


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__]


def _files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.exists():
            yield from (p for p in folder.rglob("*") if p.is_file())


def assert_nowhere(secret: str, result: Result, caplog, *folders: Path) -> None:
    """``secret`` is in no output, no exception of the chain, no log record and no file."""
    assert secret not in result.stdout
    assert secret not in result.stderr
    for e in _chain(result.exception):
        assert secret not in repr(e) and secret not in str(e) and all(secret not in repr(a) for a in e.args)
    for record in caplog.records:
        assert secret not in record.getMessage(), record.name
    for path in _files(*folders):
        assert secret.encode() not in path.read_bytes(), path


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A server of this module's own: refused passwords lock its user out, and it gets stopped."""
    home = tmp_path_factory.mktemp("credentials-server")
    uri, password = start_server(home, port=free_port())

    class Private:
        def __init__(self):
            self.home, self.uri, self.password = home, uri, password

        def running(self) -> "Private":
            start_server(home)  # reuses the running server
            return self

        def stopped(self) -> "Private":
            stop_server(home)
            return self

    yield Private()
    stop_server(home)


@pytest.fixture
def where(tmp_path, monkeypatch, caplog):
    """An empty working folder (commands write their default files there) and DEBUG logging captured."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    caplog.set_level(logging.DEBUG)
    return work


def _error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    return result.stderr.splitlines()[-1]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", COMMANDS)
def test_nothing_listening(command, source, where, monkeypatch, caplog, private_server):
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = run(command, uri, private_server.password, source, where, monkeypatch)
    assert _error(result) == f"Error: cannot reach Neo4j at {uri} (is the server running?)"
    assert_nowhere(private_server.password, result, caplog, where)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", COMMANDS)
def test_wrong_password(command, source, where, monkeypatch, caplog, private_server):
    server = private_server.running()
    result = run(command, server.uri, WRONG, source, where, monkeypatch)
    refused = f"Error: Neo4j at {server.uri} refused the credentials of user 'neo4j'"
    # after three refusals in a row the server locks the user out for a few seconds
    assert _error(result) in (f"{refused} (check NEO4J_USER and NEO4J_PASSWORD)",
                              f"{refused} too many times in a row and waits a few seconds before it "
                              "tries again (check NEO4J_USER and NEO4J_PASSWORD)")
    assert_nowhere(WRONG, result, caplog, where, server.home / "logs")
    assert_nowhere(server.password, result, caplog, where)


@pytest.mark.parametrize("command", COMMANDS)
def test_password_in_the_uri(command, where, monkeypatch, caplog, private_server):
    server = private_server.running()
    host = server.uri.removeprefix("bolt://")
    result = run(command, f"bolt://neo4j:{server.password}@{host}/?password={server.password}",
                 server.password, "env", where, monkeypatch)
    assert _error(result) == (f"Error: bad Neo4j URI 'bolt://{host}/': put no user name or password in "
                              "the URI; give them as NEO4J_USER and NEO4J_PASSWORD (or NEO4J_PASSWORD_FILE, "
                              "or --ask-password)")
    assert_nowhere(server.password, result, caplog, where)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", COMMANDS)
def test_stopped_server(command, source, where, monkeypatch, caplog, private_server):
    server = private_server.stopped()
    result = run(command, server.uri, server.password, source, where, monkeypatch)
    assert _error(result) == f"Error: cannot reach Neo4j at {server.uri} (is the server running?)"
    assert_nowhere(server.password, result, caplog, where, server.home / "logs")


@pytest.mark.parametrize("command", COMMANDS)
def test_right_password_everything_written(command, empty_neo4j, neo4j_driver, where, monkeypatch, caplog):
    """Connected for real, each password source in turn: outputs and written files hold no password."""
    if command in NEEDS:
        env = {"NEO4J_URI": empty_neo4j.uri, "NEO4J_USER": empty_neo4j.user, "NEO4J_PASSWORD": empty_neo4j.password}
        assert CliRunner(env=env).invoke(main, NEEDS[command]).exit_code == 0
    for source in SOURCES:
        if command == "unload":  # something to unload (a dataset the database lacks exits 2)
            load_dataset(neo4j_driver, read_dataset(SEED), dataset_name="credentials")
        result = run(command, empty_neo4j.uri, empty_neo4j.password, source, where, monkeypatch)
        assert result.exit_code == 0, (source, result.output)
        assert_nowhere(empty_neo4j.password, result, caplog, where)
    assert command != "view" or (where / "view.html").stat().st_size > 0
    assert any(r.name.startswith("neo4j") for r in caplog.records)  # the driver's log was there to read


def test_the_prompt_wins_over_the_environment(empty_neo4j, where, monkeypatch, caplog):
    monkeypatch.setenv("NEO4J_PASSWORD", WRONG)
    result = CliRunner().invoke(main, ["query", "counts", "--neo4j", empty_neo4j.uri, "--ask-password"],
                                input=empty_neo4j.password + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("type")  # the prompt went to stderr
    assert_nowhere(empty_neo4j.password, result, caplog, where)


def test_ask_password_from_a_pipe_is_read_quietly(empty_neo4j, monkeypatch, tmp_path):
    """echo PW | graphmodel ... --ask-password: Python's getpass printed a GetPassWarning (and the
    prompt) on stderr; standard input that is not a terminal is read as one line, quietly."""
    for name in ("NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)
    command = [str(Path(sys.executable).parent / "graphmodel"), "query", "counts", "--neo4j", empty_neo4j.uri,
               "--ask-password"]
    piped = subprocess.run(command, input=empty_neo4j.password + "\n", capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)
    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout.startswith("type")
    empty = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                           cwd=tmp_path)
    assert (empty.returncode, empty.stderr) == (2, "Error: --ask-password: standard input is not a terminal "
                                                   "and holds no password line\n")


@pytest.mark.parametrize("uri, shown", [
    ("bolt://neo4j:s3cret@127.0.0.1:7687", "bolt://127.0.0.1:7687"),
    ("neo4j+s://me:s3cret@db.example.org:7687/?policy=s3cret", "neo4j+s://db.example.org:7687/"),
    ("neo4j:s3cret@db.example.org:7687", "db.example.org:7687"),
    ("bolt://127.0.0.1:7687#s3cret", "bolt://127.0.0.1:7687"),
    # A password holding "/", "?", "#" or "@" (RFC 3986 wants them percent-encoded; people paste them raw).
    ("bolt://analyst:Xk/9s+QaZ7@db.example.org:7687", "bolt://db.example.org:7687"),
    ("bolt://analyst:Xk?9s#Qa@Z7@db.example.org:7687", "bolt://db.example.org:7687"),
    ("bolt:///neo4j:s3cret@127.0.0.1", "bolt://127.0.0.1"),
])
def test_safe_uri(uri, shown):
    assert safe_uri(uri) == shown


USERINFO = ("put no user name or password in the URI; give them as NEO4J_USER and NEO4J_PASSWORD (or "
            "NEO4J_PASSWORD_FILE, or --ask-password)")
PARAMETERS = ("put no parameters in the URI but ?policy=NAME (a routing policy, neo4j:// only); give the user "
              "and password as NEO4J_USER and NEO4J_PASSWORD (or NEO4J_PASSWORD_FILE, or --ask-password)")


@pytest.mark.parametrize("uri, secret, message", [
    ("bolt://analyst:Xk/9s+QaZ7@db.example.org:7687", "Xk/9s+QaZ7", f"'bolt://db.example.org:7687': {USERINFO}"),
    ("bolt://analyst:Xk?9sQaZ7@db.example.org:7687", "Xk?9sQaZ7", f"'bolt://db.example.org:7687': {USERINFO}"),
    ("neo4j://analyst:Xk#9sQaZ7@127.0.0.1:7687", "Xk#9sQaZ7", f"'neo4j://127.0.0.1:7687': {USERINFO}"),
    ("bolt:///neo4j:Xk9sQaZ7@127.0.0.1", "Xk9sQaZ7", f"'bolt://127.0.0.1': {USERINFO}"),
    ("neo4j://db.example.org:7687?password=Xk9sQaZ7", "Xk9sQaZ7", f"'neo4j://db.example.org:7687': {PARAMETERS}"),
    ("neo4j://db.example.org:7687?policy=eu&token=Xk9sQaZ7", "Xk9sQaZ7",
     f"'neo4j://db.example.org:7687': {PARAMETERS}"),
    ("bolt://db.example.org:7687?policy=Xk9sQaZ7", "Xk9sQaZ7", f"'bolt://db.example.org:7687': {PARAMETERS}"),
    ("bolt://127.0.0.1:7687#Xk9sQaZ7", "Xk9sQaZ7", f"'bolt://127.0.0.1:7687': {PARAMETERS}"),
    ("bolt://127.0.0.1:7687/neo4j", None, "'bolt://127.0.0.1:7687/neo4j': a Neo4j URI has no path (HOST:PORT "
                                          "only); give the database as --database (or NEO4J_DATABASE)"),
    ("bolt:///", None, "'bolt:///': no host; use bolt://HOST:PORT or neo4j://HOST:PORT (or their +s/+ssc forms)"),
])
def test_bad_uris_are_refused_before_connecting_and_never_echoed(uri, secret, message, monkeypatch, caplog, tmp_path):
    """Parsed with urllib.parse.urlsplit: no user:password@ (wherever a "/", "?", "#" in the password
    puts it), no query parameter but the driver's routing policy, no fragment, no path."""
    caplog.set_level(logging.DEBUG)
    result = run("query", uri, "the-right-password", "env", tmp_path, monkeypatch)
    assert result.stderr == f"Error: bad Neo4j URI {message}\n"
    assert result.exit_code == 2 and result.stdout == ""
    if secret is not None:
        assert_nowhere(secret, result, caplog, tmp_path)
        assert "analyst" not in result.stderr
    assert not any(r.name.startswith("neo4j") for r in caplog.records)  # the driver never saw it


def test_a_trailing_slash_and_a_routing_policy_are_accepted(empty_neo4j, monkeypatch, tmp_path):
    host = empty_neo4j.uri.removeprefix("bolt://")
    for uri in (f"bolt://{host}/", f"neo4j://{host}", f"neo4j://{host}?policy=eu"):
        result = run("query", uri, empty_neo4j.password, "env", tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
