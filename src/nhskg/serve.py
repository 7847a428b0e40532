"""A read-only web server for a built nhskg graph.

It answers SPARQL 1.1 Protocol queries at /sparql, makes every IRI of the graph under the base
(https://w3id.org/nhskg/id/..., /ontology, /graph/...) resolve on this server at the same path, as a page
for people (HTML) or a description for machines (Turtle, JSON-LD, N-Triples, RDF/XML), documents the
ontology from the ontology itself, and offers a search box and a query form. Nothing it serves can change
the graph; every query runs under a time limit and a row cap; and it refuses what would make it fetch from
the network or the file system on a client's behalf (SERVICE, and FROM naming a graph it does not hold).
Standard library and rdflib only.
"""

from __future__ import annotations

import ctypes
import html
import itertools
import logging
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from . import __version__
from .errors import NhskgError
from .graph import KnowledgeGraph
from .remote import TRUNCATED_HEADER
from .store import named_graphs, to_ntriples, to_turtle
from .vocab import BASE, GRAPH_ONTOLOGY, NHSKG, OA, ORG, PREFIXES, SCHEMA, bind_prefixes, graph_short_name

log = logging.getLogger("nhskg.serve")

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"
PLAIN = "text/plain"

# Offered in order of preference: on a tie (Accept: */*, or no Accept) the first wins, so SELECT and ASK
# answer in JSON and graphs in Turtle, as the SPARQL 1.1 Protocol suggests.
TABLE_TYPES = [SPARQL_JSON, SPARQL_XML, CSV, TSV, "application/json"]
BOOLEAN_TYPES = [SPARQL_JSON, SPARQL_XML, "application/json"]
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML]
# Resources with a page: a client that names no type gets Turtle; browsers name text/html outright.
RESOURCE_TYPES = [TURTLE, HTML, JSONLD, NTRIPLES, RDFXML]
MEDIA_ALIASES = {"application/json": SPARQL_JSON}
RDFLIB_GRAPH_FORMAT = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", RDFXML: "xml"}
RDFLIB_RESULT_FORMAT = {SPARQL_JSON: "json", SPARQL_XML: "xml", CSV: "csv"}
# `?format=` lets a person follow a link to the Turtle of a page; the browser's Accept would give HTML.
FORMAT_PARAMETER = {"html": HTML, "ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json-ld": JSONLD,
                    "nt": NTRIPLES, "ntriples": NTRIPLES, "rdfxml": RDFXML, "xml": RDFXML}
SERVICE_RESULT_FORMATS = [FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV,
                          FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["N-Triples"], FORMATS["JSON-LD"],
                          FORMATS.RDF_XML]

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
# No scripts at all, styles only from the page itself, forms only to this server: the pages need nothing
# else, and this keeps a crafted query's output from running as code even if escaping ever failed.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

UPDATE_REFUSED = ("updates are refused: this endpoint is read-only (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, "
                  "ADD, MOVE and COPY are never run)")
SERVICE_REFUSED = ("SERVICE (federated query) is refused: this endpoint does not query other endpoints on a "
                   "client's behalf")

ODS_PORTAL = "https://odsportal.digital.nhs.uk/Organisation/OrganisationDetails?organisationId={code}"
STATISTICAL_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
LEGISLATION_HOSTS = ("http://www.legislation.gov.uk/", "https://www.legislation.gov.uk/")

# rdflib's SPARQL parser (pyparsing) is not safe to run in two threads at once: concurrent parses fail with
# errors such as "Param.postParse2() missing 1 required positional argument". One lock for the process,
# since the grammar is shared by every server in it. A client's query is only parsed under it, not evaluated.
PARSE_LOCK = threading.RLock()

# Queries share one interpreter (and its GIL): more at once would only slow each of them; the others wait
# their turn, for at most one time limit.
MAX_CONCURRENT_QUERIES = 4
SOCKET_TIMEOUT_SECONDS = 30  # a client that goes quiet mid-request cannot hold a thread for ever
MAX_DRAINED_BYTES = 1_000_000  # an oversize body up to this is read and dropped, so the client sees the 413
MAX_SEARCH_RESULTS = 200
MAX_FACTS_SHOWN = 1000
LINEAGE_DEPTH = 2
LINEAGE_PER_COLUMN = 12

EXAMPLE_QUERY = """\
# The usual prefixes (nhskg:, id:, org:, rdfs:, skos:, dcterms:, schema:, ...) are declared for you.
SELECT ?ccg ?code ?label
WHERE {
  ?ccg a nhskg:ClinicalCommissioningGroup ; nhskg:odsCode ?code ; rdfs:label ?label .
}
ORDER BY ?code
LIMIT 25
"""


@dataclass(frozen=True)
class ServeSettings:
    """The limits and options of one server."""
    timeout_seconds: float = 10
    max_rows: int = 10_000
    max_request_bytes: int = 100_000
    allow_service: bool = False
    base: str = BASE
    # "rdflib" evaluates SPARQL sent to /sparql in Python, where a query past the time limit is stopped;
    # "oxigraph" evaluates it in Rust, tens of times faster and outside the GIL, but a query past the limit,
    # though answered 503 at once, runs on to its end (Oxigraph cannot be interrupted).
    engine: str = "rdflib"


class HttpError(Exception):
    """An answer other than success, with a message meant for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class TimeLimitExceeded(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"query time limit of {seconds:g} s exceeded")


class _Interrupted(BaseException):
    """Raised inside a worker whose time is up; a BaseException so that `except Exception` in rdflib passes it on."""


@dataclass
class Response:
    status: int = 200
    content_type: str = PLAIN
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class QueryRequest:
    """One SPARQL query as the protocol delivers it."""
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """A query's answer, its rows (or triples) cut at the row cap."""
    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


# -- content negotiation -------------------------------------------------------------------------------

def parse_accept(header: str) -> list[tuple[str, float]]:
    """An Accept header -> (media range, quality) pairs; a malformed quality counts as 1."""
    ranges = []
    for part in header.split(","):
        media, *params = [piece.strip() for piece in part.split(";")]
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    pass  # a malformed q-value counts as 1, as browsers send and servers read it
        ranges.append((media.lower(), quality))
    return ranges


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers, the most specific matching range deciding its quality;
    on a tie the earlier offered; None when the client accepts none of them."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best, best_quality = None, 0.0
    for media in offered:
        family = media.split("/")[0] + "/*"
        for candidates in ([q for r, q in ranges if r == media], [q for r, q in ranges if r == family],
                           [q for r, q in ranges if r == "*/*"]):
            if candidates:
                quality = max(candidates)
                break
        else:
            quality = 0.0
        if quality > best_quality:
            best, best_quality = media, quality
    return best


def with_charset(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


# -- running work under a time limit -------------------------------------------------------------------

def _interrupt(thread: threading.Thread) -> None:
    """Raise _Interrupted inside `thread` at its next bytecode.

    Python cannot kill a thread. Without this a query past its limit would run on, holding a CPU, after its
    client had its 503; rdflib evaluates SPARQL in pure Python, so the exception lands within moments.
    """
    if thread.ident is not None and sys.implementation.name == "cpython":
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Interrupted))


def _stop_worker(worker: threading.Thread, guard: threading.Lock, done: threading.Event) -> None:
    # Interrupt again while it lives: a bare `except:` somewhere in rdflib may swallow one interruption.
    while worker.is_alive():
        with guard:
            if done.is_set():
                return
            _interrupt(worker)
        worker.join(0.5)


# -- SPARQL protocol -----------------------------------------------------------------------------------

def read_query_request(method: str, params: dict[str, list[str]], content_type: str | None,
                       body: bytes) -> QueryRequest | None:
    """The query of a SPARQL 1.1 Protocol request; None for a GET without one (the service description)."""
    fields = {key: list(values) for key, values in params.items()}
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            for key, values in parse_form(decode_utf8(body)).items():
                fields.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            if "query" in fields:
                raise HttpError(400, "the query is given twice, in the URL and in the body")
            fields["query"] = [decode_utf8(body)]
        elif media == "application/sparql-update":
            raise HttpError(403, UPDATE_REFUSED)
        else:
            raise HttpError(415, "POST a query as application/sparql-query, or as the form field query= in "
                                 "application/x-www-form-urlencoded")
    if "update" in fields:
        raise HttpError(403, UPDATE_REFUSED)
    queries = fields.get("query", [])
    if not queries:
        if method == "POST":
            raise HttpError(400, "no query: send it as the form field query=, or as an application/sparql-query body")
        return None
    if len(queries) > 1:
        raise HttpError(400, "give exactly one query")
    return QueryRequest(queries[0], fields.get("default-graph-uri", []), fields.get("named-graph-uri", []))


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not UTF-8") from None


def parse_form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=100, errors="strict")
    except (ValueError, UnicodeDecodeError) as error:
        raise HttpError(400, f"the form cannot be read: {error}") from None


def is_update(text: str) -> bool:
    """Whether text is a SPARQL update with at least one operation (an empty update is valid SPARQL too)."""
    try:
        with PARSE_LOCK:
            parsed = parseUpdate(text)
    except Exception:  # pyparsing raises several error types; any of them means "not an update"
        return False
    return "request" in parsed and bool(parsed["request"])


def looks_like_update(text: str) -> bool:
    """Whether text, after its comments and PREFIX / BASE declarations, starts with an update keyword: so that
    an update with a typo is refused as an update, not reported as a query that does not parse."""
    rest = text
    while True:
        rest = rest.lstrip()
        declaration = re.match(r"#[^\n]*|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", rest, re.IGNORECASE)
        if declaration is None:
            break
        rest = rest[declaration.end():]
    return re.match(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", rest, re.IGNORECASE) is not None


def compile_query(text: str):
    """Parse and translate a query, with the project's prefixes declared; updates and bad SPARQL refused."""
    if not text.strip():
        raise HttpError(400, "the query is empty")
    try:
        with PARSE_LOCK:
            return prepareQuery(text, initNs=PREFIXES)
    except Exception as error:  # parse errors carry a line and column; translation errors a reason
        if looks_like_update(text) or is_update(text):
            raise HttpError(403, UPDATE_REFUSED) from None
        raise HttpError(400, f"the query does not parse: {error}") from None


def uses_service(algebra) -> bool:
    """Whether a query's algebra has a SERVICE anywhere, inside EXISTS, subqueries and OPTIONALs too."""
    todo, seen = [algebra], set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            todo.extend(dict.values(node))
        elif isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            todo.extend(node)
    return False


def tsv_results(answer: Answer) -> bytes:
    """SPARQL 1.1 TSV results (rdflib has no serializer for them): terms in Turtle syntax, tabs escaped."""
    lines = ["\t".join("?" + v for v in answer.variables)]
    for row in answer.rows:
        cells = []
        for term in row:
            if term is None:
                cells.append("")
            elif isinstance(term, BNode):
                cells.append(f"_:{term}")
            else:
                cells.append(term.n3().replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_answer(answer: Answer, media: str) -> bytes:
    if answer.kind in ("SELECT", "ASK"):
        if media == TSV:
            return tsv_results(answer)
        result = Result(answer.kind)
        if answer.kind == "SELECT":
            result.vars = [Variable(v) for v in answer.variables]
            result.bindings = [{Variable(v): term for v, term in zip(answer.variables, row) if term is not None}
                               for row in answer.rows]
        else:
            result.askAnswer = answer.boolean
        return result.serialize(format=RDFLIB_RESULT_FORMAT[media], encoding="utf-8")
    return answer.graph.serialize(format=RDFLIB_GRAPH_FORMAT[media], encoding="utf-8")


def serialize_graph(graph: Graph, media: str) -> bytes:
    # Turtle and N-Triples sorted, as `nhskg export` writes them, so that descriptions diff cleanly.
    if media == TURTLE:
        return to_turtle(graph).encode("utf-8")
    if media == NTRIPLES:
        return to_ntriples(graph).encode("utf-8")
    return graph.serialize(format=RDFLIB_GRAPH_FORMAT[media], encoding="utf-8")


# -- HTML ----------------------------------------------------------------------------------------------

def esc(value) -> str:
    return html.escape(str(value), quote=True)


CSS = """
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1d2330}
header{background:#005eb8;color:#fff;padding:.55em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{margin-left:auto}
header input{padding:.3em .5em;border:0;border-radius:3px;min-width:16em}
main{max-width:76em;margin:0 auto;padding:1em 1.2em 3em}
h1{margin:.3em 0 .1em;font-size:1.7em}
h2{margin-top:1.8em;border-bottom:2px solid #e4e8ee;padding-bottom:.15em;font-size:1.25em}
h3{margin:1.2em 0 .3em;font-size:1.05em}
a{color:#005eb8}
code,textarea,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.iri{color:#4c5564;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border-bottom:1px solid #e4e8ee;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f5f8}
td{overflow-wrap:break-word}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em}
dl.summary dt{font-weight:600;color:#4c5564}
dl.summary dd{margin:0}
.note{color:#4c5564;font-size:.92em}
.error{background:#fdecea;border-left:4px solid #d5281b;padding:.6em .9em;white-space:pre-wrap}
blockquote{margin:.6em 0 .2em;padding:.4em .9em;border-left:4px solid #005eb8;background:#f3f7fc}
figure{margin:0 0 1.2em}
figcaption{font-size:.92em;color:#4c5564}
.dt{color:#768692;font-size:.85em}
textarea{width:100%;min-height:14em;padding:.5em}
button{padding:.4em 1.1em;margin-top:.4em}
.tag{display:inline-block;background:#e8edf5;border-radius:3px;padding:0 .4em;margin:0 .2em .2em 0;font-size:.9em}
svg.lineage{max-width:100%;height:auto;display:block;margin:.5em 0}
svg.lineage rect.body{fill:#eef4fb;stroke:#005eb8;stroke-width:1.2}
svg.lineage rect.self{fill:#005eb8}
svg.lineage text{font-size:12px;fill:#1d2330}
svg.lineage text.selftext{fill:#fff;font-weight:600}
svg.lineage text.sub{font-size:10.5px;fill:#4c5564}
svg.lineage text.selfsub{font-size:10.5px;fill:#dbe7f5}
svg.lineage rect.change{fill:#fff;stroke:#768692}
svg.lineage rect.notdone{stroke-dasharray:4 3}
svg.lineage path.edge{fill:none;stroke:#768692;stroke-width:1.3}
svg.lineage text.more{font-style:italic;fill:#4c5564}
section.term{border-top:1px solid #e4e8ee;padding-top:.4em}
section.term:target{background:#fffbe6}
.toc{columns:3 16em;font-size:.92em}
"""


# -- the site ------------------------------------------------------------------------------------------

class Site:
    """Everything the server answers, independent of HTTP plumbing: routes, queries, pages."""

    def __init__(self, kg: KnowledgeGraph, settings: ServeSettings):
        self.kg = kg
        self.settings = settings
        self.base = settings.base
        self.dataset = kg.dataset
        self.graphs = {graph.identifier: len(graph) for graph in named_graphs(self.dataset)}
        # Hash IRIs (ods-11n#gss-e38000089) are never requested themselves: their facts go with the page
        # of the IRI before the '#', as Linked Data clients expect.
        self.fragments: dict[str, list[URIRef]] = {}
        for subject in set(self.dataset.subjects()):
            text = str(subject)
            if isinstance(subject, URIRef) and text.startswith(self.base) and "#" in text:
                self.fragments.setdefault(text.split("#", 1)[0], []).append(subject)
        for found in self.fragments.values():
            found.sort()
        # Build the name index now, before request threads share it.
        kg.candidates("")
        self._workers: list[threading.Thread] = []
        self._workers_lock = threading.Lock()
        self._workers_changed = threading.Condition(self._workers_lock)

    # -- limits ------------------------------------------------------------------------------------
    def run_limited(self, work: Callable[[], Response]) -> Response:
        """Run work in a worker thread; past the time limit, answer for it with TimeLimitExceeded and stop it."""
        deadline = time.monotonic() + self.settings.timeout_seconds
        with self._workers_lock:
            # Wait for a free place (a worker ends by finishing or by being stopped), at most one time limit.
            while True:
                self._workers = [w for w in self._workers if w.is_alive()]
                if len(self._workers) < MAX_CONCURRENT_QUERIES:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise HttpError(503, "the server is busy with other queries; try again shortly",
                                    {"Retry-After": str(max(1, round(self.settings.timeout_seconds)))})
                self._workers_changed.wait(min(remaining, 0.05))
            outcome: dict[str, object] = {}
            guard, done = threading.Lock(), threading.Event()

            def target():
                try:
                    try:
                        outcome["value"] = work()
                    except Exception as error:  # handed to the request thread, which answers for it
                        outcome["error"] = error
                    with guard:
                        done.set()  # from here on, nobody interrupts this thread
                except _Interrupted:
                    pass  # time was up: the client has had its 503 already

            worker = threading.Thread(target=target, name="nhskg-query", daemon=True)
            self._workers.append(worker)
            worker.start()
        worker.join(self.settings.timeout_seconds)
        with guard:
            finished = done.is_set()
        if not finished:
            threading.Thread(target=_stop_worker, args=(worker, guard, done), name="nhskg-query-stopper",
                             daemon=True).start()
            raise TimeLimitExceeded(self.settings.timeout_seconds)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    @staticmethod
    def stored(method, *args, **kwargs):
        """Call one of KnowledgeGraph's stored-query methods. They parse their SPARQL as they go, so they hold
        the parse lock throughout; each takes a fraction of a second."""
        with PARSE_LOCK:
            return method(*args, **kwargs)

    # -- routing -----------------------------------------------------------------------------------
    def respond(self, method: str, target: str, headers, body: bytes) -> Response:
        parts = urlsplit(target)
        path = parts.path or "/"
        try:
            params = parse_qs(parts.query, keep_blank_values=True, max_num_fields=100, errors="strict")
        except (ValueError, UnicodeDecodeError) as error:
            raise HttpError(400, f"the query string cannot be read: {error}") from None
        accept = headers.get("Accept")
        if path == "/sparql":
            request = read_query_request(method, params, headers.get("Content-Type"), body)
            if request is None:
                return self.service_description(accept, headers.get("Host"))
            return self.run_limited(lambda: self.sparql_answer(request, accept))
        if path == "/query":
            return self.query_page(method, params, headers.get("Content-Type"), body)
        if method == "POST":
            raise HttpError(405, f"{path} answers GET and HEAD only", {"Allow": "GET, HEAD, OPTIONS"})
        if path == "/":
            return self.run_limited(self.home_page)
        if path == "/search":
            text = first(params, "q")
            return self.run_limited(lambda: self.search_page(text))
        if path in ("/ontology", "/ontology/"):
            media = self.choose(accept, params)
            return self.run_limited(lambda: self.ontology_resource(media))
        if path.startswith("/graph/"):
            graph = self.find(path, self.graphs)
            if graph is not None:
                media = self.choose(accept, params)
                return self.run_limited(lambda: self.graph_resource(graph, media))
        entity = self.find(path, None)
        if entity is None:
            raise HttpError(404, f"nothing is known about {self.base}{path.lstrip('/')}")
        media = self.choose(accept, params)
        return self.run_limited(lambda: self.entity_resource(entity, media))

    def find(self, path: str, among) -> URIRef | None:
        """The IRI a local path stands for, if the graph knows it (tried as sent, then percent-decoded)."""
        for candidate in dict.fromkeys((path, unquote(path))):
            iri = URIRef(self.base + candidate.lstrip("/"))
            if among is not None:
                if iri in among:
                    return iri
            elif self.knows(iri):
                return iri
        return None

    def knows(self, iri: URIRef) -> bool:
        return ((iri, None, None) in self.dataset or (None, None, iri) in self.dataset
                or str(iri) in self.fragments)

    def choose(self, accept: str | None, params: dict[str, list[str]]) -> str:
        wanted = first(params, "format")
        if wanted:
            if wanted.lower() not in FORMAT_PARAMETER:
                raise HttpError(400, f"format must be one of: {', '.join(FORMAT_PARAMETER)}")
            return FORMAT_PARAMETER[wanted.lower()]
        media = negotiate(accept, RESOURCE_TYPES)
        if media is None:
            raise HttpError(406, f"available as {', '.join(RESOURCE_TYPES)}")
        return media

    def error_response(self, error: HttpError, accept: str | None, path: str) -> Response:
        headers = dict(error.headers)
        # SPARQL clients get the message as plain text; people get it as a page.
        if not path.startswith("/sparql") and negotiate(accept, [PLAIN, HTML]) == HTML:
            body = f'<h1>{esc(error.status)}</h1><p class="error">{esc(error.message)}</p>'
            if error.status == 404:
                body += '<p>Try the <a href="/search">search</a>, or see the <a href="/">home page</a>.</p>'
            response = self.page(f"Error {error.status}", body, error.status)
            response.headers.update(headers)
            return response
        return Response(error.status, with_charset(PLAIN), (error.message + "\n").encode("utf-8"), headers)

    # -- SPARQL ------------------------------------------------------------------------------------
    def answer_query(self, request: QueryRequest) -> Answer:
        query = compile_query(request.text)
        if not self.settings.allow_service and uses_service(query.algebra):
            raise HttpError(403, SERVICE_REFUSED)
        self.check_dataset(query, request)
        try:
            if self.settings.engine == "oxigraph" and not dict.get(query.algebra, "datasetClause"):
                # Queries that choose their own graphs (FROM, default-graph-uri) stay with rdflib.
                result = self.kg.query_dataset.query(request.text)
            else:
                result = self.dataset.query(query)
            limit = self.settings.max_rows
            if result.type == "SELECT":
                # Rows are taken one by one from rdflib's generator, so the cut also saves the work.
                rows = [tuple(row) for row in itertools.islice(result, limit + 1)]
                return Answer("SELECT", [str(v) for v in result.vars], rows[:limit], truncated=len(rows) > limit)
            if result.type == "ASK":
                return Answer("ASK", boolean=bool(result.askAnswer))
            graph = Graph()
            bind_prefixes(graph)
            triples = list(itertools.islice(result.graph, limit + 1))
            for triple in triples[:limit]:
                graph.add(triple)
            return Answer(result.type, graph=graph, truncated=len(triples) > limit)
        except HttpError:
            raise
        except Exception as error:  # rdflib reports evaluation problems with many exception types
            raise HttpError(400, f"the query failed: {type(error).__name__}: {error}") from None

    def check_dataset(self, query, request: QueryRequest) -> None:
        """FROM / FROM NAMED and the protocol's graph parameters may name only graphs of this dataset:
        for any other IRI rdflib would fetch it from the web or read it from a file."""
        # CompValue.get answers the key itself for a missing key, hence dict.get.
        clauses = list(dict.get(query.algebra, "datasetClause") or [])
        if request.default_graphs or request.named_graphs:
            # The protocol's parameters replace the query's own FROM and FROM NAMED (SPARQL 1.1 Protocol 2.1.4).
            clauses = ([CompValue("DatasetClause", default=URIRef(u)) for u in request.default_graphs]
                       + [CompValue("DatasetClause", named=URIRef(u)) for u in request.named_graphs])
            query.algebra["datasetClause"] = clauses
        for clause in clauses:
            name = clause["default"] if "default" in clause else clause["named"]
            if name not in self.graphs:
                raise HttpError(400, f"<{name}> is not a graph of this dataset (the service description at "
                                     "/sparql lists them); this endpoint never loads graphs from elsewhere")

    def sparql_answer(self, request: QueryRequest, accept: str | None) -> Response:
        answer = self.answer_query(request)
        offered = {"SELECT": TABLE_TYPES, "ASK": BOOLEAN_TYPES}.get(answer.kind, GRAPH_TYPES)
        media = negotiate(accept, offered)
        if media is None:
            raise HttpError(406, f"a {answer.kind} answer is available as {', '.join(offered)}")
        media = MEDIA_ALIASES.get(media, media)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED_HEADER] = "true"
        return Response(200, with_charset(media), serialize_answer(answer, media), headers)

    def service_description(self, accept: str | None, host: str | None) -> Response:
        media = negotiate(accept, GRAPH_TYPES) or TURTLE
        graph = Graph()
        graph.bind("sd", SD)
        graph.bind("formats", FORMATS)
        service, dataset, default = BNode("service"), BNode("dataset"), BNode("defaultGraph")
        graph.add((service, RDF.type, SD.Service))
        graph.add((service, SD.endpoint, URIRef(self.endpoint(host))))
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
        graph.add((service, RDFS.label, Literal("nhskg SPARQL endpoint (read-only)", lang="en")))
        for result_format in SERVICE_RESULT_FORMATS:
            graph.add((service, SD.resultFormat, result_format))
        graph.add((service, SD.defaultDataset, dataset))
        graph.add((dataset, RDF.type, SD.Dataset))
        graph.add((dataset, SD.defaultGraph, default))
        graph.add((default, RDF.type, SD.Graph))
        for name in sorted(self.graphs):
            named = BNode(f"graph-{graph_short_name(str(name)).replace('/', '-')}")
            graph.add((dataset, SD.namedGraph, named))
            graph.add((named, RDF.type, SD.NamedGraph))
            graph.add((named, SD.name, name))
        return Response(200, with_charset(media), graph.serialize(format=RDFLIB_GRAPH_FORMAT[media], encoding="utf-8"),
                        {"Vary": "Accept"})

    def endpoint(self, host: str | None) -> str:
        # The Host header is the client's to set: use it only if it is a plain host[:port]. Otherwise a
        # relative IRI, which a Turtle reader resolves against the address it fetched the description from.
        if host and re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
            return f"http://{host}/sparql"
        return "/sparql"

    # -- links and terms ---------------------------------------------------------------------------
    def href(self, iri: str) -> str:
        """Where a link to iri points: IRIs under the base at their local path here, others as they are."""
        if iri.startswith(self.base):
            return "/" + iri[len(self.base):]
        return iri

    def label_of(self, term) -> str | None:
        for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            value = self.dataset.value(term, predicate)
            if value is not None:
                return str(value)
        return None

    def name_of(self, term) -> str:
        return self.label_of(term) or compact(term)

    def link(self, term, text: str | None = None) -> str:
        """A term as HTML: IRIs as links (web IRIs only: a javascript: IRI in the data stays text)."""
        if term is None:
            return ""
        if isinstance(term, URIRef):
            iri = str(term)
            shown = text if text is not None else self.name_of(term)
            if iri.startswith(("http://", "https://")):
                return f'<a href="{esc(self.href(iri))}" title="{esc(iri)}">{esc(shown)}</a>'
            return f"<code>{esc(iri)}</code>"
        if isinstance(term, BNode):
            return f"<code>_:{esc(term)}</code>"
        return literal_html(term)

    def raw(self, term) -> str:
        """A term as HTML by its compact IRI rather than its label (for query results)."""
        return self.link(term, compact(term)) if isinstance(term, URIRef) else self.link(term)

    def page(self, title: str, body: str, status: int = 200) -> Response:
        document = (
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)} · nhskg</title><style>{CSS}</style></head><body>"
            "<header><a href=\"/\">nhskg</a><a href=\"/query\">Query</a><a href=\"/sparql\">SPARQL endpoint</a>"
            "<a href=\"/ontology\">Ontology</a>"
            "<form action=\"/search\" method=\"get\" role=\"search\">"
            "<input type=\"search\" name=\"q\" placeholder=\"Name or code, e.g. 11N\" aria-label=\"Search\"></form>"
            f"</header><main>{body}</main></body></html>\n")
        return Response(status, with_charset(HTML), document.encode("utf-8"),
                        {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Vary": "Accept"})

    # -- home, search ------------------------------------------------------------------------------
    def home_page(self) -> Response:
        rows = "".join(f"<tr><td>{self.link(name, graph_short_name(str(name)))}</td><td>{size:,}</td></tr>"
                       for name, size in sorted(self.graphs.items()))
        body = f"""
<h1>nhskg</h1>
<p>A knowledge graph of how the NHS in England has commissioned care: the bodies that did it, how they merged,
split, were renamed and replaced, who oversaw whom, and what people claimed about them, each claim anchored to
the exact words it came from.</p>
<form action="/search" method="get"><label>Find a body, person or document by name or code:
<input type="search" name="q" placeholder="e.g. 11N, NHS Kernow, Monitor"></label> <button>Search</button></form>
<h2>Ask it</h2>
<ul>
<li><a href="/query">Query form</a>: SPARQL in, a table out.</li>
<li><a href="/sparql">SPARQL endpoint</a> (SPARQL 1.1 Protocol; GET or POST a query, results as JSON, XML, CSV,
TSV, Turtle, N-Triples or JSON-LD; without a query it describes itself).</li>
<li><a href="/ontology">The ontology</a>: every class and property, with its definition.</li>
</ul>
<p class="note">Every IRI under <code>{esc(self.base)}</code> resolves here at the same path, as a page or,
by content negotiation, as Turtle, JSON-LD or N-Triples. The server is read-only; queries have a time limit of
{self.settings.timeout_seconds:g} s and at most {self.settings.max_rows:,} rows.</p>
<h2>Named graphs</h2>
<p class="note">Every triple keeps its source in a named graph.</p>
<table><tr><th>graph</th><th>triples</th></tr>{rows}</table>"""
        return self.page("Home", body)

    def search_page(self, text: str) -> Response:
        wanted = text.strip()
        found: dict[str, tuple[str, int]] = {}
        if wanted:
            for iri, label, rank in self.kg.candidates(wanted):
                found.setdefault(iri, (label, rank))
            # GSS codes are not in the name index; they sit on the bodies and their code assignments.
            for subject in self.dataset.subjects(NHSKG.gssCode, Literal(wanted.upper())):
                iri = str(subject).split("#", 1)[0]
                found.setdefault(iri, (self.name_of(URIRef(iri)), 1))
        ranked = sorted(found.items(), key=lambda item: (item[1][1], item[1][0].lower(), item[0]))
        how = {0: "identifier", 1: "name or code", 2: "part of a name"}
        items = []
        for iri, (label, rank) in ranked[:MAX_SEARCH_RESULTS]:
            types = ", ".join(sorted({self.name_of(t) for t in self.dataset.objects(URIRef(iri), RDF.type)
                                      if str(t).startswith(str(NHSKG))}))
            items.append(f'<li>{self.link(URIRef(iri), label)} <span class="note">{esc(types)} · matched by '
                         f'{how.get(rank, "name")} · <code>{esc(compact(URIRef(iri)))}</code></span></li>')
        form = (f'<form action="/search" method="get"><input type="search" name="q" value="{esc(text)}" '
                'aria-label="Name or code"> <button>Search</button></form>')
        if not wanted:
            result = "<p>Type a name, alias, ODS or GSS code.</p>"
        elif not ranked:
            result = f"<p>No entity is called or coded “{esc(wanted)}”.</p>"
        else:
            more = (f'<p class="note">Showing {MAX_SEARCH_RESULTS} of {len(ranked)}.</p>'
                    if len(ranked) > MAX_SEARCH_RESULTS else "")
            result = f"<p>{len(ranked)} found.</p><ul>{''.join(items)}</ul>{more}"
        return self.page(f"Search: {wanted}" if wanted else "Search", f"<h1>Search</h1>{form}{result}")

    # -- query form --------------------------------------------------------------------------------
    def query_page(self, method: str, params: dict[str, list[str]], content_type: str | None,
                   body: bytes) -> Response:
        if method == "POST":
            media = (content_type or "").split(";")[0].strip().lower()
            if media != "application/x-www-form-urlencoded":
                raise HttpError(415, "the query form posts application/x-www-form-urlencoded")
            params = {**params, **parse_form(decode_utf8(body))}
        if "update" in params:
            raise HttpError(403, UPDATE_REFUSED)
        text = first(params, "query")
        form = f"""<h1>Query</h1>
<form action="/query" method="get">
<textarea name="query" spellcheck="false" aria-label="SPARQL query">{esc(text or EXAMPLE_QUERY)}</textarea>
<br><button>Run</button></form>
<p class="note">SPARQL 1.1 query (read-only). Declared for you: {esc(", ".join(f"{p}:" for p in PREFIXES))}.
Entity IRIs have a slash after <code>id:</code>, which a prefixed name cannot hold: write them in full, as
<code>&lt;{esc(self.base)}id/org/ods-11n&gt;</code>. Time limit {self.settings.timeout_seconds:g} s, at most
{self.settings.max_rows:,} rows. Programs send the same queries to <a href="/sparql">/sparql</a>.</p>"""
        if not text:
            return self.page("Query", form)
        try:
            return self.run_limited(lambda: self.page("Query", form + self.answer_html(QueryRequest(text))))
        except (HttpError, TimeLimitExceeded) as error:
            status = error.status if isinstance(error, HttpError) else 503
            message = error.message if isinstance(error, HttpError) else str(error)
            return self.page("Query", f'{form}<h2>Error {status}</h2><p class="error">{esc(message)}</p>', status)

    def answer_html(self, request: QueryRequest) -> str:
        answer = self.answer_query(request)
        link = "/sparql?" + urlencode({"query": request.text})
        note = (f'<p class="note">Cut at {self.settings.max_rows:,} rows.</p>' if answer.truncated else "")
        if answer.kind == "ASK":
            return f"<h2>Answer</h2><p><strong>{'yes' if answer.boolean else 'no'}</strong></p>"
        if answer.kind == "SELECT":
            head = "".join(f"<th>{esc(v)}</th>" for v in answer.variables)
            rows = "".join("<tr>" + "".join(f"<td>{self.raw(t)}</td>" for t in row) + "</tr>" for row in answer.rows)
            count = len(answer.rows)
        else:
            head = "<th>subject</th><th>predicate</th><th>object</th>"
            triples = sorted(answer.graph, key=lambda t: tuple(term.n3() for term in t))
            rows = "".join("<tr>" + "".join(f"<td>{self.raw(t)}</td>" for t in triple) + "</tr>" for triple in triples)
            count = len(triples)
        return (f'<h2>Results</h2><p class="note">{count:,} {"row" if count == 1 else "rows"} · '
                f'<a href="{esc(link)}">as SPARQL results</a></p>{note}<table><tr>{head}</tr>{rows}</table>')

    # -- the ontology ------------------------------------------------------------------------------
    def ontology_resource(self, media: str) -> Response:
        graph = self.dataset.get_context(GRAPH_ONTOLOGY)
        if media != HTML:
            return Response(200, with_charset(media), serialize_graph(graph, media), {"Vary": "Accept"})
        return self.page("Ontology", OntologyPage(self, graph).render())

    # -- named graphs ------------------------------------------------------------------------------
    def graph_resource(self, name: URIRef, media: str) -> Response:
        graph = self.dataset.get_context(name)
        if media != HTML:
            return Response(200, with_charset(media), serialize_graph(graph, media), {"Vary": "Accept"})
        short = graph_short_name(str(name))
        document = ""
        if short.startswith("document/"):
            doc = URIRef(f"{self.base}id/doc/{short.split('/', 1)[1]}")
            if self.knows(doc):
                document = f"<p>What the document {self.link(doc)} says, as curated by the project.</p>"
        subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
        shown = subjects[:MAX_FACTS_SHOWN]
        items = "".join(f"<li>{self.link(s)} <code class='note'>{esc(compact(s))}</code></li>" for s in shown)
        more = (f'<p class="note">Showing {len(shown)} of {len(subjects):,} subjects.</p>'
                if len(subjects) > len(shown) else "")
        body = (f"<h1>Graph {esc(short)}</h1><p class='iri'><code>{esc(name)}</code> · {len(graph):,} triples · as "
                f"{format_links()}</p>{document}<h2>Subjects</h2>{more}<ul>{items}</ul>")
        return self.page(f"Graph {short}", body)

    # -- entities ----------------------------------------------------------------------------------
    def entity_resource(self, iri: URIRef, media: str) -> Response:
        if media != HTML:
            return Response(200, with_charset(media), serialize_graph(self.description(iri), media),
                            {"Vary": "Accept"})
        return self.page(self.name_of(iri), EntityPage(self, iri).render())

    def description(self, iri: URIRef) -> Graph:
        """What a machine gets for an IRI: its triples, those of its #parts, the triples pointing to it,
        and the labels of everything they mention."""
        graph = Graph()
        bind_prefixes(graph)
        for subject in [iri, *self.fragments.get(str(iri), [])]:
            for predicate, value in self.dataset.predicate_objects(subject):
                graph.add((subject, predicate, value))
        for subject, predicate in self.dataset.subject_predicates(iri):
            graph.add((subject, predicate, iri))
        mentioned = {term for triple in graph for term in (triple[0], triple[2]) if isinstance(term, URIRef)}
        for term in mentioned - {iri}:
            for label in self.dataset.objects(term, RDFS.label):
                graph.add((term, RDFS.label, label))
        return graph


def first(params: dict[str, list[str]], key: str) -> str:
    values = params.get(key) or [""]
    return values[0]


def compact(term) -> str:
    """A prefixed name (nhskg:Claim, id:org/ods-11n) where one of the project's prefixes fits, else the IRI."""
    text = str(term)
    best = None
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)) and (best is None or len(str(namespace)) > len(str(best[1]))):
            best = (prefix, namespace)
    return f"{best[0]}:{text[len(str(best[1])):]}" if best else text


def literal_html(term: Literal) -> str:
    note = ""
    if term.language and term.language != "en":
        note = f' <span class="dt">@{esc(term.language)}</span>'
    elif term.datatype is not None:
        note = f' <span class="dt">{esc(compact(term.datatype))}</span>'
    return esc(term) + note


def format_links() -> str:
    return ", ".join(f'<a href="?format={key}">{label}</a>'
                     for key, label in (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples")))


def wrap(text: str, width: int, most: int) -> list[str]:
    """Words into at most `most` lines of about `width` characters. A name too long for them keeps its
    beginning and its end, with an ellipsis between: names of one family often differ only at the end
    ("... Integrated Care Board" and "... Integrated Care Board - 11N")."""
    def fill(words: list[str]) -> list[str]:
        lines, current = [], ""
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
        return lines

    words = text.split()
    lines = fill(words)
    if len(lines) > most:
        head = fill(words)[:most - 1] if most > 1 else []
        tail: list[str] = []
        for word in reversed(words[sum(len(line.split()) for line in head):]):
            if len(" ".join(["…", word, *tail])) > width:
                break
            tail.insert(0, word)
        lines = head + [" ".join(["…", *tail]) if tail else "…"]
    return [line if len(line) <= width else line[:width - 1] + "…" for line in lines]


# -- the page of an entity -----------------------------------------------------------------------------

SUMMARY_FIELDS = [
    (SKOS.altLabel, "Also known as"), (DCTERMS.title, "Title"), (SKOS.definition, "Definition"),
    (NHSKG.summary, "Summary"), (SKOS.note, "Note"), (RDFS.comment, "Comment"),
    (SCHEMA.foundingDate, "Founded"), (SCHEMA.dissolutionDate, "Dissolved"),
    (DCTERMS.date, "Date"), (DCTERMS.creator, "Creator"), (DCTERMS.publisher, "Publisher"),
    (NHSKG.status, "Status"), (PROV.wasAttributedTo, "Attributed to"), (DCTERMS.source, "Source"),
]


class EntityPage:
    """The HTML page of one entity: summary, codes, lineage, oversight, claims and every fact with its graph."""

    def __init__(self, site: Site, iri: URIRef):
        self.site = site
        self.iri = iri
        self.ds = site.dataset

    def render(self) -> str:
        parts = [self.heading(), self.summary(), self.codes(), self.lineage(), self.oversight(), self.claims(),
                 self.facts(), self.fragments()]
        return "".join(part for part in parts if part)

    def heading(self) -> str:
        site = self.site
        types = sorted(set(self.ds.objects(self.iri, RDF.type)), key=lambda t: (not str(t).startswith(str(NHSKG)),
                                                                                 site.name_of(t).lower()))
        tags = "".join(f'<span class="tag">{site.link(t)}</span>' for t in types)
        return (f"<h1>{esc(site.name_of(self.iri))}</h1>"
                f'<p class="iri"><code>{esc(self.iri)}</code> · as {format_links()}</p>'
                + (f"<p>{tags}</p>" if tags else ""))

    def summary(self) -> str:
        rows = []
        for predicate, title in SUMMARY_FIELDS:
            values = sorted(set(self.ds.objects(self.iri, predicate)), key=str)
            if values:
                rows.append(f"<dt>{esc(title)}</dt><dd>{'; '.join(self.site.link(v) for v in values)}</dd>")
        return f'<dl class="summary">{"".join(rows)}</dl>' if rows else ""

    def codes(self) -> str:
        items = []
        for code in sorted({str(c) for c in self.ds.objects(self.iri, NHSKG.odsCode)}):
            url = ODS_PORTAL.format(code=quote(code, safe=""))
            items.append(f'<li>ODS code <strong>{esc(code)}</strong>: <a href="{esc(url)}">NHS ODS portal</a></li>')
        gss: dict[str, set[str]] = {str(c): set() for c in self.ds.objects(self.iri, NHSKG.gssCode)}
        for assignment in self.ds.objects(self.iri, NHSKG.hasCodeAssignment):
            for code in self.ds.objects(assignment, NHSKG.gssCode):
                gss.setdefault(str(code), set()).update(str(y) for y in self.ds.objects(assignment, NHSKG.validInYear))
        for code, years in sorted(gss.items()):
            url = STATISTICAL_GEOGRAPHY.format(code=quote(code, safe=""))
            span = f" ({min(years)}–{max(years)})" if years else ""
            items.append(f'<li>GSS code <strong>{esc(code)}</strong>{esc(span)}: '
                         f'<a href="{esc(url)}">ONS statistical geography</a></li>')
        for predicate, value in sorted(set(self.ds.predicate_objects(self.iri))):
            if isinstance(value, URIRef) and str(value).startswith(LEGISLATION_HOSTS):
                items.append(f"<li>{esc(self.site.name_of(predicate))}: {self.site.link(value)} "
                             f'<span class="note">(legislation.gov.uk)</span></li>')
        if not items:
            return ""
        return f'<h2 id="s-codes">Codes and official pages</h2><ul>{"".join(items)}</ul>'

    # -- lineage -----------------------------------------------------------------------------------
    def lineage(self) -> str:
        drawing = LineageDrawing(self.site, self.iri)
        if not drawing.changes:
            return ""
        table = ""
        try:
            # A row without a position does not concern this body (the stored query lists every change
            # when the body has none), so it is left out.
            records = [r for r in self.site.stored(self.site.kg.lineage, str(self.iri)).records()
                       if r["position"] is not None]
        except NhskgError:
            records = []
        if records:
            rows = "".join(
                f"<tr><td>{esc(r['date'] or '')}</td><td>{esc(r['kind'])}</td>"
                f"<td>{self.site.link(r['change'], str(r['label']))}</td><td>{esc(r['status'])}</td>"
                f"<td>{esc(r['originals'] or '')}</td><td>{esc(r['results'] or '')}</td>"
                f"<td>{self.site.link(r['source'])}</td><td>{esc(r['position'])}</td></tr>" for r in records)
            table = ("<h3>Every change in its lineage</h3><table><tr><th>date</th><th>kind</th><th>change</th>"
                     "<th>status</th><th>from</th><th>to</th><th>source</th><th>concerns</th></tr>"
                     f"{rows}</table>")
        return (f'<h2 id="s-lineage">Lineage</h2><p class="note">What it came from (left) and what it became '
                f"(right), up to {LINEAGE_DEPTH} steps each way, with the date of each change; a dashed change "
                f"did not (or not yet) happen.</p>{drawing.svg()}{table}")

    # -- oversight ---------------------------------------------------------------------------------
    def oversight(self) -> str:
        overseen_by = self.relations(NHSKG.overseen, NHSKG.overseer)
        oversaw = self.relations(NHSKG.overseer, NHSKG.overseen)
        if not overseen_by and not oversaw:
            return ""
        out = '<h2 id="s-oversight">Oversight</h2>'
        for title, rows, other in (("Who oversaw it", overseen_by, "overseer"),
                                   ("Whom it oversaw", oversaw, "overseen")):
            if rows:
                out += (f"<h3>{title}</h3><table><tr><th>{other}</th><th>relation</th><th>status</th>"
                        f"<th>the words</th><th>source</th></tr>{''.join(rows)}</table>")
        return out

    def relations(self, role_here: URIRef, role_other: URIRef) -> list[str]:
        rows = []
        for relation in sorted(set(self.ds.subjects(role_here, self.iri))):
            if (relation, RDF.type, NHSKG.OversightRelationship) not in self.ds:
                continue
            other = self.ds.value(relation, role_other)
            kind = self.ds.value(relation, NHSKG.relationProperty)
            status = self.ds.value(relation, NHSKG.status)
            selector = self.ds.value(relation, NHSKG.quoteSelector)
            words = self.ds.value(selector, OA.exact) if selector is not None else None
            source = self.ds.value(relation, DCTERMS.source)
            relation_text = self.site.name_of(kind) if kind is not None else "oversees"
            rows.append(f"<tr><td>{self.site.link(other)}</td><td>{self.site.link(relation, relation_text)}</td>"
                        f"<td>{esc(self.site.name_of(status)) if status is not None else ''}</td>"
                        f"<td>{'“' + esc(words) + '”' if words is not None else ''}</td>"
                        f"<td>{self.site.link(source)}</td></tr>")
        return rows

    # -- claims ------------------------------------------------------------------------------------
    def claims(self) -> str:
        # Each claims query costs a tenth of a second; run only those that can find something.
        groups = []
        if (None, SCHEMA.about, self.iri) in self.ds:
            groups.append(("Claims about it", {"about": str(self.iri)}))
        if (None, PROV.wasAttributedTo, self.iri) in self.ds:
            groups.append(("Claims it made", {"by": str(self.iri)}))
        if (None, DCTERMS.source, self.iri) in self.ds and (self.iri, DCTERMS.title, None) in self.ds:
            groups.append(("Claims in this document", {"document": str(self.iri)}))
        out = []
        for title, params in groups:
            try:
                records = self.site.stored(self.site.kg.claims, **params).records()
            except NhskgError:
                continue
            if records:
                out.append(f"<h3>{title} ({len(records)})</h3>" + "".join(self.claim(r) for r in records))
        return f'<h2 id="s-claims">Claims</h2>{"".join(out)}' if out else ""

    def claim(self, record: dict) -> str:
        site = self.site
        where = f"{site.link(record['document'], str(record['documentTitle']))}"
        if record.get("start") is not None:
            where += f" (characters {esc(record['start'])}–{esc(record['end'])})"
        details = [f"— {site.link(record['claimant'], str(record['claimantLabel']))}"]
        if record.get("date") is not None:
            details.append(esc(record["date"]))
        details.append(f"in {where}")
        details.append(esc(record["types"]))
        if record.get("aboutLabels"):
            details.append(f"about {esc(record['aboutLabels'])}")
        if record.get("verdict") is not None:
            held = f", first held in {esc(record['heldFrom'])}" if record.get("heldFrom") is not None else ""
            details.append(f"checked against the register: <strong>{esc(record['verdict'])}</strong>{held}")
        details.append(site.link(record["claim"], "the claim"))
        return (f"<figure><blockquote>“{esc(record['exact'])}”</blockquote>"
                f"<figcaption>{' · '.join(details)}</figcaption></figure>")

    # -- facts -------------------------------------------------------------------------------------
    def facts(self) -> str:
        try:
            records = self.site.stored(self.site.kg.show, str(self.iri)).records()
        except NhskgError:  # only #parts of it are in the graph
            return ""
        outgoing = [r for r in records if str(r["direction"]) == "out"]
        incoming = [r for r in records if str(r["direction"]) == "in"]
        out = ('<h2 id="s-facts">Every statement, with the graph it came from</h2>'
               '<p class="note">The graph is the source: <code>register</code> is the official register, '
               '<code>document/…</code> what a document says, <code>inferred</code> what reasoning added.</p>')
        if outgoing:
            out += "<h3>About it</h3>" + self.fact_table(outgoing, ("property", "value"))
        if incoming:
            out += "<h3>Pointing to it</h3>" + self.fact_table(incoming, ("value", "property"))
        return out

    def fact_table(self, records: list[dict], columns: tuple[str, str]) -> str:
        site = self.site
        names = {"property": "property", "value": "value" if columns[0] == "property" else "subject"}
        shown = records[:MAX_FACTS_SHOWN]
        rows = "".join(f"<tr><td>{site.link(r[columns[0]])}</td><td>{site.link(r[columns[1]])}</td>"
                       f"<td>{site.link(r['graph'], graph_short_name(str(r['graph'])))}</td></tr>" for r in shown)
        more = (f'<p class="note">Showing {len(shown)} of {len(records):,}; the rest are in the '
                f'<a href="?format=turtle">Turtle</a>.</p>' if len(records) > len(shown) else "")
        return (f"<table><tr><th>{names[columns[0]]}</th><th>{names[columns[1]]}</th><th>graph</th></tr>"
                f"{rows}</table>{more}")

    def fragments(self) -> str:
        out = []
        for part in self.site.fragments.get(str(self.iri), []):
            anchor = str(part).split("#", 1)[1]
            try:
                records = [r for r in self.site.stored(self.site.kg.show, str(part)).records()
                           if str(r["direction"]) == "out"]
            except NhskgError:
                continue
            out.append(f'<section id="{esc(anchor)}"><h3>#{esc(anchor)}</h3>'
                       f"{self.fact_table(records, ('property', 'value'))}</section>")
        return f'<h2 id="s-parts">Its parts</h2>{"".join(out)}' if out else ""


class LineageDrawing:
    """The lineage of a body as an inline SVG: predecessors left, the body in the middle, successors right,
    each change a labelled stop on the way (its date), found from org:originalOrganization /
    org:resultingOrganization."""

    BODY_WIDTH, BODY_HEIGHT, BODY_PITCH = 230, 54, 64
    CHANGE_WIDTH, CHANGE_HEIGHT, CHANGE_PITCH = 112, 24, 34
    GAP, MARGIN = 30, 16

    def __init__(self, site: Site, iri: URIRef):
        self.site = site
        self.iri = iri
        ds = site.dataset
        # Slots: bodies on even numbers (0 is the body itself), changes on the odd numbers between them.
        self.slot_of: dict[URIRef, int] = {iri: 0}
        self.changes: dict[URIRef, dict] = {}
        for direction in (-1, 1):
            near, far = ((ORG.resultingOrganization, ORG.originalOrganization) if direction < 0
                         else (ORG.originalOrganization, ORG.resultingOrganization))
            frontier = [iri]
            for step in range(1, LINEAGE_DEPTH + 1):
                reached = []
                for body in frontier:
                    for change in sorted(set(ds.subjects(near, body))):
                        slot = direction * (2 * step - 1)
                        entry = self.changes.setdefault(change, {"slot": slot, "near": set(), "far": set(),
                                                                 "direction": direction})
                        if entry["slot"] != slot:
                            continue
                        entry["near"].add(body)
                        for other in sorted(set(ds.objects(change, far))):
                            if other == body or self.slot_of.setdefault(other, slot + direction) != slot + direction:
                                continue
                            entry["far"].add(other)
                            if other not in reached:
                                reached.append(other)
                frontier = reached

    def svg(self) -> str:
        site = self.site
        columns: dict[int, list] = {}
        for body, slot in self.slot_of.items():
            columns.setdefault(slot, []).append(body)
        # What each item hangs from in the column nearer the middle: ordering items by where those stand
        # (the barycentre heuristic of layered drawings) keeps most edges from crossing.
        inner: dict[URIRef, set] = {}
        for change, entry in self.changes.items():
            columns.setdefault(entry["slot"], []).append(change)
            inner.setdefault(change, set()).update(entry["near"])
            for body in entry["far"]:
                inner.setdefault(body, set()).add(change)
        hidden = {slot: len(items) - LINEAGE_PER_COLUMN for slot, items in columns.items()
                  if len(items) > LINEAGE_PER_COLUMN}
        slots = range(min(columns), max(columns) + 1)
        x, left = self.MARGIN, {}
        for slot in slots:
            left[slot] = x
            x += (self.CHANGE_WIDTH if slot % 2 else self.BODY_WIDTH) + self.GAP
        width = x - self.GAP + self.MARGIN

        def pitch(slot):
            return self.CHANGE_PITCH if slot % 2 else self.BODY_PITCH

        heights = {slot: min(len(columns.get(slot, [])), LINEAGE_PER_COLUMN) * pitch(slot)
                   + (20 if slot in hidden else 0) for slot in slots}
        height = max(heights.values()) + 2 * self.MARGIN
        middle_y: dict[URIRef, float] = {}
        tops: dict[URIRef, float] = {}
        for slot in sorted(slots, key=abs):
            items = columns.get(slot, [])

            def position(item, slot=slot):
                placed = [middle_y[n] for n in inner.get(item, ()) if n in middle_y]
                average = sum(placed) / len(placed) if placed else float("inf")
                secondary = ((self.change_date(item), site.name_of(item).lower()) if slot % 2
                             else (site.name_of(item).lower(), str(item)))
                return (average, secondary)
            items.sort(key=position)
            del items[LINEAGE_PER_COLUMN:]
            top = (height - heights[slot]) / 2
            for index, item in enumerate(items):
                tops[item] = top + index * pitch(slot)
                middle_y[item] = tops[item] + (self.CHANGE_HEIGHT if slot % 2 else self.BODY_HEIGHT) / 2
        nodes, edges = [], []
        for slot in slots:
            items = columns.get(slot, [])
            for item in items:
                nodes.append(self.change_node(item, left[slot], tops[item]) if slot % 2
                             else self.body_node(item, left[slot], tops[item]))
            if slot in hidden:
                y = (height - heights[slot]) / 2 + len(items) * pitch(slot) + 12
                nodes.append(f'<text class="more" x="{left[slot] + 4}" y="{y:.0f}">and {hidden[slot]} more</text>')
        for change, entry in self.changes.items():
            if change not in middle_y:
                continue
            slot = entry["slot"]
            change_left, change_right = left[slot], left[slot] + self.CHANGE_WIDTH
            before, after = ((entry["far"], entry["near"]) if entry["direction"] < 0 else (entry["near"], entry["far"]))
            for body in sorted(before):
                if body in middle_y:
                    body_right = left[self.slot_of[body]] + self.BODY_WIDTH
                    edges.append(self.edge(body_right, middle_y[body], change_left, middle_y[change], False))
            for body in sorted(after):
                if body in middle_y:
                    edges.append(self.edge(change_right, middle_y[change], left[self.slot_of[body]],
                                           middle_y[body], True))
        label = f"Lineage of {site.name_of(self.iri)}"
        return (f'<svg class="lineage" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
                f'height="{height:.0f}" role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>'
                '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
                'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#768692"/></marker></defs>'
                + "".join(edges) + "".join(nodes) + "</svg>")

    def change_date(self, change: URIRef) -> str:
        value = self.site.dataset.value(change, DCTERMS.date)
        return str(value) if value is not None else ""

    def edge(self, x1, y1, x2, y2, arrow: bool) -> str:
        bend = (x2 - x1) / 2
        marker = ' marker-end="url(#arrow)"' if arrow else ""
        return (f'<path class="edge" d="M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} '
                f'{x2:.0f},{y2:.0f}"{marker}/>')

    def body_node(self, body: URIRef, x: float, y: float) -> str:
        site, ds = self.site, self.site.dataset
        name = site.name_of(body)
        founded, dissolved = ds.value(body, SCHEMA.foundingDate), ds.value(body, SCHEMA.dissolutionDate)
        years = (f"{str(founded)[:4] if founded else '…'}–{str(dissolved)[:4] if dissolved else ''}"
                 if founded or dissolved else "")
        me = body == self.iri
        lines = wrap(name, 29 if me else 32, 2)
        text = "".join(f'<text class="{"selftext" if me else ""}" x="{x + 8:.0f}" y="{y + 16 + 14 * i:.0f}">'
                       f"{esc(line)}</text>" for i, line in enumerate(lines))
        return (f'<a href="{esc(site.href(str(body)))}"><title>{esc(name)}</title>'
                f'<rect class="body{" self" if me else ""}" x="{x:.0f}" y="{y:.0f}" width="{self.BODY_WIDTH}" '
                f'height="{self.BODY_HEIGHT}" rx="6"/>{text}'
                f'<text class="{"selfsub" if me else "sub"}" x="{x + 8:.0f}" y="{y + 47:.0f}">{esc(years)}</text></a>')

    def change_node(self, change: URIRef, x: float, y: float) -> str:
        site, ds = self.site, self.site.dataset
        date = self.change_date(change) or "undated"
        status = ds.value(change, NHSKG.status)
        done = status is None or status == NHSKG.statusDone
        title = site.name_of(change) + ("" if done else f" ({site.name_of(status)})")
        return (f'<a href="{esc(site.href(str(change)))}"><title>{esc(title)}</title>'
                f'<rect class="change{"" if done else " notdone"}" x="{x:.0f}" y="{y:.0f}" '
                f'width="{self.CHANGE_WIDTH}" height="{self.CHANGE_HEIGHT}" rx="12"/>'
                f'<text x="{x + self.CHANGE_WIDTH / 2:.0f}" y="{y + 16:.0f}" text-anchor="middle">{esc(date)}</text>'
                "</a>")


# -- the ontology page ---------------------------------------------------------------------------------

class OntologyPage:
    """Documentation of the ontology generated from its own triples: each term with its label, definition,
    super- and subterms, domain, range and inverse, anchored by local name so that nhskg:X resolves to #X."""

    SECTIONS = [("Classes", OWL.Class), ("Object properties", OWL.ObjectProperty),
                ("Datatype properties", OWL.DatatypeProperty), ("Annotation properties", OWL.AnnotationProperty),
                ("Individuals", OWL.NamedIndividual)]
    CHARACTERISTICS = [(OWL.FunctionalProperty, "functional"), (OWL.InverseFunctionalProperty, "inverse functional"),
                       (OWL.TransitiveProperty, "transitive"), (OWL.SymmetricProperty, "symmetric"),
                       (OWL.AsymmetricProperty, "asymmetric"), (OWL.ReflexiveProperty, "reflexive"),
                       (OWL.IrreflexiveProperty, "irreflexive")]

    def __init__(self, site: Site, graph: Graph):
        self.site = site
        self.graph = graph
        self.namespace = str(NHSKG)

    def local(self, term) -> str | None:
        text = str(term)
        return text[len(self.namespace):] if isinstance(term, URIRef) and text.startswith(self.namespace) else None

    def ref(self, term) -> str:
        """A term mentioned on the page: ours as a link to its anchor, lists as 'A or B', others by prefixed name."""
        g = self.graph
        if isinstance(term, BNode):
            for operator, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and "), (OWL.oneOf, ", ")):
                members = g.value(term, operator)
                if members is not None:
                    return "(" + word.join(self.ref(m) for m in Collection(g, members)) + ")"
            if (term, RDF.type, OWL.Restriction) in g:
                on = g.value(term, OWL.onProperty)
                return f"a restriction on {self.ref(on)}" if on is not None else "a restriction"
            return "(an anonymous class)"
        local = self.local(term)
        if local is not None:
            label = g.value(term, RDFS.label)
            return f'<a href="#{esc(local)}">{esc(label if label is not None else local)}</a>'
        return self.site.link(term, compact(term))

    def render(self) -> str:
        g = self.graph
        ontology = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
        head = "<h1>The nhskg ontology</h1>"
        if ontology is not None:
            details = [f"<code>{esc(ontology)}</code>"]
            version = g.value(ontology, OWL.versionInfo)
            if version is not None:
                details.append(f"version {esc(version)}")
            head = f"<h1>{esc(g.value(ontology, RDFS.label) or 'The nhskg ontology')}</h1>"
            head += f'<p class="iri">{" · ".join(details)} · as {format_links()}</p>'
            definition = g.value(ontology, SKOS.definition) or g.value(ontology, RDFS.comment)
            if definition is not None:
                head += f"<p>{esc(definition)}</p>"
        toc, sections = [], []
        for title, kind in self.SECTIONS:
            terms = sorted({t for t in g.subjects(RDF.type, kind) if self.local(t)},
                           key=lambda t: self.local(t).lower())
            if not terms:
                continue
            anchor = "s-" + title.lower().replace(" ", "-")
            toc.append(f'<h3><a href="#{anchor}">{title}</a> ({len(terms)})</h3><div class="toc">'
                       + "".join(f'<div><a href="#{esc(self.local(t))}">{esc(self.local(t))}</a></div>' for t in terms)
                       + "</div>")
            sections.append(f'<h2 id="{anchor}">{title}</h2>' + "".join(self.term(t) for t in terms))
        return head + "<h2>Contents</h2>" + "".join(toc) + "".join(sections)

    def term(self, term: URIRef) -> str:
        g = self.graph
        local = self.local(term)
        label = g.value(term, RDFS.label)
        rows = []

        def row(title, values):
            values = [v for v in values if v]
            if values:
                rows.append(f"<dt>{esc(title)}</dt><dd>{', '.join(values)}</dd>")

        row("Also called", [esc(v) for v in sorted(g.objects(term, SKOS.altLabel))])
        row("Subclass of", [self.ref(v) for v in sorted(g.objects(term, RDFS.subClassOf), key=str)])
        row("Subclasses", [self.ref(v) for v in sorted(g.subjects(RDFS.subClassOf, term), key=str)
                           if isinstance(v, URIRef)])
        row("Subproperty of", [self.ref(v) for v in sorted(g.objects(term, RDFS.subPropertyOf), key=str)])
        row("Subproperties", [self.ref(v) for v in sorted(g.subjects(RDFS.subPropertyOf, term), key=str)])
        row("Domain", [self.ref(v) for v in sorted(g.objects(term, RDFS.domain), key=str)])
        row("Range", [self.ref(v) for v in sorted(g.objects(term, RDFS.range), key=str)])
        row("Inverse of", [self.ref(v) for v in sorted(set(g.objects(term, OWL.inverseOf))
                                                       | set(g.subjects(OWL.inverseOf, term)), key=str)])
        row("Characteristics", [word for kind, word in self.CHARACTERISTICS if (term, RDF.type, kind) in g])
        for chain in g.objects(term, OWL.propertyChainAxiom):
            row("Chain", [" then ".join(self.ref(p) for p in Collection(g, chain))])
        row("Disjoint with", [self.ref(v) for v in sorted(set(g.objects(term, OWL.disjointWith))
                                                          | set(g.subjects(OWL.disjointWith, term)), key=str)])
        row("Instance of", [self.ref(v) for v in sorted(g.objects(term, RDF.type), key=str)
                            if v not in (OWL.NamedIndividual, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                         OWL.AnnotationProperty) and not str(v).startswith(str(OWL))])
        definition = g.value(term, SKOS.definition)
        comment = g.value(term, RDFS.comment)
        return (f'<section class="term" id="{esc(local)}"><h3>{esc(label if label is not None else local)} '
                f'<code class="note">nhskg:{esc(local)}</code></h3>'
                + (f"<p>{esc(definition)}</p>" if definition is not None else "")
                + (f'<p class="note">{esc(comment)}</p>' if comment is not None else "")
                + (f'<dl class="summary">{"".join(rows)}</dl>' if rows else "") + "</section>")


# -- HTTP ----------------------------------------------------------------------------------------------

class RequestHandler(BaseHTTPRequestHandler):
    server_version = f"nhskg/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT_SECONDS
    server: "KnowledgeGraphServer"

    def end_headers(self):
        # Every response, the standard library's own error pages included, may be read by any web page.
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", TRUNCATED_HEADER)
        super().end_headers()

    def log_message(self, format, *args):
        log.info("%s %s", self.address_string(), format % args)

    def do_OPTIONS(self):
        self.send(Response(204, headers={"Allow": ALLOWED_METHODS, "Access-Control-Allow-Methods": ALLOWED_METHODS,
                                         "Access-Control-Allow-Headers": "Accept, Content-Type",
                                         "Access-Control-Max-Age": "86400"}))

    def do_GET(self):
        self.answer("GET")

    def do_HEAD(self):
        self.answer("HEAD")

    def do_POST(self):
        self.answer("POST")

    def refuse_method(self):
        self.drain_body()
        self.send(Response(405, with_charset(PLAIN),
                           b"this server is read-only: GET, HEAD, POST (queries) and OPTIONS\n",
                           {"Allow": ALLOWED_METHODS}))

    do_PUT = do_DELETE = do_PATCH = refuse_method

    def answer(self, method: str):
        site = self.server.site
        path = urlsplit(self.path).path
        try:
            body = self.read_body() if method == "POST" else b""
            response = site.respond(method, self.path, self.headers, body)
        except HttpError as error:
            response = site.error_response(error, self.headers.get("Accept"), path)
        except TimeLimitExceeded as error:
            response = site.error_response(HttpError(503, str(error)), self.headers.get("Accept"), path)
        except Exception:
            log.exception("error answering %s %s", method, self.path)
            response = Response(500, with_charset(PLAIN), b"internal error; the server log has the details\n")
        self.send(response, head_only=method == "HEAD")

    def read_body(self) -> bytes:
        limit = self.server.site.settings.max_request_bytes
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HttpError(411, "send the body with a Content-Length (chunked bodies are not read)")
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            self.close_connection = True
            raise HttpError(400, "Content-Length is not a number")
        length = int(length_text)
        if length > limit:
            self.drain_body(length)
            raise HttpError(413, f"the request body is {length:,} bytes; at most {limit:,} are accepted")
        return self.rfile.read(length)

    def drain_body(self, length: int | None = None):
        """Read and drop a body we will not use, so the client is not reset before it reads our answer;
        a very large one is left unread and the connection closed."""
        if length is None:
            text = self.headers.get("Content-Length", "0").strip()
            length = int(text) if text.isdigit() else 0
        if length > MAX_DRAINED_BYTES:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def send(self, response: Response, head_only: bool = False):
        try:
            self.send_response(response.status)
            if response.status != 204:
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not head_only and response.status != 204:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; nobody is left to tell


class KnowledgeGraphServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the site it serves."""
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: Site):
        self.site = site
        super().__init__(address, RequestHandler)


def make_server(kg: KnowledgeGraph, host: str = "127.0.0.1", port: int = 8000,
                settings: ServeSettings | None = None) -> ThreadingHTTPServer:
    """A server for kg, bound (to loopback by default) and ready for serve_forever(); port 0 picks a free port."""
    return KnowledgeGraphServer((host, port), Site(kg, settings or ServeSettings()))


def serve(kg: KnowledgeGraph, host: str = "127.0.0.1", port: int = 8000,
          settings: ServeSettings | None = None) -> None:
    """Serve kg until interrupted (Ctrl-C)."""
    server = make_server(kg, host, port, settings)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    log.info("nhskg serving on http://%s:%s/ (SPARQL at /sparql); Ctrl-C stops it", shown, bound_port)
    if bound_host not in ("127.0.0.1", "::1", "localhost"):
        log.info("note: bound to %s, not loopback: other machines can reach this server", bound_host)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how an operator stops the server; close it below without a traceback
    finally:
        server.server_close()
