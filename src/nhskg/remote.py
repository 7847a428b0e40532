"""Publishing the built graph to a triplestore, and running the stored queries against one.

Publishing replaces each named graph with the SPARQL 1.1 Graph Store HTTP Protocol (one PUT per graph, which
a store applies as one replacement), or, for a store without it, with one SPARQL Update request per graph
(`DROP SILENT GRAPH` then `INSERT DATA`, sent together so the store applies them as one operation). A failed
push names the graph and the store's answer; graphs pushed before it stay pushed, the failed one keeps its old
content. Credentials come from the environment: NHSKG_STORE_USER and NHSKG_STORE_PASSWORD (HTTP basic).
"""

import base64
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Dataset, URIRef

from .errors import NhskgError
from .store import named_graphs, to_ntriples

TIMEOUT_SECONDS = 120


class RemoteError(NhskgError):
    """The store refused or could not be reached."""


def _auth_headers() -> dict[str, str]:
    user, password = os.environ.get("NHSKG_STORE_USER"), os.environ.get("NHSKG_STORE_PASSWORD")
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _send(url: str, method: str, body: bytes, content_type: str, what: str) -> int:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": content_type, **_auth_headers()})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        raise RemoteError(f"{what}: the store answered {error.code} {error.reason}: {detail}") from None
    except urllib.error.URLError as error:
        raise RemoteError(f"{what}: cannot reach {url}: {error.reason}") from None


@dataclass
class Pushed:
    graph: str
    triples: int


def publish(dataset: Dataset, endpoint: str | None = None, graph_store: str | None = None,
            graphs: list[str] | None = None) -> list[Pushed]:
    """Replace each named graph in the store; returns what was pushed, in order."""
    if not endpoint and not graph_store:
        raise RemoteError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")
    pushed = []
    for graph in named_graphs(dataset):
        name = str(graph.identifier)
        if graphs is not None and name not in graphs:
            continue
        body = to_ntriples(graph)
        what = f"publishing <{name}> ({len(graph)} triples)"
        if graph_store:
            separator = "&" if "?" in graph_store else "?"
            url = f"{graph_store}{separator}{urllib.parse.urlencode({'graph': name})}"
            _send(url, "PUT", body.encode("utf-8"), "application/n-triples", what)
        else:
            update = f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}\n"
            _send(endpoint, "POST", update.encode("utf-8"), "application/sparql-update", what)
        pushed.append(Pushed(name, len(graph)))
    return pushed


# -- the stored queries against a store's SPARQL endpoint -------------------------------------------------------

_SAFE_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')
_TOKEN = re.compile(r'''("""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"'''
                    r'''|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[?$][A-Za-z_][A-Za-z0-9_]*|\bBOUND\s*\(\s*[?$][A-Za-z_][A-Za-z0-9_]*\s*\))''',
                    re.IGNORECASE)


def bind_query_text(text: str, bindings: dict) -> str:
    """The query with each bound parameter replaced by its RDF term, as rdflib's initBindings would bind it.

    Variables are found by a tokenizer that skips strings, IRIs and comments; `BOUND(?x)` of a bound parameter
    becomes `true`. Terms are written by rdflib (IRIs checked, literals escaped), and the caller parses the
    result before sending it, so a value can only ever stand for one term.
    """
    terms = {}
    for name, term in bindings.items():
        if isinstance(term, URIRef) and not _SAFE_IRI.match(str(term)):
            raise RemoteError(f"--param {name}: {str(term)!r} cannot be written as an IRI")
        terms[name] = term.n3()

    def replace(match):
        token = match.group(0)
        if token.upper().startswith("BOUND"):
            name = token[token.index("(") + 1:token.rindex(")")].strip()[1:]
            return "true" if name in terms else token
        if token[0] in "?$" and token[1:] in terms:
            return terms[token[1:]]
        return token
    return _TOKEN.sub(replace, text)


def remote_select(endpoint: str, text: str) -> tuple[list[str], list[list]]:
    """Run a SELECT on the endpoint (SPARQL 1.1 Protocol, JSON results) and return columns and RDF-term rows."""
    import json

    from rdflib import BNode, Literal
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json",
        **_auth_headers()})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        raise RemoteError(f"{endpoint}: the store answered {error.code} {error.reason}: {detail}") from None
    except urllib.error.URLError as error:
        raise RemoteError(f"cannot reach {endpoint}: {error.reason}") from None

    def term(value):
        if value is None:
            return None
        if value["type"] == "uri":
            return URIRef(value["value"])
        if value["type"] == "bnode":
            return BNode(value["value"])
        return Literal(value["value"], lang=value.get("xml:lang"),
                       datatype=URIRef(value["datatype"]) if value.get("datatype") else None)
    columns = answer["head"]["vars"]
    rows = [[term(binding.get(c)) for c in columns] for binding in answer["results"]["bindings"]]
    return columns, rows
