"""The build for large graphs (issue 6): N-Quads parsed by pyoxigraph, OWL RL by the compiled rules of
`nhskg.rules` over N-Triples strings, sorted N-Quads written without rdflib's serialiser, SHACL by pySHACL
without inference, and the stored queries answered by an Oxigraph store.

Terms stay the strings the N-Quads file holds: pyoxigraph's parser keeps every literal as written, whereas its
store rewrites derived integer types (`xsd:nonNegativeInteger` becomes `xsd:integer`), so nothing that is
exported or validated passes through the store: only queries do, and the search for the nodes a SPARQL-based
shape target names, which pySHACL then validates on the graph as written.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Graph

from .reasoning import _BUILTIN
from .store import atomic_write
from .vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY

Quad = tuple[str, str, str, str]

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_NOISE_TYPES = {f"<{iri}>" for iri in (
    "http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#Resource",
    "http://www.w3.org/2002/07/owl#NamedIndividual", "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property", "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2002/07/owl#ObjectProperty", "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/2002/07/owl#AnnotationProperty", "http://www.w3.org/2000/01/rdf-schema#Datatype")}
_REFLEXIVE = {f"<{iri}>" for iri in (
    "http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf", "http://www.w3.org/2002/07/owl#equivalentClass",
    "http://www.w3.org/2002/07/owl#equivalentProperty")}
_BUILTIN_SUBJECTS = tuple(f"<{prefix}" for prefix in _BUILTIN)
_XSD = "<http://www.w3.org/2001/XMLSchema#"


def is_noise(s: str, p: str, o: str) -> bool:
    """`nhskg.reasoning._is_noise` for N-Triples strings: the same triples are dropped."""
    if s[0] in '"_' or o.startswith("_:"):
        return True
    if s.startswith(_BUILTIN_SUBJECTS):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    return p == _RDF_TYPE and (o in _NOISE_TYPES or o.startswith(_XSD))


def ntriples_term(term) -> str:
    """An rdflib term as pyoxigraph writes it (so the two kinds of input compare equal)."""
    from .rules import NTRIPLES_TERMS, _to_engine
    return _to_engine(term, NTRIPLES_TERMS)


def read_nquads(path: Path) -> list[Quad]:
    """Every quad of an N-Quads file as N-Triples strings (graph '' for the default graph)."""
    import pyoxigraph
    from .errors import InputError
    try:
        return [(str(q.subject), str(q.predicate), str(q.object),
                 "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else str(q.graph_name))
                for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)]
    except (SyntaxError, ValueError) as error:
        raise InputError(str(path), f"cannot be parsed as N-Quads: {error}") from None


def ontology_quads(ontology: Graph) -> list[Quad]:
    graph = f"<{GRAPH_ONTOLOGY}>"
    return [tuple(ntriples_term(t) for t in triple) + (graph,) for triple in ontology]


def infer(quads: Iterable[Quad], ontology: Graph, rules=None) -> list[tuple[str, str, str]]:
    """The inferred triples of `nhskg build` (OWL RL, noise dropped) for these quads, sorted."""
    return infer_keeping_state(list(quads), ontology, rules)[0]


def infer_keeping_state(quads: list[Quad], ontology: Graph, rules=None):
    """`infer`, also returning the rule engine with its closure, so that triples added later (a new document)
    cost only their own consequences: `reasoner.add(triples)` returns what they add."""
    from . import rules as rule_engine
    compiled = rules or rule_engine.compile_rules(ontology, rule_engine.NTRIPLES_TERMS)
    reasoner = rule_engine.Reasoner(compiled, rule_engine.NTRIPLES_TERMS)
    reasoner.add(compiled.tbox_triples)
    given = {(s, p, o) for s, p, o, _ in quads}
    reasoner.add(given)
    if reasoner.reasons:
        # What the compiled rules do not cover, owlrl (the reference) closes, as `nhskg.reasoning.expand` does.
        return _owlrl_inferred(quads, ontology), None
    return sorted(t for t in reasoner.closure - given if not is_noise(*t)), reasoner


def infer_after_adding(quads: list[Quad], added: list[Quad], ontology: Graph, rules=None):
    """The inferred triples of a build (`quads`, its inferred graph included) once `added` quads join it, found
    from the added triples outwards instead of from the whole graph (see `inferred_change`). Returns the sorted
    inferred triples `infer` would give for the whole, or None where the compiled rules do not cover the data
    (the caller then reasons over the whole)."""
    from collections import defaultdict

    from . import rules as rule_engine
    compiled = rules or rule_engine.compile_rules(ontology, rule_engine.NTRIPLES_TERMS)
    joined = rule_engine.Reasoner(compiled, rule_engine.NTRIPLES_TERMS).joined_properties
    inferred_graph = f"<{GRAPH_INFERRED}>"
    graphs, at_node = defaultdict(set), defaultdict(list)
    for s, p, o, g in quads:
        graphs[(s, p, o)].add(g)
        if p in joined:
            at_node[s].append((s, p, o))
            at_node[o].append((s, p, o))
    change = inferred_change(lambda t: graphs.get(t, ()), lambda node: at_node.get(node, ()), added, compiled)
    if change is None:
        return None
    no_longer, newly = change
    old_inferred = {t for t, found in graphs.items() if inferred_graph in found}
    return sorted((old_inferred - no_longer) | newly)


def inferred_change(graphs_of: Callable, joined_at: Callable, added: list[Quad], rules):
    """How a build's inferred graph changes once `added` quads join it: (triples no longer inferred, because
    they are now asserted; triples newly inferred), or None where the compiled rules do not cover the data.

    The build is seen only through two lookups: `graphs_of(triple)`, the graphs holding a triple, and
    `joined_at(node)`, the build's triples of the rules' joined properties with `node` as subject or object.
    The build's inferred graph is already closed, so only conclusions with an added triple among their premises
    are new. A rule with two premises joins them on a shared node through one of the joined properties, so it
    is enough to bring in the build's triples of those properties at each node a new conclusion of theirs
    reaches, until none is new."""
    from . import rules as rule_engine
    reasoner = rule_engine.Reasoner(rules, rule_engine.NTRIPLES_TERMS)
    reasoner.add(rules.tbox_triples)
    joined = reasoner.joined_properties
    inferred_graph = f"<{GRAPH_INFERRED}>"
    new = {(s, p, o) for s, p, o, _ in added}
    reached: set = set()
    batch = list(new)
    while batch:
        produced = reasoner.add(batch)
        fresh_nodes = {node for s, p, o in produced if p in joined and not graphs_of((s, p, o))
                       for node in (s, o)} - reached
        reached |= fresh_nodes
        batch = [triple for node in sorted(fresh_nodes) for triple in joined_at(node)]
    if reasoner.reasons:
        return None
    newly = {t for t in reasoner.closure if t not in new and not is_noise(*t) and not graphs_of(t)}
    no_longer = {t for t in new if inferred_graph in graphs_of(t)}
    return no_longer, newly


def _owlrl_inferred(quads: list[Quad], ontology: Graph) -> list[tuple[str, str, str]]:
    from .reasoning import expand
    lines = nquads_lines(quads, [])
    inferred = expand(validation_graph(lines), ontology=ontology, engine="owlrl")
    return sorted(tuple(ntriples_term(term) for term in triple) for triple in inferred)


def nquads_lines(quads: Iterable[Quad], inferred: Iterable[tuple[str, str, str]]) -> list[str]:
    """Sorted, de-duplicated N-Quads lines: the build's export, byte for byte the same for the same input."""
    graph = f"<{GRAPH_INFERRED}>"
    lines = {f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in quads}
    lines.update(f"{s} {p} {o} {graph} .\n" for s, p, o in inferred)
    return sorted(lines)


def write_nquads(lines: list[str], path: Path) -> None:
    atomic_write(path, "".join(lines))


def query_store(lines: list[str]):
    """An in-memory Oxigraph store of N-Quads lines, for the stored queries."""
    import pyoxigraph
    store = pyoxigraph.Store()
    store.bulk_load(input="".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def rdflib_term(term, simple_strings: bool = False):
    """A pyoxigraph term as an rdflib term. `simple_strings` makes an xsd:string literal a simple literal, as
    rdflib's parsers read one; otherwise it keeps its datatype, as oxrdflib's query results do."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if simple_strings and term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"not an RDF term nhskg reads: {term!r}")


def validation_graph(lines: list[str]) -> Graph:
    """The union of every graph as an rdflib graph for pySHACL, made from the same N-Quads lines: pyoxigraph
    parses, and each distinct term becomes an rdflib term once (IRIs repeat far more often than triples)."""
    return validation_input(data="".join(lines).encode("utf-8"), with_store=False).graph


@dataclass
class ValidationInput:
    """What validation reads: the union of every graph as an rdflib graph (for pySHACL), the same quads in an
    Oxigraph store (to find the focus nodes of SPARQL-based targets, `nhskg.validation.resolve_sparql_targets`),
    and the ontology graph on its own (for the ontology lint)."""
    graph: Graph
    store: object = None
    ontology: Graph | None = None


def validation_input(data: bytes | None = None, path: Path | None = None, with_store: bool = True,
                     source: str = "N-Quads", vocabulary=None) -> ValidationInput:
    """Parse N-Quads once (from `data` or the file at `path`) into a `ValidationInput`. The store is fed the
    parsed quads, not the text, so that blank nodes keep their labels in both and a focus node found in one is
    the same node in the other. With `vocabulary` (`nhskg.validation.shapes_vocabulary`) the rdflib graph
    holds only the triples the shapes can read: those whose predicate it names, and the types whose class it
    names or that are below such a class (by the data's own `rdfs:subClassOf`); the store and the ontology graph hold everything. An
    unparsable file is an input error naming it and the place."""
    with garbage_collection_paused():
        return _validation_input(data, path, with_store, source, vocabulary)


def _validation_input(data, path, with_store, source, vocabulary) -> ValidationInput:
    import pyoxigraph
    from .errors import InputError
    try:
        quads = list(pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_QUADS) if path is None else
                     pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError, OSError) as error:
        raise InputError(str(path or source), f"cannot be parsed as N-Quads: {error}") from None
    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    predicates = classes = None
    if vocabulary is not None:
        predicates = {pyoxigraph.NamedNode(iri) for iri in vocabulary.names}
        predicates.add(pyoxigraph.NamedNode(_SUBCLASS_OF))  # pySHACL reads the class tree for sh:class
        classes = {pyoxigraph.NamedNode(iri) for iri in _classes_at_or_below(vocabulary.names, quads)}
    ontology_name = pyoxigraph.NamedNode(str(GRAPH_ONTOLOGY))
    union, ontology = Graph(), Graph()
    # Each distinct term becomes an rdflib term once (IRIs repeat far more often than triples), looked up by
    # pyoxigraph's own term, whose hash and equality are computed in Rust; triples go to the store directly,
    # past Graph.add's checks, as every term here is an rdflib term by construction.
    terms: dict = {}
    find = terms.get
    add, ontology_add = union.store.add, ontology.store.add
    for quad in quads:
        subject, predicate, value = quad.subject, quad.predicate, quad.object
        in_ontology = quad.graph_name == ontology_name
        kept = predicates is None or (value in classes if predicate == rdf_type else predicate in predicates)
        if not (kept or in_ontology):
            continue
        triple = []
        for term in (subject, predicate, value):
            found = find(term)
            if found is None:
                # a simple literal stays simple, as rdflib's own parser reads it
                found = terms[term] = rdflib_term(term, simple_strings=True)
            triple.append(found)
        triple = tuple(triple)
        if kept:
            add(triple, union, False)
        if in_ontology:
            ontology_add(triple, ontology, False)
    store = None
    if with_store:
        store = pyoxigraph.Store()
        store.bulk_extend(quads)
    return ValidationInput(union, store, ontology)


_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _classes_at_or_below(classes, quads) -> set[str]:
    """The classes given and every class `rdfs:subClassOf` (transitively, in these quads) one of them."""
    import pyoxigraph
    subclass_of = pyoxigraph.NamedNode(_SUBCLASS_OF)
    below: dict[str, list[str]] = {}
    for quad in quads:
        if quad.predicate == subclass_of:
            below.setdefault(quad.object.value, []).append(quad.subject.value)
    found, todo = set(), list(classes)
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(below.get(current, ()))
    return found


@contextmanager
def garbage_collection_paused():
    """Bulk work without the cyclic garbage collector: parsing a million quads makes millions of objects, none
    in a cycle, and each collection would walk all of them again (at a million triples, `nhskg ingest` took
    42 s with it and 35 s without)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class StageTimer:
    """Seconds per stage, and a progress line per stage for long builds."""
    report: Callable[[str], None] | None = None
    stages: dict = field(default_factory=dict)

    def run(self, name: str, action: Callable):
        import time
        if self.report:
            self.report(f"{name} ...")
        start = time.perf_counter()
        value = action()
        self.stages[name] = time.perf_counter() - start
        if self.report:
            self.report(f"{name}: {self.stages[name]:.2f} s")
        return value
