"""SHACL validation of the built graph (and lint of the ontology) with pySHACL."""

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from . import resources
from .corpus import list_corpus, read_document
from .errors import InputError
from .store import union_graph
from .vocab import GRAPH_ONTOLOGY, NHSKG, bind_prefixes

DATA_SHAPES = "nhskg-shapes.ttl"
LINT_SHAPES = "ontology-lint.ttl"


@dataclass
class ValidationResult:
    conforms: bool
    report: Graph
    text: str

    def rows(self) -> list[dict[str, str]]:
        """One row per result: severity, focus node, path, shape and message, sorted."""
        rows = []
        for result in self.report.subjects(RDF.type, SH.ValidationResult):
            def one(p):
                value = self.report.value(result, p)
                return "" if value is None else str(value)
            rows.append({"severity": one(SH.resultSeverity).rsplit("#", 1)[-1], "focus": one(SH.focusNode),
                         "path": one(SH.resultPath), "shape": one(SH.sourceShape), "message": one(SH.resultMessage)})
        return sorted(rows, key=lambda r: tuple(r.values()))


def load_shapes(name: str) -> Graph:
    path = resources.SHAPES_DIR / name
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(str(path), "shapes file is missing") from None
    except Exception as error:
        raise InputError(str(path), f"cannot be parsed as Turtle: {error}") from None
    return graph


def add_document_texts(graph: Graph, corpus: Path) -> None:
    """Put each document's text beside it, in memory only, so the anchor shape can compare quotes."""
    files = list_corpus(corpus)
    for document, name in list(graph.subject_objects(NHSKG.fileName)):
        if str(name) in files:
            graph.add((document, NHSKG.text, Literal(read_document(files[str(name)]).text)))


def validate_graph(data: Graph, shapes: Graph) -> ValidationResult:
    import pyshacl

    # inplace: with no inference and no SHACL rules nothing writes to the data graph, and pySHACL's advanced
    # mode (for SPARQL targets) would otherwise copy the whole graph first.
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                              allow_warnings=True, inplace=True)
    bind_prefixes(report)
    return ValidationResult(bool(conforms), report, text)


def validate_dataset(dataset: Dataset, corpus: Path | None = None) -> ValidationResult:
    """The data shapes over the union of every graph (asserted, ontology and inferred)."""
    data = union_graph(dataset)
    if corpus is not None:
        add_document_texts(data, corpus)
    return validate_graph(data, load_shapes(DATA_SHAPES))


def lint_ontology(ontology: Graph | None = None) -> ValidationResult:
    """Every term of the ontology declared, labelled and defined."""
    if ontology is None:
        from .build import load_ontology
        ontology = load_ontology()
    return validate_graph(ontology, load_shapes(LINT_SHAPES))


def lint_dataset(dataset: Dataset) -> ValidationResult:
    return lint_ontology(dataset.graph(GRAPH_ONTOLOGY))
