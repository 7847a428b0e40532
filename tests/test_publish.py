"""Publishing to a store over HTTP, against a small Graph Store Protocol / SPARQL Update server on loopback
that keeps what it receives in an rdflib Dataset (so the test can compare it with the build)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from nhskg.cli import main
from nhskg.errors import NhskgError
from nhskg.remote import publish
from nhskg.store import named_graphs


class StoreDouble(BaseHTTPRequestHandler):
    dataset: Dataset
    requests: list
    refuse: str | None = None

    def log_message(self, *args):  # keep test output clean
        pass

    def do_PUT(self):
        graph = parse_qs(urlsplit(self.path).query)["graph"][0]
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        self.requests.append(("PUT", graph, self.headers.get("Authorization")))
        if graph == self.refuse:
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"disk full")
            return
        target = self.dataset.graph(URIRef(graph))
        target.remove((None, None, None))
        target.parse(data=body, format="nt")
        self.send_response(201)
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        self.requests.append(("POST", self.headers["Content-Type"], None))
        self.dataset.update(body)
        self.send_response(204)
        self.end_headers()


@pytest.fixture
def store():
    dataset, requests = Dataset(), []
    handler = type("Handler", (StoreDouble,), {"dataset": dataset, "requests": requests, "refuse": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", dataset, requests, handler
    server.shutdown()
    server.server_close()


def graph_of(dataset, name):
    return {t for t in dataset.graph(URIRef(name))}


def test_graph_store_protocol_replaces_every_graph(store, kg, monkeypatch):
    url, remote, requests, _ = store
    monkeypatch.setenv("NHSKG_STORE_USER", "loader")
    monkeypatch.setenv("NHSKG_STORE_PASSWORD", "secret")
    stale = URIRef("https://w3id.org/nhskg/graph/entities")
    remote.graph(stale).add((stale, stale, stale))
    pushed = publish(kg.dataset, graph_store=url + "/data")
    local = {str(g.identifier): g for g in named_graphs(kg.dataset)}
    assert [p.graph for p in pushed] == sorted(local)
    for name, graph in local.items():  # the ontology's OWL lists are blank nodes: compare up to renaming
        assert isomorphic(Graph() + remote.graph(URIRef(name)), Graph() + graph), name
    assert all(auth and auth.startswith("Basic ") for _, _, auth in requests)


def test_sparql_update_where_there_is_no_graph_store(store, kg):
    url, remote, requests, _ = store
    publish(kg.dataset, endpoint=url + "/update", graphs=["https://w3id.org/nhskg/graph/entities"])
    assert requests == [("POST", "application/sparql-update", None)]
    assert graph_of(remote, "https://w3id.org/nhskg/graph/entities") == set(
        kg.dataset.graph(URIRef("https://w3id.org/nhskg/graph/entities")))


def test_a_failed_push_names_the_graph_and_keeps_the_old_one(store, kg):
    url, remote, _, handler = store
    handler.refuse = "https://w3id.org/nhskg/graph/entities"
    old = URIRef("https://w3id.org/nhskg/graph/entities")
    remote.graph(old).add((old, old, old))
    with pytest.raises(NhskgError) as error:
        publish(kg.dataset, graph_store=url + "/data")
    assert "graph/entities" in str(error.value) and "500" in str(error.value) and "disk full" in str(error.value)
    assert graph_of(remote, str(old)) == {(old, old, old)}


def test_publish_command(store, built):
    url, remote, _, _ = store
    result = CliRunner().invoke(main, ["publish", "--graph-store", url + "/data", "--graph", "entities",
                                       "--build-dir", str(built[0])])
    assert result.exit_code == 0, result.output
    assert "graph/entities" in result.output and len(graph_of(remote, "https://w3id.org/nhskg/graph/entities")) > 100
    unreachable = CliRunner().invoke(main, ["publish", "--graph-store", "http://127.0.0.1:9/data", "--graph",
                                            "entities", "--build-dir", str(built[0])])
    assert unreachable.exit_code == 2 and "cannot reach" in unreachable.output
