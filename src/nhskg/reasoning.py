"""OWL RL (or RDFS) reasoning with owlrl into a separate graph, followed by a pass that drops noise."""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

PROFILES = ("none", "rdfs", "owl-rl")

# Axiomatic vocabulary that owlrl restates about itself; none of it says anything about NHS bodies.
_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD), "http://www.w3.org/2001/XMLSchema#")
_NOISE_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, RDF.Property}


def expand(asserted: Graph, profile: str = "owl-rl") -> Graph:
    """Return only the triples the profile entails beyond `asserted`, simplified."""
    if profile not in PROFILES:
        raise ValueError(f"unknown reasoning profile {profile!r} (choose from {', '.join(PROFILES)})")
    inferred = Graph()
    if profile == "none":
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
