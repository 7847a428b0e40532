"""OWL RL (or RDFS) reasoning with owlrl into a separate graph, followed by a pass that drops noise."""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

PROFILES = ("none", "rdfs", "owl-rl")

# Axiomatic vocabulary that owlrl restates about itself; none of it says anything about NHS bodies.
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD), "http://www.w3.org/2001/XMLSchema#")
_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property}


ENGINES = ("rules", "owlrl")


def expand(asserted: Graph, profile: str = "owl-rl", ontology: Graph | None = None, engine: str = "rules") -> Graph:
    """Return only the triples the profile entails beyond `asserted`, simplified.

    With engine "rules" (the default) OWL RL runs as owlrl's closure of `ontology` (default: the project's)
    followed by the compiled instance rules of `nhskg.rules`; where those rules do not cover what the data
    needs, or with engine "owlrl", owlrl closes the whole graph, which is the reference."""
    if profile not in PROFILES:
        raise ValueError(f"unknown reasoning profile {profile!r} (choose from {', '.join(PROFILES)})")
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoning engine {engine!r} (choose from {', '.join(ENGINES)})")
    inferred = Graph()
    if profile == "none":
        return inferred
    if profile == "owl-rl" and engine == "rules":
        from . import rules
        if ontology is None:
            from .build import load_ontology
            ontology = load_ontology()
        result = rules.entailments(asserted, rules.compile_rules(ontology))
        if result.complete:
            for triple in result.triples:
                if not _is_noise(triple):
                    inferred.add(triple)
            return inferred
    import owlrl

    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    semantics = owlrl.OWLRL_Semantics if profile == "owl-rl" else owlrl.RDFS_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    for triple in closure:
        if triple not in asserted and not _is_noise(triple):
            inferred.add(triple)
    return inferred


def _is_noise(triple) -> bool:
    s, p, o = triple
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode):
        return True
    if str(s).startswith(_BUILTIN):
        return True
    if p == OWL.sameAs and s == o:
        return True
    if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty) and s == o:
        return True
    if p == RDF.type and (o in _NOISE_OBJECTS or str(o).startswith(str(XSD))):
        return True
    if p == RDF.type and isinstance(o, URIRef) and o in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                                                         OWL.AnnotationProperty, RDFS.Datatype):
        return True
    return False


def update_inferred(dataset, added: Graph, removed: Graph, profile: str = "owl-rl") -> None:
    """Bring the dataset's inferred graph up to date after `added` triples were put into (and `removed` taken
    out of) its asserted graphs."""
    from .store import union_graph
    from .vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY
    inferred_graph = dataset.graph(GRAPH_INFERRED)
    inferred_graph.remove((None, None, None))
    ontology = dataset.graph(GRAPH_ONTOLOGY)
    for triple in expand(union_graph(dataset, include_inferred=False), profile, ontology=ontology):
        inferred_graph.add(triple)
