"""scripts/neo4j-dev start --tls: Bolt over TLS only, with a self-signed certificate."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import neo4j
import pytest
from cryptography import x509
from neo4j.exceptions import ServiceUnavailable

from neo4j_server import run_neo4j_dev
from paths import SEED

pytestmark = pytest.mark.neo4j


def _port(uri: str) -> int:
    return int(uri.rsplit(":", 1)[1])


def _answer(uri: str, password: str, **config) -> int:
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password), connection_timeout=10, **config) as driver:
        driver.verify_connectivity()
        return driver.execute_query("RETURN 6 * 7 AS n").records[0]["n"]


def test_start_prints_a_bolt_ssc_uri(neo4j_tls_server):
    assert re.fullmatch(r"bolt\+ssc://127\.0\.0\.1:\d+", neo4j_tls_server.uri)


def test_status_and_a_start_without_tls(neo4j_tls_server):
    """status says TLS is on; start without --tls does not hand out the TLS server as a
    plain one, and start --tls hands out the same URI again."""
    home = str(neo4j_tls_server.home)
    assert "tls: on" in run_neo4j_dev(["status", "--home", home]).stdout.splitlines()
    plain = run_neo4j_dev(["start", "--home", home])
    assert (plain.returncode, plain.stdout) == (1, "")
    assert plain.stderr.splitlines()[-1] == ("neo4j-dev: error: it runs with --tls; "
                                             "stop it first to start it without --tls")
    again = run_neo4j_dev(["start", "--tls", "--home", home])
    assert (again.returncode, again.stdout) == (0, neo4j_tls_server.uri + "\n")


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_encrypted_clients_connect(neo4j_tls_server, scheme):
    uri = f"{scheme}://127.0.0.1:{_port(neo4j_tls_server.uri)}"
    assert _answer(uri, neo4j_tls_server.password) == 42


def test_the_connection_is_really_encrypted(neo4j_tls_server):
    """The driver reports TLS on the connection (not a plain socket that happened to work)."""
    with neo4j.GraphDatabase.driver(neo4j_tls_server.uri, auth=("neo4j", neo4j_tls_server.password)) as driver:
        assert driver.encrypted is True
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1


def test_the_certificate_is_for_127_0_0_1_and_verifies(neo4j_tls_server):
    """Full verification (not +ssc) succeeds when the driver trusts exactly the generated
    certificate, so it names 127.0.0.1; with the system's CAs it is refused."""
    home = neo4j_tls_server.home
    cert_file = home / "certificates" / "bolt" / "public.crt"
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert cert.issuer == cert.subject  # self-signed
    assert (home / "certificates" / "bolt" / "private.key").stat().st_mode & 0o777 == 0o600

    port = _port(neo4j_tls_server.uri)
    assert _answer(f"bolt://127.0.0.1:{port}", neo4j_tls_server.password, encrypted=True,
                   trusted_certificates=neo4j.TrustCustomCAs(str(cert_file))) == 42
    with pytest.raises(ServiceUnavailable, match="SSLCertVerificationError"):
        _answer(f"bolt+s://127.0.0.1:{port}", neo4j_tls_server.password)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_plain_clients_are_refused(neo4j_tls_server, scheme):
    uri = f"{scheme}://127.0.0.1:{_port(neo4j_tls_server.uri)}"
    expected = ("closed with incomplete handshake response" if scheme == "bolt"
                else "Unable to retrieve routing information")
    with pytest.raises(ServiceUnavailable, match=expected):
        _answer(uri, neo4j_tls_server.password)


def test_graphmodel_loads_and_reads_over_tls(neo4j_tls_server):
    """The project's own commands work against the TLS server through NEO4J_URI."""
    env = {**os.environ, "NEO4J_URI": neo4j_tls_server.uri, "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": neo4j_tls_server.password}
    command = [sys.executable, "-c", "from graphmodel.cli import main; main()"]
    load = subprocess.run([*command, "load", str(SEED)], env=env, capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    with neo4j.GraphDatabase.driver(neo4j_tls_server.uri, auth=("neo4j", neo4j_tls_server.password)) as driver:
        records = driver.execute_query("MATCH (t:Tambon {id: '802103'}) RETURN t.name AS name").records
    assert [r["name"] for r in records] == ["กะหรอ"]


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_plain_uri_for_a_tls_server_says_the_server_wants_tls(neo4j_tls_server, scheme):
    """Reached with bolt:// or neo4j://, the TLS server closes the handshake: the message says it
    wants TLS and how to ask for it, not "is the server running?" (it is)."""
    from click.testing import CliRunner

    from graphmodel.cli import main

    port = _port(neo4j_tls_server.uri)
    result = CliRunner(env={"NEO4J_PASSWORD": neo4j_tls_server.password}).invoke(
        main, ["info", "--neo4j", f"{scheme}://127.0.0.1:{port}"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot reach Neo4j at {scheme}://127.0.0.1:{port} (the server answers but "
                             f"not with plain Bolt: it may want TLS; try {scheme}+ssc:// for a self-signed "
                             f"certificate such as scripts/neo4j-dev --tls makes, {scheme}+s:// for a verified one)\n")
