"""The stored queries give the same answers against a SPARQL endpoint as locally.

The endpoint is `nhskg serve` on loopback, a real SPARQL 1.1 Protocol server over HTTP; a production store
(Virtuoso, Fuseki) is reached the same way once `nhskg publish` has filled it.
"""

import threading

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from nhskg.cli import main
from nhskg.graph import RemoteKnowledgeGraph
from conftest import STORED_QUERY_PARAMETERS
from nhskg.queries import catalog
from nhskg.remote import RemoteError, bind_query_text
from nhskg.serve import ServeSettings, make_server

PARAMETERS = STORED_QUERY_PARAMETERS


@pytest.fixture(scope="module")
def endpoint(kg):
    server = make_server(kg, "127.0.0.1", 0, ServeSettings(timeout_seconds=60, max_rows=100_000))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_every_stored_query_is_covered():
    assert set(PARAMETERS) == set(catalog())


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_same_answers_remotely(kg, endpoint, name):
    local = kg.query(name, PARAMETERS[name])
    remote = RemoteKnowledgeGraph(endpoint).query(name, PARAMETERS[name])
    assert remote.columns == local.columns
    assert as_text(remote) == as_text(local)
    assert len(local.rows) > 0


def as_text(table) -> list:
    """Rows as text; GROUP_CONCAT parts compared as sorted, since SPARQL leaves their order to the engine
    (rdflib serves here, Oxigraph answers locally)."""
    import re
    def part_sorted(term):
        return "" if term is None else " ".join(sorted(re.split(r" \| |, | ", str(term))))
    return sorted(tuple(part_sorted(t) for t in row) for row in table.rows)


def test_bindings_cannot_change_the_query():
    text = "SELECT ?x WHERE { ?x ?p ?text FILTER(!BOUND(?text) || ?x = ?who) } # ?text in a comment"
    bound = bind_query_text(text, {"text": Literal('a" } DROP ALL { "'), "who": URIRef("https://example.org/a")})
    assert 'FILTER(!true || ?x = <https://example.org/a>)' in bound
    assert '"a\\" } DROP ALL { \\""' in bound and "# ?text in a comment" in bound
    with pytest.raises(RemoteError):
        bind_query_text(text, {"who": URIRef("https://example.org/a> } DROP ALL { <b")})


def test_cli_with_endpoint(endpoint):
    result = CliRunner().invoke(main, ["lineage", "11N", "--endpoint", endpoint, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "ccg-into-icb-11n" in result.output
    unreachable = CliRunner().invoke(main, ["lineage", "11N", "--endpoint", "http://127.0.0.1:9/sparql"])
    assert unreachable.exit_code == 2 and "cannot reach" in unreachable.output


def test_an_answer_the_server_cut_is_an_error_not_a_shorter_table(kg):
    server = make_server(kg, "127.0.0.1", 0, ServeSettings(timeout_seconds=60, max_rows=3))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    cut_at_three = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        result = CliRunner().invoke(main, ["query", "changes", "--endpoint", cut_at_three])
        assert result.exit_code == 2
        assert "cut its answer at 3 rows" in result.output and "--max-rows" in result.output
        assert "id:change/" not in result.output  # no partial table
        paged = CliRunner().invoke(main, ["query", "changes", "--limit", "3", "--endpoint", cut_at_three,
                                          "--format", "csv"])
        assert paged.exit_code == 0, paged.output
        assert len(paged.output.strip().splitlines()) == 4  # the header and three rows
    finally:
        server.shutdown()
        server.server_close()
