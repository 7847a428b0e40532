"""The library's entry point: a built knowledge graph, opened once and shared by the API and the CLI."""

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF

from .errors import AmbiguousName, InputError, UnknownName
from .queries import StoredQuery, get_query, literal_for, run
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
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.dataset.default_union = True

    @classmethod
    def open(cls, build_dir: Path) -> "KnowledgeGraph":
        return cls(read_build(build_dir))

    # -- names -------------------------------------------------------------------------------------
    def expand_iri(self, text: str) -> URIRef | None:
        """A full IRI, or a prefixed name such as id:org/nhs-england or nhskg:Claim; None otherwise."""
        if text.startswith(("http://", "https://", "urn:")):
            return URIRef(text)
        prefix, _, local = text.partition(":")
        if local and prefix in PREFIXES and " " not in text:
            return URIRef(str(PREFIXES[prefix]) + local)
        return None

    def candidates(self, name: str, kind: str = "entity") -> list[tuple[str, str, int]]:
        bindings = {"name": Literal(name)}
        if kind in KIND_CLASS:
            bindings["class"] = KIND_CLASS[kind]
        table = self.table(get_query("find-entity"), bindings)
        return [(str(row[0]), str(row[1]), int(row[2])) for row in table.rows]

    def resolve(self, name: str, kind: str = "entity") -> URIRef:
        """A name, alias, code, slug or IRI -> one entity; ambiguity lists the candidates."""
        iri = self.expand_iri(name)
        if iri is not None:
            if (iri, None, None) not in self.dataset and (None, None, iri) not in self.dataset:
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

    def label(self, iri: URIRef) -> str:
        from rdflib.namespace import RDFS
        value = self.dataset.value(iri, RDFS.label)
        return str(value) if value is not None else str(iri)

    # -- queries -----------------------------------------------------------------------------------
    def bind(self, query: StoredQuery, params: dict[str, str]) -> dict[str, object]:
        """Command-line parameter values -> RDF terms, resolving names for entity-like parameters."""
        bindings = {}
        for key, value in params.items():
            parameter = query.parameter(key)
            if parameter.kind in ("entity", "body", "person", "model", "document"):
                bindings[parameter.name] = self.resolve(value, parameter.kind)
            else:
                bindings[parameter.name] = literal_for(parameter, value)
        missing = [p.name for p in query.parameters if not p.optional and p.name not in bindings]
        if missing:
            raise InputError(f"--param {missing[0]}", f"query '{query.name}' needs this parameter")
        return bindings

    def table(self, query: StoredQuery, bindings: dict[str, object] | None = None) -> Table:
        result = run(self.dataset, query, bindings)
        if result.type != "SELECT":
            raise InputError(str(query.path or query.name), f"a {result.type} query gives a graph, not a table: "
                                                            "use `nhskg query --file` with --format turtle")
        columns = [str(v) for v in result.vars]
        return Table(columns, [list(row) for row in result], query.name)

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

    def show(self, entity: str) -> Table:
        return self.query("entity-facts", {"entity": entity})
