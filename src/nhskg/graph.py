"""The library's entry point: a built knowledge graph, opened once and shared by the API and the CLI."""

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF

from .errors import AmbiguousName, InputError, UnknownName
from .queries import StoredQuery, get_query, literal_for, run, sort_parts
from .store import read_build
from .vocab import ID, NHSKG, ORG, PREFIXES

# Which class a name must belong to, per parameter kind.
KIND_CLASS = {"body": ORG.Organization, "person": NHSKG.Person, "model": NHSKG.CommissioningModel,
              "document": NHSKG.Document}


@dataclass
class Table:
    """A query's answer: column names and rows of RDF terms (None where unbound)."""
    columns: list[str]
    rows: list[list]
    query: str

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


class KnowledgeGraph:
    """A built graph. `dataset` is rdflib's own store, faithful to every literal as built; stored queries run on
    `query_dataset`, which for a build opened from disk is Oxigraph behind the rdflib API (its store keeps
    integer values, not derived integer datatypes, which no stored query depends on)."""

    def __init__(self, dataset: Dataset | None = None, query_dataset: Dataset | None = None,
                 build_dir: Path | None = None):
        self._dataset = dataset
        self._build_dir = build_dir
        self.query_dataset = query_dataset if query_dataset is not None else dataset
        if dataset is not None:
            dataset.default_union = True
        if self.query_dataset is not None:
            self.query_dataset.default_union = True
        self._names: list | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = read_build(self._build_dir)
            self._dataset.default_union = True
        return self._dataset

    @classmethod
    def open(cls, build_dir: Path, engine: str = "oxigraph") -> "KnowledgeGraph":
        """Open a build: queries on Oxigraph (engine "oxigraph", the default) or on rdflib's store ("memory");
        the rdflib dataset is read only when something asks for it."""
        if engine == "memory":
            return cls(read_build(build_dir))
        return cls(query_dataset=read_build(build_dir, engine="oxigraph"), build_dir=build_dir)

    # -- names -------------------------------------------------------------------------------------
    def expand_iri(self, text: str) -> URIRef | None:
        """A full IRI, or a prefixed name such as id:org/nhs-england or nhskg:Claim; None otherwise."""
        if text.startswith(("http://", "https://", "urn:")):
            return URIRef(text)
        prefix, _, local = text.partition(":")
        if local and prefix in PREFIXES and " " not in text:
            return URIRef(str(PREFIXES[prefix]) + local)
        return None

    def _name_index(self) -> list[tuple[str, URIRef]]:
        """(lower-cased name, entity) for every label, alias, title and ODS code of an entity, built once."""
        if self._names is None:
            from rdflib.namespace import DCTERMS, RDFS, SKOS
            from .vocab import FOAF
            entities = set()
            for kind_class in (ORG.Organization, NHSKG.Person, NHSKG.Document, NHSKG.CommissioningModel):
                entities |= {str(entity) for entity in self._instances(kind_class)}
            names = set()
            for predicate in (RDFS.label, SKOS.altLabel, SKOS.prefLabel, FOAF.name, DCTERMS.title, NHSKG.odsCode):
                for subject, value in self._subject_objects(predicate):
                    if subject in entities:
                        names.add((value.lower(), subject))
            self._names = sorted((text, URIRef(entity)) for text, entity in names)
        return self._names

    def _subject_objects(self, predicate: URIRef, value: URIRef | None = None):
        """(subject, object) of every triple with this predicate (and this object, if given), both as text.
        On Oxigraph the triples are read from its index directly: through rdflib's API each one became rdflib
        terms first, which at a million triples took seconds for every name resolved."""
        from .store import pyoxigraph_behind
        store = pyoxigraph_behind(self.query_dataset)
        if store is None:
            pairs = (self.query_dataset.subject_objects(predicate) if value is None
                     else ((subject, value) for subject in self.query_dataset.subjects(predicate, value)))
            for subject, obj in pairs:
                yield str(subject), str(obj)
            return
        import pyoxigraph
        pattern_object = pyoxigraph.NamedNode(str(value)) if value is not None else None
        for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(predicate)), pattern_object, None):
            yield quad.subject.value, quad.object.value

    def _instances(self, cls: URIRef) -> set[URIRef]:
        """Instances of a class or any of its subclasses, asserted or inferred."""
        from rdflib.namespace import RDFS
        classes, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current not in classes:
                classes.add(current)
                todo.extend(self.query_dataset.subjects(RDFS.subClassOf, current))
        # reasoning gives an instance every superclass of its type, so the same subject comes once per class
        subjects = {subject for c in classes for subject, _ in self._subject_objects(RDF.type, c)}
        return {URIRef(subject) for subject in subjects if subject.startswith(str(ID))}

    def candidates(self, name: str, kind: str = "entity") -> list[tuple[str, str, int]]:
        """Entities called `name`: rank 0 slug, 1 exact name or code, 2 a name containing it."""
        wanted = name.strip().lower()
        allowed = self._instances(KIND_CLASS[kind]) if kind in KIND_CLASS else None
        ranks: dict[URIRef, int] = {}
        for text, entity in self._name_index():
            rank = 1 if text == wanted else 2 if wanted and wanted in text else None
            if rank is not None and (allowed is None or entity in allowed):
                ranks[entity] = min(rank, ranks.get(entity, 3))
        for _, entity in self._name_index():
            if str(entity).rsplit("/", 1)[-1] == wanted and (allowed is None or entity in allowed):
                ranks[entity] = 0
        return sorted(((str(e), self.label(e), r) for e, r in ranks.items()), key=lambda c: (c[2], c[1], c[0]))

    def resolve(self, name: str, kind: str = "entity") -> URIRef:
        """A name, alias, code, slug or IRI -> one entity; ambiguity lists the candidates."""
        iri = self.expand_iri(name)
        if iri is not None:
            if not self.holds(iri):
                raise UnknownName(name)
            return iri
        found = self.candidates(name, kind)
        if not found:
            raise UnknownName(name)
        best = min(rank for _, _, rank in found)
        top = [(iri, label) for iri, label, rank in found if rank == best]
        if len(top) > 1:
            raise AmbiguousName(name, top)
        return URIRef(top[0][0])

    def holds(self, iri: URIRef) -> bool:
        return (iri, None, None) in self.query_dataset or (None, None, iri) in self.query_dataset

    def label(self, iri: URIRef) -> str:
        from rdflib.namespace import RDFS
        value = self.query_dataset.value(iri, RDFS.label)
        return str(value) if value is not None else str(iri)

    # -- queries -----------------------------------------------------------------------------------
    def bind(self, query: StoredQuery, params: dict[str, str]) -> dict[str, object]:
        """Command-line parameter values -> RDF terms, resolving names for entity-like parameters."""
        bindings = {}
        for key, value in params.items():
            parameter = query.parameter(key)
            if parameter.kind in ("entity", "body", "person", "model", "document"):
                bindings[parameter.name] = self.resolve(value, parameter.kind)
            elif parameter.kind == "class":
                bindings[parameter.name] = self.resolve_class(value)
            else:
                bindings[parameter.name] = literal_for(parameter, value)
        missing = [p.name for p in query.parameters if not p.optional and p.name not in bindings]
        if missing:
            raise InputError(f"--param {missing[0]}", f"query '{query.name}' needs this parameter")
        return bindings

    def table(self, query: StoredQuery, bindings: dict[str, object] | None = None) -> Table:
        result = run(self.query_dataset, query, bindings)
        if result.type != "SELECT":
            raise InputError(str(query.path or query.name), f"a {result.type} query gives a graph, not a table: "
                                                            "use `nhskg query --file` with --format turtle")
        columns = [str(v) for v in result.vars]
        return Table(columns, sort_parts(query, columns, [list(row) for row in result]), query.name)

    def query(self, name: str, params: dict[str, str] | None = None) -> Table:
        query = get_query(name)
        return self.table(query, self.bind(query, params or {}))

    # -- convenience views -------------------------------------------------------------------------
    def lineage(self, body: str) -> Table:
        return self.query("lineage", {"body": body})

    def claims(self, about: str | None = None, by: str | None = None, claim_type: str | None = None,
               text: str | None = None, document: str | None = None) -> Table:
        params = {"about": about, "by": by, "text": text, "document": document,
                  "type": claim_type.capitalize() if claim_type else None}
        return self.query("claims", {k: v for k, v in params.items() if v is not None})

    def asof(self, date: str, type_name: str | None = None) -> Table:
        params = {"date": date}
        if type_name:
            params["class"] = type_name
        return self.query("asof", params)

    def resolve_class(self, name: str) -> URIRef:
        """A class by local name, IRI, label or abbreviation (`CCG`, `Primary Care Trust`), case-insensitively."""
        from rdflib.namespace import OWL, RDFS, SKOS
        iri = self.expand_iri(name)
        if iri is not None:
            return iri
        wanted = name.strip().lower()
        found = set()
        for cls in self.query_dataset.subjects(RDF.type, OWL.Class):
            if not str(cls).startswith(str(NHSKG)):
                continue
            names = {str(cls)[len(str(NHSKG)):].lower()}
            names |= {str(v).lower() for p in (RDFS.label, SKOS.altLabel) for v in self.query_dataset.objects(cls, p)}
            if wanted in names:
                found.add(cls)
        if len(found) != 1:
            from .errors import InputError
            raise InputError("type", f"{name!r} names {'no' if not found else 'more than one'} class of the ontology")
        return found.pop()

    def show(self, entity: str) -> Table:
        return self.query("entity-facts", {"entity": entity})


class RemoteKnowledgeGraph(KnowledgeGraph):
    """The same stored queries, run against a triplestore's SPARQL endpoint (where `nhskg publish` put the graph).

    Names are resolved with the stored find-entity query on the store, classes against the local ontology.
    """

    def __init__(self, endpoint: str):
        from .build import load_ontology
        self.endpoint = endpoint
        self.ontology = load_ontology()
        super().__init__(Dataset())
        for triple in self.ontology:
            self.dataset.add(triple)

    def table(self, query: StoredQuery, bindings: dict[str, object] | None = None) -> Table:
        from .queries import compile_query, parse_query_text
        from .remote import bind_query_text, remote_select
        text = bind_query_text(query.text, bindings or {})
        compile_query(parse_query_text(text, query.name, query.path))  # one well-formed query, or an error here
        columns, rows = remote_select(self.endpoint, text)
        return Table(columns, sort_parts(query, columns, rows), query.name)

    def candidates(self, name: str, kind: str = "entity") -> list[tuple[str, str, int]]:
        bindings = {"name": Literal(name)}
        if kind in KIND_CLASS:
            bindings["class"] = KIND_CLASS[kind]
        table = self.table(get_query("find-entity"), bindings)
        return [(str(e), str(label), int(rank)) for e, label, rank in table.rows]

    def holds(self, iri: URIRef) -> bool:
        return True  # an IRI given in full is sent to the store as it is; the store answers for it
