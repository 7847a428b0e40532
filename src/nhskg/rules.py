"""Fast OWL RL for nhskg: owlrl closes the ontology (the TBox) once, then the few instance rules the ontology
actually uses run set-at-a-time, semi-naively, over any number of instance triples.

The rules are read off owlrl's closure of the ontology, so a new subclass, inverse, domain, transitive property or
property chain in `ontology/nhskg.ttl` needs no code here. What the ontology does not use (restrictions, keys,
`owl:sameAs` from functional properties with two values) is detected: `Entailments.complete` is then false and
the caller falls back to owlrl on the whole graph, which is the reference (`nhskg.reasoning.expand`).

Terms are any hashable values; an adapter maps the vocabulary into them. Two adapters are provided: rdflib terms
(`RDFLIB_TERMS`) for the in-memory build, and N-Triples strings (`NTRIPLES_TERMS`, as pyoxigraph prints terms) for
large graphs, where string hashing (cached by CPython) keeps the inner loop cheap.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

Term = Hashable
Triple = tuple[Term, Term, Term]


@dataclass(frozen=True)
class TermAdapter:
    """How the engine sees terms: converting an rdflib IRI into the engine's form, and telling literals and
    blank nodes apart."""
    from_iri: Callable[[URIRef], Term]
    is_literal: Callable[[Term], bool]
    is_blank: Callable[[Term], bool]
    to_rdflib: Callable[[Term], object]


def _rdflib_identity(term):
    return term


RDFLIB_TERMS = TermAdapter(
    from_iri=_rdflib_identity,
    is_literal=lambda t: isinstance(t, Literal),
    is_blank=lambda t: isinstance(t, BNode),
    to_rdflib=_rdflib_identity,
)


def _ntriples_to_rdflib(term: str):
    from rdflib.util import from_n3
    return from_n3(term)


NTRIPLES_TERMS = TermAdapter(
    from_iri=lambda iri: f"<{iri}>",
    is_literal=lambda t: t.startswith('"'),
    is_blank=lambda t: t.startswith("_:"),
    to_rdflib=_ntriples_to_rdflib,
)


@dataclass
class InstanceRules:
    """The ontology's instance-level consequences, as lookup tables (each already closed under the TBox)."""
    super_classes: dict = field(default_factory=dict)      # class -> its superclasses (excluding itself)
    super_properties: dict = field(default_factory=dict)   # property -> its superproperties (excluding itself)
    domains: dict = field(default_factory=dict)            # property -> classes of its subjects
    ranges: dict = field(default_factory=dict)             # property -> classes of its (non-literal) objects
    inverses: dict = field(default_factory=dict)           # property -> its inverses
    symmetric: set = field(default_factory=set)
    transitive: set = field(default_factory=set)
    chains: list = field(default_factory=list)             # (result property, first, second)
    functional: set = field(default_factory=set)
    inverse_functional: set = field(default_factory=set)
    unsupported: list = field(default_factory=list)        # axioms these rules do not cover, named for the fallback
    tbox_triples: list = field(default_factory=list)       # owlrl's closure of the ontology, in engine terms


_UNSUPPORTED_AXIOMS = (OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasKey, OWL.intersectionOf,
                       OWL.unionOf, OWL.oneOf, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.sameAs,
                       OWL.hasSelf, OWL.complementOf)


def compile_rules(ontology: Graph, terms: TermAdapter = RDFLIB_TERMS) -> InstanceRules:
    """Close the ontology with owlrl once and read off the tables the instance rules need."""
    import owlrl
    closure = Graph()
    for triple in ontology:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)

    def iri(t):
        return terms.from_iri(t)

    def named(t):
        return isinstance(t, URIRef)

    rules = InstanceRules()
    grow = defaultdict(set)
    for c, d in closure.subject_objects(RDFS.subClassOf):
        if named(c) and named(d) and c != d:
            grow[iri(c)].add(iri(d))
    rules.super_classes = dict(grow)
    grow = defaultdict(set)
    for p, q in closure.subject_objects(RDFS.subPropertyOf):
        if named(p) and named(q) and p != q:
            grow[iri(p)].add(iri(q))
    rules.super_properties = dict(grow)
    for table, predicate in ((rules.domains, RDFS.domain), (rules.ranges, RDFS.range)):
        grow = defaultdict(set)
        for p, c in closure.subject_objects(predicate):
            if named(p) and named(c):
                grow[iri(p)].add(iri(c))
        table.update(grow)
    grow = defaultdict(set)
    for p, q in closure.subject_objects(OWL.inverseOf):
        if named(p) and named(q):
            grow[iri(p)].add(iri(q))
            grow[iri(q)].add(iri(p))
    rules.inverses = dict(grow)
    rules.symmetric = {iri(p) for p in closure.subjects(RDF.type, OWL.SymmetricProperty) if named(p)}
    rules.transitive = {iri(p) for p in closure.subjects(RDF.type, OWL.TransitiveProperty) if named(p)}
    rules.functional = {iri(p) for p in closure.subjects(RDF.type, OWL.FunctionalProperty) if named(p)}
    rules.inverse_functional = {iri(p) for p in closure.subjects(RDF.type, OWL.InverseFunctionalProperty)
                                if named(p)}
    for p, chain in closure.subject_objects(OWL.propertyChainAxiom):
        steps = _rdf_list(closure, chain)
        if len(steps) == 2 and all(named(s) for s in steps):
            rules.chains.append((iri(p), iri(steps[0]), iri(steps[1])))
        else:
            rules.unsupported.append(f"property chain of {len(steps)} steps for {p}")
    for axiom in _UNSUPPORTED_AXIOMS:
        for subject in closure.subjects(axiom, None):
            if axiom == OWL.sameAs and closure.value(subject, OWL.sameAs) == subject:
                continue
            rules.unsupported.append(f"{axiom} on {subject}")
    rules.tbox_triples = [tuple(_to_engine(t, terms) for t in triple) for triple in closure]
    return rules


def _rdf_list(graph: Graph, head) -> list:
    items = []
    while head and head != RDF.nil:
        items.append(graph.value(head, RDF.first))
        head = graph.value(head, RDF.rest)
    return items


def _to_engine(term, terms: TermAdapter):
    if terms is RDFLIB_TERMS:
        return term
    if isinstance(term, URIRef):
        return terms.from_iri(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return _literal_ntriples(term)


def _literal_ntriples(literal: Literal) -> str:
    """A literal as pyoxigraph prints it, so TBox literals and data literals compare equal."""
    from pyoxigraph import Literal as OxLiteral, NamedNode
    if literal.language:
        return str(OxLiteral(str(literal), language=literal.language))
    if literal.datatype:
        return str(OxLiteral(str(literal), datatype=NamedNode(str(literal.datatype))))
    return str(OxLiteral(str(literal)))


@dataclass
class Entailments:
    """What the instance rules derived: every triple in the closure that was not given, and whether the rules
    covered everything the data needed (false means: use owlrl instead)."""
    triples: set
    complete: bool
    reasons: list


class Reasoner:
    """Semi-naive forward chaining of the compiled instance rules; `closure` keeps every triple seen, so more
    triples can be added later (`add`) and only their consequences are computed."""

    def __init__(self, rules: InstanceRules, terms: TermAdapter = RDFLIB_TERMS):
        self.rules = rules
        self.terms = terms
        self.rdf_type = terms.from_iri(RDF.type)
        self.same_as = terms.from_iri(OWL.sameAs)
        self.closure: set = set()
        self.reasons: list = list(rules.unsupported)
        # Join indexes only for the properties that take part in a join: (property) -> subject -> objects
        # and (property) -> object -> subjects.
        joined = set(rules.transitive) | rules.functional | rules.inverse_functional
        for result, first, second in rules.chains:
            joined |= {first, second}
        self._joined = joined
        self._forward = {p: defaultdict(set) for p in joined}
        self._backward = {p: defaultdict(set) for p in joined}
        self._chains_by_first = defaultdict(list)
        self._chains_by_second = defaultdict(list)
        for result, first, second in rules.chains:
            self._chains_by_first[first].append((result, second))
            self._chains_by_second[second].append((result, first))

    @property
    def joined_properties(self) -> frozenset:
        """The properties whose triples meet other triples in a rule (transitive, functional, inverse-functional
        and property-chain properties); every other rule reads one triple alone."""
        return frozenset(self._joined)

    def add(self, triples: Iterable[Triple]) -> set:
        """Add triples and derive their consequences; returns the triples that were not in the closure before
        (given or derived)."""
        closure = self.closure
        delta = [t for t in dict.fromkeys(triples) if t not in closure]
        closure.update(delta)
        added = set(delta)
        while delta:
            for triple in delta:
                self._index(triple)
            produced = []
            for triple in delta:
                produced.extend(self._consequences(triple))
            delta = [t for t in dict.fromkeys(produced) if t not in closure]
            closure.update(delta)
            added.update(delta)
        return added

    def _index(self, triple):
        s, p, o = triple
        if p in self._joined:
            self._forward[p][s].add(o)
            self._backward[p][o].add(s)

    def _consequences(self, triple):
        s, p, o = triple
        rules = self.rules
        out = []
        literal_object = self.terms.is_literal(o)
        if p == self.rdf_type:
            for c in rules.super_classes.get(o, ()):
                out.append((s, p, c))
            return out
        for q in rules.super_properties.get(p, ()):
            out.append((s, q, o))
        for c in rules.domains.get(p, ()):
            out.append((s, self.rdf_type, c))
        if literal_object:
            return out
        for c in rules.ranges.get(p, ()):
            out.append((o, self.rdf_type, c))
        for q in rules.inverses.get(p, ()):
            out.append((o, q, s))
        if p in rules.symmetric:
            out.append((o, p, s))
        if p in rules.transitive:
            forward, backward = self._forward[p], self._backward[p]
            for x in list(backward.get(s, ())):
                out.append((x, p, o))
            for y in list(forward.get(o, ())):
                out.append((s, p, y))
        for result, second in self._chains_by_first.get(p, ()):
            for y in list(self._forward[second].get(o, ())):
                out.append((s, result, y))
        for result, first in self._chains_by_second.get(p, ()):
            for x in list(self._backward[first].get(s, ())):
                out.append((x, result, o))
        if p in rules.functional:
            for other in self._forward[p].get(s, ()):
                if other != o and not self.terms.is_literal(other):
                    self.reasons.append(f"functional property {p} has two values for {s}: owl:sameAs needed")
                    break
        if p in rules.inverse_functional:
            for other in self._backward[p].get(o, ()):
                if other != s:
                    self.reasons.append(f"inverse-functional property {p} shared by two subjects: owl:sameAs needed")
                    break
        return out


def entailments(asserted: Iterable[Triple], rules: InstanceRules, terms: TermAdapter = RDFLIB_TERMS) -> Entailments:
    """Everything OWL RL adds to `asserted` (ontology included or not) under the compiled rules, before the
    noise filter."""
    reasoner = Reasoner(rules, terms)
    given = list(asserted)
    reasoner.add(rules.tbox_triples)
    reasoner.add(given)
    given_set = set(given)
    derived = {t for t in reasoner.closure if t not in given_set}
    return Entailments(derived, complete=not reasoner.reasons, reasons=reasoner.reasons)
