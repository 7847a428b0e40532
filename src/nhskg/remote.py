"""Publishing the built graph to a triplestore, and running the stored queries against one.

Publishing replaces each named graph with the SPARQL 1.1 Graph Store HTTP Protocol (one PUT per graph), or,
for a store without it, with one SPARQL Update request per graph (`DROP SILENT GRAPH` then `INSERT DATA`, sent
together so the store applies them as one operation). Given both, each graph is PUT beside the real one under a
staging name and then swapped in with one `MOVE`, because some stores (Virtuoso 7) apply a PUT triple by triple
and leave half a graph when it fails. A failed push names the graph and the store's answer, and says whether the
store's copy was left as it was; graphs pushed before it stay pushed. Credentials come from the environment:
NHSKG_STORE_USER and NHSKG_STORE_PASSWORD (HTTP basic).
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
TRIPLES_PER_INSERT = 1000
STAGING_PREFIX = "urn:nhskg:staging:"  # + the graph IRI: where a graph is uploaded before it is swapped in


class RemoteError(NhskgError):
    """The store refused or could not be reached."""


def _auth_headers() -> dict[str, str]:
    user, password = os.environ.get("NHSKG_STORE_USER"), os.environ.get("NHSKG_STORE_PASSWORD")
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _send(url: str, method: str, body: bytes, content_type: str, what: str, on_refusal: str = "") -> int:
    """Send one request; a refusal raises RemoteError with the store's answer and `on_refusal` (what it means)."""
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": content_type, **_auth_headers()})
    consequence = f" ({on_refusal})" if on_refusal else ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        raise RemoteError(f"{what}: the store answered {error.code} {error.reason}: {detail}{consequence}") from None
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
        what = f"publishing <{name}> ({len(graph)} triples)"
        kept = f"<{name}> was not replaced and keeps its previous content in the store"
        if graph_store and endpoint:
            staging = STAGING_PREFIX + name
            _send(_graph_url(graph_store, staging), "PUT", to_ntriples(graph).encode("utf-8"),
                  "application/n-triples", what, kept)
            _send(endpoint, "POST", f"MOVE GRAPH <{staging}> TO GRAPH <{name}>\n".encode("utf-8"),
                  "application/sparql-update", what, kept)
        elif graph_store:
            _send(_graph_url(graph_store, name), "PUT", to_ntriples(graph).encode("utf-8"), "application/n-triples",
                  what, f"a store that applies a PUT piece by piece may hold part of <{name}> now; give --endpoint "
                        "as well to upload beside it and swap it in")
        else:
            _send(endpoint, "POST", replace_graph_update(name, graph).encode("utf-8"), "application/sparql-update",
                  what, kept)
        pushed.append(Pushed(name, len(graph)))
    return pushed


def _graph_url(graph_store: str, name: str) -> str:
    separator = "&" if "?" in graph_store else "?"
    return f"{graph_store}{separator}{urllib.parse.urlencode({'graph': name})}"


def replace_graph_update(name: str, graph) -> str:
    """One SPARQL Update request that empties the graph and fills it, in `INSERT DATA` blocks of bounded size.

    Virtuoso's SPARQL parser runs out of stack ("memory exhausted") near 5,000 triples in one `INSERT DATA`, so
    the triples go in blocks of TRIPLES_PER_INSERT; all in one request, so the store still applies them as one.
    Triples with a blank node all go in one `INSERT { } WHERE { }` (a template run once): a blank node label
    means one node only within one operation, and Virtuoso refuses blank nodes in `INSERT DATA` (SP031).
    """
    lines = to_ntriples(graph).split("\n")[:-1]  # not splitlines(): U+2028 and kin stand unescaped in literals
    with_blank_nodes = [line for line in lines if "_:" in _outside_literal(line)]
    others = [line for line in lines if "_:" not in _outside_literal(line)]
    operations = [f"DROP SILENT GRAPH <{name}>"]
    if with_blank_nodes:
        operations.append("INSERT { GRAPH <%s> {\n%s\n} } WHERE { }" % (name, "\n".join(with_blank_nodes)))
    for start in range(0, len(others), TRIPLES_PER_INSERT):
        block = others[start:start + TRIPLES_PER_INSERT]
        operations.append("INSERT DATA { GRAPH <%s> {\n%s\n} }" % (name, "\n".join(block)))
    return " ;\n".join(operations) + "\n"


def _outside_literal(ntriples_line: str) -> str:
    """The line up to its first literal: where a blank node label can stand (only subject or object)."""
    quote = ntriples_line.find('"')
    return ntriples_line if quote < 0 else ntriples_line[:quote]


# -- the stored queries against a store's SPARQL endpoint -------------------------------------------------------

_SAFE_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')
_TOKEN = re.compile(r'''("""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"'''
                    r'''|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*|[?$][A-Za-z_][A-Za-z0-9_]*|\bBOUND\s*\(\s*[?$][A-Za-z_][A-Za-z0-9_]*\s*\)'''
                    r'''|\bSELECT\b|\bWHERE\b|\bGROUP\s+BY\b|\bHAVING\b|\bORDER\s+BY\b|\bLIMIT\b|\bOFFSET\b|[{}])''',
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

    in_projection = in_conditions = False

    def replace(match):
        nonlocal in_projection, in_conditions
        token = match.group(0)
        keyword = " ".join(token.upper().split())
        if keyword == "SELECT":
            in_projection = True
            return token
        if keyword in ("GROUP BY", "ORDER BY"):
            in_projection, in_conditions = False, True
            return token
        if keyword in ("WHERE", "{", "}", "HAVING", "LIMIT", "OFFSET"):
            in_projection = in_conditions = False
            return token
        if keyword.startswith("BOUND"):
            name = token[token.index("(") + 1:token.rindex(")")].strip()[1:]
            return "true" if name in terms else token
        if token[0] in "?$" and token[1:] in terms:
            # A projected parameter keeps its column, now a constant; GROUP BY and ORDER BY take a constant in brackets.
            if in_projection:
                return f"({terms[token[1:]]} AS {token})"
            return f"({terms[token[1:]]})" if in_conditions else terms[token[1:]]
        return token
    return _TOKEN.sub(replace, text)


# The header `nhskg serve` adds when it cut an answer at its row limit (`--max-rows`).
TRUNCATED_HEADER = "X-NHSKG-Truncated"


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
            truncated = response.headers.get(TRUNCATED_HEADER, "").lower() == "true"
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
    if truncated:
        # Shown as the answer, the rows the server kept would silently stand for all of them.
        raise RemoteError(f"{endpoint} cut its answer at {len(rows):,} rows ({TRUNCATED_HEADER}): ask for pages "
                          "(`nhskg query NAME --limit N --offset M`) or start the server with a larger --max-rows")
    return columns, rows
