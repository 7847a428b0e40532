"""The web server: SPARQL 1.1 Protocol, its safety limits, and the Linked Data and HTML pages.

One build (no reasoning, for speed) serves two servers on loopback: one with the default settings and a
strict one with a tiny time limit, row cap and body limit. They are spoken to with urllib only.
"""

import csv
import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from nhskg.build import build
from nhskg.graph import KnowledgeGraph
from nhskg.serve import ServeSettings, make_server
from nhskg.vocab import NHSKG

KERNOW = URIRef("https://w3id.org/nhskg/id/org/ods-11n")
KERNOW_LABEL = Literal("NHS Kernow CCG", lang="en")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
LABEL_QUERY = f"SELECT ?label WHERE {{ <{KERNOW}> rdfs:label ?label }}"
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what browsers send
# Loopback only: never through a proxy the environment may name.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def served_graph(tmp_path_factory) -> KnowledgeGraph:
    out = tmp_path_factory.mktemp("serve-build")
    build(out, profile="none")
    return KnowledgeGraph.open(out)


@contextmanager
def running(kg: KnowledgeGraph, settings: ServeSettings):
    server = make_server(kg, "127.0.0.1", 0, settings)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def url(served_graph):
    with running(served_graph, ServeSettings()) as address:
        yield address


@pytest.fixture(scope="module")
def strict_url(served_graph):
    with running(served_graph, ServeSettings(timeout_seconds=0.5, max_rows=5, max_request_bytes=2000)) as address:
        yield address


def fetch(address: str, path: str, *, accept: str | None = None, data: bytes | None = None,
          content_type: str | None = None, method: str | None = None):
    """(status, headers, body) of one bounded request; error statuses are returned, not raised."""
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(address + path, data=data, headers=headers, method=method)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def sparql_get(address: str, query: str, accept: str | None = None):
    return fetch(address, "/sparql?" + urllib.parse.urlencode({"query": query}), accept=accept)


def media_type(headers) -> str:
    return headers["Content-Type"].split(";")[0].strip()


# -- SPARQL 1.1 Protocol -------------------------------------------------------------------------------

def test_select_is_json_by_default(url):
    status, headers, body = sparql_get(url, LABEL_QUERY)
    assert status == 200 and media_type(headers) == "application/sparql-results+json"
    bindings = json.loads(body)["results"]["bindings"]
    assert bindings == [{"label": {"type": "literal", "value": "NHS Kernow CCG", "xml:lang": "en"}}]


def test_select_as_csv(url):
    status, headers, body = sparql_get(url, LABEL_QUERY, "text/csv")
    assert status == 200 and media_type(headers) == "text/csv"
    assert list(csv.reader(io.StringIO(body.decode("utf-8")))) == [["label"], ["NHS Kernow CCG"]]


def test_select_as_tsv(url):
    status, headers, body = sparql_get(url, LABEL_QUERY, "text/tab-separated-values")
    assert status == 200 and media_type(headers) == "text/tab-separated-values"
    assert body.decode("utf-8").splitlines() == ["?label", '"NHS Kernow CCG"@en']


def test_select_as_xml(url):
    status, headers, body = sparql_get(url, LABEL_QUERY, "application/sparql-results+xml")
    assert status == 200 and media_type(headers) == "application/sparql-results+xml"
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    literals = ElementTree.fromstring(body).iter(f"{namespace}literal")
    assert [element.text for element in literals] == ["NHS Kernow CCG"]


def test_accept_quality_values_are_honoured(url):
    status, headers, _ = sparql_get(url, LABEL_QUERY, "application/sparql-results+json;q=0.5, text/csv")
    assert status == 200 and media_type(headers) == "text/csv"
    status, _, _ = sparql_get(url, LABEL_QUERY, "image/png")
    assert status == 406


def test_get_and_both_post_forms_give_the_same_answer(url):
    _, _, by_get = sparql_get(url, LABEL_QUERY)
    _, _, by_form = fetch(url, "/sparql", data=urllib.parse.urlencode({"query": LABEL_QUERY}).encode(),
                          content_type="application/x-www-form-urlencoded")
    status, _, direct = fetch(url, "/sparql", data=LABEL_QUERY.encode(), content_type="application/sparql-query")
    assert status == 200
    assert json.loads(by_get) == json.loads(by_form) == json.loads(direct)
    assert json.loads(direct)["results"]["bindings"][0]["label"]["value"] == "NHS Kernow CCG"


def test_construct_as_turtle_and_json_ld(url):
    query = f"CONSTRUCT {{ <{KERNOW}> ?p ?o }} WHERE {{ <{KERNOW}> ?p ?o }}"
    status, headers, body = sparql_get(url, query)
    assert status == 200 and media_type(headers) == "text/turtle"
    turtle = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (KERNOW, RDFS.label, KERNOW_LABEL) in turtle
    status, headers, body = sparql_get(url, query, "application/ld+json")
    assert status == 200 and media_type(headers) == "application/ld+json"
    json_ld = Graph().parse(data=body.decode("utf-8"), format="json-ld")
    assert (KERNOW, RDFS.label, KERNOW_LABEL) in json_ld
    assert len(json_ld) == len(turtle) > 5


def test_ask(url):
    status, _, body = sparql_get(url, f"ASK {{ <{KERNOW}> nhskg:odsCode \"11N\" }}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_service_description(url):
    status, headers, body = fetch(url, "/sparql")
    assert status == 200 and media_type(headers) == "text/turtle"
    description = Graph().parse(data=body.decode("utf-8"), format="turtle")
    service = description.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert str(description.value(service, SD.endpoint)) == url + "/sparql"
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    formats = set(description.objects(service, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_CSV, FORMATS.Turtle} <= formats
    graph_names = set(description.objects(None, SD.name))
    assert URIRef("https://w3id.org/nhskg/graph/register") in graph_names


def test_cors_on_answers_and_errors_and_preflight(url):
    for path in ("/sparql?" + urllib.parse.urlencode({"query": LABEL_QUERY}), "/id/org/no-such-body"):
        _, headers, _ = fetch(url, path)
        assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = fetch(url, "/sparql", method="OPTIONS")
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


# -- safety --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["update-field", "update-body", "query-field", "query-body"])
def test_updates_are_refused_and_change_nothing(url, served_graph, how):
    before = len(served_graph.dataset)
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    if how == "update-field":
        response = fetch(url, "/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                         content_type="application/x-www-form-urlencoded")
    elif how == "update-body":
        response = fetch(url, "/sparql", data=update.encode(), content_type="application/sparql-update")
    elif how == "query-field":
        response = sparql_get(url, "DROP ALL")
    else:
        response = fetch(url, "/sparql", data=update.encode(), content_type="application/sparql-query")
    status, _, body = response
    assert status == 403
    assert b"read-only" in body
    assert len(served_graph.dataset) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s a nhskg:Claim . FILTER EXISTS { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } } }",
])
def test_service_is_refused(url, query):
    status, _, body = sparql_get(url, query)
    assert status == 403 and b"SERVICE" in body


def test_the_word_service_in_a_string_is_not_refused(url):
    status, _, body = sparql_get(url, 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/>" AS ?x) }')
    assert status == 200 and "SERVICE" in json.loads(body)["results"]["bindings"][0]["x"]["value"]


def test_from_may_name_only_graphs_of_the_dataset(url, served_graph):
    status, _, body = sparql_get(url, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 1")
    assert status == 400 and b"not a graph of this dataset" in body
    query = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/nhskg/graph/ontology> WHERE { ?s ?p ?o }")
    status, _, body = sparql_get(url, query)
    ontology_size = len(served_graph.dataset.get_context(URIRef("https://w3id.org/nhskg/graph/ontology")))
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == ontology_size


def test_malformed_query_is_400_with_the_parsers_message(url):
    status, headers, body = sparql_get(url, "SELEKT ?x WHERE { ?x ?y ?z }")
    assert status == 400 and media_type(headers) == "text/plain"
    assert b"does not parse" in body and b"line:1" in body


def test_oversize_body_is_413(strict_url):
    padding = "# " + "x" * 1500 + "\n"
    status, _, _ = fetch(strict_url, "/sparql", data=(padding + LABEL_QUERY).encode(),
                         content_type="application/sparql-query")
    assert status == 200  # under the limit of 2000 bytes
    status, _, body = fetch(strict_url, "/sparql", data=(padding * 3 + LABEL_QUERY).encode(),
                            content_type="application/sparql-query")
    assert status == 413 and b"at most 2,000" in body


def test_time_limit_gives_503_and_stops_the_query(strict_url):
    started = time.monotonic()
    status, _, body = sparql_get(strict_url, HEAVY_QUERY)
    assert status == 503
    assert body.decode("utf-8").strip() == "query time limit of 0.5 s exceeded"
    assert time.monotonic() - started < 5
    # The abandoned query is stopped, not left running ...
    deadline = time.monotonic() + 10
    while any(t.name == "nhskg-query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "nhskg-query" for t in threading.enumerate())
    # ... and the server goes on answering.
    status, _, body = sparql_get(strict_url, LABEL_QUERY)
    assert status == 200 and b"NHS Kernow CCG" in body


def test_rows_are_capped_and_the_cut_is_said(strict_url, url):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"
    status, headers, body = sparql_get(strict_url, query)
    assert status == 200 and headers["X-NHSKG-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 5
    status, headers, body = sparql_get(url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3", "text/csv")
    assert status == 200 and headers.get("X-NHSKG-Truncated") is None
    assert len(body.decode("utf-8").splitlines()) == 4


# -- Linked Data and pages -----------------------------------------------------------------------------

def test_entity_page_for_people(url):
    status, headers, body = fetch(url, "/id/org/ods-11n", accept=HTML_ACCEPT)
    page = body.decode("utf-8")
    assert status == 200 and media_type(headers) == "text/html"
    assert "<h1>NHS Kernow CCG</h1>" in page
    assert "<svg" in page
    assert 'href="http://statistics.data.gov.uk/id/statistical-geography/E38000089"' in page
    assert "organisationId=11N" in page
    assert 'href="/id/org/sub-icb-11n"' in page  # its successor, linked at its local path
    assert 'href="/graph/register"' in page  # the graph a fact came from
    assert 'id="gss-e38000089"' in page  # its #part, so the hash IRI resolves too


def test_entity_page_shows_claims_with_their_words_and_oversight(url):
    status, _, body = fetch(url, "/id/org/monitor", accept=HTML_ACCEPT)
    page = body.decode("utf-8")
    assert status == 200
    assert "beck and call" in page
    assert 'href="/id/doc/2011-06-20-clinically-led-commissioning-must-not-be-set-up-to-fail"' in page
    assert "Whom it oversaw" in page


def test_entity_for_machines(url):
    status, headers, body = fetch(url, "/id/org/ods-11n", accept="text/turtle")
    assert status == 200 and media_type(headers) == "text/turtle"
    description = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (KERNOW, RDFS.label, KERNOW_LABEL) in description
    assert (KERNOW, NHSKG.odsCode, Literal("11N")) in description
    assert (None, None, KERNOW) in description  # incoming links too
    status, headers, body = fetch(url, "/id/org/ods-11n", accept="application/ld+json")
    assert status == 200 and media_type(headers) == "application/ld+json"
    assert (KERNOW, RDFS.label, KERNOW_LABEL) in Graph().parse(data=body.decode("utf-8"), format="json-ld")


def test_unknown_entity_is_404(url):
    for accept in (HTML_ACCEPT, "text/turtle"):
        status, _, _ = fetch(url, "/id/org/no-such-body", accept=accept)
        assert status == 404


def test_search_by_code_and_name(url):
    for query in ("11N", "E38000089", "kernow"):
        status, _, body = fetch(url, "/search?" + urllib.parse.urlencode({"q": query}))
        page = body.decode("utf-8")
        assert status == 200 and "NHS Kernow CCG" in page and 'href="/id/org/ods-11n"' in page
    _, _, body = fetch(url, "/search?q=zzzz-nothing")
    assert "NHS Kernow CCG" not in body.decode("utf-8") and "No entity" in body.decode("utf-8")


def test_ontology_as_page_and_turtle(url):
    status, _, body = fetch(url, "/ontology", accept=HTML_ACCEPT)
    page = body.decode("utf-8")
    assert status == 200
    assert "Clinical Commissioning Group" in page and 'id="ClinicalCommissioningGroup"' in page
    assert "commissioned most NHS care for its area" in page  # its skos:definition
    status, headers, body = fetch(url, "/ontology", accept="text/turtle")
    assert status == 200 and media_type(headers) == "text/turtle"
    ontology = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (NHSKG.ClinicalCommissioningGroup, RDF.type, OWL.Class) in ontology


def test_query_form_shows_a_table_and_escapes_what_it_shows(url):
    status, _, body = fetch(url, "/query?" + urllib.parse.urlencode({"query": LABEL_QUERY}))
    page = body.decode("utf-8")
    assert status == 200 and "<table>" in page and "NHS Kernow CCG" in page
    hostile = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    _, _, body = fetch(url, "/query?" + urllib.parse.urlencode({"query": hostile}))
    page = body.decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    status, _, body = fetch(url, "/query?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert status == 403 and "read-only" in body.decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/search?q=11N", "/query", "/id/org/ods-11n", "/ontology",
                                  "/graph/entities"])
def test_pages_load_nothing_from_other_sites(url, path):
    status, headers, body = fetch(url, path, accept=HTML_ACCEPT)
    page = body.decode("utf-8")
    assert status == 200 and media_type(headers) == "text/html"
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page, flags=re.IGNORECASE)
    assert not [tag for tag in tags if "http" in tag.lower()]
    assert "<script" not in page.lower()
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_concurrent_requests_are_all_answered(url):
    # Different query shapes parse through different parts of rdflib's grammar, which is not thread-safe.
    queries = [
        f"SELECT ?label WHERE {{ VALUES ?body {{ <{KERNOW}> }} ?body rdfs:label ?label }}",
        f"SELECT ?label WHERE {{ <{KERNOW}> rdfs:label|skos:prefLabel ?label "
        f"MINUS {{ <{KERNOW}> nhskg:odsCode \"X\" }} }}",
        f"SELECT (GROUP_CONCAT(?label; separator=\"|\") AS ?all) WHERE {{ <{KERNOW}> rdfs:label ?label }}",
        f"SELECT ?label WHERE {{ {{ SELECT ?label WHERE {{ <{KERNOW}> rdfs:label ?label }} }} }}",
        f"SELECT ?label WHERE {{ <{KERNOW}> rdfs:label ?l BIND(STR(?l) AS ?label) FILTER(STRLEN(?label) > 3) }}",
        f"SELECT ?label WHERE {{ GRAPH ?g {{ <{KERNOW}> rdfs:label ?label }} }}",
    ]
    results: dict[int, tuple] = {}

    def ask(index, query):
        results[index] = sparql_get(url, query)

    def page(index, path):
        results[index] = fetch(url, path, accept=HTML_ACCEPT)

    threads = [threading.Thread(target=ask, args=(i, q)) for i, q in enumerate(queries)]
    threads += [threading.Thread(target=page, args=(100 + i, path))
                for i, path in enumerate(["/id/org/ods-11n", "/id/org/monitor"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(status for status, _, _ in results.values()) == [200] * len(threads)
    for index in range(len(queries)):
        assert "NHS Kernow CCG" in results[index][2].decode("utf-8")


# -- the Oxigraph engine -----------------------------------------------------------------------------------

def test_oxigraph_engine_gives_the_same_answers_and_the_same_refusals(served_graph, url):
    from nhskg.queries import get_query
    from nhskg.remote import bind_query_text
    lineage = get_query("lineage")
    stored = bind_query_text(lineage.text, served_graph.bind(lineage, {"body": "mid Cornwall"}))
    with running(served_graph, ServeSettings(engine="oxigraph")) as fast:
        for query in (LABEL_QUERY, stored, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?type }"):
            status, _, body = sparql_get(fast, query, "text/csv")
            reference_status, _, reference = sparql_get(url, query, "text/csv")
            assert status == reference_status == 200
            header, *rows = body.decode("utf-8").splitlines()
            reference_header, *reference_rows = reference.decode("utf-8").splitlines()
            assert header == reference_header and sorted(rows) == sorted(reference_rows) and rows
        assert sparql_get(fast, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")[0] == 403
        assert fetch(fast, "/sparql", data=b"update=DROP+ALL", content_type="application/x-www-form-urlencoded",
                     method="POST")[0] in (400, 403)
        assert sparql_get(fast, "SELECT ?x WHERE {")[0] == 400


def test_long_names_in_the_lineage_drawing_keep_their_distinguishing_end():
    from nhskg.serve import wrap
    board = "NHS Cornwall and the Isles of Scilly Integrated Care Board"
    location = board + " - 11N"
    assert wrap(board, 32, 2) == ["NHS Cornwall and the Isles of", "Scilly Integrated Care Board"]
    cut = wrap(location, 32, 2)
    assert cut[0] == "NHS Cornwall and the Isles of" and cut[-1].startswith("…") and cut[-1].endswith("- 11N")
    assert all(len(line) <= 32 for line in cut)
    assert wrap("NHS Kernow CCG", 32, 2) == ["NHS Kernow CCG"]
