"""Namespaces, graph names and the minting of IRIs: one base IRI, stable IRIs from the data."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/nhskg/"
NHSKG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
SHAPES = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
LEGISLATION = "http://www.legislation.gov.uk/id/"

PREFIXES = {
    "nhskg": NHSKG, "id": ID, "org": ORG, "schema": SCHEMA, "oa": OA, "prov": PROV, "dcterms": DCTERMS,
    "skos": SKOS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "foaf": FOAF,
}

GRAPH_ONTOLOGY = GRAPH["ontology"]
GRAPH_ENTITIES = GRAPH["entities"]
GRAPH_BACKGROUND = GRAPH["background"]
GRAPH_INFERRED = GRAPH["inferred"]
GRAPH_REGISTER = GRAPH["register"]
GRAPH_LINKS = GRAPH["links"]
GRAPH_ASSESSMENTS = GRAPH["assessments"]

# Each kind of curated record has its own IRI path segment.
KIND_PATH = {
    "body": "org", "person": "person", "document": "doc", "change": "change", "relation": "relation",
    "claim": "claim", "model": "model", "membership": "membership", "role": "role",
}


def mint(kind: str, slug: str) -> URIRef:
    """The IRI of a curated record of the given kind."""
    return ID[f"{KIND_PATH[kind]}/{slug}"]


def document_graph(slug: str) -> URIRef:
    return GRAPH[f"document/{slug}"]


def graph_short_name(iri: str) -> str:
    """`https://w3id.org/nhskg/graph/document/x` -> `document/x`: the name users type for --graph."""
    return iri[len(str(GRAPH)):] if iri.startswith(str(GRAPH)) else iri


def bind_prefixes(graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
