"""SHACL validation of the built graph (and lint of the ontology) with pySHACL."""

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
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
    shapes: Graph | None = None

    def rows(self) -> list[dict[str, str]]:
        """One row per result: severity, focus node, path, shape and message, sorted. A result of a property
        shape (a blank node) names the node shape that holds it, whose IRI a reader can look up; the path
        column says which of its properties."""
        rows = []
        for result in self.report.subjects(RDF.type, SH.ValidationResult):
            def one(p):
                value = self.report.value(result, p)
                return "" if value is None else str(value)
            shape = self.report.value(result, SH.sourceShape)
            if isinstance(shape, BNode) and self.shapes is not None:
                shape = next(iter(sorted(self.shapes.subjects(SH.property, shape))), shape)
            rows.append({"severity": one(SH.resultSeverity).rsplit("#", 1)[-1], "focus": one(SH.focusNode),
                         "path": one(SH.resultPath), "shape": "" if shape is None else str(shape),
                         "message": one(SH.resultMessage)})
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
    # Property shapes are blank nodes, and a report names them: canonical labels make them the same on every
    # run, so that reports of the same build compare equal and their tables diff cleanly.
    from rdflib.compare import to_canonical_graph
    canonical = Graph()
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace, override=True)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    return canonical


def add_document_texts(graph: Graph, corpus: Path) -> list[tuple]:
    """Put each document's text beside it, in memory only, so the anchor shape can compare quotes; returns the
    triples added."""
    files = list_corpus(corpus)
    added = []
    for document, name in sorted(graph.subject_objects(NHSKG.fileName)):
        if str(name) in files:
            triple = (document, NHSKG.text, Literal(read_document(files[str(name)]).text))
            graph.add(triple)
            added.append(triple)
    return added


def validate_graph(data: Graph, shapes: Graph) -> ValidationResult:
    import pyshacl

    # inplace: with no inference and no SHACL rules nothing writes to the data graph, and pySHACL's advanced
    # mode (for SPARQL targets) would otherwise copy the whole graph first.
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                              allow_warnings=True, inplace=True)
    bind_prefixes(report)
    return ValidationResult(bool(conforms), report, text, shapes)


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


def validate_graph_parallel(data: Graph, shapes: Graph, processes: int = 2, store=None) -> ValidationResult:
    """`validate_graph` split into tasks run by forked processes that read the data graph copy-on-write: each
    task is one node shape on a slice of its focus nodes (pySHACL's `use_shapes` and `focus_nodes`, which
    validate the nodes given against the shape given), the costliest first, handed out as processes come free,
    so that the processes finish together; the reports are merged into one. With `store` (an Oxigraph store
    holding the same triples, `nhskg.scale.ValidationInput`) the SPARQL-based targets are evaluated there first
    (`resolve_sparql_targets`). One process, or no fork, validates in this process."""
    import multiprocessing
    if store is not None:
        shapes = resolve_sparql_targets(shapes, store)
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return validate_graph(data, shapes)
    tasks = validation_tasks(data, shapes)
    context = multiprocessing.get_context("fork")
    global _FORKED
    _FORKED = (data, shapes)
    try:
        with context.Pool(processes) as pool:
            # results come back in task order, so the merged text is the same on every run
            parts = list(pool.imap(_validate_task, tasks, chunksize=1))
    finally:
        _FORKED = None
    return merge_results(parts, shapes)


# Focus nodes a task: enough tasks for the processes to share the largest shapes, few enough that pySHACL's
# set-up for each (milliseconds) does not count.
FOCUS_NODES_PER_TASK = 2000


def validation_tasks(data: Graph, shapes: Graph, size: int = FOCUS_NODES_PER_TASK) -> list[tuple[str, list | None]]:
    """(node shape, its focus nodes or None for all of them) for every node shape with something to validate,
    the costliest first. The focus nodes are those pySHACL's own `Shape.focus_nodes` finds; a shape whose
    targets pySHACL must work out itself (a SPARQL-based target) or whose focus nodes are not all IRIs (which
    pySHACL's `focus_nodes` option cannot carry) is one task with None."""
    from pyshacl.shapes_graph import ShapesGraph
    harvested = {shape.node: shape for shape in ShapesGraph(shapes).shapes}
    tasks = []
    for node in sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)):
        constraints = 1 + sum(1 for p, _ in shapes.predicate_objects(node) if p in (SH.property, SH.sparql))
        if (node, SH.target, None) in shapes:
            tasks.append((len(data) * constraints, str(node), None))
            continue
        focus = harvested[node].focus_nodes(data)
        if not all(isinstance(term, URIRef) for term in focus):
            tasks.append((len(focus) * constraints, str(node), None))
            continue
        ordered = sorted(focus)
        for first in range(0, len(ordered), size):
            part = ordered[first:first + size]
            tasks.append((len(part) * constraints, str(node), part))
    tasks.sort(key=lambda task: (-task[0], task[1], task[2][0] if task[2] else ""))
    return [(shape, focus) for _, shape, focus in tasks]


_FORKED = None


def _validate_task(task: tuple[str, list | None]) -> tuple[bool, list, str]:
    import pyshacl
    data, shapes = _FORKED
    shape, focus = task
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                              allow_warnings=True, inplace=True, use_shapes=[shape],
                                              focus_nodes=[str(node) for node in focus] if focus else None)
    # Triples, not a serialisation: pickled blank nodes keep their labels, so a result's property shape is
    # named as in the shapes graph the parent holds.
    return bool(conforms), list(report), text


def merge_results(parts: list[tuple[bool, list, str]], shapes: Graph | None = None) -> ValidationResult:
    """One report from the reports of several runs: one sh:ValidationReport holding every run's results, and
    one text whose heading counts them all."""
    conforms = all(part_conforms for part_conforms, _, _ in parts)
    report = Graph()
    bind_prefixes(report)
    merged = BNode("report")
    report.add((merged, RDF.type, SH.ValidationReport))
    report.add((merged, SH.conforms, Literal(conforms)))
    sections, count = [], 0
    for _, triples, text in parts:
        reports = {s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport}
        for s, p, o in triples:
            if s in reports:
                if p == SH.result:
                    report.add((merged, SH.result, o))
                    count += 1
            else:
                report.add((s, p, o))
        heading, _, results = text.partition("):\n")
        if results:
            sections.append(results)
    text = f"Validation Report\nConforms: {conforms}\n"
    if count:
        text += f"Results ({count}):\n" + "".join(sections)
    return ValidationResult(conforms, report, text, shapes)


# Variables SHACL-SPARQL may pre-bind in a target's query; Oxigraph would see them as free variables.
_PREBOUND = re.compile(r"[$?](shapesGraph|currentShape)\b")


def resolve_sparql_targets(shapes: Graph, store) -> Graph:
    """A copy of `shapes` in which each SPARQL-based target (SHACL-AF `sh:SPARQLTarget` with `sh:select`) is
    replaced by `sh:targetNode`s: the `?this` of every solution of its query, evaluated by Oxigraph over
    `store`, which holds the same triples as the data graph. pySHACL evaluates such a query with rdflib's
    SPARQL over the whole graph, seconds each at a million triples; Oxigraph takes milliseconds. The shape's
    constraints still run in pySHACL, on those nodes. A target whose query pre-binds `$shapesGraph` or
    `$currentShape`, or that Oxigraph cannot parse, is left for pySHACL."""
    from .scale import rdflib_term
    resolved = Graph()
    for triple in shapes:
        resolved.add(triple)
    for prefix, namespace in shapes.namespaces():
        resolved.bind(prefix, namespace, override=True)
    for shape, target in sorted(shapes.subject_objects(SH.target)):
        select = shapes.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or select is None or _PREBOUND.search(str(select)):
            continue
        try:
            solutions = store.query(_prefix_declarations(shapes, target) + str(select),
                                    use_default_graph_as_union=True)
            nodes = [solution["this"] for solution in solutions]
        except (SyntaxError, ValueError, OSError):
            continue
        for triple in list(resolved.triples((target, None, None))):
            resolved.remove(triple)
        resolved.remove((shape, SH.target, target))
        for node in nodes:
            if node is not None:
                resolved.add((shape, SH.targetNode, rdflib_term(node, simple_strings=True)))
    return resolved


def _prefix_declarations(shapes: Graph, node) -> str:
    """The PREFIX lines of a SHACL-SPARQL query: the `sh:declare`s of each of its `sh:prefixes`."""
    lines = []
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(lines))


@dataclass(frozen=True)
class ShapesVocabulary:
    """The IRIs a shapes graph and its queries name, any of which may be read as a predicate or a class: a
    triple with another predicate, or typing a node with a class that is none of these nor below one of them,
    cannot change a result, so the graph handed to pySHACL can leave it out."""
    names: frozenset


_RDF_TYPE = str(RDF.type)


def shapes_vocabulary(shapes: Graph) -> ShapesVocabulary | None:
    """Every IRI the shapes name, and every IRI their SPARQL queries name, as the predicates and classes a
    validation with them can read; None when a shape can read any triple: a closed shape, or a query with a
    variable or negated predicate, or a variable class (`?x a ?type`), or a query rdflib cannot parse."""
    from rdflib.paths import NegatedPath, Path as PropertyPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    if any(value == Literal(True) for value in shapes.objects(None, SH.closed)):
        return None
    iris = {str(term) for triple in shapes for term in triple if isinstance(term, URIRef)}
    open_vocabulary = False

    def mentions(term) -> set[str]:
        nonlocal open_vocabulary
        if isinstance(term, URIRef):
            return {str(term)}
        if isinstance(term, NegatedPath):  # reads every predicate but the ones it names
            open_vocabulary = True
        if isinstance(term, PropertyPath):
            parts = [getattr(term, name) for name in ("args", "arg", "path") if hasattr(term, name)]
            return set().union(*(mentions(p) for part in parts for p in (part if isinstance(part, list) else [part])))
        return set()

    def walk(node) -> None:
        nonlocal open_vocabulary
        if isinstance(node, CompValue):
            if node.name == "PathNegatedPropertySet":
                open_vocabulary = True
            for key, value in node.items():
                if key == "triples":
                    for triple in value:
                        for first in range(0, len(triple) - 2, 3):
                            visit_triple(triple[first:first + 3])
                walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif isinstance(node, URIRef):
            iris.add(str(node))

    def visit_triple(triple) -> None:
        nonlocal open_vocabulary
        _, predicate, value = triple
        if isinstance(predicate, Variable):
            open_vocabulary = True
        named = mentions(predicate)
        iris.update(named)
        if _RDF_TYPE in named and not isinstance(value, URIRef):
            open_vocabulary = True

    for holder, text in sorted(shapes.subject_objects(SH.select)) + sorted(shapes.subject_objects(SH.ask)):
        try:
            walk(prepareQuery(_prefix_declarations(shapes, holder) + str(text)).algebra)
        except Exception:  # any parse failure: nothing can be left out
            return None
    if open_vocabulary:
        return None
    return ShapesVocabulary(frozenset(iris))


def validate_build(build_dir: Path, corpus: Path | None = None, processes: int = 2) -> dict[str, ValidationResult]:
    """`nhskg validate`: the data shapes over the build's N-Quads (read once into rdflib for pySHACL and into
    Oxigraph for the SPARQL-based targets, with each document's text beside it when `corpus` is given) and the
    ontology lint over its ontology graph. The results equal `validate_dataset` and `lint_dataset` on the
    same build; this is the path that keeps a million-triple build to about a minute."""
    from .scale import validation_input
    from .store import NQUADS_NAME
    path = build_dir / NQUADS_NAME
    if not path.is_file():
        raise InputError(str(path), "no built graph here: run `nhskg build` first")
    shapes = load_shapes(DATA_SHAPES)
    inputs = validation_input(path=path, vocabulary=shapes_vocabulary(shapes))
    if not len(inputs.ontology):
        # an empty or cut-short file would otherwise conform, having nothing to break a shape
        raise InputError(str(path), f"holds no ontology graph (<{GRAPH_ONTOLOGY}>): not a whole build; "
                                    "run `nhskg build` again")
    if corpus is not None:
        import pyoxigraph
        for document, predicate, text in add_document_texts(inputs.graph, corpus):
            inputs.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(document)),
                                             pyoxigraph.NamedNode(str(predicate)), pyoxigraph.Literal(str(text))))
    data = validate_graph_parallel(inputs.graph, shapes, processes=processes, store=inputs.store)
    return {"data": data, "ontology lint": lint_ontology(inputs.ontology)}
