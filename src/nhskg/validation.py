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


def validate_graph_parallel(data: Graph, shapes: Graph, processes: int = 2) -> ValidationResult:
    """`validate_graph` with the node shapes shared among forked processes (pySHACL's `use_shapes`), which
    read the data graph copy-on-write; the reports are merged. One process, or no fork, is plain validate_graph."""
    import multiprocessing
    named = sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    if processes < 2 or len(named) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return validate_graph(data, shapes)
    groups = [named[i::processes] for i in range(processes)]
    context = multiprocessing.get_context("fork")
    global _FORKED
    _FORKED = (data, shapes)
    try:
        with context.Pool(processes) as pool:
            parts = pool.map(_validate_shapes, groups)
    finally:
        _FORKED = None
    report = Graph()
    bind_prefixes(report)
    for _, triples, _ in parts:
        for triple in triples:
            report.add(triple)
    return ValidationResult(all(conforms for conforms, _, _ in parts), report,
                            "\n".join(text for _, _, text in parts))


_FORKED = None


def _validate_shapes(group: list) -> tuple[bool, list, str]:
    import pyshacl
    data, shapes = _FORKED
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                              allow_warnings=True, inplace=True, use_shapes=[str(s) for s in group])
    # Triples, not a serialisation: pickled blank nodes keep their labels, so a result's property shape is
    # named as in the shapes graph the parent holds.
    return bool(conforms), list(report), text
